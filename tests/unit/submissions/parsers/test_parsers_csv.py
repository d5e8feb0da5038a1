"""CSV invoices as Swiss Excel and other tools write them."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shared.kernel.periods import Period
from shared.submissions.domain.documents import FormatIssue, InvoiceLine, SubmissionRejected
from shared.submissions.parsers import parse_invoice

SPEC_EXAMPLE = (
    "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;Menge;"
    "Ansatz;Betrag\n"
    "03.2025;B-0017;Qualifizierung;Selbstzahler;;25.03.2025;;;Einsatztag;5;80.00;400.00\n"
    "03.2025;A-0042;Coaching;Selbstzahler;;;;;Coachingstunde;3;200.00;600.00\n"
    "03.2025;S-0103;Beschäftigung I;Sozialhilfe;KGS-OL-2025-031;;;;Einsatztag;21,7;35.00;759.50\n"
)
MARCH = Period(2025, 3)


def rejected(data: bytes, catalogue, **kwargs) -> list[FormatIssue]:
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(data, catalogue=catalogue, **kwargs)
    return caught.value.errors


def test_spec_example_parses_to_the_expected_lines(catalogue):
    invoice = parse_invoice(SPEC_EXAMPLE.encode("utf-8"), catalogue=catalogue, content_type="text/csv",
                            filename="rechnung-2025-03.csv")
    assert invoice.period == MARCH
    assert invoice.warnings == ()
    assert invoice.lines == (
        InvoiceLine(row=2, period=MARCH, participant="B-0017", programme="qualifizierung",
                    funding="self_payer", unit="assignment_day", quantity=Decimal("5"),
                    unit_price=Decimal("80.00"), amount=Decimal("400.00"), entry_date=date(2025, 3, 25)),
        InvoiceLine(row=3, period=MARCH, participant="A-0042", programme="coaching", funding="self_payer",
                    unit="coaching_hour", quantity=Decimal("3"), unit_price=Decimal("200.00"),
                    amount=Decimal("600.00")),
        InvoiceLine(row=4, period=MARCH, participant="S-0103", programme="beschaeftigung-1",
                    funding="social_assistance", cost_approval="KGS-OL-2025-031", unit="assignment_day",
                    quantity=Decimal("21.7"), unit_price=Decimal("35.00"), amount=Decimal("759.50")),
    )
    assert [str(line.amount) for line in invoice.lines] == ["400.00", "600.00", "759.50"]


def test_windows_1252_with_crlf_and_semicolons(catalogue):
    data = SPEC_EXAMPLE.replace("\n", "\r\n").encode("cp1252")
    assert "ä".encode("cp1252") in data  # «Beschäftigung I» is one byte 0xE4 here, not UTF-8
    invoice = parse_invoice(data, catalogue=catalogue)
    assert [line.programme for line in invoice.lines] == ["qualifizierung", "coaching", "beschaeftigung-1"]
    assert invoice.lines[2].quantity == Decimal("21.7")


def test_utf8_with_bom_and_commas_and_quoted_fields(catalogue):
    text = (
        "\ufeffMonat,Teilnehmer,Programm,Finanzierung,Leistung,Menge,Ansatz,Betrag\n"
        '2025-03,"B-0017","Beschäftigung I","Sozialhilfe","Einsatztag","21,7","35.00","759.50"\n'
        '2025-03,"A-0042",Coaching,"ohne SH",Coachingstunde,"0.25","1\'736.00","434.00"\n'
        "\n"
    )
    invoice = parse_invoice(text.encode("utf-8"), catalogue=catalogue)
    first, second = invoice.lines
    assert (first.row, first.participant, first.quantity, first.amount) == (2, "B-0017", Decimal("21.7"),
                                                                            Decimal("759.50"))
    assert (second.row, second.funding, second.quantity, second.unit_price) == (3, "self_payer",
                                                                               Decimal("0.25"),
                                                                               Decimal("1736.00"))


def test_quoted_field_with_separator_and_newline(catalogue):
    text = ('Monat;Teilnehmer;Programm;Angebot;Finanzierung;Leistung;Menge;Ansatz;Betrag\r\n'
            '03.2025;B-1;Qualifizierung;"Werkstatt; Olten";SH;Einsatztag;5;80;400\r\n'
            '03.2025;B-2;Qualifizierung;"Zwei ""Zeilen""";SH;Einsatztag;5;80;400\r\n'
            '\r\n\r\n')
    invoice = parse_invoice(text.encode("utf-8"), catalogue=catalogue)
    assert [(line.row, line.offering) for line in invoice.lines] == [(2, "Werkstatt; Olten"),
                                                                    (3, 'Zwei "Zeilen"')]


def test_shuffled_columns_any_case_and_spaces_and_an_unknown_column(catalogue):
    text = (" betrag ;ANSATZ;Menge;leistung;Bemerkung;finanzierung;Programm;teilnehmer;MONAT;Flüchtling/VA\n"
            "CHF 80.00;CHF 80.00;1;Einsatztag <4h;erster Tag;Selbstzahler;qualifizierung;Q-7;2025-03;ja\n"
            "80,00;80,00;1;Einsatztag unter 4 Stunden;;ALV;Qualifizierung;Q-8;2025-03;\n")
    invoice = parse_invoice(text.encode("utf-8"), catalogue=catalogue)
    assert invoice.warnings == (
        FormatIssue(1, "Bemerkung", "Bemerkung", 'Unbekannte Spalte "Bemerkung" wird ignoriert'),)
    first, second = invoice.lines
    assert first == InvoiceLine(row=2, period=MARCH, participant="Q-7", programme="qualifizierung",
                                funding="self_payer", unit="reduced_day", quantity=Decimal("1"),
                                unit_price=Decimal("80.00"), amount=Decimal("80.00"), refugee=True)
    assert (second.funding, second.unit, second.unit_price, second.refugee) == ("alv_iv", "reduced_day",
                                                                                Decimal("80.00"), False)


def test_swiss_number_forms(catalogue):
    rows = [("1'736.00", "1736.00"), ("1’736.00", "1736.00"), ("CHF 80.00", "80.00"), ("80,00", "80.00"),
            ("CHF 1’736,50", "1736.50"), ("Fr. 80.–", "80"), ("80", "80")]
    text = "Monat;Teilnehmer;Programm;Finanzierung;Leistung;Menge;Ansatz;Betrag\n" + "".join(
        f"3.2025;Q-{i};Qualifizierung;SH;Einsatztag;1;80;{amount}\n" for i, (amount, _) in enumerate(rows))
    invoice = parse_invoice(text.encode("utf-8"), catalogue=catalogue)
    assert [line.amount for line in invoice.lines] == [Decimal(expected) for _, expected in rows]
    assert [str(line.amount) for line in invoice.lines] == [expected for _, expected in rows]


def test_exit_reasons_and_dates(catalogue):
    text = ("Monat;Teilnehmer;Programm;Finanzierung;Eintritt;Austritt;Austrittsgrund;Leistung;Menge;Ansatz;"
            "Betrag\n"
            "03.2025;Q-1;Qualifizierung;SH;2025-03-03;14.03.2025;Abbruch;Einsatztag;5;80;400\n"
            "03.2025;Q-2;Qualifizierung;SH;;31.03.2025;Regulärer Abschluss;Einsatztag;5;80;400\n"
            "03.2025;Q-3;Qualifizierung;SH;;31.03.2025;stelle 1. arbeitsmarkt;Einsatztag;5;80;400\n"
            "03.2025;Q-4;Qualifizierung;SH;;2025-03-31;no_show;Einsatztag;5;80;400\n"
            "03.2025;Q-5;Qualifizierung;SH;;;;Einsatztag;5;80;400\n")
    invoice = parse_invoice(text.encode("utf-8"), catalogue=catalogue)
    assert [(line.entry_date, line.exit_date, line.exit_reason) for line in invoice.lines] == [
        (date(2025, 3, 3), date(2025, 3, 14), "dropout"),
        (None, date(2025, 3, 31), "regular_end"),
        (None, date(2025, 3, 31), "job_first_labour_market"),
        (None, date(2025, 3, 31), "no_show"),
        (None, None, None),
    ]


def test_missing_cost_approval_is_not_a_format_error(catalogue):
    text = ("Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag\n"
            "03.2025;S-1;Beschäftigung I;Sozialhilfe;;Einsatztag;21.7;35;759.50\n")
    (line,) = parse_invoice(text.encode("utf-8"), catalogue=catalogue).lines
    assert (line.funding, line.cost_approval) == ("social_assistance", None)


def test_errors_in_several_rows_are_all_reported_with_exact_rows(catalogue):
    text = ("Monat;Teilnehmer;Programm;Finanzierung;Leistung;Menge;Ansatz;Betrag\n"
            "03.2025;Q-1;Qualifizierung;SH;Einsatztag;5;80;400\n"
            "03.2025;Q-2;Qualifizierung;SH;Einsatztag;abc;80;400\n"
            "03.2025;Q-3;Qualifizierung;SH;Einsatztag;5;80;400\n"
            "03.2025;Q-4;Quali;Bund;Einsatztag;5;-80;\n")
    errors = rejected(text.encode("utf-8"), catalogue)
    assert errors == [
        FormatIssue(3, "Menge", "abc", 'Menge: "abc" ist keine Zahl'),
        FormatIssue(5, "Programm", "Quali", 'Programm: "Quali" ist keine bekannte Programmart'),
        FormatIssue(5, "Finanzierung", "Bund", 'Finanzierung: "Bund" ist keine bekannte Finanzierung '
                                              "(erlaubt: Sozialhilfe/SH, Selbstzahler/ohne SH, ALV/IV)"),
        FormatIssue(5, "Ansatz", "-80", 'Ansatz: "-80" darf nicht negativ sein'),
        FormatIssue(5, "Betrag", "", "Betrag: Angabe fehlt"),
    ]


def test_blank_lines_keep_the_spreadsheet_row_numbers(catalogue):
    text = ("Monat;Teilnehmer;Programm;Finanzierung;Leistung;Menge;Ansatz;Betrag\n"
            "03.2025;Q-1;Qualifizierung;SH;Einsatztag;5;80;400\n"
            ";;;;;;;\n"
            "\n"
            "03.2025;Q-2;Qualifizierung;SH;Stunde;5;80;400\n")
    errors = rejected(text.encode("utf-8"), catalogue)
    assert [(e.row, e.column, e.value) for e in errors] == [(5, "Leistung", "Stunde")]


def test_ahv_number_as_participant_is_rejected(catalogue):
    text = ("Monat;Teilnehmer;Programm;Finanzierung;Leistung;Menge;Ansatz;Betrag\n"
            "03.2025;Q-1;Qualifizierung;SH;Einsatztag;5;80;400\n"
            "03.2025;756.1234.5678.97;Qualifizierung;SH;Einsatztag;5;80;400\n"
            "03.2025;7561234567897;Qualifizierung;SH;Einsatztag;5;80;400\n")
    errors = rejected(text.encode("utf-8"), catalogue)
    assert [(e.row, e.column, e.value) for e in errors] == [(3, "Teilnehmer", "756.1234.5678.97"),
                                                            (4, "Teilnehmer", "7561234567897")]
    assert all(e.message.startswith("Teilnehmer: sieht aus wie eine AHV-Nummer.") for e in errors)


def test_name_as_participant_is_rejected(catalogue):
    text = ("Monat;Teilnehmer;Programm;Finanzierung;Leistung;Menge;Ansatz;Betrag\n"
            "03.2025;Hans Muster;Qualifizierung;SH;Einsatztag;5;80;400\n"
            "03.2025;;Qualifizierung;SH;Einsatztag;5;80;400\n")
    errors = rejected(text.encode("utf-8"), catalogue)
    assert errors == [
        FormatIssue(2, "Teilnehmer", "Hans Muster",
                    "Teilnehmer: enthält Leerzeichen und sieht aus wie ein Name. Namen gehören nicht in eine "
                    "Einreichung – bitte die pseudonyme Teilnehmernummer des Anbieters verwenden."),
        FormatIssue(3, "Teilnehmer", "", "Teilnehmer: Angabe fehlt"),
    ]


def test_exit_date_without_reason(catalogue):
    text = ("Monat;Teilnehmer;Programm;Finanzierung;Austritt;Austrittsgrund;Leistung;Menge;Ansatz;Betrag\n"
            "03.2025;Q-1;Qualifizierung;SH;14.03.2025;;Einsatztag;5;80;400\n"
            "03.2025;Q-2;Qualifizierung;SH;14.03.2025;weggezogen;Einsatztag;5;80;400\n")
    errors = rejected(text.encode("utf-8"), catalogue)
    assert [(e.row, e.column, e.value) for e in errors] == [(2, "Austrittsgrund", ""),
                                                            (3, "Austrittsgrund", "weggezogen")]
    assert errors[0].message == ("Austrittsgrund: Angabe fehlt – bei einem Austritt ist der Austrittsgrund "
                                 "anzugeben")


def test_mixed_months_one_error_per_deviating_row(catalogue):
    text = ("Monat;Teilnehmer;Programm;Finanzierung;Leistung;Menge;Ansatz;Betrag\n"
            "04.2025;Q-1;Qualifizierung;SH;Einsatztag;5;80;400\n"
            "03.2025;Q-2;Qualifizierung;SH;Einsatztag;5;80;400\n"
            "2025-03;Q-3;Qualifizierung;SH;Einsatztag;5;80;400\n"
            "3.2025;Q-4;Qualifizierung;SH;Einsatztag;5;80;400\n"
            "02.2025;Q-5;Qualifizierung;SH;Einsatztag;5;80;400\n")
    errors = rejected(text.encode("utf-8"), catalogue)
    assert [(e.row, e.column, e.value) for e in errors] == [(2, "Monat", "04.2025"), (6, "Monat", "02.2025")]
    assert errors[0].message == ("Monat: 2025-04 weicht vom Monat der Rechnung (2025-03) ab – eine "
                                 "Einreichung umfasst genau einen Monat")


def test_missing_required_column_is_one_error_on_row_1(catalogue):
    text = ("Monat;Teilnehmer;Programm;Finanzierung;Leistung;Ansatz;Betrag\n"
            "03.2025;Q-1;Qualifizierung;SH;Einsatztag;80;400\n")
    assert rejected(text.encode("utf-8"), catalogue) == [
        FormatIssue(1, "Menge", None, 'Pflichtspalte "Menge" fehlt')]


def test_header_only_and_empty_file_are_errors(catalogue):
    header = b"Monat;Teilnehmer;Programm;Finanzierung;Leistung;Menge;Ansatz;Betrag\r\n"
    header_only = rejected(header, catalogue)
    assert [(e.row, e.column) for e in header_only] == [(None, None)]
    assert "keine Datenzeilen" in header_only[0].message
    assert [e.message for e in rejected(b"", catalogue)] == ["Die Datei ist leer."]
    assert [e.message for e in rejected(b" \r\n\r\n", catalogue)] == ["Die Datei ist leer."]


def test_unquoted_decimal_comma_in_a_comma_file_is_reported(catalogue):
    text = ("Monat,Teilnehmer,Programm,Finanzierung,Leistung,Menge,Ansatz,Betrag\n"
            "2025-03,Q-1,Qualifizierung,SH,Einsatztag,21,7,80,1736\n")
    errors = rejected(text.encode("utf-8"), catalogue)
    assert [(e.row, e.column) for e in errors][0] == (2, None)
    assert errors[0].message.startswith("Die Zeile hat 9 Felder, die Kopfzeile nur 8")


def test_bytes_that_are_neither_utf8_nor_windows_1252(catalogue):
    errors = rejected(b"Monat;Teilnehmer\n\x81\x8d;x\n", catalogue)
    assert [(e.row, e.column, e.value) for e in errors] == [(None, None, None)]
    assert "weder UTF-8 noch Windows-1252" in errors[0].message


def test_a_column_given_twice_is_an_error(catalogue):
    text = ("Monat;Teilnehmer;Programm;Finanzierung;Leistung;Menge;Ansatz;Betrag;menge\n"
            "03.2025;Q-1;Qualifizierung;SH;Einsatztag;5;80;400;5\n")
    assert rejected(text.encode("utf-8"), catalogue) == [
        FormatIssue(1, "Menge", "menge", 'Die Spalte "Menge" kommt mehrfach vor')]


def test_excel_unicode_text_utf16_with_tabs(catalogue):
    text = ("Monat\tTeilnehmer\tProgramm\tFinanzierung\tLeistung\tMenge\tAnsatz\tBetrag\r\n"
            "03.2025\tQ-1\tBeschäftigung II\tSH\tEinsatztag\t21,7\t50.00\t1’085.00\r\n")
    (line,) = parse_invoice(text.encode("utf-16"), catalogue=catalogue).lines
    assert (line.programme, line.quantity, line.amount) == ("beschaeftigung-2", Decimal("21.7"),
                                                            Decimal("1085.00"))


def test_english_keys_as_headers_are_accepted(catalogue):
    text = ("period,participant,programme,funding,unit,quantity,unit_price,amount\n"
            "2025-03,Q-1,coaching,self_payer,coaching_hour,0.75,200,150\n")
    (line,) = parse_invoice(text.encode("utf-8"), catalogue=catalogue).lines
    assert (line.unit, line.quantity, line.amount) == ("coaching_hour", Decimal("0.75"), Decimal("150"))


def test_excel_separator_hint_line(catalogue):
    text = ("sep=,\r\n"
            "Monat,Teilnehmer,Programm,Finanzierung,Leistung,Menge,Ansatz,Betrag\r\n"
            "03.2025,Q-1,Coaching,SH,Coachingstunde,1;5,200,300\r\n")
    errors = rejected(text.encode("utf-8"), catalogue)
    assert [(e.row, e.column, e.value) for e in errors] == [(2, "Menge", "1;5")]


def test_a_parsed_invoice_is_freed_without_the_cyclic_collector(catalogue):
    """The parser leaves no reference cycle: dropping the document frees its lines at once (with the collector
    off, as during an upload), so no run of the collector after each upload has to find them."""
    import gc
    import weakref

    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        invoice = parse_invoice(SPEC_EXAMPLE.encode("utf-8"), catalogue=catalogue, content_type="text/csv")
        line = weakref.ref(invoice.lines[0])
        del invoice
        assert line() is None
    finally:
        if was:
            gc.enable()
