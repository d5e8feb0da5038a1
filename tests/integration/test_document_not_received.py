"""A document not received reads alike on the supervisor's provider page and on the provider's months: «ausstehend,
fällig bis …» before its deadline, «fehlt» after it (Deadlines.status; the supervisor's page had read «fehlt» for a
capacity report not yet due)."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.integration.web_cases import login, submit_invoice

ZURICH = ZoneInfo("Europe/Zurich")


def month_row(page: str, period: str) -> str:
    """The supervisor's page: the month's row (its first, the one that names the capacity report)."""
    return page.split(f'id="monat-{period}"')[1].split("</tr>")[0]


def month_section(page: str, period: str) -> str:
    """The provider's months: the month's section."""
    return page.split(f'aria-labelledby="m-{period}"')[1].split("</section>")[0]


def statuses(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", s).strip() for s in re.findall(r'<span class="status status-\w+">([^<]*)</span>', html)]


def test_a_report_not_yet_due_is_pending_and_missing_after_its_deadline(reporting, supervision, accounts, clock):
    login(reporting, "anna")
    submit_invoice(reporting)  # March 2025, on 3 April: the capacity report is due by 10 April
    login(supervision, "sara")
    before = month_row(supervision.get("/anbieter/regiomech?jahr=2025").text, "2025-03")
    assert "ausstehend, fällig bis 10.04.2025" in statuses(before) and "fehlt" not in statuses(before)
    mine = month_section(reporting.get("/meldungen?jahr=2025").text, "2025-03")
    assert "ausstehend, fällig bis 10.04.2025" in statuses(mine)

    clock.now = datetime(2025, 5, 5, 9, 0, tzinfo=ZURICH)  # a month later: logged in anew
    login(supervision, "sara")
    login(reporting, "anna")
    after = supervision.get("/anbieter/regiomech?jahr=2025").text
    assert "fehlt" in statuses(month_row(after, "2025-03"))
    # a month with nothing yet (April, due by 10 May): the invoice too, by the same rule
    assert statuses(month_row(after, "2025-04"))[:1] == ["ausstehend, fällig bis 10.05.2025"]
    mine = month_section(reporting.get("/meldungen?jahr=2025").text, "2025-03")
    assert "fehlt" in statuses(mine) and not any(s.startswith("ausstehend") for s in statuses(mine))
    # the dashboard's legend names the same four states with the grid's symbols
    dashboard = supervision.get("/dashboard?jahr=2025").text
    legend = [re.sub(r"\s+", " ", s) for s in re.findall(r'<span class="gs gs-\w+">([^<]*)</span>', dashboard)]
    assert legend[:4] == ["✓ eingegangen", "! verspätet", "✗ fehlt", "○ ausstehend"]
