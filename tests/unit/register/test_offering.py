"""An offering's terms (register/domain/offering.py): validity against the catalogue and the provider's other
offerings, German errors naming field and value, and the terms as the checks read them."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shared.kernel.errors import Invalid
from shared.kernel.periods import Period
from shared.register.domain.offering import OfferingTerms, terms_from_record, validate_offering
from shared.register.domain.register import Offering
from tests.unit.checks.factory import CATALOGUE, offering

TERMS = {"programme_type": "qualifizierung", "name": "Werkstatt", "location": "Olten", "postcode": "4600",
         "places": "12", "valid_from": "2025-01-01", "valid_to": "2025-12-31",
         "agreed_tariffs": {"assignment_day": "78", "reduced_day": "54.6"}}


def test_clean_terms_as_stored():
    assert validate_offering(CATALOGUE, [], "RM-Q1", TERMS) == {
        "programme_type": "qualifizierung", "name": "Werkstatt", "location": "Olten", "postcode": "4600",
        "places": 12, "agreed_tariffs": {"assignment_day": "78.00", "reduced_day": "54.60"},
        "valid_from": "2025-01-01", "valid_to": "2025-12-31"}
    minimal = validate_offering(CATALOGUE, [], "RM-C1", {"programme_type": "coaching", "valid_from": "2025-01-01"})
    assert minimal["name"] == "RM-C1" and minimal["valid_to"] is None and minimal["places"] == 0


@pytest.mark.parametrize(("change", "field", "value", "message"), [
    ({"programme_type": "kochkurs"}, "programme_type", "kochkurs", "Unbekannte Programmart «kochkurs»"),
    ({"valid_from": "1.1.2025"}, "valid_from", "1.1.2025", "Gültig ab/bis: Datum im Format JJJJ-MM-TT angeben"),
    ({"valid_to": "2024-12-31"}, "valid_to", "2024-12-31", "«Gültig bis» liegt vor «Gültig ab»"),
    ({"places": "zwölf"}, "places", "zwölf", "Plätze «zwölf» ist keine ganze Zahl"),
    ({"places": -1}, "places", "-1", "Plätze darf nicht negativ sein"),
    ({"agreed_tariffs": {"coaching_hour": "100"}}, "agreed_tariffs", "coaching_hour",
     "Die Programmart «qualifizierung» kennt die Leistung «coaching_hour» nicht"),
    ({"agreed_tariffs": {"assignment_day": "viel"}}, "agreed_tariffs", "viel",
     "Vereinbarter Tarif «viel» ist kein Betrag"),
    ({"agreed_tariffs": {"assignment_day": "80.05"}}, "agreed_tariffs", "80.05",
     "Vereinbarter Tarif CHF 80.05 für Einsatztag liegt über dem Höchsttarif CHF 80.00 der Ausgabe 2024/25"),
    ({"agreed_tariffs": {"assignment_day": "-1"}}, "agreed_tariffs", "-1",
     "Vereinbarter Tarif CHF -1.00 für Einsatztag darf nicht negativ sein"),
    ({"agreed_tariffs": {"assignment_day": "79.999"}}, "agreed_tariffs", "79.999",
     "Vereinbarter Tarif «79.999» für Einsatztag: höchstens zwei Nachkommastellen (Rappen)"),
    ({"agreed_tariffs": {"assignment_day": "NaN"}}, "agreed_tariffs", "NaN", "Vereinbarter Tarif «NaN» ist kein Betrag"),
    ({"agreed_tariffs": {"assignment_day": "sNaN"}}, "agreed_tariffs", "sNaN", None),
    ({"agreed_tariffs": {"assignment_day": "Infinity"}}, "agreed_tariffs", "Infinity", None),
    ({"agreed_tariffs": {"assignment_day": "1e1"}}, "agreed_tariffs", "1e1", None),
])
def test_broken_terms_are_refused_naming_field_and_value(change, field, value, message):
    with pytest.raises(Invalid) as caught:
        validate_offering(CATALOGUE, [], "RM-Q1", {**TERMS, **change})
    assert (caught.value.field, caught.value.value, caught.value.status) == (field, value, 422)
    if message:
        assert caught.value.message == message


def test_the_agreed_tariff_may_be_the_maximum_itself_or_nothing():
    terms = {**TERMS, "agreed_tariffs": {"assignment_day": "80.00", "reduced_day": "0"}}
    assert validate_offering(CATALOGUE, [], "RM-Q1", terms)["agreed_tariffs"] == {"assignment_day": "80.00",
                                                                                 "reduced_day": "0.00"}


@pytest.mark.parametrize("price", ["CHF 78", "78,00", 78, 78.0, Decimal("78.000")])
def test_an_agreed_tariff_in_swiss_forms_or_as_a_number(price):
    terms = {**TERMS, "agreed_tariffs": {"assignment_day": price}}
    assert validate_offering(CATALOGUE, [], "RM-Q1", terms)["agreed_tariffs"] == {"assignment_day": "78.00"}


def test_two_offerings_of_one_code_may_not_overlap():
    earlier = offering(code="RM-Q1", valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31))
    assert validate_offering(CATALOGUE, [earlier], "RM-Q1", TERMS)["valid_from"] == "2025-01-01"
    open_ended = offering(code="RM-Q1", valid_from=date(2024, 1, 1))
    with pytest.raises(Invalid, match="überschneidet sich mit dem Angebot «RM-Q1»"):
        validate_offering(CATALOGUE, [open_ended], "RM-Q1", TERMS)
    other_code = offering(code="RM-Q2", valid_from=date(2024, 1, 1))
    assert validate_offering(CATALOGUE, [other_code], "RM-Q1", TERMS)


def test_terms_from_a_register_record_are_what_the_checks_read():
    stored = validate_offering(CATALOGUE, [], "RM-Q1", TERMS)
    record = Offering(provider="regiomech", code="RM-Q1", terms=stored, actor="user:anna")
    terms = terms_from_record(record)
    assert terms == OfferingTerms(provider="regiomech", programme_type="qualifizierung", code="RM-Q1",
                                  name="Werkstatt", places=12, valid_from=date(2025, 1, 1),
                                  valid_to=date(2025, 12, 31), location="Olten", postcode="4600",
                                  agreed_tariffs={"assignment_day": Decimal("78.00"),
                                                  "reduced_day": Decimal("54.60")})
    assert terms.covers(Period(2025, 12)) and not terms.covers(Period(2026, 1))
    assert not terms.covers(Period(2024, 12))
