"""The supervision pages' forms (URL-encoded bodies), each with how it is read into a command's arguments."""
# A form's values are kept as typed (`cleaned`) to show the form again beside a refusal; what a command gets is
# parsed here: Swiss amounts, dates, lists of lines. A refusal is an Invalid with a German message.
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from services.common.forms import cleaned, typed_amount
from shared.kernel.errors import Invalid
from shared.kernel.periods import parse_date

CHOOSE_UNIT = "Bitte die Leistung zum vereinbarten Tarif wählen"


# --- an invoice's review -----------------------------------------------------------------------------------
@dataclass
class ReviewForm:
    decision: str = ""
    comment: str = ""


@dataclass
class ApprovalForm:
    comment: str = ""
    confirm_open: str = ""  # «trotzdem freigeben» ticked: approve although findings are open


@dataclass
class ReturnForm:
    reason: str = ""


@dataclass
class ParticipantSearchForm:
    nummer: str = ""
    referenz: str = ""  # a Kostengutsprache reference instead of a participant number


# --- the register ------------------------------------------------------------------------------------------
@dataclass
class NewProviderForm:
    slug: str = ""
    name: str = ""
    website: str = ""


@dataclass
class EditionForm:
    label: str = ""
    valid_from: str = ""
    programme_type_1: str = ""
    unit_1: str = ""
    max_chf_1: str = ""
    programme_type_2: str = ""
    unit_2: str = ""
    max_chf_2: str = ""
    programme_type_3: str = ""
    unit_3: str = ""
    max_chf_3: str = ""

    ROWS = 3  # maxima per form

    def edition(self) -> tuple[str, date, list[dict]]:
        """(label, valid from, the new maxima): a row is all three of programme type, unit and amount, or empty."""
        values = cleaned(self)
        if not values["label"]:
            raise Invalid("Bitte eine Bezeichnung angeben", "label", "")
        valid_from = parse_date(values["valid_from"], "Gültig ab")
        tariffs = []
        for i in range(1, self.ROWS + 1):
            pt, unit, chf = values[f"programme_type_{i}"], values[f"unit_{i}"], typed_amount(values[f"max_chf_{i}"])
            if not (pt or unit or chf):
                continue
            if not (pt and unit and chf):
                raise Invalid(f"Zeile {i}: Programmart, Leistung und Höchsttarif angeben", "max_chf", chf)
            tariffs.append({"programme_type": pt, "unit": unit, "max_chf": chf})
        if not tariffs:
            raise Invalid("Bitte mindestens einen neuen Höchsttarif angeben", "max_chf", "")
        return values["label"], valid_from, tariffs


@dataclass
class OfferingForm:
    code: str = ""
    programme_type: str = ""
    name: str = ""
    location: str = ""
    postcode: str = ""
    places: str = ""
    valid_from: str = ""
    valid_to: str = ""
    tariff_unit: str = ""
    tariff_chf: str = ""

    def offering(self) -> tuple[str, dict]:
        """(code, terms) of a new offering; an agreed tariff needs its unit."""
        values = cleaned(self)
        if not values["code"]:
            raise Invalid("Bitte einen Code für das Angebot angeben", "code", "")
        tariffs = {}
        if values["tariff_unit"] and values["tariff_chf"]:
            tariffs[values["tariff_unit"]] = values["tariff_chf"]  # as typed: the offering's rules parse it
        elif values["tariff_chf"]:
            raise Invalid(CHOOSE_UNIT, "agreed_tariffs", values["tariff_chf"])
        return values["code"], {"programme_type": values["programme_type"], "name": values["name"],
                                "location": values["location"], "postcode": values["postcode"],
                                "places": values["places"] or "0", "valid_from": values["valid_from"],
                                "valid_to": values["valid_to"] or None, "agreed_tariffs": tariffs}


@dataclass
class OfferingChangeForm:
    places: str = ""
    valid_to: str = ""
    postcode: str = ""
    location: str = ""
    tariff_unit: str = ""
    tariff_chf: str = ""

    def change(self) -> tuple[dict, tuple[str, str] | None]:
        """(the changed terms, the one agreed tariff set: unit and CHF); empty fields stay as they are."""
        values = cleaned(self)
        changes: dict = {}
        if values["places"]:
            changes["places"] = values["places"]
        if values["valid_to"]:
            changes["valid_to"] = parse_date(values["valid_to"], "Gültig bis").isoformat()
        changes.update({k: values[k] for k in ("postcode", "location") if values[k]})  # checked against swisstopo
        tariff = None
        if values["tariff_unit"] and values["tariff_chf"]:
            tariff = (values["tariff_unit"], values["tariff_chf"])
        elif values["tariff_chf"]:
            raise Invalid(CHOOSE_UNIT, "agreed_tariffs", values["tariff_chf"])
        if not changes and tariff is None:
            raise Invalid("Keine Änderung angegeben", "places", "")
        return changes, tariff


@dataclass
class ProviderForm:
    name: str = ""
    website: str = ""
    contact: str = ""
    active: str = ""
    iban: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""

    def details(self) -> dict:
        """The provider's details as they now are (active: «ja» or not; the IBAN without spaces)."""
        values = cleaned(self)
        return {"name": values["name"], "website": values["website"], "contact": values["contact"],
                "active": values["active"] == "ja", "iban": values["iban"].replace(" ", "").upper(),
                "street": values["street"], "postcode": values["postcode"], "city": values["city"]}


@dataclass
class AgreementForm:
    valid_from: str = ""
    valid_to: str = ""
    goals: str = ""
    target_groups: str = ""

    LIMIT = 5000  # characters per field

    def agreement(self) -> tuple[date, dict]:
        """(valid from, terms): goals and target groups one per line."""
        values = cleaned(self, self.LIMIT)
        valid_from = parse_date(values["valid_from"], "Gültig ab")
        valid_to = parse_date(values["valid_to"], "Gültig bis").isoformat() if values["valid_to"] else None
        return valid_from, {"valid_to": valid_to, "goals": _lines(values["goals"]),
                            "target_groups": _lines(values["target_groups"]), "target_values": {}}


@dataclass
class TreeForm:
    tree: str = ""

    LIMIT = 200_000  # characters of the tree's JSON

    def text(self) -> str:
        return (self.tree or "")[:self.LIMIT]

    def tree_json(self) -> tuple[dict, str]:
        """(the decision tree, its text): Invalid naming line and column when it is no JSON."""
        text = self.text()
        try:
            return json.loads(text), text
        except json.JSONDecodeError as exc:
            raise Invalid(f"Kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}): {exc.msg}", "tree",
                          None) from exc


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- finance -----------------------------------------------------------------------------------------------
@dataclass
class WaiverForm:
    provider: str = ""
    participant: str = ""
    valid_from: str = ""
    valid_to: str = ""
    monthly_contribution: str = ""
    reference: str = ""
    comment: str = ""
    confirmed: str = ""  # «trotzdem erfassen»: a participant the provider never billed


@dataclass
class RevokeForm:
    reason: str = ""


@dataclass
class BudgetForm:
    year: str = ""
    source: str = ""
    amount: str = ""
    comment: str = ""


@dataclass
class RuleForm:
    valid_from: str = ""
    programmes: list[str] | str = ""  # the slugs ticked (one: a string), or comma-separated as typed before
    refugees: str = ""
    label: str = ""
    self_payer: str = ""
    social_assistance: str = ""
    share: str = ""

    def categories(self) -> list[str]:
        """The funding categories ticked (none ticked: the canton's share of self-payers, as before)."""
        return [c for c in ("self_payer", "social_assistance") if getattr(self, c) in ("1", "on", "ja", "true")]

    def programme_list(self) -> list[str]:
        given = self.programmes.split(",") if isinstance(self.programmes, str) else self.programmes
        return [p.strip() for p in given if p.strip()]

    def for_refugees(self) -> bool:
        return self.refugees in ("1", "on", "ja", "true")


# --- the social services' register ------------------------------------------------------------------------
@dataclass
class SocialServiceForm:
    code: str = ""
    name: str = ""
    address: str = ""
    valid_from: str = ""
    valid_to: str = ""
