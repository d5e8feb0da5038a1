"""The dashboard opens on the latest month with a document, not on an empty month now due."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from shared.kernel.periods import Period
from shared.portal.reporting import Upload
from shared.readmodels.dashboard_view import dashboard_view
from tests.integration.web_cases import WITH_FINDINGS

ZURICH = ZoneInfo("Europe/Zurich")


def test_the_dashboard_opens_on_the_latest_month_with_data(portal, clock):
    portal.reporting.submit_invoice("regiomech", Upload(WITH_FINDINGS, "text/csv", "r.csv"), "user:anna")  # 03.2025
    clock.now = datetime(2025, 7, 2, 9, 0, tzinfo=ZURICH)  # June is due, nothing came since March
    opened = dashboard_view(portal)
    assert opened["year"] == 2025 and opened["period"] == Period(2025, 3)
    assert opened["total"]["claimed"] == "2555.00"
    # in January the year before is shown, on its latest month
    clock.now = datetime(2026, 1, 5, 9, 0, tzinfo=ZURICH)
    assert (dashboard_view(portal)["year"], dashboard_view(portal)["period"]) == (2025, Period(2025, 3))
    # a year asked for without data: the month now due if it is in that year, else the whole year
    assert dashboard_view(portal, year=2026)["period"] is None
    assert dashboard_view(portal, year=2024)["period"] is None
    # a month asked for is kept
    assert dashboard_view(portal, year=2025, month="2025-06")["period"] == Period(2025, 6)


def test_an_empty_portal_opens_on_the_month_now_due(portal, clock):
    clock.now = datetime(2025, 7, 2, 9, 0, tzinfo=ZURICH)
    assert dashboard_view(portal)["period"] == Period(2025, 6)
