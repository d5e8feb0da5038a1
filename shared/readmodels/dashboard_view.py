"""The supervisors' dashboard as asked for: the chosen year, month and programme with totals and counts."""
# The figures of shared.readmodels.dashboard, their totals, the findings by rule (most open first) and the month's
# invoices by status. Codes, not labels: the page names them.
from __future__ import annotations

from decimal import Decimal

from shared.checks.rules import ORDER, RULES
from shared.kernel.money import amount_str
from shared.kernel.periods import Period, parse_period
from shared.readmodels.dashboard import dashboard_figures
from shared.submissions.domain.deadlines import STATUSES, month_due

FIRST_YEAR = 2024  # the portal's first year: the year picker goes back to it


SORTS = {"anbieter": "name", "verrechnet": "claimed", "zulaessig": "allowed", "kuerzung": "reduction",
         "offen": "open_findings"}  # the amounts table's columns a page may sort by


def dashboard_view(portal, *, year: int | None = None, month: str | None = None,
                   programme: str | None = None, sort: str | None = None, descending: bool = False) -> dict:
    """`month` as asked: None (not asked: the latest month with a document, of the year asked or of any year
    if none was, else the month now due if it is in the year), "" (the whole year), or YYYY-MM (Invalid
    otherwise; a month of another year shows the whole year). An unknown programme type shows all. The
    figures of shared.readmodels.dashboard, with year, period, programme, programme_types, years, total,
    by_code and status_counts; the rows alphabetical or by `sort` (a key of SORTS), with sort and descending.
    All of it read in one snapshot of the read models."""
    with portal.views.snapshot():
        return _dashboard_view(portal, year, month, programme, sort, descending)


def _dashboard_view(portal, year: int | None, month: str | None, programme: str | None, sort: str | None,
                    descending: bool) -> dict:
    today = portal.reporting.clock().date()
    if month is None:
        latest = portal.views.latest_period(Period(year, 1) if year else Period(FIRST_YEAR, 1),
                                            min(Period(year, 12), Period.of(today)) if year else Period.of(today))
        year = year or (latest.year if latest else today.year)
    else:
        latest, year = None, year or today.year
    catalogue = portal.supervision.catalogue()
    programme = programme if programme in catalogue.programme_types else None
    period = latest or _chosen_month(month, year, today)
    fig = dashboard_figures(portal.views, year, period, programme, today)
    alphabetical = sorted(fig["rows"], key=lambda r: r["name"].casefold())  # providers in alphabetical order
    rows = list(alphabetical)
    if sort in SORTS and sort != "anbieter":
        column = SORTS[sort]
        rows.sort(key=lambda r: Decimal(str(r[column])), reverse=descending)  # stable: by name within equals
    elif descending:
        rows.reverse()
    total: dict = {key: amount_str(sum((Decimal(r[key]) for r in rows), Decimal(0)))
                   for key in ("claimed", "allowed", "reduction")}
    total["open_findings"] = sum(r["open_findings"] for r in rows)
    total["findings"] = sum(c["count"] for c in fig["by_code"])
    by_code = sorted(({**c, "severity": RULES[c["code"]].severity if c["code"] in RULES else "warning"}
                      for c in fig["by_code"]), key=lambda c: (-c["open"], ORDER.get(c["code"], 99)))
    status_counts = dict.fromkeys(STATUSES, 0)
    if period is not None:
        for cells in fig["grid"].values():
            cell = cells.get(str(period))
            if cell is not None:  # a month not yet begun has no cells
                status_counts[cell["invoice"]] += 1
    return {**fig, "rows": rows, "grid_rows": alphabetical, "sort": sort if sort in SORTS else "anbieter",
            "descending": descending, "year": year, "period": period, "programme": programme,
            "programme_types": list(catalogue.programme_types), "years": list(range(today.year, FIRST_YEAR - 1, -1)),
            "total": total, "by_code": by_code, "status_counts": status_counts}


def _chosen_month(month: str | None, year: int, today) -> Period | None:
    if month is None:  # first visit, no document yet: the month most recently due
        due = month_due(today)
        return due if due.year == year else None
    if not month:
        return None
    chosen = parse_period(month, "monat")
    return chosen if chosen.year == year else None
