"""Each check of domain-rules §4: a case that triggers it and a near miss that does not."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from shared.checks import CATALOGUE, line_key
from shared.kernel.periods import Period

from .factory import REGISTERED, D, capacity_row, check, codes, line, offering, only


def test_the_catalogue_has_the_twenty_codes_of_section_4():
    assert [r.code for r in CATALOGUE] == [
        "tariff_above_max", "tariff_above_agreed", "unit_not_billable", "quarter_hour", "days_above_month",
        "days_above_working_days", "dropout_cap", "monthly_cap", "social_assistance_only",
        "cost_approval_missing", "amount_mismatch", "duplicate_line", "period_not_billable",
        "offering_not_registered", "capacity_exceeded", "capacity_report_missing", "late_submission",
        "cost_approval_unknown", "cost_approval_not_valid", "cost_approval_exceeded"]
    warnings = {r.code for r in CATALOGUE if r.severity == "warning"}
    assert warnings == {"offering_not_registered", "capacity_exceeded", "capacity_report_missing",
                        "late_submission", "cost_approval_unknown"}
    assert all(r.rule for r in CATALOGUE)


def test_a_clean_line_is_allowed_in_full_with_a_simple_trace():
    cl = check(line(quantity="21.7", unit_price="80.00")).lines[0]
    assert (cl.claimed, cl.allowed, cl.reduction, cl.findings) == (D("1736.00"), D("1736.00"), D("0.00"), ())
    assert cl.trace == ("21.7 Einsatztage × CHF 80.00 = CHF 1’736.00",)


# --- tariff_above_max -------------------------------------------------------------------------

def test_tariff_above_max_limits_the_unit_price():
    cl = check(line(quantity="21.7", unit_price="85.00")).lines[0]
    assert cl.allowed == D("1736.00")
    f = only(cl, "tariff_above_max")
    assert (f.severity, f.rule) == ("error", "§2")
    assert dict(f.figures) == {"unit_price": "85.00", "max_price": "80.00"}
    assert "CHF 85.00" in f.message and "CHF 80.00" in f.message
    assert cl.trace[0] == "Ansatz CHF 85.00 über dem Höchsttarif CHF 80.00 (§2)"
    assert cl.trace[-1].endswith("CHF 1’736.00")


def test_tariff_at_the_max_is_no_finding():
    cl = check(line(quantity="21.7", unit_price="80.00")).lines[0]
    assert codes(cl) == [] and cl.allowed == D("1736.00")


def test_reduced_day_above_70_percent_of_the_day_maximum():
    cl = check(line(unit="reduced_day", quantity="10", unit_price="56.05")).lines[0]
    assert codes(cl) == ["tariff_above_max"]
    assert only(cl, "tariff_above_max").figures["max_price"] == "56.00"
    assert cl.allowed == D("560.00")
    near = check(line(unit="reduced_day", quantity="10", unit_price="56.00")).lines[0]
    assert codes(near) == [] and near.allowed == D("560.00")


# --- tariff_above_agreed ----------------------------------------------------------------------

AGREED = (offering("qualifizierung", "RM-Q1", agreed={"assignment_day": "75.00"}),)


def test_tariff_above_agreed_limits_to_the_offerings_agreed_tariff():
    cl = check(line(quantity="21.7", unit_price="80.00"), offerings=AGREED).lines[0]
    f = only(cl, "tariff_above_agreed")
    assert f.severity == "error"
    assert dict(f.figures) == {"unit_price": "80.00", "agreed_price": "75.00", "offering": "RM-Q1"}
    assert cl.allowed == D("1627.50")


def test_tariff_at_the_agreed_tariff_is_no_finding():
    cl = check(line(quantity="21.7", unit_price="75.00"), offerings=AGREED).lines[0]
    assert codes(cl) == [] and cl.allowed == D("1627.50")


def test_above_both_maximum_and_agreed_tariff_gives_both_and_the_lower_price():
    cl = check(line(quantity="10", unit_price="90.00"), offerings=AGREED).lines[0]
    assert codes(cl) == ["tariff_above_max", "tariff_above_agreed"]
    assert cl.allowed == D("750.00")


def test_a_reduced_day_is_limited_to_70_percent_of_the_agreed_day():
    cl = check(line(unit="reduced_day", quantity="10", unit_price="55.00"), offerings=AGREED).lines[0]
    assert codes(cl) == ["tariff_above_agreed"] and cl.allowed == D("525.00")
    near = check(line(unit="reduced_day", quantity="10", unit_price="52.50"), offerings=AGREED).lines[0]
    assert codes(near) == [] and near.allowed == D("525.00")


def test_the_agreed_tariff_of_the_named_offering_applies():
    offerings = (offering("qualifizierung", "RM-Q1", agreed={"assignment_day": "75.00"}),
                 offering("qualifizierung", "RM-Q2", agreed={"assignment_day": "80.00"}))
    q1 = check(line(quantity="10", unit_price="80.00", offering="RM-Q1"), offerings=offerings).lines[0]
    q2 = check(line(quantity="10", unit_price="80.00", offering="RM-Q2"), offerings=offerings).lines[0]
    assert (codes(q1), q1.allowed) == (["tariff_above_agreed"], D("750.00"))
    assert (codes(q2), q2.allowed) == ([], D("800.00"))


# --- unit_not_billable ------------------------------------------------------------------------

def test_coaching_hours_are_not_billable_in_qualifizierung():
    cl = check(line(unit="coaching_hour", quantity="2", unit_price="200.00")).lines[0]
    f = only(cl, "unit_not_billable")
    assert f.severity == "error" and cl.allowed == D("0.00") and cl.claimed == D("400.00")
    assert cl.trace[-1] == "Zulässiger Betrag: CHF 0.00"


def test_coaching_hours_are_billable_in_coaching():
    cl = check(line(programme="coaching", unit="coaching_hour", quantity="2", unit_price="200.00")).lines[0]
    assert codes(cl) == [] and cl.allowed == D("400.00")


def test_nothing_is_billable_in_teillohn():
    cl = check(line(programme="teillohn", unit="assignment_day", quantity="5", unit_price="10.00",
                    funding="social_assistance", cost_approval="KGS-1")).lines[0]
    assert codes(cl) == ["unit_not_billable"] and cl.allowed == D("0.00")


# --- quarter_hour -----------------------------------------------------------------------------

def test_coaching_hours_are_rounded_down_to_quarter_hours():
    cl = check(line(programme="coaching", unit="coaching_hour", quantity="1.3", unit_price="200.00")).lines[0]
    f = only(cl, "quarter_hour")
    assert (f.severity, f.rule) == ("error", "Regel 5")
    assert dict(f.figures) == {"billed_hours": "1.3", "allowed_hours": "1.25"}
    assert cl.allowed == D("250.00")


def test_quarter_hours_are_no_finding():
    cl = check(line(programme="coaching", unit="coaching_hour", quantity="1.75",
                    unit_price="200.00")).lines[0]
    assert codes(cl) == [] and cl.allowed == D("350.00")


# --- days_above_month -------------------------------------------------------------------------

def test_more_than_21_7_days_are_reduced_to_21_7():
    cl = check(line(quantity="21.8", unit_price="80.00")).lines[0]
    f = only(cl, "days_above_month")
    assert (f.severity, f.rule) == ("error", "Regel 2")
    assert dict(f.figures) == {"billed_days": "21.8", "max_days": "21.7"}
    assert f.message == "21.8 Einsatztage verrechnet, höchstens 21.7 pro Monat"
    assert cl.allowed == D("1736.00")


def test_21_7_days_are_no_finding():
    cl = check(line(quantity="21.7", unit_price="80.00")).lines[0]
    assert codes(cl) == [] and cl.allowed == D("1736.00")


def test_assignment_and_reduced_days_of_one_participant_count_together_pro_rata():
    checked = check(line(2, quantity="18", unit_price="80.00"),
                    line(3, unit="reduced_day", quantity="6", unit_price="56.00"))
    day, reduced = checked.lines
    assert codes(day) == codes(reduced) == ["days_above_month"]
    assert only(day, "days_above_month").figures["billed_days"] == "24"
    # 18 × 21.7 / 24 = 16.275 → 16.27 days; the reduced days get the rest: 5.43
    assert day.allowed == D("1301.60")  # 16.27 × 80.00
    assert reduced.allowed == D("304.08")  # 5.43 × 56.00


def test_days_of_two_offerings_or_two_participants_do_not_count_together():
    offerings = (*REGISTERED, offering("qualifizierung", "RM-Q2"))
    checked = check(line(2, quantity="15", offering="RM-2"), line(3, quantity="15", offering="RM-Q2"),
                    line(4, quantity="15", participant="X-1"), offerings=offerings)
    assert [codes(cl) for cl in checked.lines] == [[], [], []]


# --- days_above_working_days ------------------------------------------------------------------

def test_entry_month_days_above_the_working_days_from_the_entry():
    # Monday 24 March 2025: 24–28 and 31 March = 6 working days
    cl = check(line(quantity="7", entry_date=date(2025, 3, 24))).lines[0]
    f = only(cl, "days_above_working_days")
    assert (f.severity, f.rule) == ("error", "Regel 3")
    assert dict(f.figures) == {"billed_days": "7", "working_days": "6", "from": "2025-03-24",
                               "to": "2025-03-31"}
    assert cl.allowed == D("480.00")


def test_entry_month_days_up_to_the_working_days_are_no_finding():
    cl = check(line(quantity="6", entry_date=date(2025, 3, 24))).lines[0]
    assert codes(cl) == [] and cl.allowed == D("480.00")


def test_exit_month_days_above_the_working_days_up_to_the_exit():
    # Wednesday 5 March 2025: 3–5 March = 3 working days
    cl = check(line(quantity="4", exit_date=date(2025, 3, 5), exit_reason="regular_end")).lines[0]
    assert codes(cl) == ["days_above_working_days"] and cl.allowed == D("240.00")
    near = check(line(quantity="3", exit_date=date(2025, 3, 5), exit_reason="regular_end")).lines[0]
    assert codes(near) == [] and near.allowed == D("240.00")


def test_a_full_month_is_21_7_days_whatever_its_working_days():
    # February 2025 has 20 working days: a month in the middle of the programme is still 21.7 days
    cl = check(line(period=Period(2025, 2), quantity="21.7",
                    entry_date=date(2025, 1, 6))).lines[0]
    assert codes(cl) == [] and cl.allowed == D("1736.00")


# --- dropout_cap ------------------------------------------------------------------------------

def test_no_show_is_capped_at_5_days_in_total_instead_of_the_working_days():
    # entry = exit = Monday 3 March: one working day, but a no-show may bill 5 days (rule 6)
    kw = dict(entry_date=date(2025, 3, 3), exit_date=date(2025, 3, 3), exit_reason="no_show")
    cl = check(line(quantity="6", **kw)).lines[0]
    f = only(cl, "dropout_cap")
    assert (f.severity, f.rule) == ("error", "Regel 6")
    assert (f.figures["billed"], f.figures["max"], f.figures["exit_reason"]) == ("6", "5", "no_show")
    assert codes(cl) == ["dropout_cap"]
    assert cl.allowed == D("400.00")
    near = check(line(quantity="5", **kw)).lines[0]
    assert codes(near) == [] and near.allowed == D("400.00")


def test_dropout_may_bill_5_days_beyond_the_working_days_up_to_the_exit():
    # exit Wednesday 12 March: 3–7 and 10–12 March = 8 working days, + 5 = 13
    kw = dict(exit_date=date(2025, 3, 12), exit_reason="dropout")
    cl = check(line(quantity="14", **kw)).lines[0]
    assert codes(cl) == ["dropout_cap"]
    assert only(cl, "dropout_cap").figures["working_days"] == "8"
    assert cl.allowed == D("1040.00")
    near = check(line(quantity="13", **kw)).lines[0]  # above rule 3's 8 days, but rule 6 replaces it
    assert codes(near) == [] and near.allowed == D("1040.00")


def test_dropout_in_the_entry_month_counts_from_the_entry():
    # entry Monday 17 March, exit Friday 21 March: 5 working days + 5 = 10
    kw = dict(entry_date=date(2025, 3, 17), exit_date=date(2025, 3, 21), exit_reason="dropout")
    assert check(line(quantity="11", **kw)).lines[0].allowed == D("800.00")
    assert codes(check(line(quantity="10", **kw)).lines[0]) == []


def test_no_show_in_coaching_is_capped_at_2_hours():
    kw = dict(programme="coaching", unit="coaching_hour", unit_price="200.00", exit_date=date(2025, 3, 3),
              exit_reason="no_show")
    cl = check(line(quantity="3", **kw)).lines[0]
    assert codes(cl) == ["dropout_cap"] and cl.allowed == D("400.00")
    near = check(line(quantity="2", **kw)).lines[0]
    assert codes(near) == [] and near.allowed == D("400.00")


def test_the_dropout_cap_applies_only_in_the_exit_month():
    cl = check(line(quantity="21.7", exit_date=date(2025, 4, 2), exit_reason="no_show")).lines[0]
    assert codes(cl) == [] and cl.allowed == D("1736.00")


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
