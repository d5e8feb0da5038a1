"""The dashboard's grid made in Python (services/supervision/dashboard_grid.py): every cell's link, German title,
symbols and screen-reader text, the chosen month marked, every name escaped."""
from __future__ import annotations

import re

from services.supervision.dashboard_grid import grid_body
from shared.kernel.periods import Period

MONTHS = [Period(2025, 1), Period(2025, 2)]


def test_each_cell_names_provider_month_and_both_statuses_and_marks_the_chosen_month():
    rows = [{"slug": "regiomech", "name": "Genossenschaft Regiomech"}, {"slug": "b&b", "name": 'B & "B" <AG>'}]
    grid = {"regiomech": {"2025-01": {"invoice": "received", "capacity_report": "late"},
                          "2025-02": {"invoice": "missing", "capacity_report": "pending"}},
            "b&b": {"2025-01": {"invoice": "late", "capacity_report": "missing"},
                    "2025-02": {"invoice": "received", "capacity_report": "received"}}}
    html = str(grid_body(rows, MONTHS, grid, Period(2025, 2)))
    assert html.count("<tr>") == 2 and html.count('<td class="gcell') == 4
    assert html.count('<td class="gcell sel">') == 2  # February chosen, in both rows
    first = html[html.index('<td class="gcell">'):html.index("</td>") + 5]
    assert 'href="/anbieter/regiomech#monat-2025-01"' in first
    assert 'title="Genossenschaft Regiomech, Januar 2025: Rechnung eingegangen, Kapazitätsmeldung verspätet"' in first
    assert ('<span class="gs gs-received"><span class="gl">R</span>✓</span>'
            '<span class="gs gs-late"><span class="gl">K</span>!</span>') in first
    assert '<span class="sr-only">Rechnung eingegangen, Kapazitätsmeldung verspätet</span>' in first
    assert 'R</span>✗' in html and 'K</span>○' in html
    assert "B &amp; &#34;B&#34; &lt;AG&gt;" in html and "<AG>" not in html and 'href="/anbieter/b&amp;b#' in html
    assert len(re.findall(r"Rechnung (eingegangen|verspätet|fehlt|ausstehend), Kapazitätsmeldung", html)) == 8
