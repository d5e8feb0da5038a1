"""The supervisors' dashboard from the read models: the year's grid, totals, findings by rule, costs, places."""
# The shape: months (Period), grid {slug: {"YYYY-MM": {invoice, capacity_report}}}, rows [{slug, name, claimed,
# allowed, reduction, open_findings}], by_code [{code, count, open, confirmed, waived}], costs {"YYYY-MM":
# {programme: Decimal}}, occupancy {"YYYY-MM": {slug: (places, occupied)}}.
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from shared.kernel.periods import Period


def months_so_far(today: date, year: int) -> list[Period]:
    now = Period.of(today)
    return [Period(year, m) for m in range(1, 13) if Period(year, m) <= now]


def dashboard_figures(views, year: int, period: Period | None, programme: str | None, today: date) -> dict:
    """The supervisors' dashboard of a year (or one of its months), optionally for one programme type."""
    views.catch_up()
    months = months_so_far(today, year)
    shown = {str(m) for m in months}
    grid: dict[str, dict[str, dict]] = {}
    for prov in views.grid(year)["providers"]:
        grid[prov["provider"]] = {
            c["period"]: {key: c[key] for key in ("invoice", "capacity_report")}
            for c in prov["cells"] if c["period"] in shown}
    scope = {"period": period} if period else {"year": year}
    rows = [{"slug": r["provider"], **{k: r[k] for k in ("name", "claimed", "allowed", "reduction",
                                                          "open_findings")}}
            for r in views.provider_totals(**scope, programme=programme)]
    by_code = views.findings_by_code(**scope, programme=programme)
    costs: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for c in views.costs_by_programme(year):
        if (programme is None or c["programme"] == programme) and Decimal(c["allowed"]):
            costs[c["period"]][c["programme"]] = Decimal(c["allowed"])
    occupancy = {}
    for m in ([period] if period else reversed(months)):
        reported = {o["provider"]: (o["places"], o["occupied"]) for o in views.occupancy(m) if o["reported"]}
        if reported:
            occupancy[str(m)] = reported
            break
    return {"months": months, "grid": grid, "rows": rows, "by_code": by_code, "costs": costs,
            "occupancy": occupancy}
