"""A provider's months as the provider's home page lists them: each month's invoices and capacity reports, with
review status, totals and findings, and the deadline (the month now due is listed while nothing came for it)."""
from __future__ import annotations

from shared.kernel.periods import Period
from shared.review.domain.status import finding_counts


def provider_months(rep, provider: str) -> list[dict]:
    """Newest month first. `rep` is the reporting Application (documents, deadlines, clock)."""
    today = rep.clock().date()
    due = Period.of(today).previous()
    months = []
    for p in sorted(set(rep.periods(provider)) | {str(due)}, reverse=True):
        period = Period.parse(p)
        invoices = []
        for inv in rep.invoices(provider, p):
            view = rep.invoice_view(inv)
            invoices.append({"id": view["id"], "version": view["version"], "status": view["status"],
                             "received_at": view["received_at"], "filename": view.get("filename"),
                             "totals": view["totals"], "counts": finding_counts(view), "lines": len(view["lines"])})
        reports = []
        for r in rep.capacity_reports(provider, p):
            view = rep.capacity_report_view(r)
            reports.append({"id": view["id"], "version": view["version"], "late": view["late"],
                            "received_at": view["received_at"], "filename": view.get("filename"),
                            "places": sum(int(row["places"]) for row in view["rows"]),
                            "occupied": sum(int(row["occupied"]) for row in view["rows"]),
                            "programmes": sorted({row["programme"] for row in view["rows"]})})
        months.append({"period": p, "deadline": rep.deadlines.deadline(period), "invoices": invoices,
                       "reports": reports, "overdue": rep.deadlines.is_due(period, today), "due": p == str(due)})
    return months
