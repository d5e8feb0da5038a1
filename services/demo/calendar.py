"""Which months the demo fills when none are named: from the demo year 2025 up to last month, so that a
newcomer sees a living portal (the month now due half in, the month before waiting for review)."""
from __future__ import annotations

from datetime import date

from shared.kernel.periods import Period

FIRST_YEAR = 2025  # the demo's first year: the test programme of integration.arbeit leads into it
SETTLED = 15  # review_invoices' `last_month` for a year gone by: every month decided and approved


def demo_span(today: date) -> list[tuple[int, list[int], int]]:
    """(year, its months, the review's last month) from FIRST_YEAR to last month's year: a past year whole and
    reviewed, the current one up to last month with the supervisor's backlog of the last two months."""
    last = Period.of(today).previous()
    if last.year < FIRST_YEAR:
        return [(FIRST_YEAR, list(range(1, 13)), 12)]
    span = [(year, list(range(1, 13)), SETTLED) for year in range(FIRST_YEAR, last.year)]
    span.append((last.year, list(range(1, last.month + 1)), last.month + 1))
    return span
