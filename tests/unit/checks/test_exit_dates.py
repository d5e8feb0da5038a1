"""Rule 6's cap needs the exit date; without one, rule 3 limits the entry month as usual (domain-rules §3).

The parser refuses an exit reason without an exit date (a format error); a line stored before that rule
(an old invoice checked again) still gets no more than the working days of its entry month.
Entry on Tuesday 25.03.2025: 5 working days to Monday 31.03.
"""
from __future__ import annotations

from datetime import date

from .factory import D, check, codes, line

ENTRY = date(2025, 3, 25)


def test_a_dropout_without_exit_date_gets_the_working_days_of_the_entry_month_with_it_five_more():
    inside = check(line(quantity="5", entry_date=ENTRY, exit_reason="dropout")).lines[0]
    assert (codes(inside), inside.allowed) == ([], D("400.00"))
    outside = check(line(quantity="9", entry_date=ENTRY, exit_reason="dropout")).lines[0]
    assert (codes(outside), outside.allowed) == (["days_above_working_days"], D("400.00"))
    assert "höchstens 5 Arbeitstage vom 25.03.2025 bis 31.03.2025" in outside.findings[0].message
    # with its exit date, rule 6: the working days and 5 more
    kw = dict(entry_date=ENTRY, exit_date=date(2025, 3, 31), exit_reason="dropout")
    inside = check(line(quantity="10", **kw)).lines[0]
    assert (codes(inside), inside.allowed) == ([], D("800.00"))
    outside = check(line(quantity="11", **kw)).lines[0]
    assert (codes(outside), outside.allowed) == (["dropout_cap"], D("800.00"))


def test_coaching_hours_of_a_no_show_are_capped_only_with_the_exit_date():
    kw = dict(programme="coaching", unit="coaching_hour", unit_price="200.00", exit_reason="no_show")
    capped = check(line(quantity="3", exit_date=date(2025, 3, 20), **kw)).lines[0]
    assert (codes(capped), capped.allowed) == (["dropout_cap"], D("400.00"))
    undated = check(line(quantity="3", **kw)).lines[0]
    assert (codes(undated), undated.allowed) == ([], D("600.00"))
