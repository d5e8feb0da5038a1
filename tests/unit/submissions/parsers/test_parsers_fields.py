"""Value rules of single fields."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from shared.kernel.periods import Period
from shared.submissions.parsers.dates import convert_date, convert_period
from shared.submissions.parsers.fields import converter
from shared.submissions.parsers.numbers import convert_decimal, convert_integer
from shared.submissions.parsers.texts import convert_participant, looks_like_ahv
from shared.submissions.parsers.values import Invalid
from shared.submissions.parsers.words import convert_flag


@pytest.mark.parametrize(("raw", "expected"), [
    ("2025-03", Period(2025, 3)), ("03.2025", Period(2025, 3)), ("3.2025", Period(2025, 3)),
    (" 12.2024 ", Period(2024, 12)), ("2025-3", Period(2025, 3)), ("01.03.2025", Period(2025, 3)),
    (datetime(2025, 3, 1), Period(2025, 3)), (date(2025, 3, 17), Period(2025, 3)),
    (3.2025, Period(2025, 3)), (10.2025, Period(2025, 10)), ("", None), (None, None),
])
def test_period(raw, expected):
    assert convert_period(raw) == expected


@pytest.mark.parametrize("raw", ["13.2025", "2025-00", "März 2025", "2025", "03/2025", "1999-12", 2025,
                                 True, "0.2025", float("nan")])
def test_period_invalid(raw):
    assert isinstance(convert_period(raw), Invalid)


@pytest.mark.parametrize(("raw", "expected"), [
    ("25.03.2025", date(2025, 3, 25)), ("2025-03-25", date(2025, 3, 25)), ("5.3.2025", date(2025, 3, 5)),
    ("25.03.25", date(2025, 3, 25)), ("2025-03-25 00:00:00", date(2025, 3, 25)),
    ("2025-03-25T00:00", date(2025, 3, 25)), (datetime(2025, 3, 25, 0, 0), date(2025, 3, 25)),
    (date(2025, 3, 25), date(2025, 3, 25)), (" ", None),
])
def test_date(raw, expected):
    assert convert_date(raw) == expected


@pytest.mark.parametrize("raw", ["31.02.2025", "2025-13-01", "25/03/2025", "25.03", "heute",
                                 "2025-03-25 14:30", "25.03.0025", "²5.03.2025", 45741, 1.5])
def test_date_invalid(raw):
    assert isinstance(convert_date(raw), Invalid)


@pytest.mark.parametrize(("raw", "expected"), [
    ("21.7", Decimal("21.7")), ("21,7", Decimal("21.7")), ("0.25", Decimal("0.25")),
    ("1'736.00", Decimal("1736.00")),
    ("1’736.00", Decimal("1736.00")), ("CHF 80.00", Decimal("80.00")), ("80 CHF", Decimal("80")),
    ("CHF\u00a01’736,50", Decimal("1736.50")), ("Fr. 80.–", Decimal("80")), ("0", Decimal("0")),
    ("-0", Decimal("0")), (5, Decimal(5)), (21.7, Decimal("21.7")), (21.699999999999999, Decimal("21.7")),
    (1e-9, Decimal("0.0")), (Decimal("12.50"), Decimal("12.50")), ("", None), (None, None),
])
def test_decimal(raw, expected):
    value = convert_decimal(raw)
    assert value == expected
    if expected is not None:
        assert str(value) == str(expected)


@pytest.mark.parametrize(("raw", "message"), [
    ("abc", '"abc" ist keine Zahl'), ("1,736.00", '"1,736.00" ist keine Zahl'),
    ("1e3", '"1e3" ist mit Exponent geschrieben – bitte als Dezimalzahl ohne «E» angeben'), ("NaN", '"NaN" ist keine Zahl'), ("-5", '"-5" darf nicht negativ sein'),
    (-0.5, '"-0.5" darf nicht negativ sein'), (True, '"true" ist keine Zahl'),
    (float("inf"), '"inf" ist keine Zahl'), ("1000000000000", '"1000000000000" ist unplausibel gross'),
    (Decimal("1E+20"), '"1E+20" ist unplausibel gross'),
    ("1_000", '"1_000" ist keine Zahl'), ("٣", '"٣" ist keine Zahl'),
])
def test_decimal_invalid(raw, message):
    value = convert_decimal(raw)
    assert isinstance(value, Invalid)
    assert value.message == message


@pytest.mark.parametrize(("raw", "expected"), [("12", 12), ("1'200", 1200), (8.0, 8), ("0", 0), (3, 3),
                                               ("", None)])
def test_integer(raw, expected):
    assert convert_integer(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [("2.5", '"2.5" ist keine ganze Zahl'),
                                              ("-1", '"-1" darf nicht negativ sein'),
                                              ("x", '"x" ist keine Zahl')])
def test_integer_invalid(raw, message):
    assert convert_integer(raw).message == message


@pytest.mark.parametrize(("raw", "expected"), [
    ("ja", True), ("Ja", True), ("yes", True), ("1", True), ("x", True), ("X", True), ("true", True),
    (True, True), (1, True), ("", False), (None, False), ("nein", False), ("no", False), ("0", False),
    (False, False), (0, False),
])
def test_refugee_flag(raw, expected):
    assert convert_flag(raw) is expected


def test_refugee_flag_invalid():
    assert convert_flag("vielleicht").message == '"vielleicht" ist kein Ja/Nein-Wert (erlaubt: ja, nein)'


@pytest.mark.parametrize(("raw", "expected"), [
    ("Sozialhilfe", "social_assistance"), ("SH", "social_assistance"), ("sh", "social_assistance"),
    ("social_assistance", "social_assistance"), ("Selbstzahler", "self_payer"), ("ohne SH", "self_payer"),
    ("OHNE  sh", "self_payer"), ("self_payer", "self_payer"), ("ALV", "alv_iv"), ("IV", "alv_iv"),
    ("alv_iv", "alv_iv"), ("ALV/IV", "alv_iv"),
])
def test_funding(catalogue, raw, expected):
    assert converter("funding", catalogue)(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Einsatztag", "assignment_day"), ("einsatztag", "assignment_day"), ("assignment_day", "assignment_day"),
    ("Einsatztag <4h", "reduced_day"), ("Einsatztag < 4h", "reduced_day"),
    ("Einsatztag unter 4 Stunden", "reduced_day"), ("reduced_day", "reduced_day"),
    ("Coachingstunde", "coaching_hour"), ("coaching_hour", "coaching_hour"), ("Arbeitsstunde", "hour_worked"),
    ("hour_worked", "hour_worked"),
])
def test_unit(catalogue, raw, expected):
    assert converter("unit", catalogue)(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Stelle 1. Arbeitsmarkt", "job_first_labour_market"), ("Lehre", "apprenticeship"),
    ("Programmwechsel", "programme_change"), ("Abbruch", "dropout"), ("Nichterscheinen", "no_show"),
    ("Regulärer Abschluss", "regular_end"), ("Andere", "other"), ("dropout", "dropout"),
    ("job_first_labour_market", "job_first_labour_market"), ("regular_end", "regular_end"),
])
def test_exit_reason(catalogue, raw, expected):
    assert converter("exit_reason", catalogue)(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("qualifizierung", "qualifizierung"), ("Qualifizierung", "qualifizierung"),
    ("Beschäftigung I", "beschaeftigung-1"), ("BESCHÄFTIGUNG II", "beschaeftigung-2"),
    ("integration.arbeit", "integration-arbeit"), ("Suchthilfe Stundenlohn", "suchthilfe-stundenlohn"),
    ("Beschaftigung I", None),
])
def test_programme(catalogue, raw, expected):
    value = converter("programme", catalogue)(raw)
    assert value == expected if expected else isinstance(value, Invalid)


@pytest.mark.parametrize("raw", ["756.1234.5678.97", "7561234567897", "756 1234 5678 97", "756-1234-5678-97",
                                 " 756.1234.5678.97 "])
def test_ahv_numbers(raw):
    assert looks_like_ahv(raw.strip())
    assert convert_participant(raw).message.startswith("sieht aus wie eine AHV-Nummer.")


@pytest.mark.parametrize("raw", ["756", "7561234", "756.1234.5678.9", "A-756.1234.5678.97", "75612345678971"])
def test_not_ahv_numbers(raw):
    assert not looks_like_ahv(raw)


@pytest.mark.parametrize(("raw", "expected"), [("B-0017", "B-0017"), (" 42 ", "42"), (1042, "1042"),
                                               (42.0, "42"), ("", None)])
def test_participant(raw, expected):
    assert convert_participant(raw) == expected


@pytest.mark.parametrize("raw", ["Hans Muster", "Muster,\u00a0Hans", "Anna\tBeispiel"])
def test_names_are_refused(raw):
    assert convert_participant(raw).message.startswith("enthält Leerzeichen und sieht aus wie ein Name.")


def test_participant_control_characters_and_length():
    assert convert_participant("A\x00B").message == '"A\\x00B" enthält unzulässige Steuerzeichen'
    assert convert_participant("A" * 101).message.endswith("ist zu lang (höchstens 100 Zeichen)")


def test_text_fields_normalise_spaces_and_refuse_control_characters():
    assert converter("text", None)("Werkstatt\u00a0Olten") == "Werkstatt Olten"
    assert converter("text", None)(" KGS\t2025 ") == "KGS 2025"
    assert converter("text", None)("KGS\x07").message == '"KGS\\x07" enthält unzulässige Steuerzeichen'
