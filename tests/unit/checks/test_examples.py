"""The example of domain-rules §4 and the worked examples of §6, exactly."""
from __future__ import annotations

from datetime import date

from shared.kernel.periods import Period, working_days

from .factory import D, check, codes, line


def test_section_4_example_23_days_at_85_in_a_full_month_of_qualifizierung():
    checked = check(line(quantity="23", unit_price="85.00"))
    cl = checked.lines[0]
    assert cl.claimed == D("1955.00")
    assert cl.allowed == D("1736.00")
    assert cl.reduction == D("219.00")
    assert codes(cl) == ["tariff_above_max", "days_above_month"]
    assert all(f.severity == "error" for f in cl.findings)
    assert cl.trace == (
        "Ansatz CHF 85.00 über dem Höchsttarif CHF 80.00 (§2)",
        "23 Einsatztage verrechnet, höchstens 21.7 pro Monat (Regel 2): 21.7 × CHF 80.00 = CHF 1’736.00",
    )
    assert checked.totals == {"claimed": D("1955.00"), "allowed": D("1736.00"), "reduction": D("219.00")}


def test_frau_a_coaching_6_hours_over_three_months():
    months = [(Period(2025, 1), "3", D("600.00")), (Period(2025, 2), "1", D("200.00")),
              (Period(2025, 3), "2", D("400.00"))]
    total = D(0)
    for period, hours, cost in months:
        cl = check(line(period=period, participant="A-0001", programme="coaching", unit="coaching_hour",
                        quantity=hours, unit_price="200.00", entry_date=date(2025, 1, 13),
                        exit_date=date(2025, 3, 20), exit_reason="regular_end")).lines[0]
        assert codes(cl) == []
        assert cl.allowed == cost
        total += cl.allowed
    assert total == D("1200.00")


def test_herr_b_qualifizierung_entry_two_full_months_and_exit():
    entry, exit_ = date(2025, 1, 27), date(2025, 4, 21)
    assert working_days(entry, date(2025, 1, 31)) == 5  # Monday 27 to Friday 31 January
    assert working_days(date(2025, 4, 1), exit_) == 15  # Tuesday 1 to Monday 21 April
    months = [(Period(2025, 1), "5", D("400.00")), (Period(2025, 2), "21.7", D("1736.00")),
              (Period(2025, 3), "21.7", D("1736.00")), (Period(2025, 4), "15", D("1200.00"))]
    total = D(0)
    for period, days, cost in months:
        cl = check(line(period=period, participant="B-0017", quantity=days, unit_price="80.00",
                        entry_date=entry, exit_date=exit_, exit_reason="regular_end")).lines[0]
        assert codes(cl) == [], cl.findings
        assert cl.allowed == cost
        total += cl.allowed
    assert total == D("5072.00")


def test_herr_b_one_day_more_in_the_entry_or_exit_month_is_cut_back():
    entry, exit_ = date(2025, 1, 27), date(2025, 4, 21)
    jan = check(line(period=Period(2025, 1), quantity="6", entry_date=entry, exit_date=exit_)).lines[0]
    apr = check(line(period=Period(2025, 4), quantity="16", entry_date=entry, exit_date=exit_,
                     exit_reason="regular_end")).lines[0]
    assert (codes(jan), jan.allowed) == (["days_above_working_days"], D("400.00"))
    assert (codes(apr), apr.allowed) == (["days_above_working_days"], D("1200.00"))
