"""The access log can't be bypassed by spelling an id differently (issue 14, point 3): the router takes every
UUID spelling, and the log names the id as parsed, in the one canonical form, on both APIs and both services'
pages."""
from __future__ import annotations

import pytest

from shared.privacy.adapters.access_log import AccessLog
from tests.integration.test_access_log import BODY
from tests.integration.web_cases import PASSWORD, login


def spellings(iid: str) -> list[str]:
    return [iid, iid.upper(), iid.replace("-", ""), iid.replace("-", "").upper(), f"urn:uuid:{iid}",
            "{" + iid + "}", "{" + iid.upper() + "}"]


@pytest.fixture
def invoice(reporting, tokens) -> str:
    r = reporting.post("/api/v1/invoices", content=BODY, headers={**tokens("regiomech"), "Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.fixture
def people(portal):
    portal.supervision.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    portal.supervision.create_account("sara", PASSWORD, "supervisor", None, "test")


def reads(settings, iid: str) -> list[tuple[str, str]]:
    return [(e.action, e.subject) for e in AccessLog(settings).entries() if e.subject != "POST /api/v1/invoices"]


@pytest.mark.parametrize("service", ["reporting", "supervision"])
@pytest.mark.parametrize("kind", ["api", "page"])
def test_every_spelling_of_an_invoice_id_is_logged_as_the_same_id(request, settings, tokens, people, invoice,
                                                                  service, kind):
    client = request.getfixturevalue(service)
    if kind == "api":
        headers = tokens("regiomech") if service == "reporting" else tokens(role="supervisor")
        base, suffixes = "/api/v1/invoices/", ["", "/original"] if service == "reporting" else [""]
    else:
        assert login(client, "anna" if service == "reporting" else "sara").status_code == 303
        headers, base = {}, "/rechnungen/"
        suffixes = ["", "/original"] if service == "reporting" else [""]
    expected = []
    for spelling in spellings(invoice):
        for suffix in suffixes:
            r = client.get(base + spelling + suffix, headers=headers)
            assert r.status_code == 200, (spelling, suffix, r.text[:300])
            expected.append(("disclose" if suffix else "read", f"GET {base}{invoice}{suffix}"))
    assert reads(settings, invoice) == expected
