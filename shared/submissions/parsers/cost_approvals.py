"""Kostengutsprachen as a provider records them (submission-format «Kostengutsprachen»): a JSON object or list,
a CSV or an XLSX with Kostengutsprache; Sozialdienst; Teilnehmer; Programm; Gültig ab; Gültig bis; Menge; Betrag.

Each value is read with the invoice's converters; what can not be true is a format error with row, column and
value: valid_to before valid_from, a quantity or amount of 0 or less, an amount that contradicts the quantity
(more than the quantity at the programme type's highest maximum tariff could ever bill), one reference for two
participants in the same file. Whether the social service is registered is the application's to say."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.kernel.money import amount_str, quantity_str
from shared.kernel.periods import Period
from shared.register.domain.catalogue import Catalogue
from shared.submissions.domain.documents import FormatIssue, SubmissionRejected
from shared.submissions.parsers.dates import convert_date
from shared.submissions.parsers.limits import DEFAULT_LIMITS, Limits
from shared.submissions.parsers.numbers import convert_decimal
from shared.submissions.parsers.shown import value_text
from shared.submissions.parsers.table_rows import Column, read_table
from shared.submissions.parsers.texts import convert_participant, convert_text
from shared.submissions.parsers.values import Invalid
from shared.submissions.parsers.words import programme

COLUMNS = (
    Column("reference", "Kostengutsprache", True, ("KGS", "Referenz")),
    Column("social_service", "Sozialdienst", True),
    Column("participant", "Teilnehmer", True, ("Teilnehmerin", "Teilnehmernummer")),
    Column("programme", "Programm", True, ("Programmart",)),
    Column("valid_from", "Gültig ab", True, ("Gueltig ab",)),
    Column("valid_to", "Gültig bis", True, ("Gueltig bis",)),
    Column("quantity", "Menge", False),
    Column("amount", "Betrag", False),
)
HEADER = {c.key: c.header for c in COLUMNS}


@dataclass(frozen=True)
class ParsedApproval:
    row: int
    reference: str
    social_service: str  # as written: a code or a name of the register
    participant: str
    programme: str
    valid_from: date
    valid_to: date
    quantity: Decimal | None
    amount: Decimal | None


def issue(row: int, key: str, value, message: str) -> FormatIssue:
    return FormatIssue(row, HEADER[key], value_text(value), message)


def parse_cost_approvals(data: bytes, *, catalogue: Catalogue, content_type: str | None = None,
                         filename: str | None = None, limits: Limits = DEFAULT_LIMITS) -> list[ParsedApproval]:
    rows = read_table(data, COLUMNS, content_type=content_type, filename=filename, limits=limits,
                      sheet_names=("kostengutsprachen", "kgs"), json_keys=("cost_approvals", "approvals"))
    converters = {"reference": convert_text, "social_service": convert_text, "participant": convert_participant,
                  "programme": programme(catalogue), "valid_from": convert_date, "valid_to": convert_date,
                  "quantity": convert_decimal, "amount": convert_decimal}
    required = {c.key for c in COLUMNS if c.required}
    errors: list[FormatIssue] = []
    parsed: list[ParsedApproval] = []
    owners: dict[str, tuple[str, int]] = {}
    for row in rows:
        values: dict = {}
        bad = False
        for key, convert in converters.items():
            raw = row.values.get(key)
            value = convert(raw)
            if isinstance(value, Invalid):
                errors.append(issue(row.row, key, raw, f"{HEADER[key]}: {value.message}"))
                bad = True
            elif value is None and key in required:
                errors.append(issue(row.row, key, raw, f"{HEADER[key]} fehlt"))
                bad = True
            values[key] = value
        if bad:
            continue
        found = _contradictions(row.row, values, catalogue)
        key = " ".join(values["reference"].split()).casefold()
        owner = owners.setdefault(key, (values["participant"], row.row))
        if owner[0] != values["participant"]:
            found.append(issue(row.row, "reference", values["reference"],
                               f"Die Kostengutsprache {values['reference']} steht in Zeile {owner[1]} schon für "
                               f"eine andere Teilnehmernummer"))
        elif owner[1] != row.row:
            found.append(issue(row.row, "reference", values["reference"],
                               f"Die Kostengutsprache {values['reference']} steht schon in Zeile {owner[1]}"))
        if found:
            errors.extend(found)
            continue
        parsed.append(ParsedApproval(row.row, **values))
    if errors:
        raise SubmissionRejected(errors)
    return parsed


def _contradictions(row: int, v: dict, catalogue: Catalogue) -> list[FormatIssue]:
    found = []
    if v["valid_to"] < v["valid_from"]:
        found.append(issue(row, "valid_to", v["valid_to"].isoformat(),
                           f"«Gültig bis» ({v['valid_to']:%d.%m.%Y}) liegt vor «Gültig ab» "
                           f"({v['valid_from']:%d.%m.%Y})"))
    for key, unit in (("quantity", "Menge"), ("amount", "Betrag")):
        if v[key] is not None and v[key] <= 0:
            found.append(issue(row, key, str(v[key]), f"{unit} muss grösser als 0 sein (leer: ohne Begrenzung)"))
    quantity, amount = v["quantity"], v["amount"]
    if found or quantity is None or amount is None:
        return found
    edition = catalogue.in_force(Period.of(v["valid_from"])) or catalogue.editions[-1]
    prices = [t.max_price for (pt, _), t in edition.tariffs.items() if pt == v["programme"] and t.max_price > 0]
    if prices and amount > quantity * max(prices):
        found.append(issue(row, "amount", amount_str(amount),
                           f"Betrag CHF {amount_str(amount)} widerspricht der Menge {quantity_str(quantity)}: "
                           f"mehr als Menge × höchster Tarif (CHF {amount_str(max(prices))}) lässt sich nie "
                           f"verrechnen"))
    return found
