"""Test oracles: the figures the read models show, computed again straight from the documents' aggregates.

Slow by design (every invoice replayed): the read models must give the same answer."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from shared.checks.notices import invoice_notices, is_notice
from shared.checks.rules import ORDER
from shared.kernel.money import amount_str
from shared.kernel.periods import Period
from shared.readmodels.dashboard import months_so_far
from shared.review.domain.status import finding_counts
from shared.submissions.domain.deadlines import contract_status


def overview(portal, period: Period) -> dict:
    """All providers for one month (api.md's overview), read from the documents' own aggregates."""
    rep, sup = portal.reporting, portal.supervision
    today = rep.clock().date()
    rows = []
    for slug in sup.provider_slugs():
        invoices = rep.invoices(slug, str(period))
        reports = rep.capacity_reports(slug, str(period))
        claimed = sum((Decimal(i.result["totals"]["claimed"]) for i in invoices), Decimal(0))
        allowed = sum((Decimal(i.result["totals"]["allowed"]) for i in invoices), Decimal(0))
        status = rep.deadlines.status
        rows.append({
            "provider": slug,
            "invoice": contract_status(status(period, [i.first_received_at for i in invoices], today)),
            "capacity_report": contract_status(status(period, [r.submissions[0]["received_at"] for r in reports],
                                                      today)),
            "claimed": amount_str(claimed), "allowed": amount_str(allowed),
            "open_findings": sum(finding_counts(rep.invoice_view(i))["open"] for i in invoices)})
    return {"period": str(period), "providers": rows}


def dashboard_from_aggregates(portal, year: int, period: Period | None, programme: str | None) -> dict:
    """The same figures read from the documents' aggregates, for a portal without read models."""
    rep, sup = portal.reporting, portal.supervision
    today = rep.clock().date()
    months = months_so_far(today, year)
    grid: dict[str, dict[str, dict]] = defaultdict(dict)
    sums: dict[str, list[Decimal | int]] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])
    by_code: dict[str, dict] = {}
    costs: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    occupancy: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for p in months:
        for slug in sup.provider_slugs():
            invoices = rep.invoices(slug, str(p))
            reports = rep.capacity_reports(slug, str(p))
            grid[slug][str(p)] = {
                "invoice": rep.deadlines.status(p, [i.first_received_at for i in invoices], today),
                "capacity_report": rep.deadlines.status(p, [r.submissions[0]["received_at"] for r in reports], today)}
            in_scope = period is None or p == period
            for invoice in invoices:
                review = sup.review_of(invoice.id)
                lines = invoice.result["lines"]
                first = {(n["code"], n["message"]): n["rows"][0] for n in invoice_notices(lines)}
                units: dict[tuple, list] = {}  # (code, row; a notice: its first row) -> [rows undecided, decision]
                for line in lines:
                    if programme and line["programme"] != programme:
                        continue
                    if Decimal(line["allowed"]):
                        costs[str(p)][line["programme"]] += Decimal(line["allowed"])
                    if not in_scope:
                        continue
                    total = sums[slug]
                    total[0] += Decimal(line["claimed"])
                    total[1] += Decimal(line["allowed"])
                    for f in line["findings"]:
                        decided = review.decision(line["row"], f["code"]) if review else None
                        row = first[(f["code"], f["message"])] if is_notice(f) else line["row"]
                        unit = units.setdefault((f["code"], row), [0, ""])
                        if decided:
                            unit[1] = max(unit[1], decided["decision"])
                        else:
                            unit[0] += 1
                for (code, _), (undecided, decision) in units.items():  # a notice once, as on the invoice's page
                    c = by_code.setdefault(code, {"code": code, "count": 0, "open": 0, "confirmed": 0, "waived": 0})
                    c["count"] += 1
                    c["open" if undecided else decision] += 1
                    sums[slug][2] += bool(undecided)
            rows: dict[tuple, dict] = {}
            for report in reports:  # a later report's row replaces an earlier one, as the checks read them
                for row in report.latest["rows"]:
                    rows[(row["programme"], row.get("offering") or "")] = row
            if rows:
                occupancy[str(p)][slug] = (sum(int(r["places"]) for r in rows.values()),
                                           sum(int(r["occupied"]) for r in rows.values()))
    chosen = [period] if period else [m for m in reversed(months) if occupancy.get(str(m))][:1]
    names = {p.slug: p.name for p in sup.providers()}
    return {"months": months, "grid": dict(grid),
            "rows": [{"slug": slug, "name": names[slug], "claimed": amount_str(sums[slug][0]),
                      "allowed": amount_str(sums[slug][1]),
                      "reduction": amount_str(sums[slug][0] - sums[slug][1]), "open_findings": sums[slug][2]}
                     for slug in sup.provider_slugs()],
            "by_code": sorted(by_code.values(), key=lambda c: (ORDER.get(c["code"], len(ORDER)), c["code"])),
            "costs": {k: dict(v) for k, v in costs.items()},
            "occupancy": {str(m): occupancy[str(m)] for m in chosen if occupancy.get(str(m))}}
