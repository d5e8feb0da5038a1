"""The supervisor's file on one provider: offerings, months, findings with their review, counts per rule."""
# Codes, not labels: the pages name them (shared.presentation.format.register_filters).
from __future__ import annotations

from shared.checks.rules import ORDER
from shared.kernel.periods import Period
from shared.register.application.views import offering_dict
from shared.submissions.application.month_list import provider_months

PAGE_SIZE = 50  # findings per page; all of an invoice's stand on the invoice's page


def provider_file(portal, slug: str, *, year: int | None = None, page: int = 1, page_size: int = PAGE_SIZE) -> dict:
    """provider (the register entry), offerings, months (newest first: every month with a document and the
    year now due so far; only those of `year` if given), years (with a document, newest first), year,
    findings (page `page` of page_size), findings_total, page, pages, summary (per rule: open, confirmed,
    waived, count; all pages)."""
    sup = portal.supervision
    provider = sup.provider(slug)
    months = provider_months(portal.reporting, slug, whole_year=True)
    years = sorted({int(m["period"][:4]) for m in months}, reverse=True)
    if year is not None:
        months = [m for m in months if m["period"].startswith(f"{int(year):04d}-")]
    findings = [{"invoice": inv["id"], "period": month["period"], "version": inv["version"], **f}
                for month in months for inv in month["invoices"] for f in inv["findings"]]
    # open before decided, the newest month first, errors before warnings
    findings.sort(key=lambda f: (bool(f.get("review")), _newest_first(f["period"]), f["severity"] != "error",
                                 f["row"], ORDER.get(f["code"], 99)))
    pages = max(1, -(-len(findings) // page_size))
    page = min(max(1, page), pages)
    return {"provider": provider, "offerings": [offering_dict(o) for o in sup.offerings(slug)], "months": months,
            "years": years, "year": year, "findings": findings[(page - 1) * page_size:page * page_size],
            "findings_total": len(findings), "page": page, "pages": pages, "summary": by_rule(findings)}


def by_rule(findings: list[dict]) -> list[dict]:
    """The findings counted per rule, in the rules' order: open, confirmed, waived and in all."""
    summary: dict[str, dict] = {}
    for f in findings:
        c = summary.setdefault(f["code"], {"code": f["code"], "severity": f["severity"], "open": 0, "confirmed": 0,
                                           "waived": 0, "count": 0})
        c["count"] += 1
        c[f["review"]["decision"] if f.get("review") else "open"] += 1
    return sorted(summary.values(), key=lambda c: ORDER.get(c["code"], 99))


def _newest_first(period: str) -> tuple[int, int]:
    p = Period.parse(period)
    return -p.year, -p.month
