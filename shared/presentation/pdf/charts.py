"""Small SVG charts for the PDFs, drawn here (no plotting library): bars, horizontal bars, lines.

Every label goes through markupsafe.escape; the result is Markup for the autoescaping templates.
"""

from __future__ import annotations

from decimal import Decimal
from math import floor, log10

from markupsafe import Markup, escape

from shared.kernel.limits import swiss_count
from shared.kernel.money import format_chf

FONT = "DejaVu Sans"
INK = "#1f2933"
GRID = "#d9dee3"
MUTED = "#6b7785"
COLOURS = ("#1d4e89", "#7fa7d6", "#c8553d", "#2f9c95", "#e0a458", "#6c5b7b")


def nice_step(maximum: float, ticks: int = 4) -> float:
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    magnitude = 10 ** floor(log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def short_number(value: float) -> str:
    """Axis labels: 12’000, 1’500, 2.5 (de-CH apostrophe)."""
    if abs(value) >= 1000 or value == int(value):
        return swiss_count(int(round(value)))
    return f"{value:.1f}"


def _svg(width: int, height: int, body: list[str], title: str) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="9" role="img">'
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every piece is escaped above


def _text(
    x: float,
    y: float,
    text: str,
    anchor: str = "start",
    size: float = 9,
    fill: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
        f'font-weight="{weight}">{escape(text)}</text>'
    )


def _empty(width: int, height: int, title: str) -> Markup:
    return _svg(
        width,
        height,
        [
            f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#f7f9fa" '
            f'stroke="{GRID}"/>',
            _text(width / 2, height / 2 + 3, "Keine Daten für diesen Zeitraum", "middle", 10, MUTED),
        ],
        title,
    )


def _legend(series_names: list[str], x: float, y: float) -> list[str]:
    out = []
    for i, name in enumerate(series_names):
        out.append(
            f'<rect x="{x:.1f}" y="{y - 7:.1f}" width="9" height="9" fill="{COLOURS[i % len(COLOURS)]}"/>'
        )
        out.append(_text(x + 13, y + 1, name))
        x += 22 + 6.2 * len(name)
    return out



def _value_axis(maximum: float, names: list[str], left: int, right: int, top: int, plot_h: float,
                width: int) -> tuple[float, list[str]]:
    """The legend and the horizontal grid lines with their labels; returns the axis' top value."""
    step = nice_step(maximum)
    top_value = step * max(1, -(-maximum // step))
    body = _legend(names, left, 12)
    v = 0.0
    while v <= top_value + 1e-9:
        y = top + plot_h - plot_h * v / top_value
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" '
                    'stroke-width="0.6"/>')
        body.append(_text(left - 5, y + 3, short_number(v), "end", 8, MUTED))
        v += step
    return top_value, body

def bar_chart(
    categories: list[str], series: list[tuple[str, list]], title: str, width: int = 680, height: int = 210
) -> Markup:
    """Grouped vertical bars, one group per category (e.g. months), one bar per series."""
    values = [float(v or 0) for _, vs in series for v in vs]
    if not categories or not values or max(values) <= 0:
        return _empty(width, height, title)
    left, right, top, bottom = 58, 10, 24, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value, body = _value_axis(max(values), [name for name, _ in series], left, right, top, plot_h, width)
    group_w = plot_w / len(categories)
    bar_w = min(18.0, group_w * 0.8 / max(1, len(series)))
    for i, cat in enumerate(categories):
        gx = left + i * group_w + (group_w - bar_w * len(series)) / 2
        for j, (_, vs) in enumerate(series):
            val = float(vs[i] or 0)
            h = plot_h * val / top_value
            body.append(
                f'<rect x="{gx + j * bar_w:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[j % len(COLOURS)]}"/>'
            )
        body.append(_text(left + i * group_w + group_w / 2, height - 8, cat, "middle", 8))
    body.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{INK}" '
        'stroke-width="0.8"/>'
    )
    return _svg(width, height, body, title)


def hbar_chart(items: list[tuple[str, object]], title: str, width: int = 680, money: bool = True,
               label_w: int = 190, value_w: int = 110) -> Markup:
    """Horizontal bars with their value written beside them (e.g. allowed amount per programme type); a
    narrow drawing (a phone's) takes a smaller width and label column, so that its text is drawn larger."""
    values = [float(v or 0) for _, v in items]
    row_h = 18
    height = 14 + row_h * max(1, len(items))
    if not items or max(values) <= 0:
        return _empty(width, 60, title)
    plot_w = width - label_w - value_w
    chars = int(label_w / 5.5)  # what fits the label column at 9 units a character's height
    top = max(values)
    body = []
    for i, (label, v) in enumerate(items):
        y = 8 + i * row_h
        w = plot_w * float(v or 0) / top
        body.append(_text(label_w - 6, y + 11, label if len(label) <= chars else label[:chars - 1] + "…", "end"))
        body.append(
            f'<rect x="{label_w}" y="{y + 2:.1f}" width="{max(w, 0.5):.1f}" height="{row_h - 6}" '
            f'fill="{COLOURS[0]}"/>'
        )
        text = format_chf(Decimal(str(v or 0))) if money else short_number(float(v or 0))
        body.append(_text(label_w + w + 5, y + 11, text, "start", 8, MUTED))
    return _svg(width, height, body, title)


def line_chart(
    categories: list[str], series: list[tuple[str, list]], title: str, width: int = 680, height: int = 190
) -> Markup:
    """Lines over categories; a missing value (None) breaks the line."""
    values = [float(v) for _, vs in series for v in vs if v is not None]
    if not categories or not values or max(values) <= 0:
        return _empty(width, height, title)
    left, right, top, bottom = 58, 10, 24, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value, body = _value_axis(max(values), [name for name, _ in series], left, right, top, plot_h, width)
    slot = plot_w / len(categories)
    for j, (_, vs) in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        segment: list[str] = []
        for i, val in enumerate(vs):
            if val is None:
                if len(segment) > 1:
                    body.append(
                        f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                        'stroke-width="1.6"/>'
                    )
                segment = []
                continue
            x = left + slot * i + slot / 2
            y = top + plot_h - plot_h * float(val) / top_value
            segment.append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{colour}"/>')
        if len(segment) > 1:
            body.append(
                f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" stroke-width="1.6"/>'
            )
    for i, cat in enumerate(categories):
        body.append(_text(left + slot * i + slot / 2, height - 8, cat, "middle", 8))
    body.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{INK}" '
        'stroke-width="0.8"/>'
    )
    return _svg(width, height, body, title)


def share_bars(rows: list[tuple[str, list[tuple[str, object]]]], title: str, width: int = 680,
               label_w: int = 150, legend_w: int = 150) -> Markup:
    """One horizontal 100 % bar per row (e.g. a programme type), split into its parts (e.g. exits by reason);
    the legend names every part once, in the order of the first row (`legend_w` units each)."""
    names = next(([name for name, _ in parts] for _, parts in rows if parts), [])
    totals = [sum(float(v or 0) for _, v in parts) for _, parts in rows]
    if not rows or max(totals) <= 0:
        return _empty(width, 60, title)
    row_h, legend_row = 22, 14
    per_line = max(1, (width - 10) // legend_w)
    chars = int(label_w / 5.75)
    legend_lines = -(-len(names) // per_line)
    top = 6 + legend_lines * legend_row + 4
    height = top + row_h * len(rows) + 4
    body = []
    for i, name in enumerate(names):
        x, y = 10 + (i % per_line) * legend_w, 14 + (i // per_line) * legend_row
        body.append(f'<rect x="{x}" y="{y - 8}" width="9" height="9" fill="{SHARE_COLOURS[i % len(SHARE_COLOURS)]}"/>')
        body.append(_text(x + 13, y, name, size=8))
    plot_w = width - label_w - 10
    for r, ((label, parts), total) in enumerate(zip(rows, totals, strict=True)):
        y = top + r * row_h
        body.append(_text(label_w - 6, y + 13, label if len(label) <= chars else label[:chars - 1] + "…", "end"))
        if total <= 0:
            empty = "keine Austritte" if parts else "gesperrt (weniger als 5 Personen)"
            body.append(_text(label_w, y + 13, empty, size=8, fill=MUTED))
            continue
        x = float(label_w)
        for _name, v in parts:
            w = plot_w * float(v or 0) / total
            if w <= 0:
                continue
            index = names.index(_name) % len(SHARE_COLOURS) if _name in names else len(SHARE_COLOURS) - 1
            colour = SHARE_COLOURS[index]
            body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 7}" fill="{colour}"/>')
            if w >= 26:
                share = f"{100 * float(v or 0) / total:.0f} %"
                body.append(_text(x + w / 2, y + 13, share, "middle", 7.5, "#ffffff" if index in DARK else INK))
            x += w
    return _svg(width, height, body, title)


SHARE_COLOURS = ("#1d4e89", "#2f9c95", "#7fa7d6", "#c8553d", "#e0a458", "#6c5b7b", "#9aa5b1", "#cfd8e3")
DARK = frozenset({0, 1, 3, 5})  # the colours that take white text
