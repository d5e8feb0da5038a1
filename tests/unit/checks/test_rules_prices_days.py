"""Each check of domain-rules §4, part one (tariffs, units, days): a case that triggers it and a near miss that does
not. Part two: test_rules_month.py."""
from __future__ import annotations

from datetime import date

from shared.checks import CATALOGUE
from shared.kernel.periods import Period

from .factory import REGISTERED, D, check, codes, line, offering, only


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
