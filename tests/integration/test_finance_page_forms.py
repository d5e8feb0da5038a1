"""The finance page's forms as finance works with them: one period picker, German headings, the chosen period
kept after saving, a question before a fee waiver for a participant the provider never billed, the finance page as
finance's landing page, the split shown and a waiver recorded by form, a supervisor reading without forms."""
from __future__ import annotations

from tests.integration.finance_cases import finance_pages_client, log_in, upload_herr_b, upload_social_assistance


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


def test_finance_page_shows_the_split_and_records_a_waiver_by_form(reporting, tokens, portal, settings):
    upload_herr_b(reporting, tokens)
    with finance_pages_client(portal, settings) as client:
        assert client.get("/finanzen", follow_redirects=False).status_code in (302, 303)
        csrf = log_in(client, portal, "fin-anna", "finance")
        page = client.get("/finanzen?monat=2024-12")
        assert page.status_code == 200, page.text
        assert "Finanzierung Dezember 2024" in page.text and "868.00" in page.text
        r = client.post("/finanzen/kostenerlasse", headers=csrf, follow_redirects=False,
                        data={"provider": "regiomech", "participant": "B-0017", "valid_from": "2024-11-25",
                              "valid_to": "", "monthly_contribution": "50,00", "reference": "KE-2025-7"})
        assert r.status_code == 303, r.text
        page = client.get("/finanzen?monat=2024-12")
        assert "818.00" in page.text and "KE-2025-7" in page.text
        bad = client.post("/finanzen/budgets", headers=csrf,
                          data={"year": "2025", "source": "lotto", "amount": "1"})
        assert bad.status_code == 422 and "Nicht gespeichert" in bad.text
        asked = client.get("/finanzen?zeitraum=2025-13")  # a period that is none: nothing was to be saved
        assert asked.status_code == 422 and "Nicht gespeichert" not in asked.text
        assert "<strong>Ungültiger Zeitraum:</strong> «2025-13»" in asked.text and "gezeigt wird das ganze Jahr" in asked.text
        no_csrf = client.post("/finanzen/budgets", data={"year": "2025", "source": "other", "amount": "1"},
                              headers={"x-csrf-token": "falsch"})
        assert no_csrf.status_code == 403
        xlsx = client.get("/finanzen/export.xlsx?jahr=2024")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert len(portal.supervision.fee_waivers()) == 1


def test_finance_page_supervisor_reads_without_forms(tokens, portal, settings):
    with finance_pages_client(portal, settings) as client:
        csrf = log_in(client, portal, "sup-beat", "supervisor")
        page = client.get("/finanzen?jahr=2025")
        assert page.status_code == 200 and "Kostenerlass speichern" not in page.text
        r = client.post("/finanzen/budgets", headers=csrf,
                        data={"year": "2025", "source": "other", "amount": "1"})
        assert r.status_code == 403


def test_the_social_services_list_their_kostengutsprachen_folded_and_the_providers_go_by_name(
        reporting, supervision, tokens, portal, settings):
    upload_social_assistance(reporting, supervision, tokens)
    upload_herr_b(reporting, tokens, provider="oltech")
    with finance_pages_client(portal, settings) as client:
        log_in(client, portal, "fin-lea", "finance")
        page = client.get("/finanzen?zeitraum=2025-01").text
    olten = page[page.index("Sozialdienst Olten"):page.index("nicht zugeordnet")]
    assert "<summary>2 Kostengutsprachen</summary>" in olten  # folded: a count, the list behind it
    assert olten.index("KGS-OL-2025-031") < olten.index("759.50") < olten.index("KGS-OL-2025-044")
    assert "KGS-OL-2025-031 (" not in page  # no longer one run-on line of «reference (amount), …»
    rest = page[page.index("nicht zugeordnet"):]
    assert "<summary>1 Referenz ohne erfasste Kostengutsprache</summary>" in rest and "KGS-GR-7" in rest
    table = page[page.index("<tbody>"):page.index("</tbody>")]  # the providers' table: by name, not by register
    assert table.index("Genossenschaft Regiomech") < table.index("Oltech GmbH")


def test_the_waivers_in_force_in_the_period_come_first_the_others_folded_away(portal, settings):
    sup = portal.supervision
    sup.record_fee_waiver("regiomech", "Q-1", "2025-01-01", "2025-03-31", "0", "user:fin")
    sup.record_fee_waiver("regiomech", "Q-2", "2024-01-01", "2024-06-30", "50", "user:fin")
    gone = sup.record_fee_waiver("regiomech", "Q-3", "2025-02-01", None, "20", "user:fin")
    sup.revoke_fee_waiver(gone.id, "Wegzug", "user:fin")
    with finance_pages_client(portal, settings) as client:
        log_in(client, portal, "fin-ida", "finance")
        for scope, shown, folded in (("2025-Q1", ["Q-1"], ["Q-2", "Q-3"]), ("2024", ["Q-2"], ["Q-1", "Q-3"]),
                                     ("2025-04", [], ["Q-1", "Q-2", "Q-3"])):
            page = client.get(f"/finanzen?zeitraum={scope}").text
            section = page.split('id="waivers-in-force"')[1].split("</section>")[0]
            in_force, _, others = section.partition('<details class="more-waivers">')
            assert [p for p in ("Q-1", "Q-2", "Q-3") if f"<code>{p}</code>" in in_force] == shown, scope
            assert [p for p in ("Q-1", "Q-2", "Q-3") if f"<code>{p}</code>" in others] == folded, scope
            assert ("Keine Kostenerlasse in diesem Zeitraum." in in_force) == (not shown)
            assert f"Weitere Kostenerlasse ({len(folded)})" in others
