"""The evaluation as people read it (page and PDF): German labels, «< 5» for a suppressed figure, the charts."""
from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from shared.finance.domain.sources import SOURCES
from shared.kernel.limits import swiss_count
from shared.kernel.money import format_chf
from shared.presentation import labels
from shared.presentation.pdf import charts

SMALL = "< 5"  # a figure about fewer than five people
LOCKED = "×"  # suppressed so that no figure under five can be worked out from a total (complementary)
NONE = "–"


def _mark(mark: str | None, value, fmt) -> str:
    if mark is not None:
        return mark
    return NONE if value is None else fmt(value)


def _money(value: str) -> str:
    return format_chf(Decimal(value), prefix=False)


def _months(value: float) -> str:
    return f"{value:.1f}"


def _share(value: float) -> str:
    return f"{100 * value:.1f} %"


def marks(row: dict):
    """mark(key): None for a figure shown, SMALL for one about fewer than five people, LOCKED for one
    suppressed to protect another; key "row" for the group's own figures (participants, months, money)."""
    hidden, locked = set(row["suppressed_cells"]), set(row.get("complementary", ()))
    if row["suppressed"]:
        hidden.add("row")

    def mark(key: str) -> str | None:
        if key != "row" and key in hidden:
            return LOCKED if key in locked else SMALL
        if "row" in hidden:
            return LOCKED if "row" in locked else SMALL
        return None

    return mark


def _row_view(row: dict, reasons: list[str]) -> dict:
    """Every figure of a row as display text."""
    m = marks(row)
    group = m("row")
    share_mark = m("exits_into_work") or m("exits_total")
    view = {
        "provider": row["provider"], "name": row["provider_name"] or "Total", "total": row["provider"] is None,
        "suppressed": row["suppressed"],
        "participants": _mark(group, row["participants"], swiss_count),
        "participant_months": _mark(group, row["participant_months"], swiss_count),
        "mean_months": _mark(group, row["mean_months"], _months),
        "median_months": _mark(group, row["median_months"], _months),
        "exits": [_mark(m(r), row["exits"][r], swiss_count) for r in reasons],
        "exits_total": _mark(m("exits_total"), row["exits_total"], swiss_count),
        "exits_into_work": _mark(m("exits_into_work"), row["exits_into_work"], swiss_count),
        "share_into_work": _mark(share_mark, row["share_into_work"], _share),
        "allowed": _mark(group, row["allowed"], _money),
        "per_participant": _mark(group, row["per_participant"], _money),
        "per_exit_into_work": _mark(group or m("exits_into_work"), row["per_exit_into_work"], _money),
        "by_source": [_mark(group, row["by_source"][s], _money) for s in SOURCES],
    }
    return _with_cells(view, reasons)


def _with_cells(view: dict, reasons: list[str] | None = None) -> dict:
    """The view with its cells paired with the column each belongs to (the page's data-label), made once here:
    Jinja looking the column up by the loop's index for each of a year's ~1,000 cells was a tenth of the page."""
    view["source_cells"] = list(zip([labels.source(s) for s in SOURCES], view["by_source"], strict=True))
    if reasons is not None:
        view["exit_cells"] = list(zip([labels.exit_reason(r) for r in reasons], view["exits"], strict=True))
    return view


def _quarter_view(q: dict) -> dict:
    group = (LOCKED if "row" in q.get("complementary", ()) else SMALL) if q["suppressed"] else None
    return _with_cells({
        "quarter": q["quarter"], "label": q["quarter"].replace("-Q", " Q"), "suppressed": q["suppressed"],
        "participants": _mark(group, q["participants"], swiss_count),
        "participant_months": _mark(group, q["participant_months"], swiss_count),
        "allowed": _mark(group, q["allowed"], _money),
        "by_source": [_mark(group, q["by_source"][s], _money) for s in SOURCES]})


def evaluation_view(data: dict, catalogue=None) -> dict:
    """What the page and the PDF show: per programme type its rows, quarters and totals; both charts."""
    reasons = data["reasons"]
    programmes = []
    for slug in (data["programme"], *data["compare"]):
        rows = [r for r in data["rows"] if r["programme"] == slug]
        quarters = [_quarter_view(q) for q in data["quarters"] if q["programme"] == slug]
        total = next(r for r in rows if r["provider"] is None)
        programmes.append({"slug": slug, "name": labels.programme(slug, catalogue), "total_raw": total,
                           "rows": [_row_view(r, reasons) for r in rows], "quarters": quarters})
    return {
        "programmes": programmes, "reasons": [(r, labels.exit_reason(r)) for r in reasons],
        "sources": [(s, labels.source(s)) for s in SOURCES], "span": span_de(data["from"], data["to"]),
        "programme_name": programmes[0]["name"], "min_participants": data["min_participants"],
        "small": SMALL, "locked": LOCKED,
        "exits_chart": exits_chart(programmes, reasons), "cost_chart": cost_chart(programmes),
        "exits_chart_narrow": exits_chart(programmes, reasons, narrow=True),
        "cost_chart_narrow": cost_chart(programmes, narrow=True),
        "cost_chart_missing": [p["name"] for p in programmes if p["total_raw"]["per_exit_into_work"] is None],
        "reconciliation": data["reconciliation"],
    }


def span_de(first: str, last: str) -> str:
    """10.2022–06.2025"""
    return f"{first[5:]}.{first[:4]}–{last[5:]}.{last[:4]}"


# a phone's drawing: 300 units wide instead of 680, so that its text is not drawn at half its size
NARROW = {"exits": {"width": 300, "label_w": 110, "legend_w": 140},
          "cost": {"width": 300, "label_w": 105, "value_w": 85}}


def exits_chart(programmes: list[dict], reasons: list[str], narrow: bool = False) -> Markup:
    """Exits by reason per programme type (shares of all exits); suppressed counts together as «< 5»."""
    rows = []
    for p in programmes:
        t = p["total_raw"]
        if t["suppressed"] or t["exits_total"] is None:
            rows.append((p["name"], []))
            continue
        parts = [(labels.exit_reason(r), t["exits"][r] or 0) for r in reasons]
        hidden = t["exits_total"] - sum(v for _, v in parts)
        parts.append(("gesperrt (< 5 oder ×)", hidden))
        rows.append((p["name"], parts))
    return charts.share_bars(rows, "Austritte nach Grund je Programmart", **(NARROW["exits"] if narrow else {}))


def cost_chart(programmes: list[dict], narrow: bool = False) -> Markup:
    """Allowed costs per exit into work, per programme type (a suppressed figure is left out)."""
    items = [(p["name"], Decimal(p["total_raw"]["per_exit_into_work"])) for p in programmes
             if p["total_raw"]["per_exit_into_work"] is not None]
    return charts.hbar_chart(items, "Zulässige Kosten pro Austritt in Arbeit oder Lehre",
                             **(NARROW["cost"] if narrow else {}))
