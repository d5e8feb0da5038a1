"""A document's history as its readers list it: each receipt, correction and re-evaluation with its document
version, reason and totals (api.md: `GET /api/v1/invoices/{id}/history`)."""
from __future__ import annotations

from uuid import UUID

from shared.store.history import Entry, read_history


def document_version(entry: Entry, previous: int = 0) -> int:
    """The document version an event belongs to: a receipt or correction starts one, the rest keep it."""
    submission = entry.data.get("submission")
    return submission["version"] if isinstance(submission, dict) else previous


def entry_totals(entry: Entry) -> dict | None:
    """claimed / allowed / reduction after the event: a submission's (stored beside its sealed body, or inside
    the result of the oldest stores), a re-evaluation's own."""
    submission = entry.data.get("submission")
    if isinstance(submission, dict):
        return submission.get("totals") or (submission.get("result") or {}).get("totals")
    return entry.data.get("totals")


def document_history(app, aggregate_id: UUID) -> list[dict]:
    """Every event of an invoice or capacity report: type, time, actor, document version, reason, totals."""
    return document_history_of(read_history(app, aggregate_id))


def document_history_of(entries: list[Entry]) -> list[dict]:
    """The history of a document whose entries were read already (`read_with_history`)."""
    history = []
    version = 0
    for entry in entries:
        version = document_version(entry, version)
        history.append({"type": entry.kind, "event": entry.event, "time": entry.time.isoformat(),
                        "actor": entry.actor, "version": version, "reason": entry.data.get("reason"),
                        "totals": entry_totals(entry)})
    return history
