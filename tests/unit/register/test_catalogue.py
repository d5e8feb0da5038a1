"""Tariff editions (register/domain/catalogue.py): a new edition applies from its date, older months keep the
edition of their month, through the catalogue itself and through the checks."""
from __future__ import annotations

from datetime import date

from shared.kernel.periods import Period
from shared.register.domain.catalogue import edition_with_max
from tests.unit.checks.factory import CATALOGUE, D, check, codes, line

NEW = edition_with_max(CATALOGUE.editions[0], "2025/26", date(2025, 7, 1),
                       {("qualifizierung", "assignment_day"): D("75.00")})
CATALOGUE_2025 = CATALOGUE.with_edition(NEW)


def test_a_month_before_the_new_edition_keeps_the_old_maximum():
    checked = check(line(period=Period(2025, 6), quantity="21.7", unit_price="80.00"),
                    catalogue=CATALOGUE_2025)
    assert checked.edition == "2024/25"
    assert codes(checked.lines[0]) == [] and checked.lines[0].allowed == D("1736.00")


def test_a_month_from_the_new_edition_gets_the_new_maximum():
    checked = check(line(period=Period(2025, 7), quantity="21.7", unit_price="80.00"),
                    catalogue=CATALOGUE_2025)
    assert checked.edition == "2025/26"
    cl = checked.lines[0]
    assert codes(cl) == ["tariff_above_max"]
    assert cl.findings[0].figures["max_price"] == "75.00"
    assert cl.allowed == D("1627.50")


def test_the_reduced_day_follows_the_new_day_maximum():
    cl = check(line(period=Period(2025, 7), unit="reduced_day", quantity="10", unit_price="56.00"),
               catalogue=CATALOGUE_2025).lines[0]
    assert codes(cl) == ["tariff_above_max"] and cl.allowed == D("525.00")


def test_an_old_invoice_checked_again_later_gives_the_same_result():
    old = line(period=Period(2025, 3), quantity="21.7", unit_price="80.00")
    before = check(old)
    after = check(old, catalogue=CATALOGUE_2025)
    assert before.as_dict() == after.as_dict()

