"""The other 500s of issue 14 (point 7): a version an invoice does not have, an offering from the year 1000, an
agreed tariff «NaN» and a tariff edition from 1999 are answered 404/422 with a German message, over the API and
on the pages of both services, and nothing is stored."""
from __future__ import annotations

import pytest

from tests.integration.test_register import csv, upload
from tests.integration.web_cases import PASSWORD, form, login

LINE = "02.2025;Q-1;Qualifizierung;;Selbstzahler;;Einsatztag;10;78.00;780.00"


@pytest.fixture
def invoice(reporting, tokens) -> str:
    r = upload(reporting, tokens("regiomech"), csv(LINE))
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.fixture
def people(portal):
    portal.supervision.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    portal.supervision.create_account("sara", PASSWORD, "supervisor", None, "test")


def german(r) -> str:
    return r.text.replace("\\u00fc", "ü")


@pytest.mark.parametrize("path", ["/api/v1/invoices/{id}/original?version=2", "/api/v1/invoices/{id}?version=999",
                                  "/api/v1/invoices/{id}/original?version=999"])
def test_a_version_the_invoice_does_not_have_over_the_provider_api(reporting, tokens, invoice, path):
    r = reporting.get(path.format(id=invoice), headers=tokens("regiomech"))
    assert r.status_code in (404, 422), r.text
    assert "Version" in r.text and "gibt es nicht" in r.text


def test_a_version_the_invoice_does_not_have_over_the_supervision_api(supervision, tokens, invoice):
    r = supervision.get(f"/api/v1/invoices/{invoice}?version=999", headers=tokens(role="supervisor"))
    assert r.status_code == 404, r.text
    assert "Version 999" in r.text


@pytest.mark.parametrize("suffix", ["?version=2", "?version=-1", "/original?version=2",
                                    "/pruefergebnis.json?version=5", "/pruefergebnis.csv?version=5"])
def test_a_version_the_invoice_does_not_have_on_the_provider_pages(reporting, people, invoice, suffix):
    assert login(reporting, "anna").status_code == 303
    r = reporting.get(f"/rechnungen/{invoice}{suffix}")
    assert r.status_code == 404, r.text[:500]
    assert "gibt es nicht" in r.text


def test_a_version_the_invoice_does_not_have_on_the_supervision_page(supervision, people, invoice):
    assert login(supervision, "sara").status_code == 303
    r = supervision.get(f"/rechnungen/{invoice}?version=999")
    assert r.status_code == 404, r.text[:500]
    assert "gibt es nicht" in r.text


@pytest.mark.parametrize(("body", "word"), [
    ({"valid_from": "1000-01-01"}, "Gültig ab"),
    ({"valid_from": "2025-01-01", "agreed_tariffs": {"assignment_day": "NaN"}}, "kein Betrag"),
])
def test_offerings_over_the_api(supervision, tokens, portal, body, word):
    before = portal.supervision.register().version
    r = supervision.post("/api/v1/providers/regiomech/offerings", headers=tokens(role="supervisor"),
                         json={"code": "Q-NEU", "programme_type": "qualifizierung", "places": 5, **body})
    assert r.status_code == 422, r.text
    assert word in german(r)
    assert portal.supervision.register().version == before


def test_an_agreed_tariff_nan_on_a_stored_offering_over_the_api(supervision, tokens, portal):
    sup = tokens(role="supervisor")
    r = supervision.post("/api/v1/providers/regiomech/offerings", headers=sup,
                         json={"code": "Q-NEU", "programme_type": "qualifizierung", "places": 5,
                               "valid_from": "2025-01-01"})
    assert r.status_code == 201, r.text
    for body in ({"agreed_tariffs": {"assignment_day": "NaN"}}, {"valid_from": "1000-01-01"},
                 {"valid_to": "99999-01-01"}, {"places": 10 ** 30}):
        r = supervision.put("/api/v1/providers/regiomech/offerings/Q-NEU", headers=sup, json=body)
        assert r.status_code == 422, (body, r.text)


@pytest.mark.parametrize(("path", "fields", "word"), [
    ("/register/regiomech/angebote", {"code": "Q-ALT", "programme_type": "qualifizierung", "places": "5",
                                      "valid_from": "1000-01-01"}, "ausserhalb"),
    ("/register/regiomech/angebote", {"code": "Q-NAN", "programme_type": "qualifizierung", "places": "5",
                                      "valid_from": "2025-01-01", "tariff_unit": "assignment_day",
                                      "tariff_chf": "NaN"}, "kein Betrag"),
    ("/register/regiomech/angebote", {"code": "Q-BIG", "programme_type": "qualifizierung",
                                      "places": "1" + "0" * 30, "valid_from": "2025-01-01"}, "Plätze"),
    ("/register/tarifausgaben", {"label": "alt", "valid_from": "1999-12-01", "programme_type_1": "qualifizierung",
                                 "unit_1": "assignment_day", "max_chf_1": "75.00"}, "ausserhalb"),
])
def test_the_register_pages_refuse_in_german(supervision, people, portal, path, fields, word):
    """Refused, nothing stored, and the German reason shown on the page the form sends back to (post/redirect/get)."""
    assert login(supervision, "sara").status_code == 303
    before = portal.supervision.register().version
    r = form(supervision, path, **fields)
    assert r.status_code in (303, 422), r.text[:500]
    if r.status_code == 303:
        r = supervision.get(r.headers["location"])
        assert r.status_code == 200
    assert word in r.text
    assert portal.supervision.register().version == before
