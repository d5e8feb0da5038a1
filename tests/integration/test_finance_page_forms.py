"""The finance page's forms as finance works with them: one period picker, German headings, the chosen period
kept after saving, a question before a fee waiver for a participant the provider never billed, and the finance
page as finance's landing page."""
from __future__ import annotations

from datetime import date

from shared.presentation.format import scope_choices, scope_de
from tests.integration.test_finance_api import finance_pages_client, log_in, upload_herr_b


class _Scope:
    def __init__(self, kind: str, label: str) -> None:
        self.kind, self.label = kind, label


def test_headings_name_the_period_in_german():
    assert scope_de(_Scope("period", "2026-11")) == "November 2026"
    assert scope_de(_Scope("quarter", "2025-Q3")) == "3. Quartal 2025"
    assert scope_de(_Scope("year", "2025")) == "2025"


def test_the_picker_offers_years_quarters_and_months_up_to_today():
    groups = dict(scope_choices(date(2026, 11, 20), 2025))
    assert list(groups) == ["2026", "2025"]
    assert groups["2026"][:3] == [("2026", "Ganzes Jahr 2026"), ("2026-Q4", "4. Quartal 2026"),
                                  ("2026-Q3", "3. Quartal 2026")]
    assert ("2026-11", "November 2026") in groups["2026"] and ("2026-12", "Dezember 2026") not in groups["2026"]
    assert len(groups["2025"]) == 1 + 4 + 12


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
