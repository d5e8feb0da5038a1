"""Capacity reports in CSV, XLSX and JSON."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from shared.kernel.periods import Period
from shared.submissions.domain.documents import CapacityRow, FormatIssue, ParsedCapacityReport, SubmissionRejected
from shared.submissions.parsers import parse_capacity_report

MARCH = Period(2025, 3)


def test_csv(catalogue):
    text = ("Monat;Programm;Angebot;Plätze;Belegt;Eintritte;Austritte;Warteliste\r\n"
            "03.2025;Qualifizierung;QA-Olten;12;11;2;1;4\r\n"
            "03.2025;integration.arbeit;;20;22;0;0;\r\n")
    report = parse_capacity_report(text.encode("cp1252"), catalogue=catalogue)
    assert report == ParsedCapacityReport(period=MARCH, rows=(
        CapacityRow(row=2, period=MARCH, programme="qualifizierung", places=12, occupied=11, entries=2,
                    exits=1, offering="QA-Olten", waiting_list=4),
        CapacityRow(row=3, period=MARCH, programme="integration-arbeit", places=20, occupied=22, entries=0,
                    exits=0),  # more occupied than places: a supervision matter, not a format error
    ))


def test_csv_plaetze_spelling_and_errors(catalogue):
    text = ("Monat,Programm,Plaetze,Belegt,Eintritte,Austritte\n"
            "2025-03,Coaching,10,5,1,1\n"
            "2025-03,Coaching,2.5,-1,,x\n"
            "2025-03,Coaching,1'200,5.0,1,1\n")
    with pytest.raises(SubmissionRejected) as caught:
        parse_capacity_report(text.encode("utf-8"), catalogue=catalogue)
    assert caught.value.errors == [
        FormatIssue(3, "Plätze", "2.5", 'Plätze: "2.5" ist keine ganze Zahl'),
        FormatIssue(3, "Belegt", "-1", 'Belegt: "-1" darf nicht negativ sein'),
        FormatIssue(3, "Eintritte", "", "Eintritte: Angabe fehlt"),
        FormatIssue(3, "Austritte", "x", 'Austritte: "x" ist keine Zahl'),
    ]


def test_xlsx_sheet_kapazitaet(catalogue, make_xlsx):
    data = make_xlsx([
        ("Rechnung", [["Monat", "Teilnehmer"], ["03.2025", "Q-1"]]),
        ("Kapazität", [["Monat", "Programm", "Angebot", "Plätze", "Belegt", "Eintritte", "Austritte"],
                       [datetime(2025, 3, 1), "Beschäftigung II", "B2", 8, 8.0, 0, 1]]),
    ])
    report = parse_capacity_report(data, catalogue=catalogue)
    assert report.rows == (CapacityRow(row=2, period=MARCH, programme="beschaeftigung-2", places=8,
                                       occupied=8, entries=0, exits=1, offering="B2"),)


def test_xlsx_sheet_kapazitaet_ascii(catalogue, make_xlsx):
    data = make_xlsx([
        ("Info", [["x"]]),
        ("Kapazitaet", [["Monat", "Programm", "Plaetze", "Belegt", "Eintritte", "Austritte"],
                        ["2025-03", "Teillohn", 5, 3, 0, 0]]),
    ])
    assert parse_capacity_report(data, catalogue=catalogue).rows[0].programme == "teillohn"


def test_json_rows_and_lines(catalogue):
    rows = [{"programme": "coaching", "places": 10, "occupied": "9", "entries": 1, "exits": 0,
             "waiting_list": 3, "offering": "C-1"}]
    for key in ("rows", "lines"):
        body = json.dumps({"period": "2025-03", key: rows}).encode()
        report = parse_capacity_report(body, catalogue=catalogue)
        assert report.rows == (CapacityRow(row=1, period=MARCH, programme="coaching", places=10, occupied=9,
                                           entries=1, exits=0, offering="C-1", waiting_list=3),)


def test_json_errors(catalogue):
    body = {"period": "2025-03", "rows": [
        {"programme": "coaching", "places": 10, "occupied": 9, "entries": 1, "exits": 0},
        {"programme": "Kochkurs", "places": 1.5, "occupied": 9, "entries": 1, "exits": 0,
         "period": "2025-02"},
    ]}
    with pytest.raises(SubmissionRejected) as caught:
        parse_capacity_report(json.dumps(body).encode(), catalogue=catalogue)
    assert [(e.row, e.column, e.value) for e in caught.value.errors] == [
        (2, "programme", "Kochkurs"), (2, "places", "1.5"), (2, "period", "2025-02")]
    assert caught.value.errors[2].message == ("period: 2025-02 weicht vom Monat der Kapazitätsmeldung "
                                              "(2025-03) ab – eine Einreichung umfasst genau einen Monat")


def test_an_invoice_is_not_a_capacity_report(catalogue):
    text = ("Monat;Teilnehmer;Programm;Finanzierung;Leistung;Menge;Ansatz;Betrag\n"
            "03.2025;Q;Coaching;SH;x;1;1;1\n")
    with pytest.raises(SubmissionRejected) as caught:
        parse_capacity_report(text.encode(), catalogue=catalogue)
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (1, "Plätze", 'Pflichtspalte "Plätze" fehlt'), (1, "Belegt", 'Pflichtspalte "Belegt" fehlt'),
        (1, "Eintritte", 'Pflichtspalte "Eintritte" fehlt'),
        (1, "Austritte", 'Pflichtspalte "Austritte" fehlt')]
    assert [w for w in caught.value.errors if w.message.startswith("Unbekannte")] == []
