"""The «Belege» section of the provider's invoice page: the documents listed with totals, each a download, a
participant's bill printed with the name and address typed into the form (only in that PDF), the month's ZIP,
every download access-logged."""
from __future__ import annotations

import io
import re
import zipfile

import pytest

from shared.privacy.adapters.access_log import AccessLog
from tests.integration.web_cases import csrf, form, login, submit_invoice
from tests.pdf_reading import pdf_text


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_invoice_page_lists_the_payer_documents_and_prints_a_bill_with_a_name(reporting, accounts,
                                                                                  portal):
    assert login(reporting, "anna").status_code == 303
    iid = submit_invoice(reporting)
    page = reporting.get(f"/rechnungen/{iid}")
    assert page.status_code == 200
    html = page.text
    assert 'id="belege"' in html and "Forderung an den Kanton" in html and "Rechnung an Teilnehmende" in html
    links = re.findall(rf'href="(/rechnungen/{iid}/belege/\d+\.pdf\?version=1)"', html)
    assert len(links) == 3  # the canton, Q-1 and A-2

    r = reporting.get(links[0])
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert "Forderung an den Kanton" in pdf_text(r.content, layout=True)

    r = form(reporting, links[2].replace("&amp;", "&"), name="Anna Adresse", street="Hauptgasse 1",
             postcode="4500", city="Solothurn")
    assert r.status_code == 200, r.text[:400]
    text = pdf_text(r.content, layout=True)
    assert "Anna Adresse" in text and "Hauptgasse 1" in text
    assert "Kein Zahlteil" in text and "Empfangsschein" not in text  # regiomech has no IBAN in this test
    r = form(reporting, links[2], name="", postcode="", city="Solothurn")
    assert r.status_code == 422 and "Name, PLZ und Ort" in r.text

    r = reporting.get("/meldungen/2025-03/belege.zip")
    assert r.status_code == 200 and len(zipfile.ZipFile(io.BytesIO(r.content)).namelist()) == 3

    data = b"".join(p.read_bytes() for p in portal.settings.data_dir.rglob("*") if p.is_file())
    assert b"Anna Adresse" not in data and b"Hauptgasse" not in data
    logged = {(e.action, e.subject) for e in AccessLog(portal.settings).entries()}
    assert ("disclose", f"POST {links[2].split('?')[0]}") in logged
    assert ("disclose", f"GET {links[0].split('?')[0]}") in logged
    assert ("disclose", "GET /meldungen/2025-03/belege.zip") in logged
    # another provider's invoice: not found
    reporting.post("/logout", data={"_csrf_token": csrf(reporting)})
    assert login(reporting, "otto").status_code == 303
    assert reporting.get(links[0]).status_code == 404


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_supervisors_invoice_page_shows_the_same_documents(reporting, supervision, accounts):
    assert login(reporting, "anna").status_code == 303
    iid = submit_invoice(reporting)
    assert login(supervision, "sara").status_code == 303
    page = supervision.get(f"/rechnungen/{iid}")
    assert page.status_code == 200 and 'id="belege"' in page.text
    links = re.findall(rf'href="(/rechnungen/{iid}/belege/\d+\.pdf\?version=1)"', page.text)
    assert len(links) == 3
    r = supervision.get(links[1])
    assert r.status_code == 200 and "Rechnung an Teilnehmende" in pdf_text(r.content, layout=True)
    assert supervision.get(f"/rechnungen/{iid}/belege/7.pdf").status_code == 404


@pytest.mark.parametrize("backend", ["sqlite"])
def test_finance_records_a_credit_rule_covering_social_assistance_by_form(portal, settings):
    from tests.integration.finance_cases import finance_pages_client, log_in

    with finance_pages_client(portal, settings) as client:
        csrf_header = log_in(client, portal, "fin-rosa", "finance")
        r = client.post("/finanzen/regeln", headers=csrf_header, follow_redirects=False, data={
            "valid_from": "2025-01", "programmes": ["integration-arbeit", "coaching"], "self_payer": "1",
            "social_assistance": "1", "share": "50 %", "label": "Hälfte"})  # two programme types ticked
        assert r.status_code == 303, r.text
        page = client.get("/finanzen?jahr=2025")
        assert "Sozialhilfe 50 %" in page.text and "Selbstzahlende (Kantonsanteil) 50 %" in page.text
        assert ">Coaching, integration.arbeit</td>" in page.text  # by their German names
        assert 'name="programmes" value="integration-arbeit"> integration.arbeit' in page.text  # a box each
        bad = client.post("/finanzen/regeln", headers=csrf_header, data={
            "valid_from": "2025-02", "social_assistance": "1", "share": "150 %"})
        assert bad.status_code == 422 and "Anteil" in bad.text
    [rule] = [r for r in portal.supervision.credit_rules() if r.label == "Hälfte"]
    assert dict(rule.shares) == {"self_payer": 0.5, "social_assistance": 0.5}
    assert set(rule.programmes) == {"integration-arbeit", "coaching"}


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_providers_iban_and_address_are_kept_in_the_register_by_form(supervision, accounts, portal):
    assert login(supervision, "sara").status_code == 303
    base = {"name": "Genossenschaft Regiomech", "website": "", "contact": "", "active": "ja"}
    r = form(supervision, "/register/regiomech/stammdaten", **base, iban="CH44 3199 9123 0008 8901 3")
    if r.status_code == 303:  # post/redirect/get: the reason on the page the form sends back to
        r = supervision.get(r.headers["location"])
    assert "IBAN ist ungültig" in r.text
    assert portal.supervision.provider("regiomech").iban == ""
    r = form(supervision, "/register/regiomech/stammdaten", **base, iban="ch44 3199 9123 0008 8901 2",
             street="Industriestrasse 10", postcode="4528", city="Zuchwil")
    assert r.status_code == 303, r.text
    p = portal.supervision.provider("regiomech")
    assert (p.iban, p.postcode, p.city) == ("CH4431999123000889012", "4528", "Zuchwil")
    assert "CH4431999123000889012" in supervision.get("/register/regiomech").text


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_belege_section_names_the_social_service_of_the_register(reporting, supervision, accounts,
                                                                      tokens):
    from tests.integration.test_cost_approvals import APPROVAL, HEADER, register_social_services

    register_social_services(supervision, tokens)
    assert reporting.post("/api/v1/cost-approvals", json=APPROVAL, headers=tokens("regiomech")).status_code == 201
    assert login(reporting, "anna").status_code == 303
    body = "\n".join([HEADER, "03.2025;S-0103;Beschäftigung I;Sozialhilfe;KGS-OL-2025-031;Einsatztag;2;35.00;70.00",
                      "03.2025;S-0105;Beschäftigung I;Sozialhilfe;KGS-GR-7;Einsatztag;1;35.00;35.00"]) + "\n"
    iid = submit_invoice(reporting, body.encode())
    html = reporting.get(f"/rechnungen/{iid}").text
    assert "Sozialdienst Olten" in html and "nicht zugeordnet (KGS-GR-7)" in html
