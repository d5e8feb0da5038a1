"""Exports of the funding split for finance: XLSX (openpyxl) and CSV, one row per invoice line.

Safe against formula injection (CSV/DDE injection): a text cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab, a carriage return or a line feed stays text. In the XLSX the cell is written as a string cell
(never a formula) with Excel's «quote prefix» style — the apostrophe Excel itself shows — so Excel and
openpyxl read it back as the same text; in the CSV such a value gets a leading ``'``.
Amounts are numbers in the XLSX (format 0.00) and "1736.00" strings in the CSV.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from shared.finance.domain.sources import SOURCE_NAMES_DE, SOURCES
from shared.finance.domain.split import LineSplit
from shared.kernel.money import amount_str

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
AMOUNT_FORMAT = "#,##0.00"

LINE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("provider", "Anbieter"), ("period", "Monat"), ("participant", "Teilnehmer"), ("programme", "Programm"),
    ("unit", "Leistung"), ("funding", "Finanzierung"), ("cost_approval", "Kostengutsprache"),
    ("social_service", "Sozialdienst"),
    ("refugee", "Flüchtling/VA"), ("invoice", "Rechnung"), ("row", "Zeile"), ("allowed", "Bewilligt"),
    *((f"source_{s}", SOURCE_NAMES_DE[s]) for s in SOURCES),
    ("fee_waiver_id", "Kostenerlass-Entscheid"), ("credit_rule", "Regel Integrationskredit"),
)


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_START)


def csv_safe(text: str) -> str:
    """A text value for a CSV cell that a spreadsheet will not run as a formula."""
    return "'" + text if is_dangerous(text) else text


def line_rows(splits: Iterable[LineSplit], social_service=None) -> list[dict]:
    """One dict per line: text values as str, amounts as Decimal, the row number as int; the sources'
    amounts under ``source_<name>`` (``participant`` is the participant number). `social_service`:
    (provider, reference) -> the register code of a recorded Kostengutsprache's social service, or None."""
    rows = []
    for s in sorted(splits, key=lambda s: (s.line.provider, s.line.period, s.line.participant,
                                           s.line.received_at, s.line.invoice, s.line.row)):
        ln = s.line
        rows.append({"provider": ln.provider, "period": ln.period, "participant": ln.participant,
                     "programme": ln.programme, "unit": ln.unit, "funding": ln.funding,
                     "cost_approval": ln.cost_approval or "", "refugee": "ja" if ln.refugee else "",
                     "social_service": _social_service(social_service, ln),
                     "invoice": ln.invoice, "row": ln.row, "allowed": ln.allowed,
                     **{f"source_{k}": s.amounts[k] for k in SOURCES},
                     "fee_waiver_id": s.waiver or "", "credit_rule": s.credit_rule or ""})
    return rows


def _social_service(resolve, ln) -> str:
    if resolve is None or ln.funding != "social_assistance":
        return ""
    return resolve(ln.provider, ln.cost_approval) or "nicht zugeordnet"


def to_csv(rows: Sequence[dict], columns: Sequence[tuple[str, str]] = LINE_COLUMNS) -> bytes:
    """Semicolon-separated, UTF-8 with BOM (what Swiss Excel opens directly)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for _, label in columns])
    for row in rows:
        writer.writerow([_csv_value(row.get(key)) for key, _ in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return amount_str(value)
    if isinstance(value, bool | int):
        return str(int(value))
    return csv_safe(str(value))


def to_xlsx(sheets: Sequence[tuple[str, Sequence[tuple[str, str]], Sequence[dict]]]) -> bytes:
    """One worksheet per (title, columns, rows)."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, columns, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        for col, (_, label) in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=col)
            set_text(cell, label)
            cell.font = Font(bold=True)
        for r, row in enumerate(rows, start=2):
            for col, (key, _) in enumerate(columns, start=1):
                value = row.get(key)
                cell = ws.cell(row=r, column=col)
                if value is None or value == "":
                    continue
                if isinstance(value, Decimal):
                    cell.value = value
                    cell.number_format = AMOUNT_FORMAT
                elif isinstance(value, int) and not isinstance(value, bool):
                    cell.value = value
                else:
                    set_text(cell, str(value))
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def set_text(cell, text: str) -> None:
    """Write text that stays text: a string cell (never a formula); dangerous starts get the quote prefix."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.value = text
    cell.data_type = "s"
    if is_dangerous(text):
        cell.quotePrefix = True


def provider_rows(report: dict) -> list[dict]:
    rows = [{"provider": p["provider"], **{k: Decimal(p[k]) for k in SOURCES}} for p in report["providers"]]
    rows.append({"provider": "Total", **{k: Decimal(report["total"][k]) for k in SOURCES}})
    return rows


PROVIDER_COLUMNS: tuple[tuple[str, str], ...] = (("provider", "Anbieter"),
                                                 *((s, SOURCE_NAMES_DE[s]) for s in SOURCES))


SOCIAL_SERVICE_COLUMNS: tuple[tuple[str, str], ...] = (("social_service", "Sozialdienst"), ("name", "Name"),
                                                      ("reference", "Kostengutsprache"), ("amount", "Betrag"))


def social_service_rows(report: dict) -> list[dict]:
    """report["by_social_service"] as rows: one per reference, then the social service's total."""
    rows = []
    for g in report.get("by_social_service", ()):
        code = "" if g["social_service"] == "unassigned" else g["social_service"]
        rows.extend({"social_service": code, "name": g["name"], "reference": r["reference"],
                     "amount": Decimal(r["amount"])} for r in g["references"])
        rows.append({"social_service": code, "name": g["name"], "reference": "Total", "amount": Decimal(g["amount"])})
    return rows


def funding_xlsx(splits: Iterable[LineSplit], report: dict, social_service=None) -> bytes:
    return to_xlsx([("Zeilen", LINE_COLUMNS, line_rows(splits, social_service)),
                    ("Anbieter", PROVIDER_COLUMNS, provider_rows(report)),
                    ("Sozialdienste", SOCIAL_SERVICE_COLUMNS, social_service_rows(report))])


def funding_csv(splits: Iterable[LineSplit], social_service=None) -> bytes:
    return to_csv(line_rows(splits, social_service))
