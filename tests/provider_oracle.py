"""Oracle for the provider's pages: its months and findings replayed from every invoice, capacity report and review.

How the provider's home and the supervisor's file were read before their read models (issue 16): slow by design
(~200 statements a page on the demo year); shared.readmodels.provider_view must give the same answer."""
from __future__ import annotations

from shared.checks.notices import line_findings
from shared.checks.rules import ORDER
from shared.kernel.periods import Period
from shared.readmodels.provider_findings import PAGE_SIZE
from shared.register.application.views import agreement_dict, offering_dict
from shared.review.domain.status import finding_counts
from shared.submissions.application.todo import provider_todo
from shared.submissions.domain.deadlines import month_due


def provider_months(rep, provider: str, *, whole_year: bool = False) -> list[dict]:
    """Newest month first, each invoice with its findings (row, participant, a notice once)."""
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
                       "reports": reports, "due": p == str(due),
                       "invoice_status": rep.deadlines.status(period, first_received, today),
                       "report_status": rep.deadlines.status(period, report_received, today)})
    return months


def provider_home(portal, provider: str, year: int | None = None) -> dict:
    sup = portal.supervision
    months = provider_months(portal.reporting, provider, whole_year=True)
    with_documents = sorted(m["period"] for m in months if m["invoices"] or m["reports"])
    year = year or (int(with_documents[-1][:4]) if with_documents else portal.reporting.clock().year)
    shown = [m for m in months if int(m["period"][:4]) == year]
    return {"months": without_findings(shown), "year": year,
            "years": sorted({int(m["period"][:4]) for m in months}, reverse=True),
            "todo": provider_todo(months, portal.reporting.deadlines, portal.reporting.clock().date()),
            "offerings": [offering_dict(o) for o in sup.offerings(provider)],
            "agreements": [agreement_dict(a) for a in sup.agreements(provider)],
            "approval_warnings": portal.reporting.cost_approval_warnings(provider)}


def provider_file(portal, slug: str, *, year: int | None = None, page: int = 1, page_size: int = PAGE_SIZE) -> dict:
    sup = portal.supervision
    provider = sup.provider(slug)
    months = provider_months(portal.reporting, slug, whole_year=True)
    years = sorted({int(m["period"][:4]) for m in months}, reverse=True)
    if year is not None:
        months = [m for m in months if m["period"].startswith(f"{int(year):04d}-")]
    findings = [{"invoice": inv["id"], "period": month["period"], "version": inv["version"], **f}
                for month in months for inv in month["invoices"] for f in inv["findings"]]
    findings.sort(key=lambda f: (bool(f.get("review")), _newest_first(f["period"]), f["severity"] != "error",
                                 f["row"], ORDER.get(f["code"], 99)))
    pages = max(1, -(-len(findings) // page_size))
    page = min(max(1, page), pages)
    return {"provider": provider, "offerings": [offering_dict(o) for o in sup.offerings(slug)],
            "months": without_findings(months), "years": years, "year": year,
            "findings": findings[(page - 1) * page_size:page * page_size], "findings_total": len(findings),
            "page": page, "pages": pages, "summary": by_rule(findings)}


def without_findings(months: list[dict]) -> list[dict]:
    """The months as the pages use them: an invoice's own findings stand on the invoice's page."""
    return [{**m, "invoices": [{k: v for k, v in inv.items() if k != "findings"} for inv in m["invoices"]]}
            for m in months]


def _invoice_entry(view: dict) -> dict:
    findings = [{"row": line["row"], "participant": line["participant"], **f}
                for line in view["lines"] for f in line_findings(line)]
    findings += [{"row": n["rows"][0], "participant": None, **n} for n in view.get("notices", ())]
    return {"id": view["id"], "version": view["version"], "status": view["status"],
            "received_at": view["received_at"], "filename": view.get("filename"), "totals": view["totals"],
            "counts": finding_counts(view), "lines": len(view["lines"]), "findings": findings,
            "returned_reason": view.get("returned_reason"),
            "open_errors": sum(1 for f in findings if f["severity"] == "error" and not f.get("review"))}


def _newest_first(period: str) -> tuple[int, int]:
    p = Period.parse(period)
    return -p.year, -p.month


def by_rule(findings: list[dict]) -> list[dict]:
    """The findings counted per rule, in the rules' order: open, confirmed, waived and in all."""
    summary: dict[str, dict] = {}
    for f in findings:
        c = summary.setdefault(f["code"], {"code": f["code"], "severity": f["severity"], "open": 0, "confirmed": 0,
                                           "waived": 0, "count": 0})
        c["count"] += 1
        c[f["review"]["decision"] if f.get("review") else "open"] += 1
    return sorted(summary.values(), key=lambda c: ORDER.get(c["code"], 99))
