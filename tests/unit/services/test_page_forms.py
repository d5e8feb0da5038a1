"""The supervision pages' forms read into a command's arguments: Swiss amounts, dates, lines, refusals in German."""
from __future__ import annotations

from datetime import date

import pytest

from services.common.forms import cleaned, typed_amount
from services.supervision.forms import (
    AgreementForm,
    EditionForm,
    OfferingChangeForm,
    OfferingForm,
    ProviderForm,
    RuleForm,
)
from shared.kernel.errors import Invalid


@pytest.mark.parametrize(("typed", "read"), [("75,50", "75.50"), ("1'736.00", "1736.00"), ("1’736,5", "1736.5"),
                                              ("CHF 80", "80"), (" 12 ", "12")])
def test_an_amount_is_read_as_swiss_users_type_it(typed, read):
    assert typed_amount(typed) == read


@pytest.mark.parametrize("typed", ["abc", "1,234.50", "", "NaN", "1e3"])
def test_what_is_no_amount_stays_as_typed_for_the_use_case_to_refuse_naming_it(typed):
    assert typed_amount(typed) == typed


def test_a_form_is_kept_as_typed_stripped_and_bounded():
    form = OfferingForm(code="  Q-1 ", name="x" * 600)
    values = cleaned(form)
    assert values["code"] == "Q-1" and len(values["name"]) == 500 and values["tariff_chf"] == ""


def test_an_edition_form_gives_label_date_and_the_filled_rows():
    form = EditionForm(label=" 2026 ", valid_from="2026-01-01", programme_type_1="qualifizierung",
                       unit_1="assignment_day", max_chf_1="82,50", programme_type_3="coaching",
                       unit_3="coaching_hour", max_chf_3="1'200")
    assert form.edition() == ("2026", date(2026, 1, 1), [
        {"programme_type": "qualifizierung", "unit": "assignment_day", "max_chf": "82.50"},
        {"programme_type": "coaching", "unit": "coaching_hour", "max_chf": "1200"}])


@pytest.mark.parametrize(("fields", "message", "field"), [
    ({"valid_from": "2026-01-01", "programme_type_1": "coaching", "unit_1": "coaching_hour", "max_chf_1": "1"},
     "Bitte eine Bezeichnung angeben", "label"),
    ({"label": "x", "valid_from": "1.1.2026"}, "Gültig ab: «1.1.2026» ist kein Datum (JJJJ-MM-TT)", "Gültig ab"),
    ({"label": "x", "valid_from": "2026-01-01", "programme_type_2": "coaching", "max_chf_2": "5"},
     "Zeile 2: Programmart, Leistung und Höchsttarif angeben", "max_chf"),
    ({"label": "x", "valid_from": "2026-01-01"}, "Bitte mindestens einen neuen Höchsttarif angeben", "max_chf"),
])
def test_an_edition_form_is_refused_in_german_naming_the_field(fields, message, field):
    with pytest.raises(Invalid) as refused:
        EditionForm(**fields).edition()
    assert refused.value.message == message and refused.value.field == field


def test_an_offering_form_gives_code_and_terms_with_the_agreed_tariff_as_typed():
    code, terms = OfferingForm(code="Q-1", programme_type="qualifizierung", valid_from="2025-01-01",
                               tariff_unit="assignment_day", tariff_chf="75,00").offering()
    assert code == "Q-1" and terms["agreed_tariffs"] == {"assignment_day": "75,00"}
    assert terms["places"] == "0" and terms["valid_to"] is None
    with pytest.raises(Invalid, match="Leistung zum vereinbarten Tarif"):
        OfferingForm(code="Q-1", tariff_chf="75").offering()
    with pytest.raises(Invalid, match="Code für das Angebot"):
        OfferingForm(code=" ").offering()


def test_an_offering_change_names_what_changes_and_refuses_no_change():
    assert OfferingChangeForm(places="8", valid_to="2025-12-31").change() == (
        {"places": "8", "valid_to": "2025-12-31"}, None)
    assert OfferingChangeForm(tariff_unit="reduced_day", tariff_chf="30").change() == ({}, ("reduced_day", "30"))
    with pytest.raises(Invalid, match="Keine Änderung"):
        OfferingChangeForm().change()
    with pytest.raises(Invalid, match="Leistung zum vereinbarten Tarif"):
        OfferingChangeForm(tariff_chf="30").change()
    with pytest.raises(Invalid, match="Gültig bis"):
        OfferingChangeForm(valid_to="morgen").change()


def test_provider_agreement_and_rule_forms():
    assert ProviderForm(name=" A ", active="ja", iban="ch93 0076 2011 6238 5295 7").details() == {
        "name": "A", "website": "", "contact": "", "active": True, "iban": "CH9300762011623852957", "street": "",
        "postcode": "", "city": ""}
    assert ProviderForm(name="A", active="nein").details()["active"] is False
    valid_from, terms = AgreementForm(valid_from="2025-01-01", goals="eins\n\n  zwei \n",
                                      target_groups="Jugendliche").agreement()
    assert valid_from == date(2025, 1, 1)
    assert terms == {"valid_to": None, "goals": ["eins", "zwei"], "target_groups": ["Jugendliche"],
                     "target_values": {}}
    assert RuleForm(programmes=" coaching, ,qualifizierung").programme_list() == ["coaching", "qualifizierung"]
    assert RuleForm(refugees="on").for_refugees() and not RuleForm(refugees="").for_refugees()
