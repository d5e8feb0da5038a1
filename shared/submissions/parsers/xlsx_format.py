"""XLSX: the zip container is checked from its central directory before anything is inflated.

Only then openpyxl reads the workbook (read-only, cached values, defusedxml for the XML parts).
Macro workbooks and the old binary format are refused.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence

from shared.kernel.limits import swiss_count
from shared.register.domain.catalogue import Catalogue
from shared.submissions.domain.documents import SubmissionRejected, SubmissionTooLarge
from shared.submissions.parsers.limits import Limits, megabytes
from shared.submissions.parsers.records import DocumentKind, document_issue
from shared.submissions.parsers.tabular import parse_table
from shared.submissions.parsers.words import fold_key

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK\x03\x04"
EXCEL_MAX_ROWS = 1_048_576
RATIO_FLOOR = 64 * 1024  # members smaller than this, inflated, can not be a bomb whatever their ratio
CONTENT_TYPES_MAX = 1024 * 1024
PART_MAX = 16 * 1024 * 1024  # a part other than a worksheet is read whole (shared strings, styles)
MAX_COLUMNS = 256  # cells further right are not read: no invoice is that wide, and rows stay small
SLACK_ROWS = 1_000  # rows beyond the data-row limit a sheet may have (headings, blank rows); empty rows count too

MACRO_MESSAGE = ("Arbeitsmappen mit Makros (.xlsm) werden aus Sicherheitsgründen nicht angenommen. "
                 "Bitte als «Excel-Arbeitsmappe (.xlsx)» ohne Makros oder als CSV speichern.")
XLS_MESSAGE = ("Das alte Excel-Format (.xls) oder eine passwortgeschützte Arbeitsmappe wird nicht "
               "angenommen. Bitte ohne Kennwort als «Excel-Arbeitsmappe (.xlsx)» oder als CSV speichern.")
UNREADABLE = "Die Datei ist keine lesbare XLSX-Arbeitsmappe"
BOMB_MESSAGE = ("Die XLSX-Datei würde entpackt {what} und wird aus Sicherheitsgründen abgelehnt "
                "(möglicherweise eine «Zip-Bombe»).")


def is_macro_content_type(content_type: str | None) -> bool:
    return content_type is not None and "macroenabled" in content_type.lower()


def check_container(data: bytes, limits: Limits) -> None:
    """Member count, declared sizes and compression ratios, from the central directory only."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > limits.max_xlsx_members:
                raise document_issue(
                    f"Die XLSX-Datei enthält {swiss_count(len(infos))} Teile (höchstens "
                    f"{swiss_count(limits.max_xlsx_members)}) und wird aus Sicherheitsgründen abgelehnt.")
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / info.compress_size if info.compress_size > 0 else float("inf")
                if info.file_size > RATIO_FLOOR and ratio > limits.max_xlsx_ratio:
                    raise document_issue(BOMB_MESSAGE.format(
                        what=f"ungewöhnlich stark anwachsen (Teil «{info.filename[:80]}» mehr als "
                             f"{limits.max_xlsx_ratio}-fach komprimiert)"))
                if info.file_size > PART_MAX and not info.filename.startswith("xl/worksheets/"):
                    raise document_issue(BOMB_MESSAGE.format(
                        what=f"einen ungewöhnlich grossen Teil «{info.filename[:80]}» "
                             f"({megabytes(info.file_size)}) enthalten"))
            if total > limits.max_xlsx_uncompressed:
                raise document_issue(BOMB_MESSAGE.format(
                    what=f"{megabytes(total)} gross (höchstens {megabytes(limits.max_xlsx_uncompressed)})"))
            names = {info.filename.lower(): info for info in infos}
            if any(name.endswith("vbaproject.bin") for name in names):
                raise document_issue(MACRO_MESSAGE)
            content_types = names.get("[content_types].xml")
            if content_types is not None and content_types.file_size <= CONTENT_TYPES_MAX:
                if b"macroenabled" in archive.read(content_types).lower():
                    raise document_issue(MACRO_MESSAGE)
            if "xl/workbook.bin" in names:
                raise document_issue("Das binäre Excel-Format (.xlsb) wird nicht angenommen. Bitte als "
                                     "«Excel-Arbeitsmappe (.xlsx)» oder als CSV speichern.")
            if "xl/workbook.xml" not in names:
                raise document_issue(f"{UNREADABLE} (die Arbeitsmappe fehlt im Archiv).")
    except SubmissionRejected:
        raise
    except Exception as exc:  # untrusted archive: any failure is a format error
        raise document_issue(f"{UNREADABLE} ({type(exc).__name__}).") from None


def too_many_sheet_rows(limits: Limits) -> SubmissionTooLarge:
    return SubmissionTooLarge(
        f"Das Tabellenblatt hat mehr als {swiss_count(limits.max_rows + SLACK_ROWS)} Zeilen (leere Zeilen "
        f"mitgezählt); erlaubt sind höchstens {swiss_count(limits.max_rows)} Datenzeilen. Bitte leere Zeilen am "
        "Ende löschen oder die Einreichung aufteilen.")


def _sheet_rows(data: bytes, preferred: Sequence[str], limits: Limits) -> Iterator[tuple[int, Sequence[object]]]:
    """The rows of the sheet, empty ones included, up to the data-row limit and a little slack: a sheet of
    700'000 empty rows is refused after the first 21'000 instead of being read whole."""
    import openpyxl  # heavy import, only needed for XLSX submissions

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False,
                                          keep_vba=False)
    except Exception as exc:  # untrusted input: every failure is a format error
        raise document_issue(f"{UNREADABLE} ({type(exc).__name__}).") from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise document_issue(f"{UNREADABLE} (keine Tabellenblätter).")
        sheet = next((s for s in sheets if fold_key(s.title) in preferred), sheets[0])
        sheet.reset_dimensions()  # the stored dimension may be wrong: read what is there
        rownum = 0
        most = min(EXCEL_MAX_ROWS, limits.max_rows + SLACK_ROWS)
        try:
            for cells in sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True):
                rownum += 1
                if rownum > most:
                    raise too_many_sheet_rows(limits)
                yield rownum, cells
        except (SubmissionRejected, SubmissionTooLarge):
            raise
        except Exception as exc:  # malformed sheet XML, entity declarations (defusedxml), …
            raise document_issue(f"{UNREADABLE} (Blatt «{sheet.title}», Zeile {rownum + 1}: "
                                 f"{type(exc).__name__}).") from None
    finally:
        workbook.close()


def _is_empty(cells: Sequence[object]) -> bool:
    if cells.count(None) == len(cells):  # type: ignore[attr-defined]  # rows are tuples: a C-level test
        return True
    for cell in cells:
        if cell is not None and not (cell.__class__ is str and (not cell or cell.isspace())):  # type: ignore
            return False
    return True


def parse_xlsx(data: bytes, kind: DocumentKind, catalogue: Catalogue, limits: Limits) -> object:
    check_container(data, limits)
    rows = _sheet_rows(data, kind.sheet_names, limits)
    try:
        return parse_table(rows, kind, catalogue, limits, is_empty=_is_empty, filler=None,
                           strict_width=False)
    finally:
        rows.close()
