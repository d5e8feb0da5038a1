"""The fields of the two documents (German header, JSON key, required, kind) and the converter of each kind.

The converters live by role: numbers, dates, words (vocabularies and programme types) and texts; each takes
one raw value and returns the domain value, ``None`` for an empty value, or an Invalid (values.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from shared.register.domain.catalogue import Catalogue
from shared.submissions.parsers.dates import convert_date, convert_period
from shared.submissions.parsers.numbers import convert_decimal, convert_integer
from shared.submissions.parsers.texts import convert_participant, convert_text
from shared.submissions.parsers.values import Converter
from shared.submissions.parsers.words import (
    EXIT_HINT,
    EXIT_REASON_WORDS,
    FUNDING_HINT,
    FUNDING_WORDS,
    UNIT_HINT,
    UNIT_WORDS,
    convert_flag,
    enumeration,
    programme,
)


@dataclass(frozen=True)
class FieldSpec:
    attr: str  # attribute of the domain object, and the JSON key
    header: str  # the German CSV/XLSX header as the spec writes it
    required: bool
    kind: str
    aliases: tuple[str, ...] = ()  # further accepted header spellings


INVOICE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("period", "Monat", True, "period"),
    FieldSpec("participant", "Teilnehmer", True, "participant"),
    FieldSpec("programme", "Programm", True, "programme"),
    FieldSpec("offering", "Angebot", False, "text"),
    FieldSpec("funding", "Finanzierung", True, "funding"),
    FieldSpec("cost_approval", "Kostengutsprache", False, "text"),
    FieldSpec("entry_date", "Eintritt", False, "date"),
    FieldSpec("exit_date", "Austritt", False, "date"),
    FieldSpec("exit_reason", "Austrittsgrund", False, "exit_reason"),
    FieldSpec("unit", "Leistung", True, "unit"),
    FieldSpec("quantity", "Menge", True, "decimal"),
    FieldSpec("unit_price", "Ansatz", True, "decimal"),
    FieldSpec("amount", "Betrag", True, "decimal"),
    FieldSpec("refugee", "Flüchtling/VA", False, "flag", ("Fluechtling/VA", "Flüchtling", "Fluechtling")),
)

CAPACITY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("period", "Monat", True, "period"),
    FieldSpec("programme", "Programm", True, "programme"),
    FieldSpec("offering", "Angebot", False, "text"),
    FieldSpec("places", "Plätze", True, "integer", ("Plaetze",)),
    FieldSpec("occupied", "Belegt", True, "integer"),
    FieldSpec("entries", "Eintritte", True, "integer"),
    FieldSpec("exits", "Austritte", True, "integer"),
    FieldSpec("waiting_list", "Warteliste", False, "integer"),
)

_CONVERTERS: dict[str, Converter] = {
    "period": convert_period,
    "participant": convert_participant,
    "text": convert_text,
    "date": convert_date,
    "decimal": convert_decimal,
    "integer": convert_integer,
    "flag": convert_flag,
    "funding": enumeration(FUNDING_WORDS, "keine bekannte Finanzierung", FUNDING_HINT),
    "unit": enumeration(UNIT_WORDS, "keine bekannte Leistung", UNIT_HINT),
    "exit_reason": enumeration(EXIT_REASON_WORDS, "kein bekannter Austrittsgrund", EXIT_HINT),
}


def converter(kind: str, catalogue: Catalogue) -> Converter:
    """The converter of one field kind (the programme's closes over the catalogue)."""
    if kind == "programme":
        return programme(catalogue)
    return _CONVERTERS[kind]
