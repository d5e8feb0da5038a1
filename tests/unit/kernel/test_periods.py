"""Billing months and working days (kernel/periods.py)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.kernel.errors import Invalid
from shared.kernel.periods import MONTHS_DE, Period, format_date_de, parse_period, working_days


@pytest.mark.parametrize("text", ["2025-03", "2025-3", " 2025-03 ", "03.2025", "3.2025", "\t3.2025\n"])
def test_parse_the_api_and_the_swiss_forms(text):
    assert Period.parse(text) == Period(2025, 3)


@pytest.mark.parametrize("text", [
    "", "2025", "2025-13", "2025-00", "13.2025", "0.2025", "00.2025", "2025/03", "03/2025", "25-03", "3.25",
    "2025-003", "003.2025", "2025-03-01", "01.03.2025", "03.2025.", "März 2025", "2025-3a", "1999-12", "9999-01",
])
def test_parse_refuses_anything_else(text):
    with pytest.raises(ValueError):
        Period.parse(text)


def test_parse_period_for_requests_names_the_field_and_the_value():
    assert parse_period("03.2025") == Period(2025, 3)
    march = Period(2025, 3)
    assert parse_period(march) is march
    with pytest.raises(Invalid) as caught:
        parse_period("2025-13", "month")
    assert (caught.value.field, caught.value.value, caught.value.status) == ("month", "2025-13", 422)
    assert caught.value.message == "Monat «2025-13» ist ungültig (JJJJ-MM oder MM.JJJJ)"
    with pytest.raises(Invalid):
        parse_period(None)


def test_a_period_outside_the_calendar_can_not_be_made():
    for year, month in ((2025, 0), (2025, 13), (1999, 12), (9999, 1)):
        with pytest.raises(ValueError):
            Period(year, month)


def test_str_is_the_api_form_and_parses_back():
    assert str(Period(2025, 3)) == "2025-03"
    assert str(Period(2025, 12)) == "2025-12"
    assert Period.parse(str(Period(2031, 7))) == Period(2031, 7)


def test_next_and_previous_across_the_year():
    assert Period(2025, 3).next() == Period(2025, 4)
    assert Period(2024, 12).next() == Period(2025, 1)
    assert Period(2025, 1).previous() == Period(2024, 12)
    assert Period(2025, 3).previous() == Period(2025, 2)
    assert Period(2025, 12).previous() == Period(2025, 11)


@given(st.integers(2001, 9997), st.integers(1, 12))
def test_next_and_previous_are_inverse_and_in_order(year, month):
    p = Period(year, month)
    assert p.next().previous() == p
    assert p.previous().next() == p
    assert p < p.next()
    assert p.next().first_day == p.last_day + timedelta(days=1)


def test_periods_order_by_year_then_month():
    assert Period(2024, 12) < Period(2025, 1) < Period(2025, 2)
    assert sorted([Period(2025, 10), Period(2025, 2), Period(2024, 11)]) == [
        Period(2024, 11), Period(2025, 2), Period(2025, 10)]


def test_first_and_last_day_and_contains():
    assert Period(2025, 2).last_day == date(2025, 2, 28)
    assert Period(2024, 2).last_day == date(2024, 2, 29)  # leap year
    assert Period(2025, 4).last_day == date(2025, 4, 30)
    assert Period(2025, 3).first_day == date(2025, 3, 1)
    assert Period.of(date(2025, 3, 31)) == Period(2025, 3)
    march = Period(2025, 3)
    assert march.contains(date(2025, 3, 1)) and march.contains(date(2025, 3, 31))
    assert not march.contains(date(2025, 2, 28)) and not march.contains(date(2025, 4, 1))


def test_label_de():
    assert Period(2025, 3).label_de() == "März 2025"
    assert Period(2024, 12).label_de() == "Dezember 2024"
    assert [Period(2025, m).label_de().split()[0] for m in range(1, 13)] == list(MONTHS_DE)
    assert len(set(MONTHS_DE)) == 12


def test_format_date_de():
    assert format_date_de(date(2025, 3, 25)) == "25.03.2025"
    assert format_date_de(date(2025, 1, 5)) == "05.01.2025"


@pytest.mark.parametrize(("start", "end", "days"), [
    (date(2025, 3, 1), date(2025, 3, 31), 21),  # March 2025 starts on a Saturday
    (date(2025, 2, 1), date(2025, 2, 28), 20),
    (date(2024, 2, 1), date(2024, 2, 29), 21),  # leap day on a Thursday
    (date(2025, 3, 5), date(2025, 3, 5), 1),  # a Wednesday alone
    (date(2025, 3, 8), date(2025, 3, 8), 0),  # a Saturday alone
    (date(2025, 3, 8), date(2025, 3, 9), 0),  # a weekend
    (date(2025, 3, 7), date(2025, 3, 10), 2),  # Friday to Monday
    (date(2025, 3, 3), date(2025, 3, 9), 5),  # one whole week
    (date(2025, 3, 3), date(2025, 3, 16), 10),  # two
    (date(2025, 1, 30), date(2025, 2, 3), 3),  # across months: Thu, Fri, Mon
    (date(2024, 12, 30), date(2025, 1, 3), 5),  # across the year (holidays are not subtracted)
    (date(2025, 1, 1), date(2025, 12, 31), 261),
    (date(2025, 3, 10), date(2025, 3, 9), 0),  # end before start
])
def test_working_days_monday_to_friday_both_ends_included(start, end, days):
    assert working_days(start, end) == days


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(-3, 120))
def test_working_days_counts_each_weekday_once(start, span):
    end = start + timedelta(days=span)
    expected = sum(1 for i in range(span + 1) if (start + timedelta(days=i)).weekday() < 5)
    assert working_days(start, end) == expected
