"""The audit PDF's event history: every event of an invoice and of its review, oldest first, as one row each.

The events come from the one history reader (shared.store.history, through Snapshot.history, as of the
checkpoint); a receipt's or correction's totals from shared.submissions.application.history.entry_totals.
"""

from __future__ import annotations

from shared.audit.domain.chain import canonical_originator
from shared.presentation import labels
from shared.presentation.format import chf, row_ranges
from shared.presentation.pdf.snapshot import Snapshot
from shared.presentation.people import person
from shared.store.history import Entry
from shared.submissions.application.history import entry_totals
from shared.submissions.domain.invoice import Invoice


def audit_history(snap: Snapshot, invoice: Invoice, review, tz, events: list[dict],
                  names: dict[str, str] | None = None, provider_name: str | None = None) -> list[dict]:
    """The rows of the history, each with its position and hash from `events` (Snapshot.event_records);
    people by their display names (`names`, shared.presentation.people), the provider's staff with
    `provider_name`."""
    history = []
    version_totals = {s["version"]: s["result"]["totals"] for s in invoice.submissions}
    for service, aid in (("reporting", invoice.id), ("supervision", review.id if review else None)):
        if aid is None:
            continue
        for entry in snap.history(service, aid):
            row = history_row(service, entry, tz, version_totals)
            row["actor"] = person(entry.actor, names or {}, provider_name if service == "reporting" else None)
            history.append({**row, "originator_id": canonical_originator(aid)})
    history.sort(key=lambda h: h["time"])
    hashes = {(e["service"], e["originator_version"], e["originator_id"]): e for e in events}
    for h in history:
        rec = hashes.get((h["service"], h["aggregate_version"], h["originator_id"]))
        h["position"] = rec["notification_id"] if rec else None
        h["hash"] = rec["event_hash"] if rec else ""
    return history


def history_row(service: str, entry: Entry, tz, version_totals: dict | None = None) -> dict:
    """One event as the history prints it: its German name, local time, who, and what it changed."""
    return {
        "service": service,
        "service_de": labels.SERVICE.get(service, service),
        "label": labels.event(entry.event),
        "time": entry.time.astimezone(tz).isoformat(),
        "actor": entry.actor,
        "details": _details(entry, version_totals or {}),
        "aggregate_version": entry.version,
    }


def _details(entry: Entry, version_totals: dict) -> str:
    """What the event changed; a receipt's totals from the event, else from the version it stored."""
    topic_name, state = entry.event, entry.data
    if "Received" in topic_name or "Corrected" in topic_name:
        submission = state.get("submission") or {}
        totals = entry_totals(entry) or version_totals.get(submission.get("version")) or {}
        return (
            f"Version {submission.get('version')}, Datei {submission.get('filename') or '–'}; verrechnet "
            f"{_chf(totals.get('claimed'))}, zulässig {_chf(totals.get('allowed'))}"
        )
    if topic_name.endswith("Reevaluated"):
        totals = entry_totals(entry) or {}
        return f"{state.get('reason', '')}; zulässig {_chf(totals.get('allowed'))}"
    if topic_name.endswith(("FindingReviewed", "FindingsReviewed")):
        title = labels.check_title(state.get("code"))
        where = (f"Zeilen {row_ranges(state['rows'], limit=20)}" if len(state.get("rows") or ()) > 1
                 else f"Zeile {state['rows'][0] if state.get('rows') else state.get('row')}")
        return f"{where}, {title}: {labels.decision(state.get('decision'))}" + (
            f" – «{state.get('comment')}»" if state.get("comment") else ""
        )
    if topic_name.endswith("Approved"):
        return f"Version {state.get('version')}" + (f" – «{state.get('comment')}»" if state.get("comment") else "")
    if topic_name.endswith("ReturnedForCorrection"):
        return f"Version {state.get('version')} – «{state.get('reason', '')}»"
    return ""


def _chf(value) -> str:
    return chf(value) if value not in (None, "") else "–"
