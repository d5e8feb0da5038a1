"""The funding exports (presentation/exports.py) stay safe against formula injection."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl

from shared.finance.domain.sources import SOURCES
from shared.finance.domain.split import FundingLine, split_lines
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
