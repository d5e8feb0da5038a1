"""Fee waivers recorded and revoked on the finance page are in the access log, as over the API, and refused
attempts at another tenant's documents (403/404) are recorded too (issue 14, point 4)."""
from __future__ import annotations

import pytest

from shared.privacy.adapters.access_log import AccessLog
from tests.integration.test_access_log import BODY
from tests.integration.web_cases import PASSWORD, form, login


@pytest.fixture
def people(portal):
    sup = portal.supervision
    sup.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    sup.create_account("otto", PASSWORD, "provider", "oltech", "test")
    sup.create_account("fina", PASSWORD, "finance", None, "test")


def entries(settings) -> list[tuple[str, str, str]]:
    return [(e.actor, e.action, e.subject) for e in AccessLog(settings).entries()]


def test_a_waiver_recorded_and_revoked_on_the_page_is_logged(supervision, portal, settings, people):
    assert login(supervision, "fina").status_code == 303
    r = form(supervision, "/finanzen/kostenerlasse", provider="regiomech", participant="B-0017",
             valid_from="2024-11-25", valid_to="", monthly_contribution="50,00", reference="KE-2025-7",
             confirmed="1")  # B-0017 was never billed: the page would ask first
    assert r.status_code == 303, r.text[:500]
    (waiver,) = portal.supervision.fee_waivers()
    r = form(supervision, f"/finanzen/kostenerlasse/{str(waiver.id).upper()}/widerruf", reason="Irrtum")
    assert r.status_code == 303, r.text[:500]
    assert entries(settings) == [("user:fina", "change", "POST /finanzen/kostenerlasse"),
                                 ("user:fina", "change", f"POST /finanzen/kostenerlasse/{waiver.id}/widerruf")]
    assert "B-0017" not in repr(AccessLog(settings).entries())


def test_refused_attempts_at_another_tenants_invoice_are_logged(reporting, supervision, tokens, settings, people):
    r = reporting.post("/api/v1/invoices", content=BODY, headers={**tokens("regiomech"), "Content-Type": "text/csv"})
    iid = r.json()["id"]
    oltech = tokens("oltech")
    assert reporting.get(f"/api/v1/invoices/{iid}", headers=oltech).status_code == 404
    assert reporting.get(f"/api/v1/invoices/{iid.upper()}/original", headers=oltech).status_code == 404
    assert supervision.get(f"/api/v1/invoices/{iid}", headers=oltech).status_code == 403  # a provider's token
    assert login(reporting, "otto").status_code == 303
    assert reporting.get(f"/rechnungen/{iid}").status_code == 404
    got = [e for e in entries(settings) if e[1] == "refused"]
    assert [subject for _, _, subject in got] == [
        f"GET /api/v1/invoices/{iid} (404)", f"GET /api/v1/invoices/{iid}/original (404)",
        f"GET /api/v1/invoices/{iid} (403)", f"GET /rechnungen/{iid} (404)"]
    assert got[-1][0] == "user:otto" and all(actor.startswith("token:") for actor, _, _ in got[:3])
