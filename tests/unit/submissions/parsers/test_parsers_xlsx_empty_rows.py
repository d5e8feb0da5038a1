"""An XLSX of 700'000 empty rows costs little (issue 14, point 13): the reader counts empty rows against the row
limit (plus a little slack) and stops there instead of reading the sheet whole."""
from __future__ import annotations

import io

import openpyxl
import pytest

from shared.submissions.domain.documents import SubmissionTooLarge
from shared.submissions.parsers import parse_invoice
from shared.submissions.parsers import xlsx_format as X
from shared.submissions.parsers.limits import Limits

HEADER = ["Monat", "Teilnehmer", "Programm", "Finanzierung", "Leistung", "Menge", "Ansatz", "Betrag"]
LINE = ["03.2025", "Q-1", "Qualifizierung", "Selbstzahler", "Einsatztag", 10, 80, 800]


def workbook(last_row: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(LINE)
    sheet.cell(row=last_row, column=1, value=" ")  # every row in between is empty, and read as such
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_700000_empty_rows_are_refused_after_the_limit(catalogue, monkeypatch):
    seen = []
    real = X._sheet_rows

    def counting(*args):
        for row in real(*args):
            seen.append(row[0])
            yield row

    monkeypatch.setattr(X, "_sheet_rows", counting)
    with pytest.raises(SubmissionTooLarge, match="leere Zeilen mitgezählt"):
        parse_invoice(workbook(700_002), catalogue=catalogue)
    assert len(seen) == Limits().max_rows + X.SLACK_ROWS  # read up to the limit, not to row 700'002


def test_empty_rows_within_the_slack_are_still_read(catalogue):
    parsed = parse_invoice(workbook(500), catalogue=catalogue, limits=Limits(max_rows=100))
    assert len(parsed.lines) == 1
    with pytest.raises(SubmissionTooLarge):
        parse_invoice(workbook(1_200), catalogue=catalogue, limits=Limits(max_rows=100))
