"""One capacity report as the provider's page shows it: its rows, their totals and its history. Codes, not labels."""
from __future__ import annotations

from uuid import UUID

from shared.submissions.application.history import document_history

COUNTED = ("places", "occupied", "entries", "exits")


def capacity_file(rep, provider: str, report_id: UUID) -> dict:
    """report (the view; NotFound unless it is the provider's), totals of the counted columns, history
    (every event: event, time, actor, version). `rep` is the reporting Application."""
    report = rep.capacity_report(provider, report_id)
    view = rep.capacity_report_view(report)
    totals = {k: sum(int(r[k] or 0) for r in view["rows"]) for k in COUNTED}
    return {"report": view, "totals": totals, "history": document_history(rep, report.id)}
