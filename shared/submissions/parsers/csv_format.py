"""CSV as Swiss Excel writes it: Windows-1252 or UTF-8 (with or without BOM), `;` or `,`, quotes."""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence

from shared.register.domain.catalogue import Catalogue
from shared.submissions.domain.documents import FormatIssue, SubmissionRejected
from shared.submissions.parsers.limits import Limits
from shared.submissions.parsers.records import DocumentKind, document_issue
from shared.submissions.parsers.tabular import parse_table

SEPARATORS = (";", ",", "\t")


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else Windows-1252; UTF-16 only with its BOM (Excel's «Unicode text»)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise document_issue("Die Datei ist als UTF-16 markiert, aber nicht lesbar.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise document_issue("Die Datei ist weder UTF-8 noch Windows-1252 kodiert und kann nicht gelesen "
                             "werden. Bitte als CSV (UTF-8) oder XLSX speichern.") from None


def sniff_separator(text: str) -> str:
    """`;`, `,` or tab: whichever occurs most often in the header line (`;` when none does)."""
    end = len(text)
    for newline in ("\n", "\r"):
        found = text.find(newline, 0, end)
        if found != -1:
            end = found
    line = text[:end]
    counts = [(line.count(sep), -i, sep) for i, sep in enumerate(SEPARATORS)]
    best = max(counts)
    return best[2] if best[0] > 0 else ";"


def _is_empty(cells: Sequence[object]) -> bool:
    for cell in cells:
        if cell and not cell.isspace():  # type: ignore[union-attr]
            return False
    return True


def _rows(text: str, separator: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', doublequote=True,
                        strict=False)
    rownum = 0
    try:
        for cells in reader:
            rownum += 1
            yield rownum, cells
    except csv.Error as exc:
        raise SubmissionRejected([FormatIssue(
            rownum + 1, None, None,
            f"Die CSV-Datei kann ab dieser Zeile nicht gelesen werden ({exc}).")]) from None


def _separator_hint(text: str) -> tuple[str | None, str]:
    """Excel's optional first line «sep=;»: the separator, and the text without that line.

    Excel does not show the line, so the header stays row 1 as the user sees it."""
    if text[:4].lower() == "sep=" and len(text) >= 5 and text[5:6] in ("\r", "\n", ""):
        rest = text[5:]
        return text[4], rest[2:] if rest.startswith("\r\n") else rest[1:]
    return None, text


def parse_csv(data: bytes, kind: DocumentKind, catalogue: Catalogue, limits: Limits) -> object:
    text = decode(data)
    if "\x00" in text:
        raise document_issue("Die Datei enthält Binärdaten (Nullbytes) und ist keine CSV-Datei.")
    separator, text = _separator_hint(text)
    return parse_table(_rows(text, separator or sniff_separator(text)), kind, catalogue, limits,
                       is_empty=_is_empty, filler="", strict_width=True)
