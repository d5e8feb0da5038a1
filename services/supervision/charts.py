"""Server-rendered charts: the geometry of two SVG bar charts, computed here and drawn by the templates."""
from __future__ import annotations

import math
from decimal import Decimal

from shared.kernel.money import format_chf
from shared.kernel.periods import MONTHS_DE
from shared.presentation.labels import programme as programme_name

WIDTH = 720
NARROW = 360  # a phone's drawing: as wide as the screen, so that its text is not scaled down to 9 px and scrolled
PALETTE_SIZE = 10  # CSS classes .pt-0 … .pt-9 colour the programme types


def nice_step(maximum: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) so that about `ticks` steps cover the maximum."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def thousands(value: float) -> str:
    """20’000 (de-CH, no decimals) for axis labels."""
    return format_chf(Decimal(round(value)), prefix=False).rsplit(".", 1)[0]


def stacked_months(periods: list[str], labels: list[str], costs: dict[str, dict[str, Decimal]],
                   order: list[str], names: dict[str, str], width: int = WIDTH) -> dict:
    """Allowed amounts per programme type, stacked, one bar per month (`width`: NARROW for a phone, where
    every other month is named)."""
    height, left, right, top, bottom = (280, 70, 8, 14, 30) if width > NARROW else (240, 66, 6, 14, 30)
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(costs.get(p, {}).values(), Decimal(0)) for p in periods]
    step = nice_step(float(max(totals, default=0)))
    top_value = step * max(1, math.ceil(float(max(totals, default=0)) / step))
    slot = plot_w / max(len(periods), 1)
    bar_w = min(40.0, slot * 0.6)
    used = [slug for slug in order if any(costs.get(p, {}).get(slug) for p in periods)]
    colour = {slug: f"pt-{order.index(slug) % PALETTE_SIZE}" for slug in order}
    bars = []
    for i, p in enumerate(periods):
        y = top + plot_h
        x = left + i * slot + (slot - bar_w) / 2
        for slug in used:
            value = costs.get(p, {}).get(slug, Decimal(0))
            if not value:
                continue
            h = float(value) / top_value * plot_h
            y -= h
            bars.append({"x": round(x, 1), "y": round(y, 1), "w": round(bar_w, 1), "h": round(max(h, 0.5), 1),
                         "cls": colour[slug], "title": f"{labels[i]}: {names.get(slug, slug)} CHF "
                                                       f"{format_chf(value, prefix=False)}"})
    ticks = []
    value = 0.0
    while value <= top_value + 1e-9:
        ticks.append({"y": round(top + plot_h - value / top_value * plot_h, 1), "label": thousands(value)})
        value += step
    every = 1 if slot >= 30 else 2  # «Jan» takes ~25 units at 13
    xlabels = [{"x": round(left + i * slot + slot / 2, 1), "label": label} for i, label in enumerate(labels)
               if i % every == 0]
    table = [{"period": p, "label": labels[i], "total": totals[i],
              "values": {s: costs.get(p, {}).get(s, Decimal(0)) for s in used}}
             for i, p in enumerate(periods)]
    return {"width": width, "height": height, "left": left, "right": width - right, "base": top + plot_h,
            "bars": bars, "ticks": ticks, "xlabels": xlabels, "empty": not used,
            "legend": [{"slug": s, "name": names.get(s, s), "cls": colour[s]} for s in used], "table": table}


def places_bars(rows: list[tuple[str, int, int]], width: int = WIDTH) -> dict:
    """Places offered (light) and occupied (dark) per provider, as horizontal bars (`width`: NARROW for a
    phone, the names cut shorter)."""
    left, right, row_h, top = (230, 70, 24, 8) if width > NARROW else (132, 56, 24, 8)
    plot_w = width - left - right
    chars = int(left / 8.2)  # what fits the names' column at 14 units
    maximum = max((max(p, o) for _, p, o in rows), default=0)
    step = nice_step(float(maximum), 5)
    top_value = step * max(1, math.ceil(maximum / step)) if maximum else 1
    bars = []
    for i, (name, places, occupied) in enumerate(rows):
        y = top + i * row_h
        short = name if len(name) <= chars else name[:chars - 1] + "…"
        bars.append({"y": y, "name": short, "full_name": name,
                     "places": places, "occupied": occupied,
                     "pw": round(places / top_value * plot_w, 1),
                     "ow": round(occupied / top_value * plot_w, 1),
                     "over": occupied > places,
                     "text_x": left + 6 + round(max(places, occupied) / top_value * plot_w, 1)})
    height = top + len(rows) * row_h + 24
    ticks = []
    value = 0.0
    while value <= top_value + 1e-9:
        ticks.append({"x": round(left + value / top_value * plot_w, 1), "label": str(int(value))})
        value += step
    return {"width": width, "height": height, "left": left, "bars": bars, "ticks": ticks,
            "axis_y": height - 20, "row_h": row_h, "empty": not rows}


def dashboard_charts(view: dict) -> dict:
    """The dashboard's two charts from shared.readmodels.dashboard_view: allowed costs per month and programme
    type, and the places of the latest month with capacity reports (cost_chart, occupancy_chart,
    occupancy_period), each also drawn for a phone (*_narrow)."""
    months, types = view["months"], view["programme_types"]
    cost_args = ([str(m) for m in months], [MONTHS_DE[m.month - 1][:3] for m in months], view["costs"], types,
                 {slug: programme_name(slug) for slug in types})
    period = view["period"]
    occupancy_period, occupancy = next(iter(view["occupancy"].items()), (str(period) if period else None, {}))
    names = {r["slug"]: r["name"] for r in view["rows"]}
    rows = sorted(occupancy.items(), key=lambda kv: names.get(kv[0], kv[0]).lower())
    places = [(names.get(s, s), v[0], v[1]) for s, v in rows]
    return {"cost_chart": stacked_months(*cost_args), "cost_chart_narrow": stacked_months(*cost_args, width=NARROW),
            "occupancy_period": occupancy_period, "occupancy_chart": places_bars(places),
            "occupancy_chart_narrow": places_bars(places, width=NARROW)}
