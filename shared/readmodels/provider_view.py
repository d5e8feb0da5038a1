"""A provider's months from the read models: the provider's home and the supervisor's file (its findings:
shared.readmodels.provider_findings).

No document is replayed: the months, their invoices (latest version, status, totals, counts) and capacity
reports come from the views in one read transaction (a handful of statements whatever the number of months).
The views hold pseudonyms and sealed texts only: the file names are opened here with the keys, one key-vault
query for all of them."""
from __future__ import annotations

from shared.kernel.periods import Period
from shared.privacy.sealing import open_text
from shared.readmodels import finding_counts
from shared.readmodels.centimes import amount
from shared.readmodels.provider_findings import PAGE_SIZE, findings_page, warm_keys
from shared.review.domain.status import status_of
from shared.submissions.domain.deadlines import month_due

INVOICES = """
SELECT i.invoice_id, i.period, i.version, i.received_at, i.first_received_at, i.filename, i.claimed, i.allowed,
    i.reduction, i.lines, r.approved_version, r.returned_version, r.returned_reason
FROM invoices i LEFT JOIN reviews r ON r.invoice_id = i.invoice_id WHERE i.provider = ? ORDER BY i.ordinal
"""
REPORTS = """
SELECT report_id, period, version, first_received_at, received_at, filename FROM capacity_reports
WHERE provider = ? ORDER BY ordinal
"""
REPORT_ROWS = """
SELECT report_id, programme, SUM(places), SUM(occupied) FROM capacity_rows WHERE provider = ?
GROUP BY report_id, programme
"""
def provider_months(portal, provider: str, *, whole_year: bool = False) -> list[dict]:
    """Newest month first: every month with a document, and the month now due while nothing came for it (with
    `whole_year`, every month of its year up to it); as shared.submissions' months, without each invoice's
    findings, their documents' file names still sealed (`open_file_names` opens those of the months shown)."""
    portal.views.catch_up()
    with portal.views.store.read() as tx:
        invoices = tx.execute(INVOICES, (provider,))
        counts = tx.execute(finding_counts.OF_PROVIDER, (provider,))  # counted by the projector
        reports = tx.execute(REPORTS, (provider,))
        report_rows = tx.execute(REPORT_ROWS, (provider,))
    return _months(portal.reporting, provider, whole_year, invoices, counts, reports, report_rows)


def provider_file(portal, slug: str, *, year: int | None = None, page: int = 1, page_size: int = PAGE_SIZE) -> dict:
    """provider (the register entry), offerings, months (newest first: the year now due so far and every month
    with a document; only those of `year` if given), years (with a document, newest first), year, findings
    (page `page` of `page_size`, opened), findings_total, page, pages, summary (per rule: open, confirmed,
    waived, count; all pages): as provider_findings.findings_page."""
    from shared.register.application.views import offering_dict

    sup = portal.supervision
    provider = sup.provider(slug)
    with portal.views.snapshot():  # the page's reads: one moment
        months = provider_months(portal, slug, whole_year=True)
        years = sorted({int(m["period"][:4]) for m in months}, reverse=True)
        if year is not None:
            prefix = f"{int(year):04d}-"
            months = [m for m in months if m["period"].startswith(prefix)]
        open_file_names(portal.reporting.sealer, months)
        findings = findings_page(portal, slug, year, page, page_size)
    return {"provider": provider, "offerings": [offering_dict(o) for o in sup.offerings(slug)], "months": months,
            "years": years, "year": year, **findings}


def provider_home(portal, provider: str, year: int | None = None) -> dict:
    """What a provider's home page shows: what needs doing first (provider_todo, from every month), the months
    of one year (`year`; else the newest year with a document, else this year; a missing month shows as the
    supervisor sees it) with `years` (every year with a month, newest first), its offerings and service
    agreements as the canton registered them, and the Kostengutsprachen that expire or run out within a month."""
    from shared.register.application.views import agreement_dict, offering_dict
    from shared.submissions.application.todo import provider_todo

    sup = portal.supervision
    rep = portal.reporting
    today = rep.clock().date()
    months = provider_months(portal, provider, whole_year=True)
    years = sorted({int(m["period"][:4]) for m in months}, reverse=True)
    if year is None:
        year = next((int(m["period"][:4]) for m in months if m["invoices"] or m["reports"]), today.year)
    shown = open_file_names(rep.sealer, [m for m in months if m["period"].startswith(f"{year:04d}-")])
    return {"months": shown, "years": years, "year": year,
            "todo": provider_todo(months, rep.deadlines, today),
            "offerings": [offering_dict(o) for o in sup.offerings(provider)],
            "agreements": [agreement_dict(a) for a in sup.agreements(provider)],
            "approval_warnings": rep.cost_approval_warnings(provider)}


# --- the months ----------------------------------------------------------------------------------------
def _months(rep, provider, whole_year, invoices, counts, reports, report_rows) -> list[dict]:
    sealer, today = rep.sealer, rep.clock().date()
    due = month_due(today)
    wanted = {str(Period(due.year, m)) for m in range(1, due.month + 1)} if whole_year else {str(due)}
    per_invoice: dict[str, dict] = {}
    for iid, severity, n, still_open in counts:
        c = per_invoice.setdefault(iid, {"error": 0, "warning": 0, "open": 0, "total": 0})
        c[severity] = c.get(severity, 0) + int(n)
        c["total"] += int(n)
        c["open"] += int(still_open or 0)
        c["open_" + severity] = int(still_open or 0)
    by_month: dict[str, tuple[list, list, list, list]] = {}
    for iid, period, version, received, first, filename, claimed, allowed, reduction, lines, appr, ret, reason \
            in invoices:
        month = by_month.setdefault(period, ([], [], [], []))
        month[1].append(first)
        status = status_of(version, appr, ret)
        found = per_invoice.pop(iid, {"error": 0, "warning": 0, "open": 0, "total": 0})
        month[0].append({"id": iid, "version": version, "status": status,
                         "received_at": received, "filename": filename,
                         "totals": {"claimed": amount(claimed), "allowed": amount(allowed),
                                    "reduction": amount(reduction)},
                         "counts": {k: v for k, v in found.items() if not k.startswith("open_")},
                         "lines": lines, "open_errors": found.get("open_error", 0),
                         "returned_reason": None if reason is None else open_text(reason, sealer)})
    sums: dict[str, list] = {}
    for rid, programme, places, occupied in report_rows:
        s = sums.setdefault(rid, [0, 0, set()])
        s[0] += int(places or 0)
        s[1] += int(occupied or 0)
        s[2].add(programme)
    for rid, period, version, first, received, filename in reports:
        places, occupied, programmes = sums.get(rid, (0, 0, set()))
        month = by_month.setdefault(period, ([], [], [], []))
        month[3].append(first)
        month[2].append({
            "id": rid, "version": version, "late": rep.deadlines.is_late(Period.parse(period), first),
            "received_at": received, "filename": filename, "places": places,
            "occupied": occupied, "programmes": sorted(programmes)})
    months = []
    for p in sorted(set(by_month) | wanted, reverse=True):
        period = Period.parse(p)
        invs, first_received, reps, reports_received = by_month.get(p, ([], [], [], []))
        months.append({"period": p, "deadline": rep.deadlines.deadline(period), "invoices": invs,
                       "reports": reps, "due": p == str(due),
                       "invoice_status": rep.deadlines.status(period, first_received, today),
                       "report_status": rep.deadlines.status(period, reports_received, today)})
    return months


def open_file_names(sealer, months: list[dict]) -> list[dict]:
    """The file names of these months' invoices and capacity reports opened, in place (one key-vault query for
    all of them): a provider's file spans years, a page shows one (profile of issue 16: opening the names of
    every year was an eighth of the provider's home)."""
    documents = [d for m in months for d in (*m["invoices"], *m["reports"])]
    warm_keys(sealer, [d["filename"] for d in documents])
    for d in documents:
        d["filename"] = open_text(d["filename"], sealer)
    return months
