"""Provider staff in a real browser: log in, upload, read the findings, correct, see the history."""
from __future__ import annotations

import pytest

from shared.config import load_settings
from tests.e2e.browser import PASSWORD, Watch, artifact, browser, fits_width, log_in, served

pytestmark = pytest.mark.browser

HEADER = ("Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
          "Menge;Ansatz;Betrag")
INVOICE = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;23;85.00;1955.00\n"
           "03.2025;A-2;Coaching;Selbstzahler;;;;;Coachingstunde;3.1;200.00;620.00\n"
           "03.2025;S-3;Beschäftigung I;Sozialhilfe;KGS-OL-2025-031;;;;Einsatztag;21,7;35.00;759.50\n")
CORRECTION = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;21.7;80.00;1736.00\n"
              "03.2025;A-2;Coaching;Selbstzahler;;;;;Coachingstunde;3;200.00;600.00\n"
              "03.2025;S-3;Beschäftigung I;Sozialhilfe;KGS-OL-2025-031;;;;Einsatztag;21,7;35.00;759.50\n")


@pytest.fixture
def site(tmp_path, clock):
    from shared.portal import open_portal

    settings = load_settings({"AMI_DATA_DIR": str(tmp_path / "data")})
    portal = open_portal(settings, clock=clock)
    portal.supervision.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    with served(settings, portal) as urls:
        yield urls
    portal.close()


def test_provider_uploads_sees_findings_corrects_and_sees_version_2(site, tmp_path):
    reporting, _ = site
    with browser() as context:
        page = context.new_page()
        watch = Watch(page)
        page.goto(reporting + "/meldungen")
        assert "/login" in page.url  # not logged in yet
        log_in(page, reporting, "anna")
        assert page.url.endswith("/meldungen")
        assert page.locator("h1").inner_text() == "Meine Meldungen"
        assert page.locator("form.upload .dropzone.js").count() == 2  # upload.js is active

        # upload with the plain file field and the button
        invoice = tmp_path / "rechnung-maerz.csv"
        invoice.write_text(INVOICE, encoding="utf-8")
        form = page.locator("form[action='/meldungen/rechnung']")
        form.locator("input[type=file]").set_input_files(str(invoice))
        form.locator("button[type=submit]").click()
        page.wait_for_url("**/rechnungen/**")
        body = page.locator("main").inner_text()
        assert "Die Rechnung ist gespeichert und geprüft" in body
        assert "Ansatz CHF 85.00 über dem Höchsttarif CHF 80.00" in body
        assert "23 Einsatztage verrechnet, höchstens 21.7 pro Monat" in body
        assert "21.7 × CHF 80.00 = CHF 1’736.00" in body  # the calculation behind it
        assert "Viertelstunden" in body  # 3.1 coaching hours
        assert page.locator("li.finding.sev-error").count() >= 3
        assert page.locator(".kpi-alert .kpi-value").inner_text().startswith("CHF")
        invoice_url = page.url.split("?")[0]
        page.screenshot(path=str(artifact("provider-result.png")), full_page=True)

        # the correction, dropped onto the drop zone (upload.js submits it)
        transfer = page.evaluate_handle(
            """(text) => { const dt = new DataTransfer();
                           dt.items.add(new File([text], "korrektur.csv", {type: "text/csv"}));
                           return dt; }""", CORRECTION)
        zone = page.locator("form[action$='/korrektur'] [data-dropzone]")
        zone.dispatch_event("dragenter", {"dataTransfer": transfer})
        zone.dispatch_event("drop", {"dataTransfer": transfer})
        page.wait_for_url("**korrigiert=1")
        assert page.url.split("?")[0] == invoice_url
        assert "Die Korrektur ist als Version 2 gespeichert und geprüft" in page.locator("main").inner_text()
        history = page.locator("table.history")
        assert history.locator("tbody tr").count() == 2
        last = history.locator("tbody tr").nth(1).inner_text()
        assert "Korrektur eingegangen" in last and "2" in last and "anna" in last
        assert "Verrechnet −CHF 239.00" in history.inner_text()  # what changed in the totals
        assert page.locator("li.finding.sev-error").count() == 0
        page.goto(invoice_url + "?version=1")
        assert "Sie sehen Version 1" in page.locator("main").inner_text()
        page.goto(invoice_url)
        page.screenshot(path=str(artifact("provider-correction.png")), full_page=True)

        # the same page on a phone: readable without sideways scrolling of the page
        page.set_viewport_size({"width": 360, "height": 800})
        page.reload()
        assert fits_width(page)
        page.screenshot(path=str(artifact("provider-result-360.png")), full_page=True)
        page.goto(reporting + "/meldungen")
        assert fits_width(page)
        assert "März 2025" in page.locator("main").inner_text()
        assert watch.problems == []

        # log out: the pages need a login again
        page.click("nav form[action='/logout'] button")
        page.wait_for_url("**/login?abgemeldet=1")
        page.goto(reporting + "/meldungen")
        assert "/login" in page.url
