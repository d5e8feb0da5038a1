"""Exports stay safe against formula injection, and the scope and reference helpers."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from shared.finance.application.reconciliation import parse_scope, social_service_of
from shared.finance.domain.sources import SOURCES
from shared.finance.domain.split import FundingLine, split_lines
from shared.kernel.errors import Invalid
from shared.presentation.exports import csv_safe, funding_csv, funding_xlsx

HOSTILE = ['=HYPERLINK("http://x","y")', "+41", "-1+1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")']


def report_of(splits) -> dict:
    return {"providers": [{"provider": "regiomech", **dict.fromkeys(SOURCES, "0.00")}],
            "total": dict.fromkeys(SOURCES, "0.00")}


def splits_for(values):
    lines = [FundingLine(provider="regiomech", period="2025-01", participant=v, programme="coaching",
                         funding="self_payer", allowed=Decimal("200.00"), cost_approval=v, row=i + 2)
             for i, v in enumerate(values)]
    return split_lines(lines)


def test_csv_safe():
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("B-0017") == "B-0017" and csv_safe("") == ""


def test_xlsx_keeps_hostile_text_as_text():
    data = funding_xlsx(splits_for(HOSTILE), report_of(None))
    ws = openpyxl.load_workbook(io.BytesIO(data))["Zeilen"]
    header = [c.value for c in ws[1]]
    col = header.index("Teilnehmer")
    got = [row[col] for row in ws.iter_rows(min_row=2)]
    # XML reads a CR in text back as LF
    assert sorted(c.value for c in got) == sorted(v.replace("\r", "\n") for v in HOSTILE)
    assert all(c.data_type == "s" and c.quotePrefix for c in got)
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    amount = header.index("Subvention Kanton")
    assert all(row[amount].value == 100 and row[amount].number_format == "#,##0.00"
               for row in ws.iter_rows(min_row=2))


def test_csv_prefixes_hostile_text():
    text = funding_csv(splits_for(HOSTILE)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    col, ref = rows[0].index("Teilnehmer"), rows[0].index("Kostengutsprache")
    assert sorted(r[col] for r in rows[1:]) == sorted("'" + v for v in HOSTILE)
    assert all(r[ref].startswith("'") for r in rows[1:])
    assert all(r[rows[0].index("Teilnehmende")] == "100.00" for r in rows[1:])


def test_scope():
    assert parse_scope(period="03.2025").periods[0].month == 3
    q = parse_scope(quarter="2025-Q2")
    assert q.label == "2025-Q2" and [str(p) for p in q.periods] == ["2025-04", "2025-05", "2025-06"]
    assert len(parse_scope(year="2025").periods) == 12
    for kw in ({}, {"period": "2025-03", "year": "2025"}, {"quarter": "2025-Q5"}, {"year": "25"},
               {"period": "2025-13"}):
        with pytest.raises(Invalid):
            parse_scope(**kw)


def test_social_service_of_reference():
    assert social_service_of("KGS-OL-2025-031") == "KGS-OL"
    assert social_service_of("SD Olten 2025/12") == "SD Olten"
    assert social_service_of("ABC") == "ABC"
    assert social_service_of("2025-1") == "2025-1"
