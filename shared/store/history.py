"""The one reader of an aggregate's history: every event as stored, oldest first, with its sealed texts opened.

The API's history, the pages, the audit PDF, the register's and finance's histories all start here and
only choose what to show of each entry."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from shared.privacy.sealing import open_event_texts

META = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})


@dataclass(frozen=True)
class Entry:
    event: str  # the event class's qualified name: "Invoice.Received"
    time: datetime  # as stored (UTC)
    actor: str
    version: int  # the aggregate's version after the event
    data: dict  # what the event recorded, without the library's fields; comments and reasons opened

    @property
    def kind(self) -> str:
        """The event's own name: "Received"."""
        return self.event.rsplit(".", 1)[-1]


def read_history(app, aggregate_id: UUID, lte: int | None = None) -> list[Entry]:
    """Every event of one aggregate of the Application `app` (up to version `lte`); its Sealer opens what it may."""
    return entries_of(app, app.repository.event_store.get(aggregate_id, lte=lte))


def read_with_history(app, aggregate_id: UUID) -> tuple[object | None, list[Entry]]:
    """The aggregate as the Application's repository loads it (None if it has no event) and its history, from
    one read of its events (a reviewed invoice's page read its review's 2,919 events three times)."""
    events = list(app.repository.event_store.get(aggregate_id))
    return (app.repository.from_events(events) if events else None), entries_of(app, events)


def entries_of(app, events) -> list[Entry]:
    """The history entries of an aggregate's events, oldest first."""
    entries = []
    for ev in events:
        data = open_event_texts({k: v for k, v in ev.__dict__.items() if k not in META}, app.sealer)
        actor = data.pop("actor", None) or (data.get("submission") or {}).get("actor") or ""
        entries.append(Entry(type(ev).__qualname__, ev.timestamp, actor, ev.originator_version, data))
    return entries
