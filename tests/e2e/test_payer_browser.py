"""A provider prints a participant's bill in a real browser: the «Belege» section of the invoice page, the form
for name and address, the PDF download with the QR payment part; the page fits the window, on a phone too."""
from __future__ import annotations

import re
import subprocess
import zipfile

import pytest

from shared.config import load_settings
from tests.e2e.browser import PASSWORD, PHONE, Watch, artifact, browser, fits_width, log_in, served

pytestmark = pytest.mark.browser

HEADER = ("Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
          "Menge;Ansatz;Betrag")
INVOICE = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;21.7;80.00;1736.00\n"
           "03.2025;S-3;Beschäftigung I;Sozialhilfe;KGS-OL-2025-031;;;;Einsatztag;21,7;35.00;759.50\n")


@pytest.fixture
def site(tmp_path, clock):
    from shared.portal import open_portal
    from shared.portal.reporting import Upload

    settings = load_settings({"AMI_DATA_DIR": str(tmp_path / "data")})
    portal = open_portal(settings, clock=clock)
    portal.supervision.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    portal.supervision.change_provider("regiomech", {"iban": "CH44 3199 9123 0008 8901 2",
                                                     "street": "Industriestrasse 10", "postcode": "4528",
                                                     "city": "Zuchwil"}, "test")
    stored = portal.reporting.submit_invoice("regiomech", Upload(INVOICE.encode(), "text/csv", "r.csv"), "test")
    with served(settings, portal) as urls:
        yield urls, stored.document["id"]
    portal.close()


def belege_of(context, site):
    """Anna logged in, the invoice page open: (the page, its watch for errors, the «Belege» section)."""
    (reporting, _), invoice_id = site
    page = context.new_page()
    watch = Watch(page)
    log_in(page, reporting, "anna")
    page.goto(f"{reporting}/rechnungen/{invoice_id}")
    return page, watch, page.locator("#belege")


def test_provider_prints_a_participants_bill_with_name_and_address(site, tmp_path):
    with browser(accept_downloads=True) as context:
        page, watch, section = belege_of(context, site)
        text = section.inner_text()
        assert "Abrechnung an den Sozialdienst" in text and "KGS-OL-2025-031" in text
        assert "Forderung an den Kanton" in text and "Rechnung an Teilnehmende" in text and "CHF 868.00" in text
        assert "Alle Rechnungen des Monats, je die neueste Version" in text  # what the ZIP holds, said beside it
        section.locator("summary").first.click()
        form = section.locator("form.bill-form").first
        form.locator("input[name=name]").fill("Quirin Quelle")
        form.locator("input[name=street]").fill("Seeweg 4")
        form.locator("input[name=postcode]").fill("4500")
        form.locator("input[name=city]").fill("Solothurn")
        section.screenshot(path=str(artifact("belege-section.png")))
        assert fits_width(page)
        with page.expect_download() as download:
            form.locator("button[type=submit]").click()
        pdf = tmp_path / "bill.pdf"
        download.value.save_as(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout
        assert b"Quirin Quelle" in text and b"Zahlteil" in text and b"868.00" in text
        with page.expect_download() as download:  # the month's ZIP, sent while it is made (chunked)
            section.locator("a[href$='/belege.zip']").click()
        assert download.value.failure() is None and download.value.suggested_filename.endswith(".zip")
        with zipfile.ZipFile(download.value.path()) as z:
            payers = {re.search(r"-v\d+-\d+-([a-z_]+)-", name).group(1) for name in z.namelist()}
            assert z.testzip() is None and payers == {"social_service", "canton", "participant"}
        assert watch.problems == []


def test_on_a_phone_each_document_is_a_card_with_its_pdf_in_reach(site):
    """At 390 px the documents' table stacks (labels beside values): every PDF button and the form's fields lie
    inside the window, none behind a sideways scroll of the table."""
    with browser(viewport=PHONE) as context:
        page, watch, section = belege_of(context, site)
        section.locator("summary").first.click()
        section.screenshot(path=str(artifact("belege-section-390.png")))
        assert fits_width(page)
        inside = [section.locator("a.button[download]").nth(i).bounding_box() for i in range(3)]
        inside.append(section.locator("form.bill-form button[type=submit]").first.bounding_box())
        assert all(box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] for box in inside), inside
        label = section.locator("td[data-label='Total']").first.evaluate(
            "td => getComputedStyle(td, '::before').content")
        assert label == '"Total"'  # the column's name beside the value, the table's head hidden
        assert watch.problems == []
