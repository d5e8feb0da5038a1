"""The funding exports (presentation/exports.py) stay safe against formula injection."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl

from shared.finance.domain.sources import SOURCES
from shared.finance.domain.split import FundingLine, split_lines
from shared.presentation.exports import HEADER_ROW, ExportContext, csv_safe, funding_csv, funding_xlsx

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
    header = [c.value for c in ws[HEADER_ROW]]
    col = header.index("Teilnehmer")
    got = [row[col] for row in ws.iter_rows(min_row=HEADER_ROW + 1)]
    # XML reads a CR in text back as LF
    assert sorted(c.value for c in got) == sorted(v.replace("\r", "\n") for v in HOSTILE)
    assert all(c.data_type == "s" and c.quotePrefix for c in got)
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    amount = header.index("Subvention Kanton")
    assert all(row[amount].value == 100 and row[amount].number_format == "#,##0.00"
               for row in ws.iter_rows(min_row=HEADER_ROW + 1))


def test_csv_prefixes_hostile_text():
    text = funding_csv(splits_for(HOSTILE)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    col, ref = rows[0].index("Teilnehmer"), rows[0].index("Kostengutsprache")
    assert sorted(r[col] for r in rows[1:]) == sorted("'" + v for v in HOSTILE)
    assert all(r[ref].startswith("'") for r in rows[1:])
    assert all(r[rows[0].index("Teilnehmende")] == "100.00" for r in rows[1:])


def test_xlsx_reads_as_finance_expects_it():
    """Title and stand above a frozen, filtered header; German labels, provider names, real date cells, widths;
    no technical id unless asked for."""
    ctx = ExportContext(title="Finanzierung nach Quelle – Januar 2025", stand="Stand 03.02.2025 10:00 Uhr",
                        provider_names={"regiomech": "RegioMech AG"})
    lines = [FundingLine(provider="regiomech", period="2025-01", participant="B-0017", programme="jugendprogramm",
                         funding="self_payer", unit="assignment_day", allowed=Decimal("2170.00"), row=2,
                         invoice="0f0e", received_at="2025-02-07T13:37:00+01:00")]
    wb = openpyxl.load_workbook(io.BytesIO(funding_xlsx(split_lines(lines), report_of(None), ctx)))
    ws = wb["Zeilen"]
    assert ws["A1"].value == ctx.title and ws["A1"].font.b and ws["A2"].value == ctx.stand
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:T4"  # 20 columns with «Sozialdienst»
    header = [c.value for c in ws[HEADER_ROW]]
    row = dict(zip(header, ws[HEADER_ROW + 1], strict=True))
    assert row["Anbieter"].value == "RegioMech AG" and row["Programm"].value == "Jugendprogramm"
    assert row["Leistung"].value == "Einsatztag" and row["Finanzierung"].value == "Selbstzahlende"
    assert row["Monat"].is_date and row["Monat"].value.date().isoformat() == "2025-01-01"
    assert row["Monat"].number_format == "MM.YYYY" and row["Rechnung eingegangen"].is_date
    assert row["Zulässig"].value == 2170 and "Bewilligt" not in header
    assert not any("ID" in h for h in header) and ws.column_dimensions["A"].width == 28
    with_ids = openpyxl.load_workbook(io.BytesIO(funding_xlsx(split_lines(lines), report_of(None),
                                                              ExportContext(ids=True))))["Zeilen"]
    assert "Rechnung (ID)" in [c.value for c in with_ids[HEADER_ROW]]
    assert wb["Anbieter"]["A4"].value == "RegioMech AG" and wb["Anbieter"]["A5"].value == "Total"


def test_csv_has_the_same_labels():
    text = funding_csv(splits_for(["B-1"])).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[:4] == ["Anbieter", "Monat", "Teilnehmer", "Programm"] and "Zulässig" in header
    assert "Coaching" in text and "Selbstzahlende" in text and "coaching" not in text.split("\r\n")[1]
