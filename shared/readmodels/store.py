"""The read-model store: one SQLite file (views.sqlite) or the PostgreSQL schema ami_views, its transactions."""
from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shared.config import Settings
from shared.readmodels import generations
from shared.readmodels.tables import EMPTIED, META, VIEW_TABLES, VIEWS_SCHEMA, ddl, schema_stamp
from shared.readmodels.transactions import PgTx, Tx, pg, same

WRITE_LOCK = 0x414D4956_0001  # serialises every writer (projector, catch-up in a request)
LEADER_LOCK = 0x414D4956_0002  # held by the one following projector (`ami project --follow`)
FOLLOWER_CHECK = 5.0  # seconds a process trusts what it last saw of the following projector
POSITIONS = "SELECT source, position FROM tracking"
HEAD = "head:"  # a log's end beside the positions in progress()


class ViewStore:
    """Where the read models live: `write()` is one serialised transaction, `read()` one snapshot."""

    backend = ""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._ready = False
        self._reading = threading.local()  # this thread's open read transaction

    # --- to implement per backend ------------------------------------------------------------
    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Tx]:
        raise NotImplementedError
        yield

    def _drop_all(self, tx: Tx) -> None:
        for table in EMPTIED:
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
        """A read-only snapshot; inside another read() of the same thread, that one (Views.snapshot)."""
        current = getattr(self._reading, "tx", None)
        if current is not None:
            yield current
            return
        self.ensure_schema()
        with self._transaction(write=False) as tx:
            self._reading.tx = tx
            try:
                yield tx
            finally:
                self._reading.tx = None

    def ensure_schema(self) -> None:
        if self._ready:
            return
        with self._lock, self._transaction(write=True) as tx:
            self._create(tx)
        self._ready = True

    def _create(self, tx: Tx, *, force: bool = False) -> None:
        tx.execute(META)
        found = tx.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        stamp = schema_stamp()
        dropped = force or not found or found[0][0] != stamp
        if dropped:
            self._drop_all(tx)
        for statement in ddl():
            tx.execute(statement)
        if dropped:
            generations.new_epoch(tx)
        tx.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (stamp,))

    def reset(self, *, drop: bool = False) -> None:
        """Empty every view and the tracking positions (`drop`: drop the tables and create them anew, as
        for tables of another schema version): the next run replays both logs from the start."""
        with self._lock, self._transaction(write=True) as tx:
            self._create(tx, force=drop)
            for table in EMPTIED:
                tx.execute("DELETE FROM " + table)  # noqa: S608
            generations.new_epoch(tx)
        self._ready = True

    def follower_active(self) -> bool:
        """Whether a projector follows the logs (holds the leader lock); only PostgreSQL can tell."""
        return False

    def positions(self) -> dict[str, int]:
        with self.read() as tx:
            return dict(tx.execute(POSITIONS))

    def positions_now(self) -> dict[str, int]:
        """The positions as committed now, whatever transaction this thread has open (a request waiting for the
        projector asks for the other waiting ones too: position_watch)."""
        return self.positions()

    def progress(self, logs: dict[str, tuple[str, str]]) -> tuple[dict[str, int], dict[str, int]] | None:
        """(each log's last notification id, the tracked positions) in one statement, of one moment; only where
        the logs are tables of the same database (PostgreSQL: `logs` names each source's schema and table)."""
        return None

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
                yield Tx(cur, same)
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

    def __init__(self, url: str, readers: int = 4):
        super().__init__()
        self.url = url
        self._conn = self._connect()  # the writer's (its staging tables are temporary tables of its session)
        self.readers = readers
        self._follower = (float("-inf"), False)  # (when asked, whether a projector follows)
        self._readers = None  # a pool for the snapshots: a page reads while another one reads or projects

    def _connect(self):
        from shared.store.eventstore import connect_postgres

        conn = connect_postgres(self.url)  # autocommit; transactions are explicit
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{VIEWS_SCHEMA}"')
        conn.execute(f'SET search_path TO "{VIEWS_SCHEMA}"')
        return conn

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Tx]:
        if not write:
            with self._reader() as conn, conn.transaction(), conn.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield PgTx(cur, pg)
            return
        with self._lock:
            if self._conn.closed or self._conn.broken:
                self._conn = self._connect()
            with self._conn.transaction(), self._conn.cursor() as cur:
                # READ COMMITTED and then the lock: every statement after it sees what the previous
                # writer committed, so the tracking position read next is never stale.
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                # a crash may lose the last commits, never half of one: their events are projected again
                cur.execute("SET LOCAL synchronous_commit = off")
                yield PgTx(cur, pg)

    def follower_active(self) -> bool:
        """Whether `ami project --follow` holds the leader lock (asked at most every FOLLOWER_CHECK seconds)."""
        now = time.monotonic()
        if now - self._follower[0] > FOLLOWER_CHECK:
            with self.read() as tx:
                held = tx.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                                  "AND classid = ? AND objid = ? AND objsubid = 1",
                                  (LEADER_LOCK >> 32, LEADER_LOCK & 0xFFFFFFFF))
            self._follower = (now, bool(held[0][0]))
        return self._follower[1]

    def positions(self) -> dict[str, int]:
        return dict(self._statement(POSITIONS))

    def positions_now(self) -> dict[str, int]:
        self.ensure_schema()
        with self._reader() as conn:  # never this thread's snapshot: it would show the positions of its start
            return dict(conn.execute(POSITIONS).fetchall())

    def progress(self, logs: dict[str, tuple[str, str]]) -> tuple[dict[str, int], dict[str, int]]:
        heads = " UNION ALL ".join(f"SELECT '{HEAD}{source}', COALESCE(MAX(notification_id), 0) "  # noqa: S608
                                   f'FROM "{schema}"."{table}"' for source, (schema, table) in logs.items())
        rows = self._statement(f"{POSITIONS} UNION ALL {heads}")
        return ({s.removeprefix(HEAD): n for s, n in rows if s.startswith(HEAD)},
                {s: n for s, n in rows if not s.startswith(HEAD)})

    def _statement(self, sql: str) -> list[tuple]:
        """One read: in this thread's transaction (a snapshot) if one is open, else a single autocommit
        statement (one round trip instead of BEGIN, SET TRANSACTION, the query and COMMIT)."""
        if getattr(self._reading, "tx", None) is not None:
            with self.read() as tx:
                return tx.execute(sql)
        self.ensure_schema()
        with self._reader() as conn:
            return conn.execute(sql).fetchall()

    def _reader(self):
        """A connection of the readers' pool (made on first use; the schema on its search path). Profile of
        issue 16: with one connection for everything, every page of a process waited for every other one's
        reads and for each catch-up's projection (which waits for the projector process's lock)."""
        if self._readers is None:
            from psycopg_pool import ConnectionPool

            from shared.store.eventstore import pool_kwargs

            with self._lock:
                if self._readers is None:
                    self._readers = ConnectionPool(
                        kwargs=pool_kwargs(self.url), configure=_search_path, min_size=1, max_size=self.readers,
                        timeout=30, name="ami-views", check=ConnectionPool.check_connection, open=True)
        return self._readers.connection()

    def _drop_all(self, tx: Tx) -> None:
        super()._drop_all(tx)
        for table in EMPTIED:  # this session's staging tables were made like the old ones
            tx.execute("DROP TABLE IF EXISTS pg_temp.stage_" + table)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            if self._readers is not None:
                self._readers.close()
                self._readers = None


def _search_path(conn) -> None:
    conn.execute(f'SET search_path TO "{VIEWS_SCHEMA}"')


def views_path(settings: Settings) -> Path:
    """The embedded read-model store beside the event store."""
    return settings.data_dir / "views.sqlite"


def open_view_store(settings: Settings) -> ViewStore:
    """PostgreSQL (schema ami_views) with DATABASE_URL, else views.sqlite in the data directory."""
    if settings.database_url:
        return PostgresViewStore(settings.database_url, readers=settings.pg_pool_size + settings.pg_max_overflow)
    return SQLiteViewStore(views_path(settings))
