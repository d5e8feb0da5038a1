"""One service's store opened for the audit with a connection of its own: SQLite file or PostgreSQL schema."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Self
from uuid import UUID

from shared.config import Settings
from shared.store.eventstore import connect_postgres, schema_name


class ServiceConnection:
    """The connection, the dialect (sqlite/postgres) and the names of one service's tables."""

    def __init__(self, service: str, kind: str, conn, events_table: str, schema: str | None = None):
        self.service = service
        self.kind = kind
        self.conn = conn
        self.schema = schema
        self.events_table = events_table
        self._tables_ready = False

    @classmethod
    def open(cls, settings: Settings, service: str) -> Self | None:
        """None when the service's store does not exist yet (nothing stored, nothing to check)."""
        if settings.database_url:
            schema = schema_name(service)
            conn = connect_postgres(settings.database_url)
            found = conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                "AND table_name IN (%s, 'stored_events') ORDER BY table_name <> %s",
                (schema, f"{service}_events", f"{service}_events"),
            ).fetchone()
            if found is None:
                conn.close()
                return None
            return cls(service, "postgres", conn, f'"{schema}"."{found[0]}"', schema)
        path = settings.data_dir / f"{service}.sqlite"
        if not path.exists():
            return None
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        has = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='stored_events'"
        ).fetchone()
        if has is None:
            conn.close()
            return None
        return cls(service, "sqlite", conn, "stored_events")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def table(self, name: str) -> str:
        return f'"{self.schema}"."{name}"' if self.kind == "postgres" else name

    @property
    def nid(self) -> str:
        return "notification_id" if self.kind == "postgres" else "rowid"

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.kind == "postgres" else sql

    def execute(self, sql: str, params: Sequence = ()):
        return self.conn.execute(self._sql(sql), tuple(params))

    def _stored_oid(self, originator_id: str):
        try:
            u = UUID(originator_id)
        except ValueError:
            return originator_id
        return u if self.kind == "postgres" else u.hex
