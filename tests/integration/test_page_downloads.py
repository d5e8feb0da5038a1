"""The supervision pages offer the audit PDFs as downloads (session login), and refuse provider staff."""
from __future__ import annotations

from tests.integration.web_cases import WITH_FINDINGS, login, submit_invoice
from tests.pdf_reading import pdf_text


def test_supervisor_downloads_the_three_pdfs_from_the_pages(reporting, supervision, accounts):
    assert login(reporting, "anna").status_code == 303
    invoice_id = submit_invoice(reporting, WITH_FINDINGS)
    assert login(supervision, "sara").status_code == 303
    page = supervision.get(f"/rechnungen/{invoice_id}").text
    assert f"/rechnungen/{invoice_id}/pruefbericht.pdf" in page
    for path in (f"/rechnungen/{invoice_id}/pruefbericht.pdf", "/anbieter/regiomech/jahresbericht.pdf?jahr=2025",
                 "/jahresbericht.pdf?jahr=2025"):
        r = supervision.get(path)
        assert r.status_code == 200, (path, r.status_code)
        assert r.content[:5] == b"%PDF-" and r.headers["content-type"].startswith("application/pdf")
    assert "/jahresbericht.pdf?jahr=" in supervision.get("/dashboard").text
    assert "/anbieter/regiomech/jahresbericht.pdf" in supervision.get("/anbieter/regiomech").text


def test_provider_staff_get_no_pdf_from_the_supervision_pages(supervision, accounts):
    login(supervision, "anna")
    r = supervision.get("/jahresbericht.pdf?jahr=2025", follow_redirects=False)
    assert r.status_code in (302, 303, 403) and not r.content.startswith(b"%PDF")


def test_finance_reconciliation_pdf_shows_the_sources(supervision, accounts, portal, tokens, reporting):

    h = tokens("regiomech")
    body = (b"Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag\n"
            b"03.2025;Q-1;Qualifizierung;Selbstzahler;;Einsatztag;21.7;80.00;1736.00\n")
    assert reporting.post("/api/v1/invoices", content=body, headers={**h, "Content-Type": "text/csv"}).status_code == 201
    login(supervision, "fina")
    assert "/finanzen/abstimmung.pdf?jahr=" in supervision.get("/finanzen?jahr=2025").text
    r = supervision.get("/finanzen/abstimmung.pdf?jahr=2025")
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    api = supervision.get("/api/v1/reconciliation.pdf?year=2025", headers=tokens(role="finance"))
    assert api.status_code == 200 and api.content.startswith(b"%PDF-")
    text = pdf_text(r.content, layout=True)
    assert "Finanzabstimmung 2025" in text and "Subvention Kanton" in text and "868.00" in text
