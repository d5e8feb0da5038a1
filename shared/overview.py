"""The supervisors' overview of one month: who sent what, on time or late, and the amounts."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from shared.money import amount_str
from shared.periods import Period


def document_status(period: Period, received_at: list[str], deadline_day: int, tz, today: date) -> str:
    """received | late | missing: missing while nothing came, late if the first came after the deadline."""
    deadline = date(period.next().year, period.next().month, deadline_day)
    if not received_at:
        return "missing"
    first = min(datetime.fromisoformat(r) for r in received_at).astimezone(tz).date()
    return "late" if first > deadline else "received"


def provider_row(provider: str, period: Period, invoices: list, reports: list, deadline_day: int, tz,
                 today: date) -> dict:
    claimed = sum((Decimal(i.result["totals"]["claimed"]) for i in invoices), Decimal(0))
    allowed = sum((Decimal(i.result["totals"]["allowed"]) for i in invoices), Decimal(0))
    open_findings = sum(len(line["findings"]) for i in invoices for line in i.result["lines"])
    inv_status = document_status(period, [i.first_received_at for i in invoices], deadline_day, tz, today)
    cap_status = document_status(period, [r.submissions[0]["received_at"] for r in reports], deadline_day, tz, today)
    return {"provider": provider, "invoice": inv_status, "capacity_report": cap_status,
            "claimed": amount_str(claimed), "allowed": amount_str(allowed), "open_findings": open_findings}


def overview(portal, period: Period) -> dict:
    """All 26 providers for one month (read from the documents' own aggregates)."""
    from shared.reviews import open_findings

    rep, sup = portal.reporting, portal.supervision
    today = rep.clock().date()
    rows = []
    for slug in sup.provider_slugs():
        invoices = rep.invoices(slug, str(period))
        reports = rep.capacity_reports(slug, str(period))
        row = provider_row(slug, period, invoices, reports, rep.deadline_day, rep.tz, today)
        row["open_findings"] = sum(open_findings(i.result, sup.review_of(i.id)) for i in invoices)
        rows.append(row)
    return {"period": str(period), "providers": rows}
