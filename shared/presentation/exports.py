"""Exports of the funding split for finance: XLSX (openpyxl, write-only) and CSV (streamed), one row per line.

Read as a person reads them: a title with the period and the stand of the store, German labels
(shared.presentation.labels: «Einsatztag», «Selbstzahlende», «Jugendprogramm», «Zulässig»), providers by
their names, months and receipt days as real date cells, column widths, an autofilter and a frozen header.
Technical ids (invoice, fee waiver decision, credit rule) only when asked for (`ids=True`).

Safe against formula injection (CSV/DDE injection): a text cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab, a carriage return or a line feed stays text. In the XLSX the cell is written as a string cell
(never a formula) with Excel's «quote prefix» style — the apostrophe Excel itself shows — so Excel and
openpyxl read it back as the same text; in the CSV such a value gets a leading ``'``.
Amounts are numbers in the XLSX (format #,##0.00) and "1736.00" strings in the CSV.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from shared.finance.domain.sources import SOURCE_NAMES_DE, SOURCES
from shared.finance.domain.split import LineSplit
from shared.kernel.money import amount_str
from shared.kernel.periods import Period
from shared.presentation import labels as L
from shared.presentation.format import local_time
from shared.presentation.xlsx import DANGEROUS_START, Sheet, write_xlsx

HEADER_ROW = 3  # title, stand, header


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text | amount | int | month | date
    width: float = 14


@dataclass
class ExportContext:
    """What the export names beside the lines: the period and the stand (for the title), the providers' and
    credit rules' names, the catalogue in force (programme names), whether technical ids are wanted."""

    title: str = "Finanzierung"
    stand: str = ""
    provider_names: dict[str, str] = field(default_factory=dict)
    rule_labels: dict[str, str] = field(default_factory=dict)
    catalogue: object = None
    timezone: str = "Europe/Zurich"
    ids: bool = False
    # (provider, Kostengutsprache reference) -> the register code of its social service, or None; code -> name
    social_service: Callable[[str, str | None], str | None] | None = None
    social_service_names: dict[str, str] = field(default_factory=dict)


def line_columns(ids: bool = False) -> list[Column]:
    cols = [Column("provider", "Anbieter", width=28), Column("period", "Monat", "month", 10),
            Column("participant", "Teilnehmer", width=14), Column("programme", "Programm", width=24),
            Column("unit", "Leistung", width=16), Column("funding", "Finanzierung", width=15),
            Column("cost_approval", "Kostengutsprache", width=20), Column("social_service", "Sozialdienst", width=24),
            Column("refugee", "Flüchtling/VA", width=8),
            Column("received", "Rechnung eingegangen", "date", 12), Column("row", "Zeile", "int", 7)]
    if ids:
        cols.append(Column("invoice", "Rechnung (ID)", width=38))
    cols += [Column("allowed", L.total("allowed"), "amount", 13),
             *(Column(f"source_{s}", SOURCE_NAMES_DE[s], "amount", 14) for s in SOURCES),
             Column("fee_waiver", "Kostenerlass", width=12),
             Column("credit_rule", "Regel Integrationskredit", width=30)]
    if ids:
        cols += [Column("fee_waiver_id", "Kostenerlass-Entscheid (ID)", width=38),
                 Column("credit_rule_id", "Regel Integrationskredit (ID)", width=38)]
    return cols


PROVIDER_COLUMNS = [Column("provider", "Anbieter", width=30), Column("allowed", L.total("allowed"), "amount", 15),
                    *(Column(s, SOURCE_NAMES_DE[s], "amount", 16) for s in SOURCES)]


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_START)


def csv_safe(text: str) -> str:
    """A text value for a CSV cell that a spreadsheet will not run as a formula."""
    return "'" + text if is_dangerous(text) else text


def line_rows(splits: Iterable[LineSplit], ctx: ExportContext | None = None) -> Iterator[dict]:
    """One dict per line, as a person reads it: names and German labels, the month as a date, amounts as
    Decimal (``participant`` is the participant number)."""
    ctx = ctx or ExportContext()
    names, rules = ctx.provider_names, ctx.rule_labels
    seen: dict[tuple[str, str], object] = {}  # (kind, code) -> what it reads as: codes recur on every line

    def once(kind: str, code: str, make):
        key = (kind, code)
        if key not in seen:
            seen[key] = make(code)
        return seen[key]

    def received_day(stamp: str):
        moment = local_time(stamp, ctx.timezone) if stamp else None
        return moment.date() if moment else None

    for s in sorted(splits, key=lambda s: (s.line.provider, s.line.period, s.line.participant,
                                           s.line.received_at, s.line.invoice, s.line.row)):
        ln = s.line
        yield {"provider": names.get(ln.provider, ln.provider),
               "period": once("period", ln.period, lambda p: Period.parse(p).first_day),
               "participant": ln.participant,
               "programme": once("programme", ln.programme, lambda p: L.programme(p, ctx.catalogue)),
               "unit": once("unit", ln.unit, L.unit), "funding": once("funding", ln.funding, L.funding),
               "cost_approval": ln.cost_approval or "", "social_service": _social_service(ctx, ln),
               "refugee": "ja" if ln.refugee else "", "received": once("received", ln.received_at, received_day),
               "row": ln.row, "invoice": ln.invoice, "allowed": ln.allowed,
               **{f"source_{k}": s.amounts[k] for k in SOURCES},
               "fee_waiver": "ja" if s.waiver else "",
               "credit_rule": rules.get(s.credit_rule or "", s.credit_rule or ""),
               "fee_waiver_id": s.waiver or "", "credit_rule_id": s.credit_rule or ""}


def _social_service(ctx: ExportContext, ln) -> str:
    """The register's name of the line's social service; «nicht zugeordnet» without a recorded Kostengutsprache."""
    if ctx.social_service is None or ln.funding != "social_assistance":
        return ""
    code = ctx.social_service(ln.provider, ln.cost_approval)
    return ctx.social_service_names.get(code, code) if code else "nicht zugeordnet"


def provider_rows(report: dict, ctx: ExportContext | None = None) -> list[dict]:
    names = (ctx or ExportContext()).provider_names
    rows = [{"provider": names.get(p["provider"], p["provider"]), **{k: Decimal(p[k]) for k in SOURCES},
             "allowed": sum((Decimal(p[k]) for k in SOURCES), Decimal(0))} for p in report["providers"]]
    rows.append({"provider": "Total", **{k: Decimal(report["total"][k]) for k in SOURCES},
                 "allowed": sum((Decimal(report["total"][k]) for k in SOURCES), Decimal(0))})
    return rows


# --- CSV ------------------------------------------------------------------------------------------------
def csv_chunks(rows: Iterable[dict], columns: Sequence[Column], *, per_chunk: int = 500) -> Iterator[bytes]:
    """Semicolon-separated, UTF-8 with BOM (what Swiss Excel opens directly), a few hundred rows a chunk."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    buf.write("\ufeff")
    writer.writerow([c.label for c in columns])
    for n, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(row.get(c.key)) for c in columns])
        if n % per_chunk == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def funding_csv_chunks(splits: Iterable[LineSplit], ctx: ExportContext | None = None) -> Iterator[bytes]:
    ctx = ctx or ExportContext()
    return csv_chunks(line_rows(splits, ctx), line_columns(ctx.ids))


def funding_csv(splits: Iterable[LineSplit], ctx: ExportContext | None = None) -> bytes:
    return b"".join(funding_csv_chunks(splits, ctx))


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return amount_str(value)
    if isinstance(value, date | datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool | int):
        return str(int(value))
    return csv_safe(str(value))


# --- XLSX (presentation/xlsx.py: rows go into the file as they come) --------------------------------------
def to_xlsx(sheets: Sequence[tuple[str, Sequence[Column], Iterable[dict]]], title: str = "", stand: str = "") -> bytes:
    """One worksheet per (name, columns, rows): title and stand above a frozen, filtered header."""
    return write_xlsx([_sheet(name, columns, rows, (title, stand)) for name, columns, rows in sheets])


def _sheet(name: str, columns: Sequence[Column], rows: Iterable[dict], titles: tuple[str, ...]) -> Sheet:
    keys = [c.key for c in columns]
    return Sheet(name, [c.label for c in columns], [c.kind for c in columns], [c.width for c in columns],
                 ([row.get(k) for k in keys] for row in rows), titles)


SOCIAL_SERVICE_COLUMNS = [Column("social_service", "Sozialdienst (Code)", width=14), Column("name", "Name", width=30),
                          Column("reference", "Kostengutsprache", width=22),
                          Column("amount", "Betrag", "amount", 14)]


def social_service_rows(report: dict) -> list[dict]:
    """report["by_social_service"] as rows: one per reference, then the social service's total."""
    rows = []
    for g in report.get("by_social_service", ()):
        code = "" if g["social_service"] == "unassigned" else g["social_service"]
        rows.extend({"social_service": code, "name": g["name"], "reference": r["reference"],
                     "amount": Decimal(r["amount"])} for r in g["references"])
        rows.append({"social_service": code, "name": g["name"], "reference": "Total", "amount": Decimal(g["amount"])})
    return rows


def funding_xlsx(splits: Iterable[LineSplit], report: dict, ctx: ExportContext | None = None) -> bytes:
    ctx = ctx or ExportContext()
    return to_xlsx([("Zeilen", line_columns(ctx.ids), line_rows(splits, ctx)),
                    ("Anbieter", PROVIDER_COLUMNS, provider_rows(report, ctx)),
                    ("Sozialdienste", SOCIAL_SERVICE_COLUMNS, social_service_rows(report))], ctx.title, ctx.stand)
