"""Tariff editions (register/domain/catalogue.py): a new edition applies from its date, older months keep the
edition of their month, through the catalogue itself and through the checks."""
from __future__ import annotations

from datetime import date

import pytest

from shared.kernel.periods import Period
from shared.register.domain.catalogue import EDITION_2024_25_FROM, Catalogue, edition_with_max
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


# --- the catalogue itself ------------------------------------------------------------------------------

def test_the_edition_in_force_is_the_latest_that_began_by_the_month():
    catalogue = CATALOGUE_2025
    assert [e.label for e in catalogue.editions] == ["2024/25", "2025/26"]
    assert catalogue.edition_for(Period(2025, 6)).label == "2024/25"
    assert catalogue.edition_for(Period(2025, 7)).label == "2025/26"
    assert catalogue.edition_for(Period(2030, 1)).label == "2025/26"
    # a month before the first edition has none in force (the checks: period_not_billable); the register
    # takes the first one as its reference for programme types and units
    assert catalogue.in_force(Period(2023, 12)) is None and catalogue.in_force(Period(2024, 1)).label == "2024/25"
    assert catalogue.edition_for(Period(2023, 12)).label == "2024/25"


def test_editions_are_kept_in_date_order_and_one_per_date():
    reordered = Catalogue((NEW, CATALOGUE.editions[0]))
    assert [e.valid_from for e in reordered.editions] == [date(2024, 1, 1), date(2025, 7, 1)]
    corrected = edition_with_max(NEW, "2025/26 korrigiert", date(2025, 7, 1),
                                 {("qualifizierung", "assignment_day"): D("77.00")})
    replaced = CATALOGUE_2025.with_edition(corrected)
    assert [e.label for e in replaced.editions] == ["2024/25", "2025/26 korrigiert"]
    assert replaced.edition_for(Period(2025, 7)).tariff("qualifizierung", "assignment_day").max_price == D("77.00")
    assert CATALOGUE_2025.edition_for(Period(2025, 7)).tariff("qualifizierung", "assignment_day").max_price == \
        D("75.00")  # with_edition makes a new catalogue; the old one is unchanged


def test_a_new_edition_copies_the_rest_and_keeps_the_monthly_cap():
    old = CATALOGUE.editions[0]
    new = edition_with_max(old, "x", date(2026, 1, 1), {("suchthilfe-stundenlohn", "hour_worked"): D("5.00")})
    assert new.tariff("suchthilfe-stundenlohn", "hour_worked").monthly_cap == D("350.00")
    assert new.tariff("suchthilfe-stundenlohn", "hour_worked").max_price == D("5.00")
    assert new.tariff("coaching", "coaching_hour") == old.tariff("coaching", "coaching_hour")
    assert old.tariff("suchthilfe-stundenlohn", "hour_worked").max_price == D("4.00")


def test_the_reduced_day_is_seventy_percent_of_the_day_wherever_a_day_is_billable():
    edition = CATALOGUE.editions[0]
    assert edition.tariff("qualifizierung", "reduced_day").max_price == D("56.0000")
    assert edition.tariff("beschaeftigung-1", "reduced_day").max_price == D("24.5000")
    assert edition.tariff("coaching", "reduced_day") is None  # coaching has no day
    assert edition.billable_units("qualifizierung") == {"assignment_day", "reduced_day"}
    assert edition.billable_units("integration-arbeit") == {"assignment_day", "reduced_day", "coaching_hour"}
    assert edition.billable_units("coaching") == {"coaching_hour"}
    assert edition.billable_units("teillohn") == frozenset()  # listed with a maximum of 0: nothing billable


def test_the_packaged_edition_has_every_programme_type_with_its_german_name():
    edition = CATALOGUE.editions[0]
    assert (edition.label, edition.valid_from) == ("2024/25", EDITION_2024_25_FROM)
    assert len(edition.programme_types) == 10
    assert edition.programme_types["beschaeftigung-1"].name_de == "Beschäftigung I"
    assert edition.programme_types["suchthilfe-stundenlohn"].social_assistance_only
    assert not edition.programme_types["coaching"].social_assistance_only


@pytest.mark.parametrize(("text", "slug"), [
    ("qualifizierung", "qualifizierung"), ("Qualifizierung", "qualifizierung"), ("  QUALIFIZIERUNG ", "qualifizierung"),
    ("Beschäftigung I", "beschaeftigung-1"), ("beschaeftigung ii", "beschaeftigung-2"),
    ("Programm R", "beschaeftigung-1-r"), ("Integration  Arbeit", "integration-arbeit"),
    ("integration.arbeit", "integration-arbeit"),
])
def test_programme_slug_from_slug_name_or_alias(text, slug):
    assert CATALOGUE.programme_slug(text) == slug


def test_an_unknown_programme_has_no_slug():
    assert CATALOGUE.programme_slug("Kochkurs") is None
    assert CATALOGUE.programme_slug("") is None
