"""The demo follows the calendar (services/demo/calendar.py): 2025 up to last month, the backlog at the end."""
from __future__ import annotations

from datetime import date

from services.demo.calendar import SETTLED, demo_span


def test_the_demo_runs_from_2025_to_last_month_with_the_reviews_behind_by_two_months():
    assert demo_span(date(2026, 12, 3)) == [(2025, list(range(1, 13)), SETTLED),
                                            (2026, list(range(1, 12)), 12)]
    assert demo_span(date(2026, 1, 15)) == [(2025, list(range(1, 13)), 13)]
    assert demo_span(date(2025, 4, 3)) == [(2025, [1, 2, 3], 4)]
    assert demo_span(date(2024, 6, 1)) == [(2025, list(range(1, 13)), 12)]  # before the demo year: all of it
