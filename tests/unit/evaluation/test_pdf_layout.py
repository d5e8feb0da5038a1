"""The layout check itself: it finds text that overlaps or leaves the page, and passes kerned text."""
from __future__ import annotations

from weasyprint import HTML

from tests.pdf_layout import layout_problems


def test_overflowing_table_text_and_text_off_the_page_are_found():
    crowded = HTML(string='<table style="table-layout:fixed;width:60pt"><tr><td style="width:20pt;'
                          'white-space:nowrap">Programmabbruch</td><td>Nichterscheinen</td></tr></table>'
                          '<p style="margin-left:560pt;white-space:nowrap">weit draussen</p>').write_pdf()
    problems = layout_problems(crowded)
    assert any("overlaps" in p for p in problems)
    assert any("off the page" in p for p in problems)


def test_kerning_pairs_are_no_overlap():
    assert layout_problems(HTML(string="<p>Teilnehmende, Fisch, Tor. AVAVA «To» r. Ty</p>").write_pdf()) == []


def test_figures_that_run_together_and_text_in_the_side_margin_are_found():
    together = HTML(string="<p>Total 8’307’386.658’296’376.85 und Sozialdiens306’082.40</p>"
                           '<p style="margin-left:-40pt">am Rand</p>').write_pdf()
    problems = layout_problems(together)
    assert sum("runs together" in p for p in problems) == 2, problems
    assert any("side margin" in p for p in problems), problems
    apart = HTML(string="<p>8’307’386.65 8’296’376.85 am 03.12.2026 10.2022–06.2025 CHF 1’736.00.</p>").write_pdf()
    assert layout_problems(apart) == []
