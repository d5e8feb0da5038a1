"""Finance in a real browser (desktop and 390 px): lands on the finance page, one period picker, German
headings, the chosen period kept after saving, a question before a fee waiver for a participant never billed."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shared.config import load_settings
from shared.portal.reporting import Upload
from tests.e2e.browser import PASSWORD, PHONE, Watch, artifact, browser, fits_width, log_in, rightmost, served

pytestmark = pytest.mark.browser

HEADER = ("Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
          "Menge;Ansatz;Betrag")
SIZES = [pytest.param({"width": 1366, "height": 900}, id="desktop"),
         pytest.param(PHONE, id="phone")]


@pytest.fixture
def site(tmp_path, clock):
    from shared.portal import open_portal

    settings = load_settings({"AMI_DATA_DIR": str(tmp_path / "data")})
    portal = open_portal(settings, clock=clock)
    portal.supervision.create_account("fina", PASSWORD, "finance", None, "test")
    for month in (7, 8, 9):
        clock.now = datetime(2025, month + 1, 5, 9, 0, tzinfo=ZoneInfo("Europe/Zurich"))
        body = (HEADER + f"\n{month:02d}.2025;B-0017;Qualifizierung;Selbstzahler;;;;;Einsatztag;21.7;80.00;1736.00\n")
        portal.reporting.submit_invoice("regiomech", Upload(body.encode(), "text/csv", "r.csv"), "user:anna")
    clock.now = datetime(2025, 11, 20, 9, 0, tzinfo=ZoneInfo("Europe/Zurich"))
    with served(settings, portal) as urls:
        yield urls, portal
    portal.close()


@pytest.mark.parametrize("viewport", SIZES)
def test_finance_picks_a_quarter_records_waivers_and_keeps_the_period(site, viewport):
    (_, supervision), portal = site
    name = "desktop" if viewport["width"] > 1000 else "phone"
    with browser(viewport=viewport) as context:
        page = context.new_page()
        watch = Watch(page)
        log_in(page, supervision, "fina")
        assert page.url.endswith("/finanzen")  # finance lands on its page
        assert page.locator("form[action='/finanzen'][method=get]").count() == 1  # one picker
        page.get_by_label("Zeitraum").select_option("2025-Q3")
        page.get_by_role("button", name="Anzeigen").click()
        page.wait_for_url("**zeitraum=2025-Q3")
        assert page.locator("#funding-title").inner_text() == "Finanzierung 3. Quartal 2025"
        assert "2’604.00" in page.locator("main").inner_text()  # 3 × 1’736.00 / 2: the canton's subsidy

        waiver = page.locator("form[action^='/finanzen/kostenerlasse?']")
        waiver.get_by_label("Anbieter").select_option("regiomech")
        waiver.get_by_label("Teilnehmernummer").fill("B-0071")  # a typing error: never billed
        waiver.get_by_label("Gültig ab").fill("2025-07-01")
        waiver.get_by_label("Monatsbeitrag CHF").fill("50")
        waiver.get_by_role("button", name="Kostenerlass speichern").click()
        page.wait_for_load_state()
        question = page.locator(".warn-box.confirm")
        assert "noch nie eine Rechnungszeile eingereicht" in question.inner_text()
        assert page.title().startswith("Finanzen")
        assert portal.supervision.fee_waivers() == []
        page.screenshot(path=str(artifact(f"finance-confirm-{name}.png")), full_page=True)
        page.locator("#waiver-participant").fill("B-0017")  # corrected: billed, no question
        page.get_by_role("button", name="Kostenerlass speichern").click()
        page.wait_for_url("**/finanzen?zeitraum=2025-Q3&gespeichert=1")
        assert "Gespeichert. Sie sehen weiterhin 3. Quartal 2025." in page.locator("main").inner_text()
        assert page.locator("#funding-title").inner_text() == "Finanzierung 3. Quartal 2025"
        assert len(portal.supervision.fee_waivers()) == 1

        page.get_by_label("Zeitraum").select_option("2025-09")
        page.get_by_role("button", name="Anzeigen").click()
        page.wait_for_url("**zeitraum=2025-09")
        assert page.locator("#funding-title").inner_text() == "Finanzierung September 2025"
        assert fits_width(page)
        # every amount on the screen, not behind a sideways scroll (on a phone the tables turn into cards)
        assert 0 < rightmost(page, "main td.num, main tfoot th.num") <= viewport["width"]
        waivers = page.locator("#waiver-title ~ .table-wrap tbody").inner_text()
        assert "Genossenschaft Regiomech" in waivers and "B-0017" in waivers  # the provider by its name
        page.screenshot(path=str(artifact(f"finance-{name}.png")), full_page=True)
        assert watch.problems == []
