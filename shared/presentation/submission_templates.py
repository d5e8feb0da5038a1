"""Empty invoice and capacity report to download: the header and one example line, as CSV (semicolons, UTF-8
with BOM, as Swiss Excel opens it) and XLSX (the sheet named as the parsers look for it)."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from shared.presentation.submission_help import CAPACITY_FIELDS, INVOICE_FIELDS

KINDS = {"rechnung": ("Rechnung", INVOICE_FIELDS), "kapazitaet": ("Kapazität", CAPACITY_FIELDS)}


def template_csv(kind: str) -> bytes:
    _, fields = KINDS[kind]
    lines = [";".join(f.header for f in fields), ";".join(f.example for f in fields)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def template_xlsx(kind: str) -> bytes:
    sheet_name, fields = KINDS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name
    sheet.append([f.header for f in fields])
    sheet.append([_typed(f.example) for f in fields])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, f in zip(sheet.iter_cols(min_row=1, max_row=1), fields, strict=True):
        sheet.column_dimensions[column[0].column_letter].width = max(12, len(f.header) + 4)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _typed(value: str):
    """Numbers as number cells (as Excel would hold them); months and dates stay text."""
    if value and value.replace(".", "", 1).isdigit() and value.count(".") <= 1 and not _looks_like_date(value):
        return float(value) if "." in value else int(value)
    return value or None


def _looks_like_date(value: str) -> bool:
    return value.count(".") >= 1 and len(value.split(".")[-1]) == 4  # 03.2025, 25.03.2025
