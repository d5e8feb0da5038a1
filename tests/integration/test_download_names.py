"""The PDFs download under German names that say what, whose and when (Content-Disposition), never a UUID."""
from __future__ import annotations

HEADER = ("Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
          "Menge;Ansatz;Betrag")
INVOICE = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;21.7;80.00;1736.00\n").encode()


def _name(response) -> str:
    assert response.status_code == 200, response.text
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    return disposition.split('filename="', 1)[1].rstrip('"')


def test_every_pdf_has_a_german_file_name(reporting, supervision, tokens):
    h = {**tokens("regiomech"), "Content-Type": "text/csv"}
    first = reporting.post("/api/v1/invoices", content=INVOICE, headers=h).json()
    fixed = INVOICE.replace(b"21.7;80.00;1736.00", b"20;80.00;1600.00")
    assert reporting.post(f"/api/v1/invoices/{first['id']}/versions", content=fixed, headers=h).status_code == 201
    sup = tokens(role="supervisor")
    names = {path: _name(supervision.get(path, headers=sup)) for path in (
        f"/api/v1/invoices/{first['id']}/audit.pdf", "/api/v1/providers/regiomech/report.pdf?year=2025",
        "/api/v1/reports/canton.pdf?year=2025", "/api/v1/reconciliation.pdf?year=2025")}
    assert list(names.values()) == ["Pruefbericht_Genossenschaft_Regiomech_2025-03_V2.pdf",
                                    "Jahresbericht_Genossenschaft_Regiomech_2025.pdf",
                                    "Jahresbericht_Kanton_2025.pdf", "Finanzabstimmung_2025.pdf"]
    evaluation = _name(supervision.get("/api/v1/evaluations/evaluation.pdf?from=2025-01&to=2025-03", headers=sup))
    assert evaluation.startswith("Evaluation_") and evaluation.endswith("_2025-01_bis_2025-03.pdf"), evaluation
