"""Each check of domain-rules §4, part two (monthly caps, funding, duplicates, validity, capacity, the deadline,
limits together): a case that triggers it and a near miss that does not. Part one: test_rules_prices_days.py."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from shared.checks import CATALOGUE, line_key
from shared.kernel.periods import Period

from .factory import REGISTERED, D, capacity_row, check, codes, line, offering, only

# --- monthly_cap ------------------------------------------------------------------------------

SUCHT = dict(programme="suchthilfe-stundenlohn", unit="hour_worked", unit_price="4.00",
             funding="social_assistance", cost_approval="KGS-2025-17")


def test_suchthilfe_stundenlohn_is_capped_at_350_a_month():
    cl = check(line(quantity="90", **SUCHT)).lines[0]
    f = only(cl, "monthly_cap")
    assert f.severity == "error"
    assert dict(f.figures) == {"amount": "360.00", "monthly_cap": "350.00"}
    assert cl.claimed == D("360.00") and cl.allowed == D("350.00")


def test_suchthilfe_at_350_is_no_finding():
    cl = check(line(quantity="87.5", **SUCHT)).lines[0]
    assert codes(cl) == [] and cl.allowed == D("350.00")


def test_the_monthly_cap_counts_all_lines_of_the_participant():
    offerings = (offering("suchthilfe-stundenlohn", "RM-S1"), offering("suchthilfe-stundenlohn", "RM-S2"))
    checked = check(line(2, quantity="50", offering="RM-S1", **SUCHT),
                    line(3, quantity="50", offering="RM-S2", **SUCHT), offerings=offerings)
    assert [codes(cl) for cl in checked.lines] == [["monthly_cap"], ["monthly_cap"]]
    assert [cl.allowed for cl in checked.lines] == [D("175.00"), D("175.00")]
    assert checked.totals["allowed"] == D("350.00")


# --- social_assistance_only -------------------------------------------------------------------

def test_suchthilfe_without_social_assistance_is_not_billable():
    cl = check(line(**{**SUCHT, "funding": "self_payer", "cost_approval": None}, quantity="10")).lines[0]
    f = only(cl, "social_assistance_only")
    assert (f.severity, f.rule) == ("error", "Regel 8")
    assert cl.allowed == D("0.00")


def test_suchthilfe_with_social_assistance_is_billable():
    cl = check(line(quantity="10", **SUCHT)).lines[0]
    assert codes(cl) == [] and cl.allowed == D("40.00")


# --- cost_approval_missing --------------------------------------------------------------------

def test_social_assistance_without_cost_approval_is_0_until_corrected():
    cl = check(line(funding="social_assistance", cost_approval=None)).lines[0]
    f = only(cl, "cost_approval_missing")
    assert (f.severity, f.rule) == ("error", "Regel 7")
    assert cl.allowed == D("0.00")
    blank = check(line(funding="social_assistance", cost_approval="  ")).lines[0]
    assert codes(blank) == ["cost_approval_missing"]


def test_social_assistance_with_cost_approval_is_billable():
    cl = check(line(funding="social_assistance", cost_approval="KGS-2025-17")).lines[0]
    assert codes(cl) == [] and cl.allowed == D("1736.00")


# --- amount_mismatch --------------------------------------------------------------------------

def test_amount_above_quantity_times_price_is_limited_to_the_product():
    cl = check(line(quantity="21.7", unit_price="80.00", amount="1800.00")).lines[0]
    f = only(cl, "amount_mismatch")
    assert f.severity == "error"
    assert dict(f.figures) == {"amount": "1800.00", "computed": "1736.00"}
    assert cl.claimed == D("1800.00") and cl.allowed == D("1736.00")


def test_amount_below_quantity_times_price_keeps_the_amount():
    cl = check(line(quantity="21.7", unit_price="80.00", amount="1700.00")).lines[0]
    assert codes(cl) == ["amount_mismatch"] and cl.allowed == D("1700.00")


def test_amount_one_centime_below_is_no_finding_and_a_centime_above_is_never_paid():
    cl = check(line(quantity="21.7", unit_price="80.00", amount="1735.99")).lines[0]
    assert codes(cl) == [] and cl.allowed == D("1735.99")
    cl = check(line(quantity="3", unit_price="33.333", amount="100.00")).lines[0]  # 99.999, half-up
    assert codes(cl) == [] and cl.allowed == D("100.00")
    cl = check(line(quantity="21.7", unit_price="80.00", amount="1736.01")).lines[0]
    assert codes(cl) == ["amount_mismatch"] and cl.allowed == D("1736.00")


# --- duplicate_line ---------------------------------------------------------------------------

def test_the_later_of_two_identical_lines_is_0():
    first, second = check(line(2), line(3)).lines
    assert codes(first) == [] and first.allowed == D("1736.00")
    f = only(second, "duplicate_line")
    assert f.severity == "error" and f.figures["first_row"] == "2"
    assert second.allowed == D("0.00")


def test_the_later_row_is_flagged_whatever_the_order_in_the_document():
    later, earlier = check(line(7), line(3)).lines
    assert codes(later) == ["duplicate_line"] and codes(earlier) == []


def test_a_line_billed_in_an_earlier_accepted_invoice_is_0():
    billed = line(2)
    cl = check(billed, earlier_lines=frozenset({line_key(billed)})).lines[0]
    assert codes(cl) == ["duplicate_line"] and cl.allowed == D("0.00")


def test_another_unit_month_or_offering_is_no_duplicate():
    offerings = (*REGISTERED, offering("qualifizierung", "RM-Q2"))
    checked = check(line(2, quantity="10"), line(3, unit="reduced_day", quantity="5", unit_price="56.00"),
                    line(4, quantity="10", offering="RM-Q2"), offerings=offerings)
    assert [codes(cl) for cl in checked.lines] == [[], [], []]
    other_month = line(2, period=Period(2025, 2))
    assert codes(check(line(2), earlier_lines=frozenset({line_key(other_month)})).lines[0]) == []


# --- period_not_billable ----------------------------------------------------------------------

def test_a_month_in_the_future_is_not_billable():
    cl = check(line(), today=date(2025, 2, 28)).lines[0]
    f = only(cl, "period_not_billable")
    assert f.severity == "error" and cl.allowed == D("0.00")
    near = check(line(), today=date(2025, 3, 1)).lines[0]
    assert codes(near) == [] and near.allowed == D("1736.00")


def test_a_month_outside_the_offerings_validity_is_not_billable():
    ended = (offering("qualifizierung", "RM-Q1", valid_to=date(2025, 2, 28)),)
    cl = check(line(), offerings=ended).lines[0]
    assert "period_not_billable" in codes(cl) and cl.allowed == D("0.00")
    running = (offering("qualifizierung", "RM-Q1", valid_to=date(2025, 3, 1)),)
    near = check(line(), offerings=running).lines[0]
    assert codes(near) == [] and near.allowed == D("1736.00")


def test_a_month_outside_the_participants_dates_is_not_billable():
    after = check(line(quantity="5", entry_date=date(2025, 4, 1))).lines[0]
    before = check(line(quantity="5", exit_date=date(2025, 2, 28), exit_reason="regular_end")).lines[0]
    assert codes(after) == codes(before) == ["period_not_billable"]
    assert after.allowed == before.allowed == D("0.00")
    near = check(line(quantity="1", entry_date=date(2025, 3, 31), exit_date=date(2025, 3, 31))).lines[0]
    assert codes(near) == [] and near.allowed == D("80.00")


# --- offering_not_registered ------------------------------------------------------------------

def test_no_offering_registered_is_a_warning_that_keeps_the_amount():
    cl = check(line(quantity="23", unit_price="85.00"), offerings=()).lines[0]
    f = only(cl, "offering_not_registered")
    assert f.severity == "warning"
    assert codes(cl) == ["tariff_above_max", "days_above_month", "offering_not_registered"]
    assert cl.allowed == D("1736.00")
    assert codes(check(line(), offerings=()).lines[0]) == ["offering_not_registered"]
    assert check(line(), offerings=()).lines[0].allowed == D("1736.00")


def test_an_offering_of_another_type_or_provider_does_not_count():
    other = (offering("coaching", "RM-C1"), offering("qualifizierung", "OL-Q1", provider="oltech"))
    assert codes(check(line(), offerings=other).lines[0]) == ["offering_not_registered"]
    assert codes(check(line(), offerings=(offering("qualifizierung", "RM-Q1"),)).lines[0]) == []


# --- capacity_exceeded ------------------------------------------------------------------------

def test_more_participants_than_places_occupied_is_a_warning_on_each_line():
    capacity = {("qualifizierung", None): capacity_row(occupied=1)}
    checked = check(line(2, participant="A-1"), line(3, participant="A-2"), capacity=capacity)
    for cl in checked.lines:
        f = only(cl, "capacity_exceeded")
        assert f.severity == "warning" and f.figures["participants"] == "2" and f.figures["occupied"] == "1"
        assert cl.allowed == D("1736.00")


def test_as_many_participants_as_places_occupied_is_no_finding():
    capacity = {("qualifizierung", None): capacity_row(occupied=2)}
    checked = check(line(2, participant="A-1"), line(3, participant="A-2"),
                    line(4, participant="A-2", unit="reduced_day", quantity="0", unit_price="56.00"),
                    capacity=capacity)
    assert [codes(cl) for cl in checked.lines] == [[], [], []]


def test_capacity_is_counted_per_offering():
    offerings = (offering("qualifizierung", "RM-Q1"), offering("qualifizierung", "RM-Q2"))
    capacity = {("qualifizierung", "RM-Q1"): capacity_row(offering="RM-Q1", occupied=1),
                ("qualifizierung", "RM-Q2"): capacity_row(offering="RM-Q2", occupied=1)}
    checked = check(line(2, participant="A-1", offering="RM-Q1"),
                    line(3, participant="A-2", offering="RM-Q2"), offerings=offerings, capacity=capacity)
    assert [codes(cl) for cl in checked.lines] == [[], []]


# --- capacity_report_missing ------------------------------------------------------------------

def test_no_capacity_row_for_the_offering_month_is_a_warning():
    cl = check(line(), capacity={}, today=date(2025, 4, 11)).lines[0]
    assert only(cl, "capacity_report_missing").severity == "warning" and cl.allowed == D("1736.00")
    other = check(line(), capacity={("coaching", None): capacity_row("coaching")}, today=date(2025, 4, 11)).lines[0]
    assert codes(other) == ["capacity_report_missing"]


def test_a_capacity_row_or_unknown_capacity_is_no_finding():
    assert codes(check(line(), capacity={("qualifizierung", None): capacity_row()}).lines[0]) == []
    assert codes(check(line(), capacity=None).lines[0]) == []


# --- late_submission --------------------------------------------------------------------------

CET = timezone(timedelta(hours=2))


def test_received_after_the_10th_of_the_following_month_is_late():
    cl = check(line(), received_at=datetime(2025, 4, 11, 8, 0, tzinfo=CET)).lines[0]
    f = only(cl, "late_submission")
    assert f.severity == "warning" and cl.allowed == D("1736.00")
    assert dict(f.figures) == {"received": "2025-04-11", "deadline": "2025-04-10"}


def test_received_on_the_10th_is_in_time():
    assert codes(check(line(), received_at=datetime(2025, 4, 10, 23, 30, tzinfo=CET)).lines[0]) == []


def test_the_deadline_is_counted_in_the_local_date():
    # 22:30 UTC on the 10th is half past midnight on the 11th in Solothurn (summer time)
    late = check(line(), received_at=datetime(2025, 4, 10, 22, 30, tzinfo=UTC)).lines[0]
    assert codes(late) == ["late_submission"]


def test_the_deadline_day_is_configurable():
    at = datetime(2025, 4, 12, 9, 0, tzinfo=CET)
    assert codes(check(line(), received_at=at, deadline_day=15).lines[0]) == []
    assert codes(check(line(), received_at=at).lines[0]) == ["late_submission"]


@pytest.mark.parametrize("rule", CATALOGUE, ids=lambda r: r.code)
def test_every_check_names_a_rule_and_a_german_title(rule):
    assert rule.rule.startswith(("Regel", "§")) and rule.title_de


# --- how the checks combine -------------------------------------------------------------------

def test_dropout_in_coaching_is_capped_at_2_hours_in_the_exit_month():
    kw = dict(programme="coaching", unit="coaching_hour", unit_price="200.00", exit_date=date(2025, 3, 20),
              exit_reason="dropout")
    cl = check(line(quantity="2.5", **kw)).lines[0]
    assert codes(cl) == ["dropout_cap"] and cl.allowed == D("400.00")


def test_a_zeroed_line_does_not_count_towards_the_month():
    # the duplicate is 0 and must not cut the first line's 21.7 days as well
    first, second = check(line(2, quantity="21.7"), line(3, quantity="21.7")).lines
    assert codes(first) == [] and first.allowed == D("1736.00")
    assert codes(second) == ["duplicate_line"] and second.allowed == D("0.00")


def test_quantity_and_price_limits_and_the_amount_ceiling_combine():
    # 23 days at 85.00 billed as 2000.00: 21.7 × 80.00 = 1736.00 is below the other ceilings
    cl = check(line(quantity="23", unit_price="85.00", amount="2000.00")).lines[0]
    assert codes(cl) == ["tariff_above_max", "days_above_month", "amount_mismatch"]
    assert cl.allowed == D("1736.00")
    # billed lower than the limited product: the claimed amount is the ceiling
    cl = check(line(quantity="23", unit_price="85.00", amount="1500.00")).lines[0]
    assert cl.allowed == D("1500.00")


def test_zeroing_wins_over_every_other_limit():
    cl = check(line(quantity="23", unit_price="85.00", funding="social_assistance")).lines[0]
    # a line that is 0 takes no part in its participant's month: no days_above_month on it
    assert codes(cl) == ["tariff_above_max", "cost_approval_missing"]
    assert cl.allowed == D("0.00")
    assert cl.trace[-1] == "Zulässiger Betrag: CHF 0.00"


def test_a_line_without_offering_code_uses_the_programmes_only_capacity_row():
    capacity = {("qualifizierung", "RM-Q1"): capacity_row(offering="RM-Q1", occupied=5)}
    assert codes(check(line(), capacity=capacity).lines[0]) == []
