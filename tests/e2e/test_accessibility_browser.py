"""axe-core (axe-playwright-python) on the pages of both services, desktop and 390 px: no serious or critical
violation (WCAG 2.2 AA rules, target size included). Also: the skip link comes first, a refused upload puts the
focus on its error summary and the title says «Fehler».

The two /schema pages (Swagger UI) are checked as they open, operations folded: the portal's contrast.css and
init.js fixed the method badges' contrast, the deep links nested in buttons and the unnamed #servers select.
An unfolded operation is Swagger UI's own markup and is not checked."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shared.config import load_settings
from shared.portal.reporting import Upload
from shared.submissions.domain.invoice import invoice_id
from tests.bench.generate import invoice_csv
from tests.e2e.browser import PASSWORD, PHONE, Watch, browser, log_in, served

pytestmark = pytest.mark.browser

HEADER = ("Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
          "Menge;Ansatz;Betrag")
INVOICE = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;23;85.00;1955.00\n"
           "03.2025;A-2;Coaching;Selbstzahler;;;;;Coachingstunde;3.1;200.00;620.00\n").encode()
CAPACITY = "Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n03.2025;Qualifizierung;10;8;1;1\n".encode()
BROKEN = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;abc;80.00;1736.00\n").encode()
SIZES = [pytest.param({"width": 1280, "height": 900}, id="desktop"),
         pytest.param(PHONE, id="phone")]
BIG = Upload(invoice_csv(450, "02.2025"), "text/csv", "februar.csv")  # three pages of lines, two of Belege
BIG_ID = invoice_id("regiomech", "2025-02", BIG.sha256)
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from shared.portal import open_portal

    tmp = tmp_path_factory.mktemp("a11y")
    settings = load_settings({"AMI_DATA_DIR": str(tmp / "data")})
    now = {"t": datetime(2025, 4, 3, 9, 12, tzinfo=ZoneInfo("Europe/Zurich"))}
    portal = open_portal(settings, clock=lambda: now["t"])
    sup, rep = portal.supervision, portal.reporting
    sup.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    sup.create_account("sara", PASSWORD, "supervisor", None, "test")
    sup.create_account("fina", PASSWORD, "finance", None, "test")
    invoice = rep.submit_invoice("regiomech", Upload(INVOICE, "text/csv", "maerz.csv"), "user:anna")
    rep.submit_invoice("regiomech", BIG, "user:anna")
    report = rep.submit_capacity_report("regiomech", Upload(CAPACITY, "text/csv", "k.csv"), "user:anna")
    with served(settings, portal) as urls:
        yield urls, invoice.document["id"], report.document["id"]
    portal.close()


def serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options=AXE_OPTIONS)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
            for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


def check(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state()
    if url.endswith("/schema"):
        page.wait_for_selector(".opblock")  # Swagger UI draws the page after loading
    return [f"{url}: {problem}" for problem in serious(page)]


@pytest.mark.parametrize("viewport", SIZES)
def test_the_reporting_pages_pass_axe(site, viewport):
    (reporting, _), invoice_id, report_id = site
    with browser(viewport=viewport) as context:
        page = context.new_page()
        watch = Watch(page)
        problems = check(page, reporting + "/login") + check(page, reporting + "/hilfe")
        problems += check(page, reporting + "/gibtsnicht") + check(page, reporting + "/schema")
        log_in(page, reporting, "anna")
        for path in ("/meldungen", f"/rechnungen/{invoice_id}", f"/rechnungen/{invoice_id}?befunde=1",
                     f"/rechnungen/{BIG_ID}?seite=2&belege=2",
                     f"/kapazitaetsmeldungen/{report_id}", "/kostengutsprachen", "/hilfe", "/gibtsnicht"):
            problems += check(page, reporting + path)
        assert problems == []
        assert [p for p in watch.problems if not p.startswith("404 ")] == []


@pytest.mark.parametrize("viewport", SIZES)
def test_the_supervision_pages_pass_axe(site, viewport):
    (_, supervision), invoice_id, report_id = site
    with browser(viewport=viewport) as context:
        page = context.new_page()
        problems = check(page, supervision + "/login") + check(page, supervision + "/programme")
        problems += check(page, supervision + "/schema")
        log_in(page, supervision, "sara")
        for path in ("/dashboard", "/arbeit", "/suche?q=regio", "/anbieter/regiomech", f"/rechnungen/{invoice_id}",
                     f"/rechnungen/{BIG_ID}?zeile=300",
                     f"/kapazitaetsmeldungen/{report_id}", "/auswertung", "/register", "/register/regiomech",
                     "/register/sozialdienste", "/finanzen", "/finanzen?zeitraum=2025-Q1", "/gibtsnicht"):
            problems += check(page, supervision + path)
        assert problems == []


@pytest.mark.parametrize("viewport", SIZES)
def test_skip_link_and_a_refused_upload_focus_the_error(site, viewport, tmp_path):
    (reporting, _), _, _ = site
    broken = tmp_path / "kaputt.csv"
    broken.write_bytes(BROKEN)
    with browser(viewport=viewport) as context:
        page = context.new_page()
        log_in(page, reporting, "anna")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "inhalt"
        form = page.locator("form[action='/meldungen/rechnung']")
        form.get_by_label("Datei auswählen").set_input_files(str(broken))
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert page.title().startswith("Fehler: ")
        assert page.evaluate("document.activeElement.classList.contains('refusal')")
        assert serious(page) == []
        box = page.locator(".refusal .table-wrap")
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
        assert box.get_attribute("aria-label")
