"""The two audit tables beside a service's events: the recorded event hashes and the signed checkpoints.

`audit_event_hashes` records each event's hash once, in notification order (the leaves of the Merkle
tree); `audit_checkpoints` holds the signed roots. Both live beside the events (the SQLite file of the
service, or its PostgreSQL schema) and are append-only: triggers refuse UPDATE, DELETE and TRUNCATE. The
triggers only keep honest mistakes out; what makes a change detectable is the signature of the
checkpoints, whose key is never in the database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from shared.audit.adapters.connection import ServiceConnection
from shared.audit.domain.chain import canonical_originator

LEAVES = "audit_event_hashes"
CHECKPOINTS = "audit_checkpoints"


@dataclass(frozen=True)
class LeafRow:
    leaf_index: int
    notification_id: int
    originator_id: str
    originator_version: int
    state_sha256: str  # hex
    event_hash: str  # hex


@dataclass(frozen=True)
class CheckpointRow:
    seq: int
    service: str
    position: int
    tree_size: int
    root: str
    created_at: str
    key_id: str
    signature: str


class AuditTables(ServiceConnection):
    """Create, lock, read and append the audit tables of one service."""

    # --- tables ---------------------------------------------------------------------------------
    def ensure_tables(self) -> None:
        if self._tables_ready:
            return
        if self.kind == "postgres":
            self._ensure_postgres()
        else:
            self._ensure_sqlite()
        self._tables_ready = True

    def _ensure_sqlite(self) -> None:
        c = self.conn
        c.execute(
            f"CREATE TABLE IF NOT EXISTS {LEAVES} (leaf_index INTEGER PRIMARY KEY, "
            "notification_id INTEGER NOT NULL UNIQUE, originator_id TEXT NOT NULL, "
            "originator_version INTEGER NOT NULL, state_sha256 TEXT NOT NULL, event_hash TEXT NOT NULL)"
        )
        c.execute(
            f"CREATE INDEX IF NOT EXISTS {LEAVES}_aggregate ON {LEAVES} (originator_id, originator_version)"
        )
        c.execute(
            f"CREATE TABLE IF NOT EXISTS {CHECKPOINTS} (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
            "service TEXT NOT NULL, position INTEGER NOT NULL, tree_size INTEGER NOT NULL, "
            "root TEXT NOT NULL, "
            "created_at TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL)"
        )
        for table in (LEAVES, CHECKPOINTS):
            for op in ("UPDATE", "DELETE"):
                c.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )

    def _ensure_postgres(self) -> None:
        s = self.schema
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{s}.audit_ddl",))
            self.conn.execute(
                f'CREATE TABLE IF NOT EXISTS "{s}".{LEAVES} (leaf_index bigint PRIMARY KEY, '
                "notification_id bigint NOT NULL UNIQUE, originator_id text NOT NULL, "
                "originator_version bigint NOT NULL, state_sha256 text NOT NULL, event_hash text NOT NULL)"
            )
            self.conn.execute(
                f'CREATE INDEX IF NOT EXISTS {LEAVES}_aggregate ON "{s}".{LEAVES} '
                "(originator_id, originator_version)"
            )
            self.conn.execute(
                f'CREATE TABLE IF NOT EXISTS "{s}".{CHECKPOINTS} (seq bigserial PRIMARY KEY, '
                "service text NOT NULL, position bigint NOT NULL, tree_size bigint NOT NULL, "
                "root text NOT NULL, created_at text NOT NULL, "
                "key_id text NOT NULL, signature text NOT NULL)"
            )
            self.conn.execute(
                f'CREATE OR REPLACE FUNCTION "{s}".audit_append_only() RETURNS trigger LANGUAGE plpgsql AS '
                "$$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
            )
            for table in (LEAVES, CHECKPOINTS):
                self.conn.execute(
                    f'CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "{s}".{table} '
                    f'FOR EACH ROW EXECUTE FUNCTION "{s}".audit_append_only()'
                )
                self.conn.execute(
                    f'CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON "{s}".{table} '
                    f'FOR EACH STATEMENT EXECUTE FUNCTION "{s}".audit_append_only()'
                )

    def has_audit_tables(self) -> bool:
        if self.kind == "postgres":
            row = self.conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s "
                "AND table_name IN (%s, %s)",
                (self.schema, LEAVES, CHECKPOINTS),
            ).fetchone()
        else:
            row = self.conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN (?, ?)",
                (LEAVES, CHECKPOINTS),
            ).fetchone()
        return row[0] == 2

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One writer of the audit tables at a time (other processes, other workers), in one transaction."""
        self.ensure_tables()
        if self.kind == "postgres":
            with self.conn.transaction():
                self.conn.execute(
                    f"LOCK TABLE {self.table(LEAVES)}, {self.table(CHECKPOINTS)} IN SHARE ROW EXCLUSIVE MODE"
                )
                yield
        else:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    # --- leaves ---------------------------------------------------------------------------------
    @staticmethod
    def _leaf(r) -> LeafRow:
        return LeafRow(int(r[0]), int(r[1]), r[2], int(r[3]), r[4], r[5])

    def leaves(self, size: int | None = None) -> list[LeafRow]:
        if not self.has_audit_tables():
            return []
        bound = "" if size is None else f" WHERE leaf_index < {int(size)}"
        rows = self.execute(
            f"SELECT leaf_index, notification_id, originator_id, originator_version, state_sha256, "  # noqa: S608 - identifiers are constants
            f"event_hash FROM {self.table(LEAVES)}{bound} ORDER BY leaf_index"
        ).fetchall()
        return [self._leaf(r) for r in rows]

    def leaf_hashes(self, size: int | None = None) -> list[bytes]:
        bound = "" if size is None else f" WHERE leaf_index < {int(size)}"
        rows = self.execute(
            f"SELECT event_hash FROM {self.table(LEAVES)}{bound} ORDER BY leaf_index"  # noqa: S608 - identifiers are constants
        ).fetchall()
        return [bytes.fromhex(r[0]) for r in rows]

    def last_leaf(self) -> LeafRow | None:
        r = self.execute(
            f"SELECT leaf_index, notification_id, originator_id, originator_version, state_sha256, "  # noqa: S608 - identifiers are constants
            f"event_hash FROM {self.table(LEAVES)} ORDER BY leaf_index DESC LIMIT 1"
        ).fetchone()
        return self._leaf(r) if r else None

    def leaves_of(self, originator_id: str, size: int | None = None) -> list[LeafRow]:
        bound = "" if size is None else f" AND leaf_index < {int(size)}"
        rows = self.execute(
            f"SELECT leaf_index, notification_id, originator_id, originator_version, state_sha256, "  # noqa: S608 - identifiers are constants
            f"event_hash FROM {self.table(LEAVES)} WHERE originator_id = ?{bound} "
            "ORDER BY originator_version",
            (canonical_originator(originator_id),),
        ).fetchall()
        return [self._leaf(r) for r in rows]

    def covered_versions(self, size: int) -> dict[str, int]:
        """originator id -> the newest version among the first `size` recorded events."""
        rows = self.execute(
            f"SELECT originator_id, MAX(originator_version) FROM {self.table(LEAVES)} "  # noqa: S608 - identifiers are constants
            f"WHERE leaf_index < {int(size)} GROUP BY originator_id"
        ).fetchall()
        return {r[0]: int(r[1]) for r in rows}

    def predecessor_hash(self, originator_id: str, version: int) -> str | None:
        r = self.execute(
            f"SELECT event_hash FROM {self.table(LEAVES)} WHERE originator_id = ? AND "  # noqa: S608 - identifiers are constants
            "originator_version < ? ORDER BY originator_version DESC LIMIT 1",
            (originator_id, version),
        ).fetchone()
        return r[0] if r else None

    def insert_leaves(self, rows: Sequence[LeafRow]) -> None:
        sql = self._sql(
            f"INSERT INTO {self.table(LEAVES)} (leaf_index, notification_id, originator_id, "  # noqa: S608 - identifiers are constants
            "originator_version, state_sha256, event_hash) VALUES (?, ?, ?, ?, ?, ?)"
        )
        params = [
            (
                r.leaf_index,
                r.notification_id,
                r.originator_id,
                r.originator_version,
                r.state_sha256,
                r.event_hash,
            )
            for r in rows
        ]
        if not params:
            return
        if self.kind == "postgres":
            with self.conn.cursor() as cur:
                cur.executemany(sql, params)
        else:
            self.conn.executemany(sql, params)

    # --- checkpoints ------------------------------------------------------------------------------
    def checkpoints(self) -> list[CheckpointRow]:
        if not self.has_audit_tables():
            return []
        rows = self.execute(
            f"SELECT seq, service, position, tree_size, root, created_at, key_id, signature "  # noqa: S608 - identifiers are constants
            f"FROM {self.table(CHECKPOINTS)} ORDER BY seq"
        ).fetchall()
        return [CheckpointRow(int(r[0]), r[1], int(r[2]), int(r[3]), r[4], r[5], r[6], r[7]) for r in rows]

    def last_checkpoint(self) -> CheckpointRow | None:
        r = self.execute(
            f"SELECT seq, service, position, tree_size, root, created_at, key_id, signature "  # noqa: S608 - identifiers are constants
            f"FROM {self.table(CHECKPOINTS)} ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return CheckpointRow(int(r[0]), r[1], int(r[2]), int(r[3]), r[4], r[5], r[6], r[7]) if r else None

    def insert_checkpoint(
        self,
        service: str,
        position: int,
        tree_size: int,
        root: str,
        created_at: str,
        key_id: str,
        signature: str,
    ) -> int:
        params = (service, position, tree_size, root, created_at, key_id, signature)
        sql = (
            f"INSERT INTO {self.table(CHECKPOINTS)} (service, position, tree_size, root, created_at, key_id, "  # noqa: S608 - identifiers are constants
            "signature) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        if self.kind == "postgres":
            return int(self.execute(sql + " RETURNING seq", params).fetchone()[0])
        return int(self.execute(sql, params).lastrowid)
