"""The stored events read exactly as stored, in notification order, for hashing and for the audit PDF."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from shared.audit.adapters.connection import ServiceConnection
from shared.audit.domain.chain import canonical_originator

PAGE = 500


@dataclass(frozen=True)
class StoredRow:
    notification_id: int
    originator_id: str  # canonical text form
    originator_version: int
    topic: str
    state: bytes


class StoredEvents(ServiceConnection):
    """Read access to the service's events table (never written by the audit)."""

    def _row(self, r) -> StoredRow:
        return StoredRow(int(r[0]), canonical_originator(r[1]), int(r[2]), str(r[3]), _as_bytes(r[4]))

    def events(self, after: int = 0, upto: int | None = None) -> Iterator[StoredRow]:
        """Every stored event with notification id > after (and ≤ upto), in notification order."""
        last = after
        bound = "" if upto is None else f" AND {self.nid} <= ?"
        while True:
            params: list = [last] + ([] if upto is None else [upto])
            rows = self.execute(
                f"SELECT {self.nid}, originator_id, originator_version, topic, state "  # noqa: S608 - identifiers are constants
                f"FROM {self.events_table} WHERE {self.nid} > ?{bound} ORDER BY {self.nid} "
                f"LIMIT {PAGE}",
                params,
            ).fetchall()
            for r in rows:
                yield self._row(r)
            if len(rows) < PAGE:
                return
            last = int(rows[-1][0])

    def events_of(self, originator_id: str) -> list[StoredRow]:
        rows = self.execute(
            f"SELECT {self.nid}, originator_id, originator_version, topic, state "  # noqa: S608 - identifiers are constants
            f"FROM {self.events_table} WHERE originator_id = ? ORDER BY originator_version",
            (self._stored_oid(originator_id),),
        ).fetchall()
        return [self._row(r) for r in rows]

    def max_notification_id(self) -> int:
        row = self.execute(f"SELECT MAX({self.nid}) FROM {self.events_table}").fetchone()  # noqa: S608 - identifiers are constants
        return int(row[0] or 0)


def _as_bytes(value) -> bytes:
    """The stored state as bytes, also when someone stored text, a number or NULL in its place."""
    if value is None:
        return b""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8")
