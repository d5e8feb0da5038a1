"""The bills each payer receives (issue 19 point 5, domain-rules §5/§6): the brochure's Herr B. and Frau A.
give the canton's claim and their own bills, with a Swiss QR-bill payment part; a federal credit rule's share
of a social-assistance line leaves the social service's statement; name and address only in the printed PDF."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.conftest import ARTIFACTS
from tests.integration.finance_cases import post_json, upload_frau_a, upload_herr_b, waiver_body
from tests.pdf_layout import QR_BILL_MARGIN_PT, layout_problems
from tests.pdf_reading import pdf_text

QR_IBAN = "CH4431999123000889012"
IBAN = "CH9300762011623852957"


def payment_details(supervision, tokens, slug: str, iban: str) -> None:
    admin = tokens(role="admin")
    r = supervision.put(f"/api/v1/providers/{slug}", json={"iban": iban, "street": "Industriestrasse 10",
                                                           "postcode": "4528", "city": "Zuchwil"}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["iban"] == iban.replace(" ", "")


def invoice_of(reporting, headers, period: str) -> str:
    r = reporting.get("/api/v1/invoices", params={"period": period}, headers=headers)
    assert r.status_code == 200, r.text
    [inv] = r.json()
    return inv["id"]


def test_herr_b_entry_month_gives_the_cantons_claim_and_his_own_qr_bill(reporting, supervision, tokens, portal):
    payment_details(supervision, tokens, "regiomech", QR_IBAN)
    upload_herr_b(reporting, tokens)
    fin = tokens(role="finance")
    assert supervision.post("/api/v1/fee-waivers", json=waiver_body(), headers=fin).status_code == 201
    h = tokens("regiomech")
    iid = invoice_of(reporting, h, "2024-11")

    r = reporting.get(f"/api/v1/invoices/{iid}/statements", headers=h)
    assert r.status_code == 200, r.text
    docs = r.json()
    assert [(d["payer"], d["recipient"], d["total"]) for d in docs] == [
        ("canton", "canton", "350.00"), ("participant", "B-0017", "50.00")]
    assert docs[0]["pdf"] == f"/api/v1/invoices/{iid}/statements/1.pdf"

    claim = reporting.get(docs[0]["pdf"], headers=h)
    assert claim.status_code == 200 and claim.headers["content-type"] == "application/pdf"
    text = pdf_text(claim.content, layout=True)
    assert "Forderung an den Kanton" in text and "B-0017" in text
    assert "200.00" in text and "150.00" in text and "350.00" in text
    assert layout_problems(claim.content) == []

    bill = reporting.get(docs[1]["pdf"], headers=h)
    assert bill.status_code == 200
    text = pdf_text(bill.content, layout=True)
    assert "Zahlteil" in text and "Empfangsschein" in text
    assert "CH44 3199 9123 0008 8901 2" in text and "50.00" in text
    assert "Zahlbar durch (Name/Adresse)" in text  # no debtor: the empty field of the standard
    figures = embedded(bill.content, "beleg.json")
    assert figures["payment"]["reference_type"] == "QRR" and len(figures["payment"]["reference"]) == 27
    assert figures["total"] == "50.00"

    # printed with name and address: in this PDF only, nowhere in the store or the access log
    r = reporting.post(docs[1]["pdf"], json={"name": "Bruno Beispiel", "street": "Musterweg 3",
                                             "postcode": "4500", "city": "Solothurn"}, headers=h)
    assert r.status_code == 200, r.text
    assert "Bruno Beispiel" in pdf_text(r.content, layout=True) and "Musterweg" in pdf_text(r.content, layout=True)
    assert layout_problems(r.content, side_margin=QR_BILL_MARGIN_PT) == []
    from shared.audit.application.checkpoints import parse_public_key
    from shared.audit.application.verify_pdf import verify_pdf

    assert verify_pdf(r.content, parse_public_key(str(portal.settings.keys_dir / "signing.pub"))) == []
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "qr-bill-herr-b.pdf").write_bytes(r.content)  # for a look: pdftoppm -png -r 80
    assert "Bruno" not in json.dumps(embedded(r.content, "beleg.json"))
    assert not stored_anywhere(portal, b"Bruno Beispiel")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_frau_a_pays_half_with_a_creditor_reference_and_the_month_zip_holds_every_document(
        reporting, supervision, tokens):
    payment_details(supervision, tokens, "oltech", IBAN)
    upload_frau_a(reporting, tokens)
    h = tokens("oltech")
    expected = {"2024-11": "300.00", "2024-12": "100.00", "2025-01": "200.00"}
    for period, half in expected.items():
        docs = reporting.get(f"/api/v1/invoices/{invoice_of(reporting, h, period)}/statements", headers=h).json()
        assert [(d["payer"], d["total"]) for d in docs] == [("canton", half), ("participant", half)]
    iid = invoice_of(reporting, h, "2024-11")
    figures = embedded(reporting.get(f"/api/v1/invoices/{iid}/statements/2.pdf", headers=h).content, "beleg.json")
    assert figures["payment"]["reference_type"] == "SCOR" and figures["payment"]["reference"].startswith("RF")

    r = reporting.get("/api/v1/statements.zip", params={"period": "2024-11"}, headers=h)
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    # another provider sees nothing of it
    other = tokens("regiomech")
    assert reporting.get(f"/api/v1/invoices/{iid}/statements", headers=other).status_code == 404


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_credit_rule_takes_half_of_a_social_assistance_line_off_the_social_services_statement(
        reporting, supervision, tokens):
    fin = tokens(role="finance")
    r = supervision.post("/api/v1/federal-credit-rules", json={
        "valid_from": "2022-10", "programmes": ["integration-arbeit"], "refugees": True,
        "categories": {"self_payer": "1", "social_assistance": "0.5"}, "label": "Hälfte SH"}, headers=fin)
    assert r.status_code == 201, r.text
    assert r.json()["categories"] == {"self_payer": "1", "social_assistance": "0.5"}
    h = tokens("regiomech")
    body = {"period": "2025-01", "lines": [
        {"participant": "S-0001", "programme": "integration-arbeit", "funding": "social_assistance",
         "cost_approval": "KGS-2540-17", "unit": "coaching_hour", "quantity": "4", "unit_price": "250.00",
         "amount": "1000.00"},
        {"participant": "S-0002", "programme": "integration-arbeit", "funding": "social_assistance",
         "cost_approval": "KGS-4143-02", "unit": "coaching_hour", "quantity": "1", "unit_price": "250.00",
         "amount": "250.00"}]}
    r = post_json(reporting, h, body)
    assert r.status_code == 201, r.text
    docs = reporting.get(f"/api/v1/invoices/{r.json()['id']}/statements", headers=h).json()
    assert [(d["payer"], d["recipient"], d["total"]) for d in docs] == [
        ("social_service", "KGS-2540-17", "500.00"), ("social_service", "KGS-4143-02", "125.00"),
        ("canton", "canton", "625.00")]
    statement = reporting.get(docs[0]["pdf"], headers=h).content
    text = pdf_text(statement, layout=True)
    assert "Abrechnung an den Sozialdienst" in text and "KGS-2540-17" in text and "Integrationskredit" in text
    assert "1’000.00" in text and "CHF 500.00" in text and "S-0002" not in text
    assert layout_problems(statement) == []
    (ARTIFACTS / "statement-social-service.pdf").write_bytes(statement)
    funding = supervision.get("/api/v1/funding", params={"period": "2025-01"}, headers=fin).json()
    row = next(p for p in funding["providers"] if p["provider"] == "regiomech")
    assert (row["social_service"], row["federal_integration_credit"]) == ("625.00", "625.00")
    csv_text = supervision.get("/api/v1/funding/export.csv", params={"period": "2025-01"}, headers=fin).text
    s0001 = next(line for line in csv_text.splitlines() if "S-0001" in line)
    assert s0001.count("500.00") == 2  # the export: social service and credit each half of the line
    recon = supervision.get("/api/v1/reconciliation", params={"year": "2025"}, headers=fin).json()
    credit = next(s for s in recon["sources"] if s["source"] == "federal_integration_credit")
    assert credit["months"]["2025-01"] == "625.00"
    r = supervision.post("/api/v1/federal-credit-rules", json={
        "valid_from": "2022-10", "categories": ["social_assistance"], "share": "1.5"}, headers=fin)
    assert r.status_code == 422 and "share" in r.text


@pytest.mark.parametrize("backend", ["sqlite"])
def test_bad_payment_details_and_addresses_are_refused(reporting, supervision, tokens):
    admin = tokens(role="admin")
    for bad in ("CH9300762011623852958", "DE89370400440532013000", "kein iban"):
        r = supervision.put("/api/v1/providers/regiomech", json={"iban": bad}, headers=admin)
        assert r.status_code == 422 and "iban" in r.text, bad
    upload_herr_b(reporting, tokens)
    h = tokens("regiomech")
    iid = invoice_of(reporting, h, "2024-11")
    r = reporting.post(f"/api/v1/invoices/{iid}/statements/2.pdf", json={"name": "X", "city": ""}, headers=h)
    assert r.status_code == 422
    assert reporting.get(f"/api/v1/invoices/{iid}/statements/9.pdf", headers=h).status_code == 404
    assert reporting.get(f"/api/v1/invoices/{iid}/statements/x", headers=h).status_code == 404


def embedded(pdf: bytes, name: str) -> dict:
    from pypdf import PdfReader

    return json.loads(PdfReader(io.BytesIO(pdf)).attachments[name][0])


def stored_anywhere(portal, needle: bytes) -> bool:
    """The needle in any file of the data folder (stores, access log, sessions)."""
    root = portal.settings.data_dir
    return any(needle in p.read_bytes() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("backend", ["sqlite"])
def test_two_references_of_one_social_service_make_one_statement_an_unrecorded_one_nicht_zugeordnet(
        reporting, supervision, tokens):
    from tests.integration.test_cost_approvals import APPROVAL, HEADER, post_invoice, register_social_services

    register_social_services(supervision, tokens)
    h = tokens("regiomech")
    for ref, participant in (("KGS-OL-2025-031", "S-0103"), ("KGS-OL-2025-044", "S-0104")):
        r = reporting.post("/api/v1/cost-approvals", json={**APPROVAL, "reference": ref, "participant": participant},
                           headers=h)
        assert r.status_code == 201, r.text
    rows = [f"03.2025;{p};Beschäftigung I;Sozialhilfe;{ref};Einsatztag;{days};35.00;{amount}"
            for p, ref, days, amount in (("S-0103", "KGS-OL-2025-031", "10", "350.00"),
                                         ("S-0104", "KGS-OL-2025-044", "2", "70.00"),
                                         ("S-0105", "KGS-GR-7", "1", "35.00"))]
    iid = post_invoice(reporting, h, ("\n".join([HEADER, *rows]) + "\n").encode())["id"]
    docs = reporting.get(f"/api/v1/invoices/{iid}/statements", headers=h).json()
    assert [(d["payer"], d["recipient"], d["total"]) for d in docs] == [
        ("social_service", "SD-OLTEN", "420.00"), ("social_service", "KGS-GR-7", "35.00")]
    assert docs[0]["social_service"]["name"] == "Sozialdienst Olten"
    assert docs[1]["social_service"] == {"code": "unassigned", "name": "nicht zugeordnet", "address": "",
                                         "reference": "KGS-GR-7"}
    statement = reporting.get(docs[0]["pdf"], headers=h).content
    text = pdf_text(statement, layout=True)
    assert "Sozialdienst Olten" in text and "4600 Olten" in text and "SD-OLTEN" in text
    assert all(s in text for s in ("S-0103", "KGS-OL-2025-031", "S-0104", "KGS-OL-2025-044", "CHF 420.00"))
    assert "S-0105" not in text and "KGS-GR-7" not in text
    assert layout_problems(statement) == []
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "statement-sd-olten.pdf").write_bytes(statement)
    unassigned = reporting.get(docs[1]["pdf"], headers=h).content
    assert layout_problems(unassigned) == []
    (ARTIFACTS / "statement-nicht-zugeordnet.pdf").write_bytes(unassigned)
    text = pdf_text(unassigned, layout=True)
    assert "nicht zugeordnet" in text and "KGS-GR-7" in text and "S-0105" in text and "S-0103" not in text


def test_a_waivers_monthly_contribution_is_shared_by_the_invoices_of_its_month(reporting, supervision, tokens):
    """An invoice page's documents read the month's other invoices when one of its participants has a fee
    waiver (the contribution is owed once a month, not once an invoice); without one they stand alone."""
    from tests.integration.finance_cases import invoice, line

    upload_herr_b(reporting, tokens)
    fin = tokens(role="finance")
    assert supervision.post("/api/v1/fee-waivers", json=waiver_body(), headers=fin).status_code == 201
    h = tokens("regiomech")
    second = post_json(reporting, h, invoice("2024-12", line("B-0017", "coaching", "coaching_hour", "1", "100.00",
                                                             "100.00"),
                                              line("C-0003", "coaching", "coaching_hour", "1", "100.00", "100.00")))
    assert second.status_code == 201, second.text
    assert second.json()["totals"]["allowed"] == "200.00", second.json()
    r = reporting.get("/api/v1/invoices", params={"period": "2024-12"}, headers=h)
    by_id = {i["id"]: i for i in r.json()}
    paid = {}
    for iid in by_id:
        docs = reporting.get(f"/api/v1/invoices/{iid}/statements", headers=h).json()
        paid[iid] = {d["recipient"]: d["total"] for d in docs if d["payer"] == "participant"}
    b_0017 = [p["B-0017"] for p in paid.values() if "B-0017" in p]
    assert b_0017 == ["50.00"]  # the month's contribution once, on one of its invoices, not on each
    assert [p["C-0003"] for p in paid.values() if "C-0003" in p] == ["50.00"]  # no waiver: half, as alone


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_large_providers_claim_holds_its_total(reporting, supervision, tokens, portal):
    """A canton's claim of a provider with a hundred participants passes CHF 100’000 a month: «CHF 1’234’567.80»
    stands whole beside its label (as wide as both amount columns), no figure past the table's edge."""
    from decimal import Decimal
    from uuid import UUID

    from shared.finance.application.payer_documents import invoice_documents
    from shared.presentation.pdf.payer_documents import document_pdf

    upload_herr_b(reporting, tokens)
    bundle = invoice_documents(portal, "regiomech", UUID(invoice_of(reporting, tokens("regiomech"), "2024-11")))
    claim = next(d for d in bundle.documents if d.payer == "canton")
    claim.exact = Decimal("1234567.80")
    pdf = document_pdf(portal, bundle, claim.number)
    assert layout_problems(pdf) == []
    assert "CHF 1’234’567.80" in pdf_text(pdf, layout=True)
