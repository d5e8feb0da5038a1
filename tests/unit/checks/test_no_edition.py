"""No edition, no tariff (domain-rules §4): a month before the first tariff edition is period_not_billable,
or checked against the edition then in force where the canton registered one.

(offerings=None: the register is unknown, as offline; the factory's offerings start in 2024.)
"""
from __future__ import annotations

from datetime import date

from shared.kernel.periods import Period
from shared.register.domain.catalogue import edition_with_max

from .factory import CATALOGUE, D, check, codes, line


def test_a_month_before_the_first_edition_is_not_billable():
    before = check(line(period=Period(2023, 12)), offerings=None)
    cl = before.lines[0]
    assert before.edition is None and before.as_dict()["edition"] is None
    assert (codes(cl), cl.allowed) == (["period_not_billable"], D("0.00"))
    assert "gilt kein Tarif (erste Tarifausgabe 2024/25 ab 01.01.2024)" in cl.findings[0].message
    assert cl.findings[0].figures["first_edition_from"] == "2024-01-01"
    assert cl.trace[-1] == "Zulässiger Betrag: CHF 0.00"
    first = check(line(period=Period(2024, 1)), offerings=None)
    assert first.edition == "2024/25" and codes(first.lines[0]) == [] and first.lines[0].allowed == D("1736.00")


def test_long_before_any_edition_nothing_else_is_said():
    cl = check(line(period=Period(2000, 1), programme="teillohn", quantity="23", unit_price="500.00"),
               offerings=None).lines[0]
    assert (codes(cl), cl.allowed) == (["social_assistance_only", "period_not_billable"], D("0.00"))


OLD = edition_with_max(CATALOGUE.editions[0], "2022/23", date(2022, 10, 1),
                       {("qualifizierung", "assignment_day"): D("70.00")})
CATALOGUE_2022 = CATALOGUE.with_edition(OLD)


def test_the_edition_then_in_force_where_the_canton_registered_one():
    october = check(line(period=Period(2022, 10), unit_price="70.00"), catalogue=CATALOGUE_2022, offerings=None)
    assert october.edition == "2022/23"
    assert codes(october.lines[0]) == [] and october.lines[0].allowed == D("1519.00")
    above = check(line(period=Period(2022, 10), unit_price="80.00"), catalogue=CATALOGUE_2022, offerings=None).lines[0]
    assert codes(above) == ["tariff_above_max"] and above.allowed == D("1519.00")
    september = check(line(period=Period(2022, 9), unit_price="70.00"), catalogue=CATALOGUE_2022, offerings=None)
    assert september.edition is None
    assert (codes(september.lines[0]), september.lines[0].allowed) == (["period_not_billable"], D("0.00"))
