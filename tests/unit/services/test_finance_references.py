"""The finance page's list of a social service's Kostengutsprachen, made in Python (finance_page.reference_items),
is the markup the template's loop made, byte for byte, every reference escaped."""
from __future__ import annotations

from jinja2 import Environment, select_autoescape

from services.supervision.finance_page import reference_items
from shared.presentation.format import register_filters

LOOP = ('{% for r in g.references %}<li><span>{{ r.reference }}</span> <span class="num">{{ r.amount|chf_plain }}'
        '</span></li>{% endfor %}')


def test_the_references_are_the_loops_markup():
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    register_filters(env.filters)
    references = [{"reference": "KGS-OL-2025-031", "amount": "759.50"},
                  {"reference": 'KGS <b>"&"</b>', "amount": "1234567.05"},
                  {"reference": "gelöscht", "amount": "-12.00"}, {"reference": "", "amount": "0.00"}]
    made = str(reference_items(references))
    assert made == env.from_string(LOOP).render(g={"references": references})
    assert "&lt;b&gt;&#34;&amp;&#34;&lt;/b&gt;" in made and "1’234’567.05" in made
    assert str(reference_items([])) == ""
