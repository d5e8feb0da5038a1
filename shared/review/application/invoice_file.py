"""One invoice as both services' pages show it: a version's lines, decisions, counts, versions, history."""
# Codes, not labels: the pages name them (shared.presentation.format.register_filters).
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from shared.checks.notices import has_own_findings, line_findings
from shared.checks.rules import ORDER
from shared.kernel.errors import NotFound
from shared.kernel.paging import page_of
from shared.kernel.unread import UNREAD
from shared.review.domain.review import review_id
from shared.review.domain.status import finding_counts
from shared.store.history import read_with_history
from shared.submissions.application.history import document_history_of

TOTALS = ("claimed", "allowed", "reduction")
LINES_PER_PAGE = 200  # an invoice page shows this many lines at a time (a 10,000-line page was 25 MB of HTML)


def invoice_file(portal, invoice_id: UUID, *, provider: str | None = None, version: int | None = None,
                 only_findings: bool = False, invoice=None, invoice_entries: list | None = None,
                 page: int | None = None, row: int | None = None) -> dict:
    """The invoice (a provider only reads its own; NotFound otherwise, and for a version it does not have):
    invoice (the view with review, its lines as checked; its notices each with the first row it concerns),
    lines (one page of all, or of those with their own findings: `page`, or the page with `row`; each with
    its own findings in the rules' order), paging (`lines_page`, with a note
    on the line asked for), only_findings (False when the line asked for has no finding), counts (a
    notice once), approved_version, latest_version, versions (newest first), first_received_at, provider (the
    register entry), history.
    `invoice`, `invoice_entries`: the aggregate and its history, when the page read them already
    (`invoice_with_history`: one read of its events; its opened versions are kept on it)."""
    if invoice is None or invoice_entries is None:
        invoice, invoice_entries = portal.reporting.invoice_with_history(provider, invoice_id)
    review, review_history = read_with_history(portal.supervision, review_id(invoice.id))  # its events read once
    invoice, view = invoice_version(portal, invoice_id, provider=provider, version=version, invoice=invoice,
                                    review=review)
    counts = finding_counts(view)
    # the notices about the whole invoice come once, each at its first row; a line shows its own findings, and
    # only the page's lines are built for it (a 10,000-line version's copies were a third of its page)
    view = {**view, "notices": [{**n, "row": n["rows"][0]} for n in view["notices"]]}
    lines = view["lines"]
    only_findings, note = _filter_for_row(lines, only_findings, row)
    shown, paging = lines_page([ln for ln in lines if has_own_findings(ln)] if only_findings else lines, page, row)
    shown = [{**line, "findings": sorted(line_findings(line), key=lambda f: ORDER.get(f["code"], 99))}
             for line in shown]
    return {"invoice": view, "lines": shown, "paging": {**paging, "note": note}, "only_findings": only_findings,
            "counts": counts,
            "approved_version": review.approved_version if review else None,
            "latest_version": invoice.document_version, "versions": list(range(invoice.document_version, 0, -1)),
            "first_received_at": invoice.first_received_at, "provider": portal.supervision.provider(invoice.provider),
            "history": invoice_history(invoice_entries, review_history)}


def _filter_for_row(lines: list[dict], only_findings: bool, row: int | None) -> tuple[bool, str | None]:
    """Whether the lines stay filtered to those with findings, and a note: the line asked for (`row`) is shown
    even when it has no finding of its own (then all lines are), and a line the invoice does not have is said."""
    if row is None:
        return only_findings, None
    asked = next((ln for ln in lines if ln["row"] == row), None)
    if asked is None:
        return only_findings, f"Eine Zeile {row} gibt es in dieser Version der Rechnung nicht."
    if only_findings and not has_own_findings(asked):
        return False, f"Zeile {row} hat keinen eigenen Befund: alle Zeilen werden gezeigt."
    return only_findings, None


def lines_page(lines: list[dict], page: int | None = None, row: int | None = None,
               size: int = LINES_PER_PAGE) -> tuple[list[dict], dict]:
    """One page of an invoice's lines: the page `page`, or the page that holds the line of `row`, or the first
    (shared.kernel.paging); with `here`, the rows on this page (a link to another row names it: «?zeile=…»)."""
    if row is not None:
        at = next((i for i, ln in enumerate(lines) if ln["row"] == row), None)
        page = 1 if at is None else at // size + 1
    shown, paging = page_of(lines, page, size)
    return shown, {**paging, "here": frozenset(ln["row"] for ln in shown)}


def invoice_version(portal, invoice_id: UUID, *, provider: str | None = None, version: int | None = None,
                    invoice=None, review=UNREAD):
    """(the invoice, the view of the asked version with the review, or of the latest): NotFound if it is not
    the provider's or has no such version. `review`: the invoice's review when the caller read it already."""
    invoice = invoice or portal.reporting.invoice(provider, invoice_id)
    if version is not None and not 1 <= version <= invoice.document_version:
        raise NotFound(f"Version {version} gibt es nicht")
    return invoice, portal.reporting.invoice_view(invoice, version, review=review)


def invoice_original(portal, invoice_id: UUID, *, provider: str | None = None, version: int | None = None) -> dict:
    """The file of a version exactly as it was sent (Gone once its retention ended), with the invoice's provider
    and period."""
    invoice, view = invoice_version(portal, invoice_id, provider=provider, version=version)
    return {**portal.reporting.original(provider, invoice_id, view["version"]), "provider": invoice.provider,
            "period": invoice.period}


def invoice_history(invoice_entries: list, review_history: list) -> list[dict]:
    """Every event of the invoice and of the supervisor's review, oldest first: event, time (UTC), actor,
    version, kind (document | review); a document's totals and their changes against the check result before
    [(total, difference)]; a review's decision, row, code and comment, or the reason or comment as detail
    (`invoice_entries`, `review_history`: the invoice's and the review's entries, each read with its aggregate
    by read_with_history)."""
    entries = []
    previous: dict | None = None
    for h in document_history_of(invoice_entries):
        totals = h.get("totals")
        changes = []
        if totals and previous:
            changes = [(key, diff) for key in TOTALS if (diff := Decimal(totals[key]) - Decimal(previous[key]))]
        if totals:
            previous = totals
        entries.append({"time": datetime.fromisoformat(h["time"]), "event": h["event"], "actor": h["actor"],
                        "version": h["version"], "detail": h.get("reason") or "", "totals": totals,
                        "changes": changes, "kind": "document"})
    for entry in review_history:
        state = entry.data
        if entry.kind in ("FindingReviewed", "FindingsReviewed"):
            rows = state["rows"] if "rows" in state else [state["row"]]
            found = {"decision": state["decision"], "row": rows[0], "rows": list(rows), "code": state["code"],
                     "detail": state.get("comment") or ""}
        elif entry.kind in ("Approved", "ReturnedForCorrection"):
            found = {"detail": state.get("reason") or state.get("comment") or ""}
        else:
            continue
        entries.append({"time": entry.time, "event": entry.event, "actor": entry.actor,
                        "version": state.get("version"), "totals": None, "changes": [], "kind": "review", **found})
    entries.sort(key=lambda e: e["time"])
    return _one_row_per_decision(entries)


def _one_row_per_decision(entries: list[dict]) -> list[dict]:
    """The same decision on several rows in one go shown once. Today that is one event with its rows
    (FindingsReviewed); stores written before it hold one event per row (a notice on 54 rows: 54 events), so
    consecutive decisions alike but for the row, within a second, are one entry with their `rows`."""
    merged: list[dict] = []
    for e in entries:
        last = merged[-1] if merged else None
        if (e.get("decision") and last and last.get("decision") and abs((e["time"] - last["time"]).total_seconds()) < 1
                and all(e[k] == last[k] for k in ("actor", "version", "decision", "code", "detail"))):
            last["rows"] += e["rows"]
            continue
        merged.append(e)
    return merged
