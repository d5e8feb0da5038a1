"""Values that can not be true are format errors in every format (submission-format.md), with row, column and
value, and the message shows control characters escaped. Each rule as a near miss: just inside is read, just
outside is refused. CSV and XLSX number rows as Excel does (first line = row 2), JSON by position (1)."""
from __future__ import annotations

import io
import json
from decimal import Decimal

import openpyxl
import pytest

from shared.submissions.domain.documents import SubmissionRejected
from shared.submissions.parsers import parse_invoice
from shared.submissions.parsers.fields import INVOICE_FIELDS

HEADER = {spec.attr: spec.header for spec in INVOICE_FIELDS}
BASE = {"period": "03.2025", "participant": "B-0017", "programme": "Qualifizierung", "offering": "",
        "funding": "Selbstzahler", "cost_approval": "", "entry_date": "", "exit_date": "", "exit_reason": "",
        "unit": "Einsatztag", "quantity": "21.7", "unit_price": "80.00", "amount": "1736.00"}
FORMATS = ("csv", "xlsx", "json")


class Number(str):
    """A number as typed: unquoted in JSON, a number cell in XLSX, text in CSV."""


def document(fmt: str, **changes: str) -> bytes:
    row = {**BASE, **changes}
    if fmt == "csv":
        return (";".join(HEADER[k] for k in row) + "\n" + ";".join(row.values()) + "\n").encode()
    if fmt == "xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Rechnung"
        sheet.append([HEADER[k] for k in row])
        sheet.append([float(v) if isinstance(v, Number) else v for v in row.values()])
        for cell in sheet[2]:
            if cell.data_type == "f":  # «=1+1» typed as text (Excel: '=1+1), not a formula
                cell.data_type = "s"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    fields = ", ".join(f'"{k}": {v if isinstance(v, Number) else json.dumps(v)}' for k, v in row.items() if v)
    return ('{"period": "2025-03", "lines": [{' + fields + "}]}").encode()


def where(fmt: str, attr: str) -> tuple[int, str]:
    return (1, attr) if fmt == "json" else (2, HEADER[attr])


def parse(fmt: str, catalogue, **changes: str):
    return parse_invoice(document(fmt, **changes), catalogue=catalogue)


def refused(fmt: str, catalogue, **changes: str):
    data = document(fmt, **changes)
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(data, catalogue=catalogue)
    return caught.value.errors


# --- exponents ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("written", ["1E-5", "2e3", "1E-999999", "1E-3000000", "2.17E1"])
def test_a_number_with_an_exponent_is_refused_written_out_it_is_read(fmt, written, catalogue):
    line = parse(fmt, catalogue, quantity=Number("21.7"), unit_price=Number("80")).lines[0]
    assert (line.quantity, line.unit_price) == (Decimal("21.7"), Decimal("80"))
    [error] = refused(fmt, catalogue, quantity=Number(written))
    assert (error.row, error.column, error.value) == (*where(fmt, "quantity"), written)
    assert "mit Exponent geschrieben" in error.message and len(error.message) < 200


def test_an_xlsx_text_cell_with_an_exponent_is_refused(catalogue):
    [error] = refused("xlsx", catalogue, unit_price="8E1")
    assert (error.row, error.column, error.value) == (2, "Ansatz", "8E1")
    assert "mit Exponent geschrieben" in error.message


# --- decimal places ----------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_four_decimal_places_are_read_and_five_are_refused(fmt, catalogue):
    inside = parse(fmt, catalogue, quantity=Number("0.0001"), amount=Number("0.008"))
    assert inside.lines[0].quantity == Decimal("0.0001")
    [error] = refused(fmt, catalogue, quantity=Number("0.00001"), amount=Number("0.0008"))
    assert (error.row, error.column, error.value) == (*where(fmt, "quantity"), "0.00001")
    assert error.message.endswith("hat mehr als 4 Nachkommastellen")


# --- what a month holds ------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("unit", "inside", "outside", "holds"), [
    ("Einsatztag", "31", "31.25", "höchstens 31 Tage («Einsatztag»)"),
    ("Einsatztag <4h", "31", "32", "höchstens 31 Tage («Einsatztag <4h»)"),
    ("Coachingstunde", "744", "744.25", "höchstens 744 Stunden («Coachingstunde»)"),
    ("Arbeitsstunde", "744", "1000000000", "höchstens 744 Stunden («Arbeitsstunde»)"),
])
def test_a_quantity_above_what_a_month_holds_is_refused(fmt, unit, inside, outside, holds, catalogue):
    assert parse(fmt, catalogue, unit=unit, quantity=Number(inside)).lines[0].quantity == Decimal(inside)
    [error] = refused(fmt, catalogue, unit=unit, quantity=Number(outside))
    assert (error.row, error.column, error.value) == (*where(fmt, "quantity"), outside)
    assert error.message.endswith(f'"{outside}" ist mehr, als ein Monat fasst: {holds}')


# --- exit reason and dates ---------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_an_exit_reason_needs_an_exit_date(fmt, catalogue):
    dated = parse(fmt, catalogue, entry_date="25.03.2025", exit_date="31.03.2025", exit_reason="Abbruch")
    assert dated.lines[0].exit_reason == "dropout"
    [error] = refused(fmt, catalogue, entry_date="25.03.2025", exit_reason="Abbruch")
    assert (error.row, error.column) == where(fmt, "exit_date") and error.value in ("", None)
    label = where(fmt, "exit_date")[1]
    assert error.message == f'{label}: Angabe fehlt – der Austrittsgrund "Abbruch" braucht ein Austrittsdatum'


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_exit_can_not_precede_the_entry(fmt, catalogue):
    same_day = parse(fmt, catalogue, entry_date="25.03.2025", exit_date="25.03.2025", exit_reason="Abbruch")
    assert same_day.lines[0].exit_date == same_day.lines[0].entry_date
    [error] = refused(fmt, catalogue, entry_date="25.03.2025", exit_date="24.03.2025", exit_reason="Abbruch")
    label = where(fmt, "exit_date")[1]
    assert (error.row, error.column, error.value) == (*where(fmt, "exit_date"), "24.03.2025")
    assert error.message == (f"{label}: 24.03.2025 liegt vor dem Eintritt am 25.03.2025 – der Austritt kann "
                             f"nicht vor dem Eintritt liegen")


# --- text fields: no formulas, no control characters ---------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("attr", ["participant", "cost_approval", "offering"])
@pytest.mark.parametrize(("inside", "outside"), [("B=1", "=1+1"), ("41-79", "+41-79"), ("SUM", "@SUM(A1:A9)"),
                                                  ("KGS-2", "-2")])
def test_a_text_field_is_no_formula(fmt, attr, inside, outside, catalogue):
    assert getattr(parse(fmt, catalogue, **{attr: inside}).lines[0], attr) == inside
    [error] = refused(fmt, catalogue, **{attr: outside})
    assert (error.row, error.column, error.value) == (*where(fmt, attr), outside)
    assert f"beginnt mit «{outside[0]}» wie eine Tabellenformel" in error.message


@pytest.mark.parametrize("fmt", ["csv", "json"])  # openpyxl writes no control characters into a workbook
@pytest.mark.parametrize(("attr", "raw", "shown"), [
    ("participant", "A\x07B", "A\\x07B"), ("offering", "RM\x1b[2J", "RM\\x1b[2J"),
    ("cost_approval", "KGS\u202e1-SGK", "KGS\\u202e1-SGK"),
])
def test_control_characters_are_shown_escaped(fmt, attr, raw, shown, catalogue):
    [error] = refused(fmt, catalogue, **{attr: raw})
    assert (error.row, error.column, error.value) == (*where(fmt, attr), shown)
    assert error.message.endswith(f'"{shown}" enthält unzulässige Steuerzeichen')
    assert error.message.isprintable() and error.value.isprintable()


def test_an_unknown_column_with_control_characters_is_shown_escaped(catalogue):
    data = document("csv").replace(b"Betrag", b"Betrag;Notiz\x1b[2J", 1).replace(b"1736.00\n", b"1736.00;x\n")
    [warning] = parse_invoice(data, catalogue=catalogue).warnings
    assert warning.message == 'Unbekannte Spalte "Notiz\\x1b[2J" wird ignoriert' and warning.column.isprintable()
