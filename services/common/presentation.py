"""What both services' pages show of an invoice: lines with German names, finding counts, the merged history."""
from __future__ import annotations

from decimal import Decimal

from shared.checks.notices import line_findings
from shared.checks.rules import ORDER
from shared.presentation import labels
from shared.presentation.format import chf, local_time
from shared.review.domain.review import review_id
from shared.review.domain.status import finding_counts
from shared.store.history import read_history
from shared.submissions.application.history import document_history


def invoice_page(portal, invoice, version: int | None = None) -> dict:
    """The invoice as the pages show it: the view with reviews, lines with German names, counts, versions."""
    view = portal.reporting.invoice_view(invoice, version)
    catalogue = portal.supervision.catalogue()
    lines = []
    for line in view["lines"]:  # a line shows its own findings; the notices about the document come once
        findings = sorted(line_findings(line), key=lambda f: ORDER.get(f["code"], 99))
        lines.append({**line, "programme_name": labels.programme(line["programme"], catalogue),
                      "unit_name": labels.unit(line["unit"]), "funding_name": labels.funding(line.get("funding")),
                      "findings": [_shown(f) for f in findings]})
    notices = [{**_shown(n), "row": n["rows"][0]} for n in view["notices"]]
    counts = finding_counts(view)
    view = {**view, "lines": lines, "notices": notices}
    tz = portal.settings.timezone
    review = portal.supervision.review_of(invoice.id)
    return {"invoice": view, "counts": counts, "status_name": labels.review_status(view["status"]),
            "approved_version": review.approved_version if review else None,
            "received": local_time(view["received_at"], tz), "latest_version": invoice.document_version,
            "versions": list(range(invoice.document_version, 0, -1)),
            "first_received": local_time(invoice.first_received_at, tz)}


def _shown(f: dict) -> dict:
    return {**f, "title": labels.check_title(f["code"]), "severity_name": labels.severity(f["severity"])}


def invoice_history(portal, invoice) -> list[dict]:
    """Every event of the invoice and of the supervisor's review, oldest first: who, when, which version,
    and by how much the totals changed against the previous check result."""
    tz = portal.settings.timezone
    entries = []
    previous: dict | None = None
    for h in document_history(portal.reporting, invoice.id):
        totals = h.get("totals")
        changes = []
        if totals and previous:
            for key in ("claimed", "allowed", "reduction"):
                diff = Decimal(totals[key]) - Decimal(previous[key])
                if diff:
                    changes.append(f"{labels.TOTALS[key]} {'+' if diff > 0 else '−'}{chf(abs(diff))}")
        if totals:
            previous = totals
        entries.append({"time": local_time(h["time"], tz), "label": labels.event(h["event"]),
                        "actor": labels.actor(h["actor"]), "version": h["version"], "detail": h.get("reason") or "",
                        "totals": totals, "changes": changes, "kind": "document"})
    for entry in read_history(portal.supervision, review_id(invoice.id)):
        state = entry.data
        if entry.kind == "FindingReviewed":
            label = f"Befund {labels.decision(state['decision'])}"
            detail = f"Zeile {state['row']}, {labels.check_title(state['code'])}"
            if state.get("comment"):
                detail += f": «{state['comment']}»"
        elif entry.kind in ("Approved", "ReturnedForCorrection"):
            label = labels.event(entry.event)
            detail = state.get("reason") or state.get("comment") or ""
        else:
            continue
        entries.append({"time": local_time(entry.time, tz), "label": label, "actor": labels.actor(entry.actor),
                        "version": state.get("version"), "detail": detail, "totals": None, "changes": [],
                        "kind": "review"})
    entries.sort(key=lambda e: e["time"])
    return entries


def download_name(kind: str, provider: str, period: str, version: int, ext: str) -> str:
    return f"{kind}-{provider}-{period}-v{version}.{ext}"
