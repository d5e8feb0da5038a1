"""The dashboard's two SVG charts as markup, drawn in Python from the geometry charts.py computes."""
# Each chart is drawn twice (wide and for a phone): ~320 bars of the costs and ~50 groups of the places on a year's
# dashboard. In Jinja every attribute of every bar was a lookup and an escape: a third of the dashboard's rendering
# (profile of issue 16, the load store's 2025). The markup is the templates' macros', unchanged (a test renders
# both); every text is escaped here, numbers are written as Jinja writes them.
from __future__ import annotations

from markupsafe import Markup, escape


def cost_svg(c: dict) -> Markup:
    """The stacked bars of allowed costs per month (charts.stacked_months)."""
    left, right, base = c["left"], c["right"], c["base"]
    ticks = "".join(f'<line class="gridline" x1="{left}" x2="{right}" y1="{t["y"]}" y2="{t["y"]}"/>'
                    f'<text class="axis" x="{left - 6}" y="{t["y"] + 4}" text-anchor="end">{escape(t["label"])}</text>'
                    for t in c["ticks"])
    bars = "".join(f'<rect class="{escape(b["cls"])}" x="{b["x"]}" y="{b["y"]}" width="{b["w"]}" height="{b["h"]}">'
                   f'<title>{escape(b["title"])}</title></rect>' for b in c["bars"])
    labels = "".join(f'<text class="axis" x="{x["x"]}" y="{base + 18}" text-anchor="middle">{escape(x["label"])}</text>'
                     for x in c["xlabels"])
    return Markup(  # noqa: S704 - every text above is escaped, the rest are numbers
        f'<svg viewBox="0 0 {c["width"]} {c["height"]}" role="img" aria-labelledby="costs-title" '
        f'preserveAspectRatio="xMidYMid meet">\n      {ticks}\n      {bars}\n'
        f'      <line class="baseline" x1="{left}" x2="{right}" y1="{base}" y2="{base}"/>\n      {labels}\n    </svg>')


def places_svg(o: dict) -> Markup:
    """Places offered and occupied per provider (charts.places_bars)."""
    left, axis_y = o["left"], o["axis_y"]
    ticks = "".join(f'<line class="gridline" x1="{t["x"]}" x2="{t["x"]}" y1="4" y2="{axis_y}"/><text class="axis" '
                    f'x="{t["x"]}" y="{axis_y + 14}" text-anchor="middle">{escape(t["label"])}</text>'
                    for t in o["ticks"])
    groups = []
    for b in o["bars"]:
        occupied, places, y = escape(b["occupied"]), escape(b["places"]), b["y"]
        over = " over" if b["over"] else ""
        groups.append(
            f'\n      <g><title>{escape(b["full_name"])}: {occupied} von {places} Plätzen belegt</title>\n'
            f'        <text class="label" x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(b["name"])}</text>\n'
            f'        <rect class="places" x="{left}" y="{y + 3}" width="{b["pw"]}" height="16"/>\n'
            f'        <rect class="occupied{over}" x="{left}" y="{y + 7}" width="{b["ow"]}" height="8"/>\n'
            f'        <text class="value" x="{b["text_x"]}" y="{y + 15}">{occupied} / {places}</text>\n'
            f'      </g>\n      ')
    return Markup(  # noqa: S704 - every text above is escaped, the rest are numbers
        f'<svg viewBox="0 0 {o["width"]} {o["height"]}" role="img" aria-labelledby="occ-title" '
        f'preserveAspectRatio="xMidYMid meet">\n      {ticks}\n      {"".join(groups)}\n    </svg>')
