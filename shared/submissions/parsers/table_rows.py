"""A small table (CSV, XLSX or JSON) read into rows of raw values by column: for the lists a person keeps in
Excel besides the monthly documents (Kostengutsprachen, the register of social services). The caller converts
each value; format problems are SubmissionRejected with row (header = 1), column, value and a German message."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shared.submissions.domain.documents import FormatIssue, SubmissionRejected
from shared.submissions.parsers.csv_format import decode, sniff_separator
from shared.submissions.parsers.limits import Limits, check_bytes, too_many_rows
from shared.submissions.parsers.records import document_issue
from shared.submissions.parsers.shown import raw_text, value_text
from shared.submissions.parsers.words import fold_key
from shared.submissions.parsers.xlsx_format import OLE_MAGIC, XLS_MESSAGE, ZIP_MAGIC, check_container


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key and the name the caller reads
    header: str  # the German CSV/XLSX header
    required: bool
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableRow:
    row: int  # as Excel numbers it, header = 1 (JSON: the position in the list, from 1)
    values: dict  # key -> raw value (text, a typed cell, a JSON value); missing columns absent


def read_table(data: bytes, columns: Sequence[Column], *, content_type: str | None = None,
               filename: str | None = None, limits: Limits = Limits(),
               sheet_names: tuple[str, ...] = (), json_keys: tuple[str, ...] = ()) -> list[TableRow]:
    """Rows of a CSV, XLSX (first sheet, or one named in sheet_names) or JSON (an object, a list of objects, or
    an object with one of json_keys holding the list)."""
    check_bytes(data, limits)
    data = bytes(data)
    if data.startswith(OLE_MAGIC):
        raise document_issue(XLS_MESSAGE)
    if data.startswith(ZIP_MAGIC):
        check_container(data, limits)
        rows = _xlsx_rows(data, sheet_names, limits)
    else:
        head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
        if "json" in (content_type or "").lower() or head.startswith((b"{", b"[")):
            return _json_rows(data, columns, limits, json_keys)
        text = decode(data)
        if "\x00" in text:
            raise document_issue("Die Datei enthält Binärdaten (Nullbytes) und ist keine CSV-Datei.")
        rows = enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(text)), start=1)
    return _table(rows, columns, limits)


def _xlsx_rows(data: bytes, preferred: tuple[str, ...], limits) -> Iterable[tuple[int, Sequence[object]]]:
    from shared.submissions.parsers import xlsx_format

    return xlsx_format._sheet_rows(data, preferred, limits)  # noqa: SLF001 (the one hardened sheet reader)


def _empty(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _table(rows: Iterable[tuple[int, Sequence[object]]], columns: Sequence[Column], limits: Limits) -> list[TableRow]:
    lookup = {fold_key(name): col for col in columns for name in (col.header, col.key, *col.aliases)}
    iterator = iter(rows)
    header = None
    for rownum, cells in iterator:
        if not _empty(cells):
            header = (rownum, cells)
            break
    if header is None:
        raise document_issue("Die Datei ist leer.")
    head_row, cells = header
    found: dict[str, int] = {}
    errors: list[FormatIssue] = []
    for index, cell in enumerate(cells):
        col = lookup.get(fold_key(raw_text(cell) or ""))
        if col is not None and col.key not in found:
            found[col.key] = index
    for col in columns:
        if col.required and col.key not in found:
            errors.append(FormatIssue(head_row, col.header, None, f'Pflichtspalte "{col.header}" fehlt'))
    if errors:
        raise SubmissionRejected(errors)
    result: list[TableRow] = []
    for rownum, cells in iterator:
        if _empty(cells):
            continue
        if len(result) >= limits.max_rows:
            raise too_many_rows(limits)
        values = {key: cells[i] if i < len(cells) else None for key, i in found.items()}
        result.append(TableRow(rownum, values))
    if not result:
        raise document_issue("Die Datei enthält keine Datenzeilen (nur eine Kopfzeile oder gar nichts).")
    return result


def _json_rows(data: bytes, columns: Sequence[Column], limits: Limits, json_keys: tuple[str, ...]) -> list[TableRow]:
    try:
        loaded = json.loads(data.decode("utf-8-sig"), parse_float=str, parse_int=str)
    except (UnicodeDecodeError, ValueError) as exc:
        raise document_issue(f"Die JSON-Daten sind nicht lesbar ({type(exc).__name__}).") from None
    if isinstance(loaded, dict):
        inner = next((loaded[k] for k in json_keys if isinstance(loaded.get(k), list)), None)
        items = inner if inner is not None else [loaded]
    elif isinstance(loaded, list):
        items = loaded
    else:
        raise document_issue("Erwartet wird ein JSON-Objekt oder eine Liste von Objekten.")
    if not items:
        raise document_issue("Die Liste ist leer.")
    if len(items) > limits.max_rows:
        raise too_many_rows(limits)
    known = {col.key for col in columns}
    errors, result = [], []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(FormatIssue(n, None, value_text(str(item)[:60]), "Erwartet wird ein JSON-Objekt"))
            continue
        for key in item:
            if key not in known:
                errors.append(FormatIssue(n, str(key)[:60], None, f"Unbekanntes Feld «{str(key)[:60]}»"))
        result.append(TableRow(n, {k: v for k, v in item.items() if k in known}))
    if errors:
        raise SubmissionRejected(errors)
    return result
