"""The template filters the pages name codes with beyond the glossaries: totals, document kinds, register values."""
from __future__ import annotations

from datetime import UTC, datetime

from shared.presentation.format import field_value_de, register_filters


def filters() -> dict:
    found: dict = {}
    register_filters(found, "Europe/Zurich")
    return found


def test_totals_and_document_kinds_by_their_german_names():
    f = filters()
    assert [f["total_de"](k) for k in ("claimed", "allowed", "reduction")] == ["Verrechnet", "Zulässig", "Kürzung"]
    assert f["document_kind_de"]("invoice") == "Rechnung" and f["document_kind_de"]("capacity") == "Kapazitätsmeldung"


def test_a_stored_utc_moment_is_shown_in_swiss_local_time():
    moment = datetime(2025, 3, 30, 23, 30, tzinfo=UTC)  # after the change to summer time
    assert filters()["time_de"](moment) == "31.03.2025 01:30"
    assert filters()["time_de"](moment.isoformat()) == "31.03.2025 01:30"


def test_a_register_value_as_a_person_reads_it_in_a_history():
    assert field_value_de(None, "valid_to") == "–" and field_value_de([], "goals") == "–"
    assert field_value_de("2025-03-01", "valid_from") == "01.03.2025"
    assert field_value_de("qualifizierung", "programme_type") == "Qualifizierung"
    assert field_value_de({"assignment_day": "75.00", "reduced_day": "40.00"}, "agreed_tariffs") == (
        "Einsatztag: 75.00, Einsatztag <4h: 40.00")
    assert field_value_de(["eins", "zwei"], "goals") == "eins; zwei"
    assert field_value_de(12, "places") == "12"
    assert filters()["field_value_de"] is field_value_de


def test_an_invoices_counts_read_with_the_swiss_thousands_separator():
    """A 10,000-line invoice's figures box as the pages' macro writes it."""
    from pathlib import Path

    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(str(Path(__file__).parents[3] / "services/common/templates")), autoescape=True)
    register_filters(env.filters, "Europe/Zurich")
    macros = env.get_template("_macros.html").module
    kpis = str(macros.kpis({"claimed": "1.00", "allowed": "1.00", "reduction": "0.00"},
                           {"total": 11587, "error": 1580, "warning": 10007, "open": 999}))
    assert "11’587" in kpis and "1’580 Fehler · 10’007 Hinweise · 999 offen" in kpis


def test_a_count_already_written_stays_as_it_is():
    count_de = filters()["count_de"]
    assert count_de(1234567) == "1’234’567" and count_de(0) == "0"
    assert count_de("< 5") == "< 5" and count_de("1’234") == "1’234" and count_de(None) is None


def test_a_count_takes_its_noun_in_the_singular_only_for_one():
    counted = filters()["counted"]
    assert counted(1, "Zeile", "Zeilen") == "1 Zeile" and counted(0, "Zeile", "Zeilen") == "0 Zeilen"
    assert counted(11587, "Hinweis", "Hinweise") == "11’587 Hinweise"
