"""The read models' tables and their store: one SQLite file (views.sqlite) or the PostgreSQL schema ami_views.

The SQL is written once, with `?` placeholders, in the subset both backends understand (upserts with
ON CONFLICT, row values); `_pg()` turns the placeholders into psycopg's. Amounts are whole centimes
(exact sums in SQL); periods are "YYYY-MM" text, so text order is time order.
"""
from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from shared.config import Settings

VIEWS_SCHEMA = "ami_views"
# Read models are disposable: a store written by another schema version is dropped and rebuilt.
SCHEMA_VERSION = "1"
WRITE_LOCK = 0x414D4956_0001  # serialises every writer (projector, catch-up in a request)
LEADER_LOCK = 0x414D4956_0002  # held by the one following projector (`ami project --follow`)

SCHEMA = """
CREATE TABLE IF NOT EXISTS tracking (
    source TEXT PRIMARY KEY,
    position BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS providers (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    integration_arbeit_test INTEGER NOT NULL,
    active INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS offerings (
    provider TEXT NOT NULL,
    code TEXT NOT NULL,
    programme_type TEXT NOT NULL,
    name TEXT NOT NULL,
    places INTEGER NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    PRIMARY KEY (provider, code)
);
CREATE TABLE IF NOT EXISTS invoices (
    invoice_id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    version INTEGER NOT NULL,
    first_received_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    edition TEXT,
    claimed BIGINT NOT NULL,
    allowed BIGINT NOT NULL,
    reduction BIGINT NOT NULL,
    lines INTEGER NOT NULL,
    findings INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS invoices_month ON invoices (period, provider);
CREATE TABLE IF NOT EXISTS invoice_programmes (
    invoice_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    programme TEXT NOT NULL,
    lines INTEGER NOT NULL,
    claimed BIGINT NOT NULL,
    allowed BIGINT NOT NULL,
    reduction BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, programme)
);
CREATE INDEX IF NOT EXISTS invoice_programmes_month ON invoice_programmes (period, programme);
CREATE TABLE IF NOT EXISTS findings (
    invoice_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    line_row INTEGER NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    programme TEXT NOT NULL,
    PRIMARY KEY (invoice_id, seq)
);
CREATE INDEX IF NOT EXISTS findings_month ON findings (period, provider);
CREATE TABLE IF NOT EXISTS reviews (
    review_id TEXT PRIMARY KEY,
    invoice_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    approved_version INTEGER,
    returned_version INTEGER,
    returned_reason TEXT
);
CREATE INDEX IF NOT EXISTS reviews_invoice ON reviews (invoice_id);
CREATE TABLE IF NOT EXISTS decisions (
    invoice_id TEXT NOT NULL,
    line_row INTEGER NOT NULL,
    code TEXT NOT NULL,
    decision TEXT NOT NULL,
    comment TEXT NOT NULL,
    actor TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, line_row, code)
);
CREATE TABLE IF NOT EXISTS capacity_reports (
    report_id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    version INTEGER NOT NULL,
    first_received_at TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS capacity_reports_month ON capacity_reports (period, provider);
CREATE TABLE IF NOT EXISTS capacity_rows (
    report_id TEXT NOT NULL,
    line_row INTEGER NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    programme TEXT NOT NULL,
    offering TEXT NOT NULL,
    places INTEGER NOT NULL,
    occupied INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    exits INTEGER NOT NULL,
    waiting_list INTEGER,
    PRIMARY KEY (report_id, line_row)
);
CREATE INDEX IF NOT EXISTS capacity_rows_month ON capacity_rows (period, provider);
-- the rows in force per offering-month: a later report's row replaces an earlier one, as the checks see it
CREATE TABLE IF NOT EXISTS capacity (
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    programme TEXT NOT NULL,
    offering TEXT NOT NULL,
    places INTEGER NOT NULL,
    occupied INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    exits INTEGER NOT NULL,
    waiting_list INTEGER,
    report_id TEXT NOT NULL,
    PRIMARY KEY (provider, period, programme, offering)
);
CREATE INDEX IF NOT EXISTS capacity_month ON capacity (period);
CREATE TABLE IF NOT EXISTS exits (
    invoice_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    programme TEXT NOT NULL,
    offering TEXT NOT NULL,
    participant TEXT NOT NULL,
    exit_date TEXT,
    exit_reason TEXT NOT NULL,
    PRIMARY KEY (invoice_id, programme, offering, participant)
);
CREATE INDEX IF NOT EXISTS exits_programme ON exits (programme, period);
CREATE TABLE IF NOT EXISTS provider_months (
    provider TEXT NOT NULL,
    period TEXT NOT NULL,
    invoice_received_at TEXT,
    capacity_received_at TEXT,
    invoices INTEGER NOT NULL,
    claimed BIGINT NOT NULL,
    allowed BIGINT NOT NULL,
    reduction BIGINT NOT NULL,
    findings INTEGER NOT NULL,
    open_findings INTEGER NOT NULL,
    invoice_ids TEXT NOT NULL,
    PRIMARY KEY (provider, period)
);
CREATE INDEX IF NOT EXISTS provider_months_period ON provider_months (period)
"""
META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
VIEW_TABLES = ("tracking", "providers", "offerings", "invoices", "invoice_programmes", "findings", "reviews",
               "decisions", "capacity_reports", "capacity_rows", "capacity", "exits", "provider_months")


def ddl() -> list[str]:
    return [s.strip() for s in SCHEMA.split(";") if s.strip()]


# --- the projector's statements --------------------------------------------------------------------
UPSERT_PROVIDER = """
INSERT INTO providers (slug, name, ordinal, integration_arbeit_test, active) VALUES (?, ?, ?, ?, 1)
ON CONFLICT (slug) DO UPDATE SET name = excluded.name,
    integration_arbeit_test = excluded.integration_arbeit_test
"""
UPSERT_OFFERING = """
INSERT INTO offerings (provider, code, programme_type, name, places, valid_from, valid_to)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (provider, code) DO UPDATE SET programme_type = excluded.programme_type, name = excluded.name,
    places = excluded.places, valid_from = excluded.valid_from, valid_to = excluded.valid_to
"""
INSERT_REVIEW = """
INSERT INTO reviews (review_id, invoice_id, provider, period, approved_version, returned_version,
    returned_reason)
VALUES {values}
"""
UPDATE_REVIEW = """
UPDATE reviews SET approved_version = ?, returned_version = ?, returned_reason = ? WHERE review_id = ?
"""
SELECT_REVIEWS_BY_ID = "SELECT review_id, invoice_id, provider, period FROM reviews WHERE review_id IN {in}"
UPSERT_DECISION = """
INSERT INTO decisions (invoice_id, line_row, code, decision, comment, actor, version)
VALUES {values}
ON CONFLICT (invoice_id, line_row, code) DO UPDATE SET decision = excluded.decision,
    comment = excluded.comment, actor = excluded.actor, version = excluded.version
"""
SELECT_INVOICES_BY_ID = """
SELECT invoice_id, provider, period, ordinal, first_received_at, version, received_at
FROM invoices WHERE invoice_id IN {in}
"""
SELECT_REPORTS_BY_ID = """
SELECT report_id, provider, period, ordinal, first_received_at, version, received_at
FROM capacity_reports WHERE report_id IN {in}
"""
DELETE_INVOICE_PROGRAMMES = "DELETE FROM invoice_programmes WHERE invoice_id IN {in}"
DELETE_FINDINGS = "DELETE FROM findings WHERE invoice_id IN {in}"
DELETE_EXITS = "DELETE FROM exits WHERE invoice_id IN {in}"
UPSERT_INVOICE = """
INSERT INTO invoices (invoice_id, provider, period, ordinal, version, first_received_at, received_at, edition,
    claimed, allowed, reduction, lines, findings)
VALUES {values}
ON CONFLICT (invoice_id) DO UPDATE SET version = excluded.version, received_at = excluded.received_at,
    edition = excluded.edition, claimed = excluded.claimed, allowed = excluded.allowed,
    reduction = excluded.reduction, lines = excluded.lines, findings = excluded.findings
"""
INSERT_INVOICE_PROGRAMME = """
INSERT INTO invoice_programmes (invoice_id, provider, period, programme, lines, claimed, allowed, reduction)
VALUES {values}
"""
INSERT_FINDING = """
INSERT INTO findings (invoice_id, seq, line_row, code, severity, provider, period, programme)
VALUES {values}
"""
INSERT_EXIT = """
INSERT INTO exits (invoice_id, provider, period, programme, offering, participant, exit_date, exit_reason)
VALUES {values}
"""
DELETE_CAPACITY_ROWS = "DELETE FROM capacity_rows WHERE report_id IN {in}"
UPSERT_REPORT = """
INSERT INTO capacity_reports (report_id, provider, period, ordinal, version, first_received_at, received_at)
VALUES {values}
ON CONFLICT (report_id) DO UPDATE SET version = excluded.version, received_at = excluded.received_at
"""
INSERT_CAPACITY_ROW = """
INSERT INTO capacity_rows (report_id, line_row, provider, period, programme, offering, places, occupied,
    entries, exits, waiting_list)
VALUES {values}
"""
SELECT_MONTH_CAPACITY_ROWS = """
SELECT r.provider, r.period, r.programme, r.offering, r.places, r.occupied, r.entries, r.exits,
    r.waiting_list, r.report_id
FROM capacity_rows r JOIN capacity_reports c ON c.report_id = r.report_id
WHERE r.period IN {periods} AND r.provider IN {providers}
ORDER BY c.ordinal, r.line_row
"""
DELETE_MONTH_CAPACITY = "DELETE FROM capacity WHERE (provider, period) IN (VALUES {values})"
INSERT_CAPACITY = """
INSERT INTO capacity (provider, period, programme, offering, places, occupied, entries, exits, waiting_list,
    report_id)
VALUES {values}
"""
SELECT_MONTH_INVOICES = """
SELECT provider, period, invoice_id, first_received_at, claimed, allowed, reduction FROM invoices
WHERE period IN {periods} AND provider IN {providers} ORDER BY ordinal
"""
SELECT_MONTH_FINDINGS = """
SELECT f.provider, f.period, COUNT(*), SUM(CASE WHEN d.invoice_id IS NULL THEN 1 ELSE 0 END)
FROM findings f
LEFT JOIN decisions d ON d.invoice_id = f.invoice_id AND d.line_row = f.line_row AND d.code = f.code
WHERE f.period IN {periods} AND f.provider IN {providers}
GROUP BY f.provider, f.period
"""
SELECT_MONTH_REPORTS = """
SELECT provider, period, first_received_at FROM capacity_reports
WHERE period IN {periods} AND provider IN {providers}
"""
DELETE_PROVIDER_MONTHS = """
DELETE FROM provider_months WHERE (provider, period) IN (VALUES {values})
"""
UPSERT_PROVIDER_MONTH = """
INSERT INTO provider_months (provider, period, invoice_received_at, capacity_received_at, invoices, claimed,
    allowed, reduction, findings, open_findings, invoice_ids)
VALUES {values}
ON CONFLICT (provider, period) DO UPDATE SET invoice_received_at = excluded.invoice_received_at,
    capacity_received_at = excluded.capacity_received_at, invoices = excluded.invoices,
    claimed = excluded.claimed, allowed = excluded.allowed, reduction = excluded.reduction,
    findings = excluded.findings, open_findings = excluded.open_findings, invoice_ids = excluded.invoice_ids
"""


def with_span(sql: str, periods: Sequence[str], providers: Sequence[str]) -> tuple[str, list]:
    """The statement for these months and providers (`{periods}`, `{providers}`), and its parameters."""
    return (sql.replace("{periods}", in_list(len(periods))).replace("{providers}", in_list(len(providers))),
            [*periods, *providers])


def with_pairs(sql: str, pairs: Sequence[tuple]) -> tuple[str, list]:
    """The statement with `VALUES {values}` for these (provider, period) pairs, and its parameters."""
    return sql.replace("{values}", ",".join(["(?,?)"] * len(pairs))), [v for pair in pairs for v in pair]


def with_in(sql: str, n: int) -> str:
    """The statement with its `{in}` replaced by n placeholders."""
    return sql.replace("{in}", in_list(n))


def in_list(n: int) -> str:
    """(?, ?, …) for an IN clause of n values."""
    return "(" + ",".join("?" * n) + ")"


def chunks(items: Sequence, size: int = 400) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


class Tx:
    """One transaction of the view store: execute returns the rows of a query (or [])."""

    def __init__(self, cursor, convert):
        self._cur = cursor
        self._convert = convert

    def execute(self, sql: str, params: Sequence = ()) -> list[tuple]:
        cur = self._cur
        cur.execute(self._convert(sql), params)
        return cur.fetchall() if cur.description else []

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        rows = list(rows)
        if rows:
            self._cur.executemany(self._convert(sql), rows)

    def insert(self, sql: str, rows: Sequence[Sequence]) -> None:
        """An `INSERT … VALUES {values} [ON CONFLICT …]` statement for many rows at once."""
        if rows:
            one = "(" + ",".join("?" * len(rows[0])) + ")"
            self._cur.executemany(self._convert(sql.replace("{values}", one)), rows)

    def delete_in(self, sql: str, ids: Sequence) -> None:
        """A statement with `IN {in}` for many ids at once."""
        for chunk in chunks(list(ids)):
            self._cur.execute(self._convert(with_in(sql, len(chunk))), chunk)

    def position(self, source: str) -> int:
        found = self.execute("SELECT position FROM tracking WHERE source = ?", (source,))
        return found[0][0] if found else 0

    def set_position(self, source: str, position: int) -> None:
        self.execute("INSERT INTO tracking (source, position) VALUES (?, ?) "
                     "ON CONFLICT (source) DO UPDATE SET position = excluded.position", (source, position))


class PgTx(Tx):
    """On PostgreSQL, many rows go in by COPY (through a staging table where the statement upserts):
    two statements per table and batch instead of one per row."""

    def insert(self, sql: str, rows: Sequence[Sequence]) -> None:
        if not rows:
            return
        table, columns = _INSERT.match(sql.strip()).groups()  # type: ignore[union-attr]
        conflict = sql[sql.index("{values}") + len("{values}"):].strip()
        target = f"stage_{table}" if conflict else table
        if conflict:
            self._cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {target} "
                              f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
        with self._cur.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if conflict:
            self._cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target} {conflict}")  # noqa: S608
            self._cur.execute(f"DELETE FROM {target}")  # noqa: S608

    def delete_in(self, sql: str, ids: Sequence) -> None:
        if ids:
            self._cur.execute(_pg(sql.replace("IN {in}", "= ANY(?)")), (list(ids),))


_INSERT = re.compile(r"INSERT INTO (\w+) \(([^)]*)\)", re.S)


class ViewStore:
    """Where the read models live: `write()` is one serialised transaction, `read()` one snapshot."""

    backend = ""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._ready = False

    # --- to implement per backend ------------------------------------------------------------
    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Tx]:
        raise NotImplementedError
        yield

    def _drop_all(self, tx: Tx) -> None:
        for table in VIEW_TABLES:
            tx.execute("DROP TABLE IF EXISTS " + table)

    def close(self) -> None:
        raise NotImplementedError

    # --- common ------------------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Tx]:
        self.ensure_schema()
        with self._transaction(write=True) as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[Tx]:
        self.ensure_schema()
        with self._transaction(write=False) as tx:
            yield tx

    def ensure_schema(self) -> None:
        if self._ready:
            return
        with self._lock, self._transaction(write=True) as tx:
            self._create(tx)
        self._ready = True

    def _create(self, tx: Tx, *, force: bool = False) -> None:
        tx.execute(META)
        found = tx.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        if force or not found or found[0][0] != SCHEMA_VERSION:
            self._drop_all(tx)
        for statement in ddl():
            tx.execute(statement)
        tx.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (SCHEMA_VERSION,))

    def reset(self, *, drop: bool = False) -> None:
        """Empty every view and the tracking positions (`drop`: drop the tables and create them anew, as
        for tables of another schema version): the next run replays both logs from the start."""
        with self._lock, self._transaction(write=True) as tx:
            self._create(tx, force=drop)
            for table in VIEW_TABLES:
                tx.execute("DELETE FROM " + table)  # noqa: S608
        self._ready = True

    def positions(self) -> dict[str, int]:
        with self.read() as tx:
            return dict(tx.execute("SELECT source, position FROM tracking"))

    def dump(self) -> dict[str, list[tuple]]:
        """Every view's rows in a stable order (for tests and `--rebuild` comparisons)."""
        with self.read() as tx:
            return {t: sorted(tx.execute("SELECT * FROM " + t), key=repr) for t in VIEW_TABLES}  # noqa: S608


class SQLiteViewStore(ViewStore):
    backend = "sqlite"

    def __init__(self, path: Path):
        super().__init__()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        # WAL: readers never wait for the projector; NORMAL: a crash may lose the last transactions,
        # never half of one, and their events are simply projected again (tracking is in them).
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Tx]:
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield Tx(cur, _same)
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
            finally:
                cur.close()

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class PostgresViewStore(ViewStore):
    backend = "postgres"

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self._conn = self._connect()

    def _connect(self):
        from shared.store.eventstore import connect_postgres

        conn = connect_postgres(self.url)  # autocommit; transactions are explicit
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{VIEWS_SCHEMA}"')
        conn.execute(f'SET search_path TO "{VIEWS_SCHEMA}"')
        return conn

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Tx]:
        with self._lock:
            if self._conn.closed or self._conn.broken:
                self._conn = self._connect()
            with self._conn.transaction(), self._conn.cursor() as cur:
                if write:
                    # READ COMMITTED and then the lock: every statement after it sees what the previous
                    # writer committed, so the tracking position read next is never stale.
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                    # a crash may lose the last commits, never half of one: their events are projected again
                    cur.execute("SET LOCAL synchronous_commit = off")
                else:
                    cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield PgTx(cur, _pg)

    def _drop_all(self, tx: Tx) -> None:
        super()._drop_all(tx)
        for table in VIEW_TABLES:  # this session's staging tables were made like the old ones
            tx.execute("DROP TABLE IF EXISTS pg_temp.stage_" + table)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _same(sql: str) -> str:
    return sql


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


def views_path(settings: Settings) -> Path:
    return settings.data_dir / "views.sqlite"


def open_view_store(settings: Settings) -> ViewStore:
    """PostgreSQL (schema ami_views) with DATABASE_URL, else views.sqlite in the data directory."""
    if settings.database_url:
        return PostgresViewStore(settings.database_url)
    return SQLiteViewStore(views_path(settings))
