"""A provider's months with their documents, for the provider's home and the supervisor's file."""
from __future__ import annotations

from shared.checks.notices import line_findings
from shared.kernel.periods import Period
from shared.register.application.views import agreement_dict, offering_dict
from shared.review.domain.status import finding_counts
from shared.submissions.application.todo import provider_todo
from shared.submissions.domain.deadlines import month_due


def provider_months(rep, provider: str, *, whole_year: bool = False) -> list[dict]:
    """Newest month first: every month with a document, and the month now due while nothing came for it (with
    `whole_year`, every month of its year up to it). `rep` is the reporting Application (documents, deadlines,
    clock). Each invoice carries its findings with the line's row and participant, a notice once."""
    today = rep.clock().date()
    due = month_due(today)
    wanted = {str(Period(due.year, m)) for m in range(1, due.month + 1)} if whole_year else {str(due)}
    months = []
    for p in sorted(set(rep.periods(provider)) | wanted, reverse=True):
        period = Period.parse(p)
        invoices, first_received = [], []
        for inv in rep.invoices(provider, p):
            first_received.append(inv.first_received_at)
            invoices.append(_invoice_entry(rep.invoice_view(inv)))
        reports, report_received = [], []
        for r in rep.capacity_reports(provider, p):
            report_received.append(r.submissions[0]["received_at"])
            view = rep.capacity_report_view(r)
            reports.append({"id": view["id"], "version": view["version"], "late": view["late"],
                            "received_at": view["received_at"], "filename": view.get("filename"),
                            "places": sum(int(row["places"]) for row in view["rows"]),
                            "occupied": sum(int(row["occupied"]) for row in view["rows"]),
                            "programmes": sorted({row["programme"] for row in view["rows"]})})
        months.append({"period": p, "deadline": rep.deadlines.deadline(period), "invoices": invoices,
                       "reports": reports, "overdue": rep.deadlines.is_due(period, today), "due": p == str(due),
                       "invoice_status": rep.deadlines.status(period, first_received, today),
                       "report_status": rep.deadlines.status(period, report_received, today)})
    return months


def provider_home(portal, provider: str) -> dict:
    """What a provider's home page shows: what needs doing first (provider_todo), its months (provider_months,
    the whole year: a missing month shows as the supervisor sees it), its offerings and service agreements as
    the canton registered them."""
    sup = portal.supervision
    months = provider_months(portal.reporting, provider, whole_year=True)
    return {"months": months, "todo": provider_todo(months, portal.reporting.deadlines,
                                                     portal.reporting.clock().date()),
            "offerings": [offering_dict(o) for o in sup.offerings(provider)],
            "agreements": [agreement_dict(a) for a in sup.agreements(provider)]}


def _invoice_entry(view: dict) -> dict:
    """A notice about the whole invoice comes once, with its `rows` (the first as its row, no participant)."""
    findings = [{"row": line["row"], "participant": line["participant"], **f}
                for line in view["lines"] for f in line_findings(line)]
    findings += [{"row": n["rows"][0], "participant": None, **n} for n in view.get("notices", ())]
    return {"id": view["id"], "version": view["version"], "status": view["status"],
            "received_at": view["received_at"], "filename": view.get("filename"), "totals": view["totals"],
            "counts": finding_counts(view), "lines": len(view["lines"]), "findings": findings,
            "returned_reason": view.get("returned_reason"),
            "open_errors": sum(1 for f in findings if f["severity"] == "error" and not f.get("review"))}
