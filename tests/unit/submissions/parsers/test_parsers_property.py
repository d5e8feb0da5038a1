"""Whatever arrives, the parsers answer with a document, SubmissionRejected or SubmissionTooLarge."""
from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.register.domain.catalogue import load_default_catalogue
from shared.submissions.domain.documents import (
    FormatIssue,
    ParsedCapacityReport,
    ParsedInvoice,
    SubmissionRejected,
    SubmissionTooLarge,
)
from shared.submissions.parsers import Limits, parse_capacity_report, parse_invoice

CATALOGUE = load_default_catalogue()
LIMITS = Limits(max_bytes=64 * 1024, max_rows=50)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

INVOICE_HEADER = ("Monat;Teilnehmer;Programm;Angebot;Finanzierung;Kostengutsprache;Eintritt;Austritt;"
                  "Austrittsgrund;Leistung;Menge;Ansatz;Betrag;Flüchtling/VA")
CAPACITY_HEADER = "Monat;Programm;Angebot;Plätze;Belegt;Eintritte;Austritte;Warteliste"
TRICKY = ["", " ", "03.2025", "2025-03", "13.2025", "0.2025", "Q-1", "756.1234.5678.97", "Hans Muster",
          "Qualifizierung", "Beschäftigung I", "SH", "ohne SH", "ALV", "Einsatztag <4h", "Coachingstunde",
          "21,7", "1'736.00", "1’736.00", "CHF 80.00", "-1", "1e999", "NaN", "Infinity", "1_0", "²", "٣",
          "\x00", "31.02.2025", "25.03.2025", "2025-03-25T10:00", "Abbruch", "ja", "vielleicht", '"', '""',
          "\r", "\n", "99999999999999999999999999", "0.0000000000000000000001", "𝟙𝟚", "\ufeff", "Fr. 80.–",
          ".-", "CHF"]


def outcome(parse, data: bytes, **kwargs) -> object:
    try:
        result = parse(data, catalogue=CATALOGUE, limits=LIMITS, **kwargs)
    except SubmissionRejected as exc:
        assert exc.errors
        assert all(isinstance(e, FormatIssue) and isinstance(e.message, str) for e in exc.errors)
        assert all(e.message for e in exc.errors)
        assert all(e.row is None or e.row >= 1 for e in exc.errors)
        return exc
    except SubmissionTooLarge as exc:
        assert exc.message
        return exc
    assert isinstance(result, ParsedInvoice | ParsedCapacityReport)
    return result


@SETTINGS
@given(st.text(max_size=2000))
def test_any_text(text):
    outcome(parse_invoice, text.encode("utf-8"))
    outcome(parse_capacity_report, text.encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes(data):
    outcome(parse_invoice, data)
    outcome(parse_invoice, b"PK\x03\x04" + data)
    outcome(parse_invoice, b"{" + data, content_type="application/json")


cells = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))


@SETTINGS
@given(st.lists(st.lists(cells, max_size=16), max_size=8), st.sampled_from([";", ","]),
       st.sampled_from(["\n", "\r\n"]), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_csv_rows_of_tricky_cells(rows, separator, newline, encoding):
    for header, parse in ((INVOICE_HEADER, parse_invoice), (CAPACITY_HEADER, parse_capacity_report)):
        lines = [header.replace(";", separator)] + [separator.join(row) for row in rows]
        outcome(parse, newline.join(lines).encode(encoding, errors="surrogatepass"))


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                         st.decimals(allow_nan=False, allow_infinity=False), st.sampled_from(TRICKY),
                         st.text())
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=5), inner, max_size=3), max_leaves=6)
KEYS = ["period", "participant", "programme", "offering", "funding", "cost_approval", "entry_date",
        "exit_date", "exit_reason", "unit", "quantity", "unit_price", "amount", "refugee", "places",
        "occupied", "entries", "exits", "waiting_list", "other"]


def encode(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else str(value)
    return value


@SETTINGS
@given(json_values, st.lists(st.one_of(st.dictionaries(st.sampled_from(KEYS), json_values, max_size=14),
                                       json_values), max_size=6))
def test_json_documents(period, lines):
    for key in ("lines", "rows"):
        body = json.dumps({"period": period, key: lines}, default=encode).encode()
        outcome(parse_invoice, body)
        outcome(parse_capacity_report, body)


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Rechnung"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
xlsx_cells = st.one_of(st.none(), st.booleans(), st.integers(-10**15, 10**15),
                       st.floats(allow_nan=False, allow_infinity=False),
                       st.datetimes(min_value=datetime(1900, 3, 1)), st.dates(min_value=date(1900, 3, 1)),
                       st.sampled_from([t for t in TRICKY if t.isprintable()]), printable)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(xlsx_cells, max_size=14), max_size=4))
def test_xlsx_typed_cells(rows):
    outcome(parse_invoice, xlsx([INVOICE_HEADER.split(";"), *rows]))
    outcome(parse_capacity_report, xlsx([CAPACITY_HEADER.split(";"), *rows]))
