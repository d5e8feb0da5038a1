"""Offering codes compare without regard to case and surrounding spaces in every check (domain-rules §4).

Near misses: «rm-q1 » is RM-Q1 (a duplicate, one month of 21.7 days); RM-Q2 is another offering.
"""
from __future__ import annotations

from shared.checks import line_key

from .factory import D, check, codes, line, offering

BOTH = (offering("qualifizierung", "RM-Q1"), offering("qualifizierung", "RM-Q2"))


def test_the_same_offering_written_in_another_case_is_billed_once_another_offering_twice():
    first, second = check(line(2, offering="RM-Q1"), line(3, offering=" rm-q1 "), offerings=BOTH).lines
    assert (codes(first), first.allowed) == ([], D("1736.00"))
    assert (codes(second), second.allowed) == (["duplicate_line"], D("0.00"))
    first, other = check(line(2, offering="RM-Q1"), line(3, offering="RM-Q2"), offerings=BOTH).lines
    assert (codes(first), first.allowed, codes(other), other.allowed) == ([], D("1736.00"), [], D("1736.00"))


def test_days_of_one_offering_in_two_spellings_count_as_one_month_of_two_offerings_as_two():
    # 21.7 days and 10 reduced days of RM-Q1 / rm-q1: 31.7 days, cut back pro rata to 21.7
    days, reduced = check(line(2, offering="RM-Q1"),
                          line(3, offering="rm-q1", unit="reduced_day", quantity="10", unit_price="56.00"),
                          offerings=BOTH).lines
    assert codes(days) == codes(reduced) == ["days_above_month"]
    assert (days.allowed, reduced.allowed) == (D("1188.00"), D("383.60"))  # 14.85 × 80.00, 6.85 × 56.00
    days, reduced = check(line(2, offering="RM-Q1"),
                          line(3, offering="RM-Q2", unit="reduced_day", quantity="10", unit_price="56.00"),
                          offerings=BOTH).lines
    assert codes(days) == codes(reduced) == []
    assert (days.allowed, reduced.allowed) == (D("1736.00"), D("560.00"))


def test_a_line_of_an_earlier_invoice_in_another_case_is_a_duplicate():
    earlier = frozenset({line_key(line(offering="RM-Q1"))})
    again = check(line(offering="rm-Q1 "), offerings=BOTH, earlier_lines=earlier).lines[0]
    assert (codes(again), again.allowed) == (["duplicate_line"], D("0.00"))
    other = check(line(offering="RM-Q2"), offerings=BOTH, earlier_lines=earlier).lines[0]
    assert (codes(other), other.allowed) == ([], D("1736.00"))
