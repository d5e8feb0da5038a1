"""Parsers of provider submissions (invoices, capacity reports) in CSV, XLSX and JSON.

Pure domain code: bytes in, a ParsedInvoice / ParsedCapacityReport out, or SubmissionRejected
with every format problem found (HTTP 422), or SubmissionTooLarge (HTTP 413).
"""
from __future__ import annotations

from shared.register.domain.catalogue import Catalogue
from shared.submissions.domain.documents import ParsedCapacityReport, ParsedInvoice
from shared.submissions.parsers.csv_format import parse_csv
from shared.submissions.parsers.json_format import parse_json
from shared.submissions.parsers.limits import DEFAULT_LIMITS, Limits, check_bytes
from shared.submissions.parsers.records import CAPACITY, INVOICE, DocumentKind, document_issue
from shared.submissions.parsers.xlsx_format import (
    MACRO_MESSAGE,
    OLE_MAGIC,
    XLS_MESSAGE,
    ZIP_MAGIC,
    is_macro_content_type,
    parse_xlsx,
)

__all__ = ["DEFAULT_LIMITS", "Limits", "detect_format", "parse_capacity_report", "parse_invoice"]

_WHITESPACE = b" \t\r\n"
_UTF8_BOM = b"\xef\xbb\xbf"


def detect_format(data: bytes, content_type: str | None = None, filename: str | None = None) -> str:
    """"xlsx", "json" or "csv"; raises SubmissionRejected for .xls and macro workbooks."""
    if data.startswith(OLE_MAGIC):
        raise document_issue(XLS_MESSAGE)
    if (filename or "").strip().lower().endswith(".xlsm") or is_macro_content_type(content_type):
        raise document_issue(MACRO_MESSAGE)
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if "json" in (content_type or "").lower():
        return "json"
    head = data[:64].removeprefix(_UTF8_BOM).lstrip(_WHITESPACE)
    if head.startswith((b"{", b"[")):  # a list is refused by the JSON parser with a clear message
        return "json"
    return "csv"


_PARSERS = {"xlsx": parse_xlsx, "json": parse_json, "csv": parse_csv}


def _parse(kind: DocumentKind, data: bytes, catalogue: Catalogue, content_type: str | None,
           filename: str | None, limits: Limits) -> object:
    check_bytes(data, limits)  # before anything else, so an oversized upload costs nothing more
    if not isinstance(data, bytes):
        data = bytes(data)  # bytearray, memoryview
    return _PARSERS[detect_format(data, content_type, filename)](data, kind, catalogue, limits)


def parse_invoice(data: bytes, *, catalogue: Catalogue, content_type: str | None = None,
                  filename: str | None = None, limits: Limits = DEFAULT_LIMITS) -> ParsedInvoice:
    """A monthly invoice from CSV, XLSX or JSON bytes (see submission-format.md)."""
    return _parse(INVOICE, data, catalogue, content_type, filename, limits)  # type: ignore[return-value]


def parse_capacity_report(data: bytes, *, catalogue: Catalogue, content_type: str | None = None,
                          filename: str | None = None,
                          limits: Limits = DEFAULT_LIMITS) -> ParsedCapacityReport:
    """A monthly capacity report from CSV, XLSX or JSON bytes."""
    return _parse(CAPACITY, data, catalogue, content_type, filename, limits)  # type: ignore[return-value]
