"""The dashboard's charts drawn in Python (services/supervision/chart_svg.py) are the markup the template's macros
drew before, byte for byte: the macros are kept here and rendered by Jinja for the comparison."""
from __future__ import annotations

from decimal import Decimal

from jinja2 import Environment, select_autoescape

from services.supervision.chart_svg import cost_svg, places_svg
from services.supervision.charts import NARROW, places_bars, stacked_months

MACROS = """{% macro cost_svg(c) -%}
<svg viewBox="0 0 {{ c.width }} {{ c.height }}" role="img" aria-labelledby="costs-title" preserveAspectRatio="xMidYMid meet">
      {% for t in c.ticks %}<line class="gridline" x1="{{ c.left }}" x2="{{ c.right }}" y1="{{ t.y }}" y2="{{ t.y }}"/><text class="axis" x="{{ c.left - 6 }}" y="{{ t.y + 4 }}" text-anchor="end">{{ t.label }}</text>{% endfor %}
      {% for b in c.bars %}<rect class="{{ b.cls }}" x="{{ b.x }}" y="{{ b.y }}" width="{{ b.w }}" height="{{ b.h }}"><title>{{ b.title }}</title></rect>{% endfor %}
      <line class="baseline" x1="{{ c.left }}" x2="{{ c.right }}" y1="{{ c.base }}" y2="{{ c.base }}"/>
      {% for x in c.xlabels %}<text class="axis" x="{{ x.x }}" y="{{ c.base + 18 }}" text-anchor="middle">{{ x.label }}</text>{% endfor %}
    </svg>
{%- endmacro %}
{% macro places_svg(o) -%}
<svg viewBox="0 0 {{ o.width }} {{ o.height }}" role="img" aria-labelledby="occ-title" preserveAspectRatio="xMidYMid meet">
      {% for t in o.ticks %}<line class="gridline" x1="{{ t.x }}" x2="{{ t.x }}" y1="4" y2="{{ o.axis_y }}"/><text class="axis" x="{{ t.x }}" y="{{ o.axis_y + 14 }}" text-anchor="middle">{{ t.label }}</text>{% endfor %}
      {% for b in o.bars %}
      <g><title>{{ b.full_name }}: {{ b.occupied }} von {{ b.places }} Plätzen belegt</title>
        <text class="label" x="{{ o.left - 8 }}" y="{{ b.y + 15 }}" text-anchor="end">{{ b.name }}</text>
        <rect class="places" x="{{ o.left }}" y="{{ b.y + 3 }}" width="{{ b.pw }}" height="16"/>
        <rect class="occupied{% if b.over %} over{% endif %}" x="{{ o.left }}" y="{{ b.y + 7 }}" width="{{ b.ow }}" height="8"/>
        <text class="value" x="{{ b.text_x }}" y="{{ b.y + 15 }}">{{ b.occupied }} / {{ b.places }}</text>
      </g>
      {% endfor %}
    </svg>
{%- endmacro %}
"""


class _Macros:
    """The macros as Jinja renders them."""

    def __init__(self):
        env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
        self.module = env.from_string(MACROS).module

    def render(self, c: dict, o: dict) -> str:
        return f"{self.module.cost_svg(c)}|{self.module.places_svg(o)}"


def test_both_charts_are_the_markup_the_macros_drew_wide_and_narrow_with_every_text_escaped():
    periods = [f"2025-{m:02d}" for m in range(1, 13)]
    labels = ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]
    order = ["integration-arbeit", "qualifizierung", "coaching"]
    names = {"integration-arbeit": "integration.arbeit", "qualifizierung": 'Quali <"&">', "coaching": "Coaching"}
    costs = {p: {slug: Decimal(1000 * (i + 1) * (j + 1)) + Decimal("0.35") for j, slug in enumerate(order)
                 if (i + j) % 4} for i, p in enumerate(periods)}
    rows = [("Genossenschaft Regiomech", 40, 38), ('B & "B" <AG> mit einem sehr langen Namen der Firma', 12, 15),
            ("Wende", 0, 0)]
    template = _Macros()
    for width in (720, NARROW):
        c, o = stacked_months(periods, labels, costs, order, names, width=width), places_bars(rows, width=width)
        assert c["bars"] and len(o["bars"]) == 3
        assert f"{cost_svg(c)}|{places_svg(o)}" == template.render(c=c, o=o)
    empty = stacked_months(periods, labels, {}, order, names), places_bars([])
    assert f"{cost_svg(empty[0])}|{places_svg(empty[1])}" == template.render(c=empty[0], o=empty[1])
    assert "&lt;AG&gt;" in str(places_svg(places_bars(rows))) and "<AG>" not in str(places_svg(places_bars(rows)))
