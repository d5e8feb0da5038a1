"""A provider's home shows one year of months (the newest with a document unless ?jahr= chooses another); what
is to do still comes from every year (issue 16: the page no longer grows with every year of history)."""
from __future__ import annotations

import re

from tests.integration.finance_cases import upload_herr_b
from tests.integration.web_cases import login


def month_titles(html: str) -> list[str]:
    return re.findall(r'<h3 id="m-(\d{4}-\d{2})">', html)


def test_the_home_page_shows_the_newest_year_with_a_document_and_the_year_chosen(reporting, tokens,
                                                                                accounts):
    upload_herr_b(reporting, tokens)  # November 2024 to February 2025
    reporting.cookies.clear()
    login(reporting, "anna")
    page = reporting.get("/meldungen").text
    shown = month_titles(page)
    assert shown and all(p.startswith("2025-") for p in shown) and "2025-02" in shown and "2025-01" in shown
    assert "Monate 2025" in page and '<option value="2024">2024</option>' in page
    earlier = reporting.get("/meldungen?jahr=2024").text
    assert {"2024-11", "2024-12"} <= set(month_titles(earlier)) and not any(p.startswith("2025") for p in
                                                                             month_titles(earlier))
    assert '<option value="2024" selected>' in earlier
    assert "Monate 2023" in reporting.get("/meldungen?jahr=2023").text  # a year without months: said so
    assert reporting.get("/meldungen?jahr=abc").status_code == 400
