"""The access log of participant data (Swiss data-protection ordinance, art. 4 DSV): who stored, changed, read,
disclosed or deleted which document, when, and to whom. Append-only: the store refuses UPDATE and DELETE
(triggers), and nothing in the portal removes entries, so they are kept beyond the year the ordinance asks.
On PostgreSQL with a separate service role (`ami db roles`, shared.store.db_roles) the log belongs to the
administrator and the services may only add and read entries."""
from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from shared.config import Settings
from shared.store.eventstore import pg_connection

ACTIONS = ("store", "change", "read", "disclose", "delete", "refused")  # refused: an attempt answered 403/404
SCHEMA = "ami_access"
DDL_LOCK = 74210  # advisory lock around the DDL (AccessLog._ensure, shared.store.db_roles)


@dataclass(frozen=True)
class AccessEntry:
    actor: str
    action: str  # one of ACTIONS
    subject: str  # what: the resource path (document ids, never participant numbers)
    recipient: str  # to whom the data went (the caller for reads and downloads)
    at: str = ""


SQLITE_DDL = [
    """CREATE TABLE IF NOT EXISTS access_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
       actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, recipient TEXT NOT NULL)""",
    """CREATE TRIGGER IF NOT EXISTS access_log_no_update BEFORE UPDATE ON access_log
       BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS access_log_no_delete BEFORE DELETE ON access_log
       BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END""",
]
PG_DDL = [
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.access_log (id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL,
       actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, recipient TEXT NOT NULL)""",
    f"""CREATE OR REPLACE FUNCTION {SCHEMA}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'access_log is append-only'; END $$""",
    f"DROP TRIGGER IF EXISTS access_log_append_only ON {SCHEMA}.access_log",
    f"""CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {SCHEMA}.access_log
       FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.refuse_change()""",
]
# the table with its trigger, enabled: then nothing is to be done (and a service role that does not own the log,
# see shared.store.db_roles, could not do it)
PG_READY = """SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(%s)
                AND tgname = 'access_log_append_only' AND tgenabled IN ('O', 'A'))"""


class AccessLog:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._ready = False

    def _sqlite(self) -> sqlite3.Connection:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(self.settings.data_dir / "access-log.sqlite", timeout=30)

    def _ensure(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self.settings.database_url:
                with pg_connection(self.settings.database_url) as conn:
                    conn.execute("SELECT pg_advisory_lock(%s)", (DDL_LOCK,))
                    try:
                        if not conn.execute(PG_READY, (f"{SCHEMA}.access_log",)).fetchone()[0]:
                            for stmt in PG_DDL:
                                conn.execute(stmt)
                    finally:
                        conn.execute("SELECT pg_advisory_unlock(%s)", (DDL_LOCK,))
            else:
                with self._sqlite() as conn:
                    for stmt in SQLITE_DDL:
                        conn.execute(stmt)
            self._ready = True

    def record(self, entry: AccessEntry) -> None:
        if entry.action not in ACTIONS:
            raise ValueError(entry.action)
        self._ensure()
        at = entry.at or datetime.now(UTC).isoformat()
        row = (at, entry.actor, entry.action, entry.subject, entry.recipient)
        if self.settings.database_url:
            with pg_connection(self.settings.database_url) as conn:
                conn.execute("INSERT INTO ami_access.access_log (at, actor, action, subject, recipient) "
                             "VALUES (%s, %s, %s, %s, %s)", row)
        else:
            with self._sqlite() as conn:
                conn.execute("INSERT INTO access_log (at, actor, action, subject, recipient) VALUES (?, ?, ?, ?, ?)",
                             row)

    def entries(self) -> list[AccessEntry]:
        self._ensure()
        if self.settings.database_url:
            with pg_connection(self.settings.database_url) as conn:
                rows = conn.execute("SELECT at, actor, action, subject, recipient FROM ami_access.access_log "
                                    "ORDER BY id").fetchall()
        else:
            with self._sqlite() as conn:
                rows = conn.execute("SELECT at, actor, action, subject, recipient FROM access_log ORDER BY id"
                                    ).fetchall()
        return [AccessEntry(actor=r[1], action=r[2], subject=r[3], recipient=r[4], at=str(r[0])) for r in rows]
