"""XLSX invoices: typed cells, text cells, the sheet to read."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import openpyxl.xml
import pytest
from defusedxml import EntitiesForbidden

from shared.kernel.periods import Period
from shared.submissions.domain.documents import FormatIssue, InvoiceLine, SubmissionRejected
from shared.submissions.parsers import parse_invoice

HEADER = ["Monat", "Teilnehmer", "Programm", "Finanzierung", "Kostengutsprache", "Eintritt", "Austritt",
          "Austrittsgrund", "Leistung", "Menge", "Ansatz", "Betrag"]
MARCH = Period(2025, 3)


def test_openpyxl_parses_xml_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_typed_numbers_and_dates(catalogue, make_xlsx):
    data = make_xlsx([("Rechnung", [
        HEADER,
        [datetime(2025, 3, 1), "Q-1", "Qualifizierung", "Sozialhilfe", "KGS-1", datetime(2025, 3, 3),
         datetime(2025, 3, 31), "Regulärer Abschluss", "Einsatztag", 21.7, 80, 1736.0],
        [datetime(2025, 3, 1), 1042, "Coaching", "SH", "KGS-2", None, None, None, "Coachingstunde", 0.1 + 0.2,
         200.5, 60.15],
    ])])
    invoice = parse_invoice(data, catalogue=catalogue,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            filename="Rechnung März.xlsx")
    assert invoice.period == MARCH
    first, second = invoice.lines
    assert first == InvoiceLine(row=2, period=MARCH, participant="Q-1", programme="qualifizierung",
                                funding="social_assistance", cost_approval="KGS-1",
                                entry_date=date(2025, 3, 3), exit_date=date(2025, 3, 31),
                                exit_reason="regular_end", unit="assignment_day", quantity=Decimal("21.7"),
                                unit_price=Decimal("80"), amount=Decimal("1736"))
    assert str(first.quantity) == "21.7"
    assert (second.participant, second.quantity, second.unit_price, second.amount) == (
        "1042", Decimal("0.3"), Decimal("200.5"), Decimal("60.15"))
    assert str(second.quantity) == "0.3"  # 0.30000000000000004 in the cell: binary noise removed


def test_float_binary_noise_is_rounded_to_six_decimals(catalogue, make_xlsx):
    data = make_xlsx([("Tabelle1", [
        HEADER,
        ["2025-03", "Q-1", "Qualifizierung", "SH", None, None, None, None, "Einsatztag", 21.699999999999999,
         80, 1735.9999999999998],
    ])])
    (line,) = parse_invoice(data, catalogue=catalogue).lines
    assert (str(line.quantity), str(line.amount)) == ("21.7", "1736")


def test_text_cells(catalogue, make_xlsx):
    data = make_xlsx([("Tabelle1", [
        HEADER,
        ["03.2025", "Q-1", "Beschäftigung I", "Sozialhilfe", "KGS-1", "03.03.2025", "", "", "Einsatztag",
         "21,7", "CHF 35.00", "759.50"],
    ])])
    (line,) = parse_invoice(data, catalogue=catalogue).lines
    assert line == InvoiceLine(row=2, period=MARCH, participant="Q-1", programme="beschaeftigung-1",
                               funding="social_assistance", cost_approval="KGS-1",
                               entry_date=date(2025, 3, 3), unit="assignment_day", quantity=Decimal("21.7"),
                               unit_price=Decimal("35.00"), amount=Decimal("759.50"))


def test_sheet_named_rechnung_is_read_even_when_not_first(catalogue, make_xlsx):
    data = make_xlsx([
        ("Anleitung", [["Bitte das Blatt «Rechnung» ausfüllen"], ["nichts hier"]]),
        ("Rechnung", [HEADER, ["03.2025", "Q-1", "Coaching", "SH", "KGS", None, None, None, "Coachingstunde",
                               2, 200, 400]]),
    ])
    (line,) = parse_invoice(data, catalogue=catalogue).lines
    assert (line.row, line.participant, line.amount) == (2, "Q-1", Decimal("400"))


def test_first_sheet_when_none_is_named_rechnung(catalogue, make_xlsx):
    data = make_xlsx([
        ("März", [HEADER, ["03.2025", "Q-1", "Coaching", "SH", "KGS", None, None, None, "Coachingstunde", 2,
                           200, 400]]),
        ("Notizen", [["irgendwas"]]),
    ])
    assert parse_invoice(data, catalogue=catalogue).lines[0].participant == "Q-1"


def test_errors_carry_the_excel_row_numbers(catalogue, make_xlsx):
    data = make_xlsx([("Rechnung", [
        HEADER,
        ["03.2025", "Q-1", "Coaching", "SH", "KGS", None, None, None, "Coachingstunde", 2, 200, 400],
        ["03.2025", "Hans Muster", "Coaching", "SH", "KGS", None, None, None, "Coachingstunde", 2, 200, 400],
        [],
        ["03.2025", "Q-4", "Coaching", "SH", "KGS", None, None, None, "Coachingstunde", -2, "abc", True],
    ])])
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(data, catalogue=catalogue)
    assert [(e.row, e.column, e.value) for e in caught.value.errors] == [
        (3, "Teilnehmer", "Hans Muster"), (5, "Menge", "-2"), (5, "Ansatz", "abc"), (5, "Betrag", "true")]


def test_month_as_a_number_cell(catalogue, make_xlsx):
    data = make_xlsx([("Rechnung", [
        HEADER,
        [3.2025, "Q-1", "Coaching", "SH", "KGS", None, None, None, "Coachingstunde", 2, 200, 400],
        [10.2025, "Q-2", "Coaching", "SH", "KGS", None, None, None, "Coachingstunde", 2, 200, 400],
    ])])
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(data, catalogue=catalogue)
    assert [(e.row, e.column, e.value) for e in caught.value.errors] == [(3, "Monat", "10.2025")]


def test_unknown_and_missing_columns(catalogue, make_xlsx):
    data = make_xlsx([("Rechnung", [["Monat", "Teilnehmer", "Programm", "Finanzierung", "Leistung", "Menge",
                                     "Ansatz", "Summe"]])])
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(data, catalogue=catalogue)
    assert caught.value.errors == [FormatIssue(1, "Betrag", None, 'Pflichtspalte "Betrag" fehlt')]


def test_a_wrong_stored_dimension_does_not_hide_rows(catalogue, make_xlsx):
    data = make_xlsx([("Rechnung", [
        HEADER,
        ["03.2025", "Q-1", "Coaching", "SH", "KGS", None, None, None, "Coachingstunde", 2, 200, 400],
        ["03.2025", "Q-2", "Coaching", "SH", "KGS", None, None, None, "Coachingstunde", 2, 200, 400],
    ])])
    source = io.BytesIO(data)
    patched = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            content = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:L3" />' in content
                content = content.replace(b'<dimension ref="A1:L3" />', b'<dimension ref="A1:B2" />')
            zout.writestr(info.filename, content)
    invoice = parse_invoice(patched.getvalue(), catalogue=catalogue)
    assert [(line.participant, line.amount) for line in invoice.lines] == [("Q-1", Decimal("400")),
                                                                          ("Q-2", Decimal("400"))]


def test_entity_declarations_are_refused(catalogue, make_xlsx):
    data = make_xlsx([("Rechnung", [HEADER, ["03.2025", "Q-1"]])])
    source = io.BytesIO(data)
    patched = io.BytesIO()
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            content = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b"<t>Q-1</t>" in content
                content = laughs + content.replace(b"<t>Q-1</t>", b"<t>&lol2;</t>", 1)
            zout.writestr(info.filename, content)
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(patched.getvalue(), catalogue=catalogue)
    assert [(e.row, e.column) for e in caught.value.errors] == [(None, None)]
    assert caught.value.errors[0].message.startswith("Die Datei ist keine lesbare XLSX-Arbeitsmappe")
    # and it is defusedxml that refuses the entity, not a later accident
    with pytest.raises(ValueError) as direct:
        openpyxl.load_workbook(io.BytesIO(patched.getvalue()), read_only=True, data_only=True)
    assert isinstance(direct.value.__cause__, EntitiesForbidden)


def test_not_a_workbook_in_a_zip(catalogue):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hallo")
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(buffer.getvalue(), catalogue=catalogue)
    assert caught.value.errors[0].message == ("Die Datei ist keine lesbare XLSX-Arbeitsmappe (die "
                                              "Arbeitsmappe fehlt im Archiv).")


def test_truncated_zip(catalogue, make_xlsx):
    data = make_xlsx([("Rechnung", [HEADER])])
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(data[: len(data) // 2], catalogue=catalogue)
    assert caught.value.errors[0].row is None
    assert caught.value.errors[0].message.startswith("Die Datei ist keine lesbare XLSX-Arbeitsmappe")


def test_workbook_is_built_as_real_excel_would(make_xlsx):
    """The builder itself: the sheet order and titles the tests rely on."""
    data = make_xlsx([("A", [["x"]]), ("Rechnung", [["y"]])])
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["A", "Rechnung"]
    workbook.close()
