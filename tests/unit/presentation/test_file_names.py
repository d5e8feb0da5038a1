"""German download names: ASCII, umlauts spelt out, the provider's name rather than its slug."""
from __future__ import annotations

from shared.presentation import file_names


def test_names_read_as_german_and_stay_ascii():
    assert file_names.audit_pdf("Genossenschaft Regiomech", "2025-10", 2) == \
        "Pruefbericht_Genossenschaft_Regiomech_2025-10_V2.pdf"
    assert file_names.check_result_csv("Zug-Pferd", "2025-03", 1) == "Pruefergebnis_Zug-Pferd_2025-03_V1.csv"
    assert file_names.provider_year_pdf("Suchthilfe Öst / Olten (Süd)", 2025) == \
        "Jahresbericht_Suchthilfe_Oest_Olten_Sued_2025.pdf"
    assert file_names.evaluation_pdf("Beschäftigung I", "2025-01", "2025-06") == \
        "Evaluation_Beschaeftigung_I_2025-01_bis_2025-06.pdf"
    assert file_names.name_part("«»") == "Dokument"
    assert all(n.isascii() for n in (file_names.canton_year_pdf(2025), file_names.reconciliation_pdf(2025)))
