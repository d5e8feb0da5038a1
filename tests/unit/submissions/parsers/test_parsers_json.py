"""JSON invoices: numbers and strings, row numbering, document-level errors."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from shared.kernel.periods import Period
from shared.submissions.domain.documents import FormatIssue, InvoiceLine, SubmissionRejected
from shared.submissions.parsers import parse_invoice

MARCH = Period(2025, 3)


def line(**overrides) -> dict:
    base = {"participant": "Q-1", "programme": "qualifizierung", "funding": "self_payer",
            "unit": "assignment_day", "quantity": "5", "unit_price": "80.00", "amount": "400.00"}
    base.update(overrides)
    return base


def errors_of(document, catalogue, **kwargs) -> list[FormatIssue]:
    data = document if isinstance(document, bytes) else json.dumps(document).encode("utf-8")
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(data, catalogue=catalogue, **kwargs)
    return caught.value.errors


def test_numbers_and_strings(catalogue):
    data = (b'{"period": "2025-03", "lines": ['
            b'{"participant": "Q-1", "programme": "Qualifizierung", "funding": "SH",'
            b' "cost_approval": "KGS-9", "unit": "Einsatztag", "quantity": 21.7, "unit_price": 80,'
            b' "amount": 1736.00,'
            b' "entry_date": "2025-03-03", "refugee": true},'
            b'{"participant": "Q-2", "programme": "integration-arbeit", "funding": "alv_iv",'
            b' "unit": "coaching_hour", "quantity": "0,25", "unit_price": "CHF 250.00", "amount": "62.50",'
            b' "exit_date": "31.03.2025", "exit_reason": "regular_end", "offering": "IA-Olten",'
            b' "refugee": "nein"}]}')
    invoice = parse_invoice(data, catalogue=catalogue, content_type="application/json")
    assert invoice.period == MARCH
    assert invoice.lines == (
        InvoiceLine(row=1, period=MARCH, participant="Q-1", programme="qualifizierung",
                    funding="social_assistance", cost_approval="KGS-9", unit="assignment_day",
                    quantity=Decimal("21.7"), unit_price=Decimal("80"), amount=Decimal("1736.00"),
                    entry_date=date(2025, 3, 3), refugee=True),
        InvoiceLine(row=2, period=MARCH, participant="Q-2", programme="integration-arbeit", funding="alv_iv",
                    unit="coaching_hour", quantity=Decimal("0.25"), unit_price=Decimal("250.00"),
                    amount=Decimal("62.50"), exit_date=date(2025, 3, 31), exit_reason="regular_end",
                    offering="IA-Olten"),
    )
    assert str(invoice.lines[0].amount) == "1736.00"  # parse_float=Decimal: no binary float on the way


def test_detected_by_the_opening_brace_without_content_type(catalogue):
    data = b'\xef\xbb\xbf  \n{"period": "03.2025", "lines": [' + json.dumps(line()).encode() + b"]}"
    assert parse_invoice(data, catalogue=catalogue).lines[0].participant == "Q-1"


def test_row_numbers_are_positions_in_lines(catalogue):
    document = {"period": "2025-03", "lines": [line(), line(participant="Q-2"),
                                               line(participant="Anna Beispiel"),
                                               line(quantity="x"), line(amount=-1)]}
    assert [(e.row, e.column, e.value) for e in errors_of(document, catalogue)] == [
        (3, "participant", "Anna Beispiel"), (4, "quantity", "x"), (5, "amount", "-1")]


def test_line_periods_must_match_the_document_period(catalogue):
    document = {"period": "2025-03", "lines": [line(), line(period="2025-04"), line(period="03.2025")]}
    errors = errors_of(document, catalogue)
    assert errors == [FormatIssue(2, "period", "2025-04", "period: 2025-04 weicht vom Monat der Rechnung "
                                                          "(2025-03) ab – eine Einreichung umfasst genau "
                                                          "einen Monat")]


def test_period_per_line_without_document_period(catalogue):
    document = {"lines": [line(period="2025-03"), line(period="3.2025")]}
    assert parse_invoice(json.dumps(document).encode(), catalogue=catalogue).period == MARCH
    missing = {"lines": [line(period="2025-03"), line()]}
    assert [(e.row, e.column, e.message) for e in errors_of(missing, catalogue)] == [
        (2, "period", "period: Angabe fehlt")]


def test_invalid_document_period_is_reported_once(catalogue):
    document = {"period": "März", "lines": [line(), line()]}
    assert errors_of(document, catalogue) == [
        FormatIssue(None, "period", "März", 'period: "März" ist kein gültiger Monat '
                                           "(erwartet z. B. 03.2025 oder 2025-03)")]


@pytest.mark.parametrize("body", [b"{", b'{"period": "2025-03", "lines": [}', b"\xff{}", b"{'a': 1}",
                                  b'{"period": NaN, "lines": []}', b'{"x": 1' + b"1" * 5000 + b"}"])
def test_not_json(catalogue, body):
    errors = errors_of(body, catalogue, content_type="application/json; charset=utf-8")
    assert [(e.row, e.column) for e in errors] == [(None, None)]
    assert errors[0].message.startswith("Der Inhalt ist kein gültiges JSON")


def test_too_deeply_nested(catalogue):
    errors = errors_of(b'{"lines": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", catalogue)
    assert [(e.row, e.message) for e in errors] in ([(None, "Das JSON ist zu tief verschachtelt.")],
                                                     [(1, "Die Zeile ist kein JSON-Objekt")])


@pytest.mark.parametrize(("document", "expected"), [
    ([line()], (None, None, 'Erwartet wird ein JSON-Objekt wie {"period": "2025-03", "lines": [...]}.')),
    ({"period": "2025-03"}, (None, "lines", 'Das Feld "lines" mit den Zeilen fehlt.')),
    ({"period": "2025-03", "lines": {"a": 1}}, (None, "lines", '"lines" muss eine Liste von Zeilen sein.')),
    ({"period": "2025-03", "lines": []}, (None, "lines", 'Die Einreichung enthält keine Zeilen ("lines" ist '
                                                         "leer).")),
])
def test_document_shape(catalogue, document, expected):
    assert [(e.row, e.column, e.message) for e in errors_of(document, catalogue)] == [expected]


def test_lines_that_are_not_objects_and_values_that_are_not_scalars(catalogue):
    document = {"period": "2025-03", "lines": [line(), "Q-2", line(quantity=[1, 2], participant={"id": 1})]}
    assert [(e.row, e.column, e.message) for e in errors_of(document, catalogue)] == [
        (2, None, "Die Zeile ist kein JSON-Objekt"),
        (3, "participant", "participant: \"{'id': 1}\" ist kein Text"),
        (3, "quantity", 'quantity: "[1, 2]" ist keine Zahl'),
    ]


def test_booleans_are_not_numbers_and_huge_numbers_are_refused(catalogue):
    document = {"period": "2025-03",
                "lines": [line(quantity=True), line(amount=1e20), line(unit_price="1e3")]}
    assert [(e.row, e.column, e.value) for e in errors_of(document, catalogue)] == [
        (1, "quantity", "true"), (2, "amount", "1e+20"), (3, "unit_price", "1e3")]


def test_unknown_keys_are_warnings_once(catalogue):
    document = {"period": "2025-03", "provider": "x", "lines": [line(note="a"), line(note="b", extra=1)]}
    invoice = parse_invoice(json.dumps(document).encode(), catalogue=catalogue)
    assert invoice.warnings == (
        FormatIssue(None, "provider", None, 'Unbekanntes Feld "provider" wird ignoriert'),
        FormatIssue(1, "note", None, 'Unbekanntes Feld "note" wird ignoriert'),
        FormatIssue(2, "extra", None, 'Unbekanntes Feld "extra" wird ignoriert'),
    )
