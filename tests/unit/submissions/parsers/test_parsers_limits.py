"""Size limits, zip bombs, macro workbooks and the old binary format."""
from __future__ import annotations

import io
import json
import struct
import tracemalloc
import zipfile

import pytest

from shared.submissions.domain.documents import SubmissionRejected, SubmissionTooLarge
from shared.submissions.parsers import DEFAULT_LIMITS, Limits, parse_capacity_report, parse_invoice

HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Leistung;Menge;Ansatz;Betrag\r\n"
ROW = "03.2025;Q-{};Qualifizierung;SH;Einsatztag;5;80;400\r\n"
XLSX_HEADER = ["Monat", "Teilnehmer", "Programm", "Finanzierung", "Leistung", "Menge", "Ansatz", "Betrag"]
XLSX_ROW = ["03.2025", "Q-1", "Qualifizierung", "SH", "Einsatztag", 5, 80, 400]


def csv_rows(n: int) -> bytes:
    return (HEADER + "".join(ROW.format(i) for i in range(n))).encode("utf-8")


def message_of(excinfo) -> str:
    return excinfo.value.errors[0].message


def test_default_limits():
    assert DEFAULT_LIMITS == Limits(max_bytes=10 * 1024 * 1024, max_rows=20_000, max_xlsx_members=200,
                                    max_xlsx_uncompressed=60 * 1024 * 1024, max_xlsx_ratio=150)


def test_oversized_file_is_refused_before_parsing(catalogue):
    garbage = b"\x00" * (DEFAULT_LIMITS.max_bytes + 1)  # would be a format error if it were parsed
    with pytest.raises(SubmissionTooLarge) as caught:
        parse_invoice(garbage, catalogue=catalogue)
    assert caught.value.message == ("Die Datei ist zu gross (10.0 MB); erlaubt sind höchstens 10 MB. "
                                    "Bitte die Einreichung aufteilen.")
    exactly = csv_rows(3)
    assert len(parse_invoice(exactly, catalogue=catalogue, limits=Limits(max_bytes=len(exactly))).lines) == 3
    with pytest.raises(SubmissionTooLarge):
        parse_invoice(exactly, catalogue=catalogue, limits=Limits(max_bytes=len(exactly) - 1))


def test_too_many_rows_csv(catalogue):
    limits = Limits(max_rows=3)
    assert len(parse_invoice(csv_rows(3) + b"\r\n\r\n", catalogue=catalogue, limits=limits).lines) == 3
    with pytest.raises(SubmissionTooLarge) as caught:
        parse_invoice(csv_rows(4), catalogue=catalogue, limits=limits)
    assert caught.value.message == ("Die Datei enthält mehr als 3 Datenzeilen; erlaubt sind höchstens 3. "
                                    "Bitte die Einreichung aufteilen.")


def test_too_many_rows_default_limit(catalogue):
    with pytest.raises(SubmissionTooLarge) as caught:
        parse_invoice(csv_rows(20_001), catalogue=catalogue)
    assert "mehr als 20’000 Datenzeilen" in caught.value.message


def test_too_many_rows_xlsx_and_json(catalogue, make_xlsx):
    limits = Limits(max_rows=2)
    xlsx = make_xlsx([("Rechnung", [XLSX_HEADER, XLSX_ROW, XLSX_ROW, XLSX_ROW])])
    with pytest.raises(SubmissionTooLarge):
        parse_invoice(xlsx, catalogue=catalogue, limits=limits)
    line = {"participant": "Q-1", "programme": "coaching", "funding": "SH", "unit": "Coachingstunde",
            "quantity": 1, "unit_price": 200, "amount": 200}
    body = json.dumps({"period": "2025-03", "lines": [line] * 3}).encode()
    with pytest.raises(SubmissionTooLarge):
        parse_invoice(body, catalogue=catalogue, limits=limits)
    rows = json.dumps({"period": "2025-03", "rows": [{}] * 3}).encode()
    with pytest.raises(SubmissionTooLarge):
        parse_capacity_report(rows, catalogue=catalogue, limits=limits)


# --- zip bombs ----------------------------------------------------------------------------------

def zip_with_zeros(size: int, name: str = "xl/worksheets/sheet1.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        chunk = b"\0" * (1 << 20)
        with archive.open(info, "w", force_zip64=True) as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb_200mb() -> bytes:
    return zip_with_zeros(200 * 1024 * 1024)


def test_zip_bomb_is_refused_in_bounded_memory(catalogue, bomb_200mb):
    assert len(bomb_200mb) < 1024 * 1024  # 200 MB of zeros in a few hundred KB
    tracemalloc.start()
    try:
        with pytest.raises(SubmissionRejected) as caught:
            parse_invoice(bomb_200mb, catalogue=catalogue, filename="rechnung.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert [(e.row, e.column) for e in caught.value.errors] == [(None, None)]
    assert "Zip-Bombe" in message_of(caught)


def with_garbled_member(archive_bytes: bytes, name: str) -> bytes:
    """The archive with the compressed bytes of one member overwritten: declared sizes unchanged, but
    inflating that member fails at its first byte."""
    data = bytearray(archive_bytes)
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        info = archive.getinfo(name)
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    data[start: start + info.compress_size] = b"\xff" * info.compress_size  # a reserved deflate block type
    return bytes(data)


def test_zip_bomb_is_refused_from_the_central_directory_before_anything_is_inflated(catalogue, bomb_200mb):
    """Without a clock: the bomb's data is garbled, and it is still refused as a bomb — so it was never read.
    How fast the refusal is, is measured by `make bench` (tests/bench/scaling.py)."""
    garbled = with_garbled_member(bomb_200mb, "xl/worksheets/sheet1.xml")
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(garbled, catalogue=catalogue, filename="rechnung.xlsx")
    assert "Zip-Bombe" in message_of(caught)


def test_a_garbled_member_is_noticed_when_it_is_read(catalogue, make_xlsx):
    """The control of the test above: the same garbling in a workbook that passes the container checks
    is found when the sheet is inflated."""
    workbook = make_xlsx([("Rechnung", [XLSX_HEADER, XLSX_ROW])])
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(with_garbled_member(workbook, "xl/worksheets/sheet1.xml"), catalogue=catalogue)
    assert message_of(caught).startswith("Die Datei ist keine lesbare XLSX-Arbeitsmappe")


def test_total_uncompressed_size_limit(catalogue):
    lenient_ratio = Limits(max_xlsx_ratio=10**9, max_xlsx_uncompressed=8 * 1024 * 1024)
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(zip_with_zeros(9 * 1024 * 1024), catalogue=catalogue, limits=lenient_ratio)
    assert message_of(caught) == ("Die XLSX-Datei würde entpackt 9.0 MB gross (höchstens 8 MB) und wird aus "
                                  "Sicherheitsgründen abgelehnt (möglicherweise eine «Zip-Bombe»).")


def test_compression_ratio_limit(catalogue):
    data = zip_with_zeros(8 * 1024 * 1024)  # under the 60 MB total, but about 1000:1
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(data, catalogue=catalogue)
    assert message_of(caught).startswith("Die XLSX-Datei würde entpackt ungewöhnlich stark anwachsen "
                                         "(Teil «xl/worksheets/sheet1.xml» mehr als 150-fach komprimiert)")


def test_member_count_limit(catalogue):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(201):
            archive.writestr(f"xl/media/image{i}.png", b"x")
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(buffer.getvalue(), catalogue=catalogue)
    assert message_of(caught) == ("Die XLSX-Datei enthält 201 Teile (höchstens 200) und wird aus "
                                  "Sicherheitsgründen abgelehnt.")


def test_member_lying_about_its_size_is_not_inflated_beyond_it(catalogue, make_xlsx):
    """The central directory says 2 KB, the data inflates to 50 MB: zipfile stops at the declared size."""
    workbook = make_xlsx([("Rechnung", [XLSX_HEADER, XLSX_ROW])])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content + b" " * (50 * 1024 * 1024)
            target.writestr(info.filename, content)
    data = bytearray(buffer.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        real = archive.getinfo(name.decode())
    lie = struct.pack("<I", 2048)
    local = data.index(b"PK\x03\x04" + data[real.header_offset + 4: real.header_offset + 26])
    assert local == real.header_offset
    data[local + 22: local + 26] = lie  # uncompressed size in the local header
    central = data.index(b"PK\x01\x02", data.index(name, local + 30) + len(name))
    while data[central + 46: central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24: central + 28] = lie  # and in the central directory
    tracemalloc.start()
    try:
        with pytest.raises(SubmissionRejected) as caught:
            parse_invoice(bytes(data), catalogue=catalogue)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert message_of(caught).startswith("Die Datei ist keine lesbare XLSX-Arbeitsmappe")


# --- macro workbooks and the old format --------------------------------------------------------

def with_member(workbook: bytes, name: str, content: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info)))
        if name:
            target.writestr(name, content)
    return buffer.getvalue()


MACRO = ("Arbeitsmappen mit Makros (.xlsm) werden aus Sicherheitsgründen nicht angenommen. Bitte als "
         "«Excel-Arbeitsmappe (.xlsx)» ohne Makros oder als CSV speichern.")


def test_workbook_with_vba_project_is_refused(catalogue, make_xlsx):
    data = with_member(make_xlsx([("Rechnung", [XLSX_HEADER, XLSX_ROW])]), "xl/vbaProject.bin", b"\xd0\xcf")
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(data, catalogue=catalogue, filename="rechnung.xlsx")
    assert message_of(caught) == MACRO


def test_macro_enabled_content_type_is_refused(catalogue, make_xlsx):
    workbook = make_xlsx([("Rechnung", [XLSX_HEADER, XLSX_ROW])])
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        types = archive.read("[Content_Types].xml")
    macro_types = types.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert macro_types != types
    data = with_member(workbook, "", b"", {"[Content_Types].xml": macro_types})
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(data, catalogue=catalogue)
    assert message_of(caught) == MACRO


@pytest.mark.parametrize(("filename", "content_type"), [
    ("Rechnung.XLSM", None), (None, "application/vnd.ms-excel.sheet.macroEnabled.12")])
def test_xlsm_by_name_or_content_type_is_refused(catalogue, make_xlsx, filename, content_type):
    data = make_xlsx([("Rechnung", [XLSX_HEADER, XLSX_ROW])])
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(data, catalogue=catalogue, filename=filename, content_type=content_type)
    assert message_of(caught) == MACRO


def test_old_xls_is_refused(catalogue):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    with pytest.raises(SubmissionRejected) as caught:
        parse_invoice(ole, catalogue=catalogue, filename="rechnung.xls",
                      content_type="application/vnd.ms-excel")
    assert caught.value.errors[0].row is None
    assert message_of(caught) == ("Das alte Excel-Format (.xls) oder eine passwortgeschützte Arbeitsmappe "
                                  "wird nicht angenommen. Bitte ohne Kennwort als «Excel-Arbeitsmappe "
                                  "(.xlsx)» oder als CSV speichern.")


def test_a_normal_workbook_passes_the_container_checks(catalogue, make_xlsx):
    rows = [XLSX_HEADER] + [["03.2025", f"Q-{i}", "Qualifizierung", "SH", "Einsatztag", 5, 80, 400]
                            for i in range(3_000)]
    data = make_xlsx([("Rechnung", rows)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        worst = max(info.file_size / info.compress_size for info in archive.infolist())
    assert worst < DEFAULT_LIMITS.max_xlsx_ratio
    assert len(parse_invoice(data, catalogue=catalogue).lines) == 3_000
