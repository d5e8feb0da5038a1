"""What a verification found that does not match: one mismatch, named by service, position and event."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mismatch:
    """One thing that does not match, with the event it concerns where there is one."""

    service: str | None
    kind: str
    message: str
    notification_id: int | None = None
    originator_id: str | None = None
    originator_version: int | None = None

    def __str__(self) -> str:
        where = []
        if self.service:
            where.append(self.service)
        if self.notification_id is not None:
            where.append(f"Position {self.notification_id}")
        if self.originator_id:
            where.append(f"Ereignis {self.originator_id} Version {self.originator_version}")
        return f"{' · '.join(where)}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {
            "service": self.service,
            "kind": self.kind,
            "message": self.message,
            "notification_id": self.notification_id,
            "originator_id": self.originator_id,
            "originator_version": self.originator_version,
        }
