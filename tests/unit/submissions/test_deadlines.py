"""The deadline of a month's documents and their status (submissions/domain/deadlines.py)."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from shared.kernel.periods import Period
from shared.submissions.domain.deadlines import (
    LATE,
    MISSING,
    PENDING,
    RECEIVED,
    STATUSES,
    Deadlines,
    contract_status,
)

RULE = Deadlines()  # the 10th of the following month, Europe/Zurich
MARCH = Period(2025, 3)
ZURICH = ZoneInfo("Europe/Zurich")


def test_the_default_rule_is_the_tenth_in_zurich():
    assert (RULE.day, RULE.timezone) == (10, "Europe/Zurich")
    assert RULE.deadline(MARCH) == date(2025, 4, 10)
    assert RULE.deadline(Period(2024, 12)) == date(2025, 1, 10)  # across the year


@pytest.mark.parametrize(("day", "period", "deadline"), [
    (31, Period(2025, 1), date(2025, 2, 28)),  # February is shorter: its last day
    (31, Period(2024, 1), date(2024, 2, 29)),  # leap year
    (30, Period(2025, 1), date(2025, 2, 28)),
    (31, Period(2025, 3), date(2025, 4, 30)),
    (31, Period(2025, 4), date(2025, 5, 31)),
    (31, Period(2025, 11), date(2025, 12, 31)),
    (29, Period(2025, 12), date(2026, 1, 29)),
    (0, MARCH, date(2025, 4, 1)),  # a day below 1 is the 1st
])
def test_the_deadline_is_clamped_to_the_following_months_last_day(day, period, deadline):
    assert Deadlines(day=day).deadline(period) == deadline


@pytest.mark.parametrize(("moment", "local"), [
    ("2025-04-10T21:59:59+00:00", date(2025, 4, 10)),  # 23:59:59 in Zurich (summer time, UTC+2)
    ("2025-04-10T22:00:00+00:00", date(2025, 4, 11)),  # midnight in Zurich, still the 10th in UTC
    ("2025-04-10T22:30:00Z", date(2025, 4, 11)),
    ("2025-01-10T22:59:59+00:00", date(2025, 1, 10)),  # winter time, UTC+1
    ("2025-01-10T23:00:00+00:00", date(2025, 1, 11)),
    ("2025-04-11T00:30:00+02:00", date(2025, 4, 11)),
    ("2025-04-10T23:30:00", date(2025, 4, 10)),  # a naive moment is taken as local
])
def test_the_local_date_is_the_date_in_zurich(moment, local):
    assert RULE.local_date(moment) == local
    assert RULE.local_date(datetime.fromisoformat(moment)) == local


def test_the_time_zone_of_the_rule_counts():
    moment = datetime(2025, 4, 10, 22, 30, tzinfo=UTC)
    assert RULE.is_late(MARCH, moment)
    assert not Deadlines(timezone="UTC").is_late(MARCH, moment)
    assert Deadlines(timezone="America/New_York").local_date(moment) == date(2025, 4, 10)


def test_late_is_after_the_deadline_day_in_local_time():
    assert not RULE.is_late(MARCH, datetime(2025, 4, 10, 23, 59, 59, tzinfo=ZURICH))
    assert RULE.is_late(MARCH, datetime(2025, 4, 11, 0, 0, tzinfo=ZURICH))
    assert RULE.is_late(MARCH, "2025-04-10T22:00:00+00:00")  # the 11th at midnight in Zurich
    assert not RULE.is_late(MARCH, "2025-04-10T21:59:59+00:00")
    assert not RULE.is_late(MARCH, "2025-03-31T09:00:00+02:00")  # early is never late


def test_due_only_after_the_deadline_day():
    assert not RULE.is_due(MARCH, date(2025, 4, 9))
    assert not RULE.is_due(MARCH, date(2025, 4, 10))  # the deadline day itself: still time
    assert RULE.is_due(MARCH, date(2025, 4, 11))


def test_status_received_late_missing_pending():
    on_time, after = "2025-04-08T10:00:00+02:00", "2025-04-12T10:00:00+02:00"
    assert RULE.status(MARCH, [on_time], date(2025, 4, 9)) == RECEIVED
    assert RULE.status(MARCH, [on_time], date(2025, 6, 1)) == RECEIVED
    assert RULE.status(MARCH, [after], date(2025, 4, 12)) == LATE
    assert RULE.status(MARCH, [], date(2025, 4, 10)) == PENDING
    assert RULE.status(MARCH, [], date(2025, 4, 11)) == MISSING
    assert RULE.status(MARCH, [], date(2025, 3, 15)) == PENDING  # the month itself is not over


def test_status_is_decided_by_the_first_receipt():
    on_time, after = "2025-04-08T10:00:00+02:00", "2025-04-20T10:00:00+02:00"
    assert RULE.status(MARCH, [after, on_time], date(2025, 5, 1)) == RECEIVED  # a correction does not make it late
    assert RULE.status(MARCH, [after, "2025-05-02T08:00:00+02:00"], date(2025, 5, 3)) == LATE
    assert RULE.status(MARCH, iter([on_time]), date(2025, 5, 1)) == RECEIVED  # any iterable


def test_status_at_midnight_utc_on_the_deadline():
    late_in_zurich = datetime(2025, 4, 10, 22, 15, tzinfo=UTC)
    assert RULE.status(MARCH, [late_in_zurich], date(2025, 4, 11)) == LATE
    assert RULE.status(MARCH, [datetime(2025, 4, 10, 21, 45, tzinfo=UTC)], date(2025, 4, 11)) == RECEIVED


def test_contract_status_has_no_pending():
    assert STATUSES == (RECEIVED, LATE, MISSING, PENDING)
    assert contract_status(PENDING) == MISSING
    assert [contract_status(s) for s in (RECEIVED, LATE, MISSING)] == [RECEIVED, LATE, MISSING]
    assert {contract_status(s) for s in STATUSES} == {"received", "late", "missing"}  # api.md's three
