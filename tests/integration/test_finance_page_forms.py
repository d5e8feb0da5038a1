"""The finance page's forms as finance works with them: one period picker, German headings, the chosen period
kept after saving, a question before a fee waiver for a participant the provider never billed, and the finance
page as finance's landing page."""
from __future__ import annotations

from tests.integration.test_finance_api import finance_pages_client, log_in, upload_herr_b


def test_saving_keeps_the_period_and_a_never_billed_participant_asks_first(reporting, tokens, portal, settings):
    upload_herr_b(reporting, tokens)
    with finance_pages_client(portal, settings) as client:
        csrf = log_in(client, portal, "fin-ida", "finance")
        page = client.get("/finanzen?zeitraum=2024-Q4")
        assert "Finanzierung 4. Quartal 2024" in page.text
        assert page.text.count('<form method="get" action="/finanzen"') == 1  # one picker, not three forms
        assert '<option value="2024-Q4" selected>' in page.text
        assert 'action="/finanzen/kostenerlasse?zeitraum=2024-Q4"' in page.text

        fields = {"provider": "regiomech", "participant": "X-9999", "valid_from": "2024-11-01",
                  "monthly_contribution": "0"}
        asked = client.post("/finanzen/kostenerlasse?zeitraum=2024-Q4", headers=csrf, data=fields)
        assert asked.status_code == 200
        assert "noch nie eine Rechnungszeile eingereicht" in asked.text and "Trotzdem erfassen" in asked.text
        assert portal.supervision.fee_waivers() == []  # nothing stored before the answer
        done = client.post("/finanzen/kostenerlasse?zeitraum=2024-Q4", headers=csrf, follow_redirects=False,
                           data={**fields, "confirmed": "1"})
        assert done.status_code == 303 and done.headers["location"] == "/finanzen?zeitraum=2024-Q4&gespeichert=1"
        assert len(portal.supervision.fee_waivers()) == 1

        billed = client.post("/finanzen/kostenerlasse?zeitraum=2024-12", headers=csrf, follow_redirects=False,
                             data={**fields, "participant": "B-0017"})  # billed: no question
        assert billed.status_code == 303 and billed.headers["location"].startswith("/finanzen?zeitraum=2024-12")
        page = client.get(billed.headers["location"])
        assert "Gespeichert. Sie sehen weiterhin Dezember 2024." in page.text

        budget = client.post("/finanzen/budgets?zeitraum=2024", headers=csrf, follow_redirects=False,
                             data={"year": "2024", "source": "canton_subsidy", "amount": "1000"})
        assert budget.headers["location"] == "/finanzen?zeitraum=2024&gespeichert=1"


def test_finance_lands_on_the_finance_page(portal, settings):
    with finance_pages_client(portal, settings) as client:
        portal.supervision.create_account("fin-eva", "ein-langes-passwort-123", "finance", None, "test")
        client.get("/login")
        r = client.post("/login", data={"username": "fin-eva", "password": "ein-langes-passwort-123"},
                        headers={"x-csrf-token": client.cookies.get("ami_csrf")}, follow_redirects=False)
        assert r.headers["location"] == "/finanzen"
        assert client.get("/login", follow_redirects=False).headers["location"] == "/finanzen"
