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
