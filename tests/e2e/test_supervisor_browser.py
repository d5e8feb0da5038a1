"""A supervisor in a real browser: dashboard, provider, invoice, waive a finding; the provider sees it."""
from __future__ import annotations

import pytest

from shared.config import load_settings
from shared.portal.reporting import Upload
from tests.e2e.browser import PASSWORD, Watch, artifact, browser, fits_width, log_in, rightmost, served

pytestmark = pytest.mark.browser

HEADER = ("Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
          "Menge;Ansatz;Betrag")
CAPACITY = "Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n{m}.2025;Qualifizierung;{p};{o};1;1\n"


def invoice(month: int, price: str = "80.00", days: str = "21.7") -> bytes:
    amount = f"{float(days) * float(price):.2f}"
    return (HEADER + f"\n{month:02d}.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;{days};{price};"
            f"{amount}\n"
            f"{month:02d}.2025;A-2;Coaching;Selbstzahler;;;;;Coachingstunde;2;200.00;400.00\n").encode()


@pytest.fixture
def site(tmp_path, clock):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from shared.portal import open_portal

    settings = load_settings({"AMI_DATA_DIR": str(tmp_path / "data")})
    portal = open_portal(settings, clock=clock)
    sup, rep = portal.supervision, portal.reporting
    sup.create_account("sara", PASSWORD, "supervisor", None, "test")
    sup.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    # a quarter of submissions: some on time, some late, some missing
    slugs = sup.provider_slugs()
    for month in (1, 2, 3):
        for i, slug in enumerate(slugs):
            if (i + month) % 5 == 0:
                continue  # missing
            day = 14 if (i + month) % 4 == 0 else 6
            clock.now = datetime(2025, month + 1, day, 10, 0, tzinfo=ZoneInfo("Europe/Zurich"))
            price = "85.00" if slug == "regiomech" and month == 3 else "80.00"
            rep.submit_invoice(slug, Upload(invoice(month, price, "23" if i % 3 == 0 else "21.7"), "text/csv",
                                            f"rechnung-{month}.csv"), "user:anna")
            if (i + month) % 3:
                body = CAPACITY.format(m=f"{month:02d}", p=10 + i % 7, o=8 + i % 9).encode()
                rep.submit_capacity_report(slug, Upload(body, "text/csv", "kapazitaet.csv"), "user:anna")
    clock.now = datetime(2025, 4, 3, 9, 12, tzinfo=ZoneInfo("Europe/Zurich"))
    with served(settings, portal) as urls:
        yield urls
    portal.close()


def test_supervisor_reviews_and_the_provider_sees_the_waiver(site):
    reporting, supervision = site
    with browser() as context:
        page = context.new_page()
        watch = Watch(page)
        log_in(page, supervision, "sara")
        assert page.url.endswith("/dashboard")
        main = page.locator("main")
        assert "Übersicht März 2025" in page.locator("h1").inner_text()
        assert page.locator("table.grid-table tbody tr").count() == 26
        for label in ("✓ eingegangen", "! verspätet", "✗ fehlt"):
            assert label in main.inner_text()
        assert page.locator("table.grid-table .gs-late").count() > 0
        assert page.locator("table.grid-table .gs-missing").count() > 0
        assert page.locator("figure.chart .chart-wide svg").count() == 2
        assert page.locator(".chart-wide svg rect.pt-0, .chart-wide svg rect.pt-2").count() > 0
        assert not page.locator(".chart-narrow svg").first.is_visible()
        assert "Ansatz über dem Höchsttarif" in main.inner_text()
        page.screenshot(path=str(artifact("dashboard.png")), full_page=True)

        # filters: one programme type, the whole year
        page.select_option("#f-programm", "coaching")
        page.wait_for_url("**programm=coaching**")
        assert "Coaching" in page.locator("h1").inner_text()
        page.select_option("#f-monat", "")
        page.wait_for_url("**monat=&**")
        assert page.locator("h1").inner_text().startswith("Übersicht 2025")
        page.goto(supervision + "/dashboard")

        # a provider, then its March invoice
        page.click("table.amounts a:text('Genossenschaft Regiomech')")
        page.wait_for_url("**/anbieter/regiomech")
        assert "Monate" in main.inner_text() and "Befunde" in main.inner_text()
        page.click("#monat-2025-03 a[href^='/rechnungen/']")
        page.wait_for_url("**/rechnungen/**")
        invoice_path = page.url.split(supervision)[1].split("?")[0]
        finding = page.locator("li.finding", has_text="Ansatz über dem Höchsttarif").first
        finding.locator("input[name=comment]").fill("Tarif 2025 mit dem AGS vereinbart")
        finding.locator("button[value=waived]").click()
        page.wait_for_selector("text=Der Entscheid zum Befund ist gespeichert")  # post/redirect/get
        assert "Der Entscheid zum Befund ist gespeichert" in main.inner_text()
        waived = page.locator("li.finding.decided-waived").first
        assert "Von der Aufsicht erlassen" in waived.inner_text()
        assert "Tarif 2025 mit dem AGS vereinbart" in waived.inner_text()
        assert "Befund erlassen" in page.locator("table.history").inner_text()
        page.screenshot(path=str(artifact("supervisor-invoice.png")), full_page=True)
        page.goto(supervision + "/anbieter/regiomech")
        assert "Tarif 2025 mit dem AGS vereinbart" in page.locator("table.findings-table").inner_text()

        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(supervision + "/dashboard")
        assert fits_width(page)
        assert 0 < rightmost(page, "table.amounts td, table.amounts th") <= 360  # all five columns in view
        assert 0 < rightmost(page, "#codes-title ~ .table-wrap td") <= 360  # the findings by rule as cards
        # the receipts: every month in view, each a target of 24 px, the provider's name above its months (they
        # scrolled sideways beside the name: two months of twelve in view)
        cells = [c.bounding_box() for c in page.locator("td.gcell a").all()]
        assert cells and max(c["x"] + c["width"] for c in cells) <= 360 and min(c["width"] for c in cells) >= 24
        name = page.locator("table.grid-table tbody th.prov").first.bounding_box()
        assert page.locator("td.gcell").first.bounding_box()["y"] >= name["y"] + name["height"] - 1
        # both charts drawn for the phone: whole in view (months, the places' figures), text not scaled down
        assert not page.locator(".chart-wide svg").first.is_visible()
        assert 0 < rightmost(page, ".chart-narrow svg rect, .chart-narrow svg text") <= 360
        axis = page.locator(".chart-narrow svg text.axis").first.bounding_box()
        assert axis["x"] >= 0 and axis["height"] >= 13, axis  # the wide drawing scaled down: 11 (now 14)
        page.locator("summary", has_text="Zahlen als Tabelle").first.click()  # the cost chart's figures: a block
        wraps = page.locator("details[open] .table-wrap")  # a month, not 13 columns scrolled sideways
        assert wraps.count() == 1 and wraps.evaluate_all("ws => ws.filter(w => w.scrollWidth > w.clientWidth + 1)") == []
        page.screenshot(path=str(artifact("dashboard-360.png")), full_page=True)
        page.goto(supervision + "/anbieter/regiomech")
        assert fits_width(page) and 0 < rightmost(page, ".summary-wrap td") <= 360  # the findings by rule as cards
        month = page.locator("table.months tbody tr").first.bounding_box()  # four lines, not eight labelled ones
        assert month["height"] < 160 and month["x"] + month["width"] <= 360, month
        assert watch.problems == []

    # the provider, in its own browser, sees the supervisor's decision on its invoice
    with browser() as context:
        page = context.new_page()
        log_in(page, reporting, "anna")
        page.goto(reporting + invoice_path)
        text = page.locator("main").inner_text()
        assert "Von der Aufsicht erlassen" in text and "Tarif 2025 mit dem AGS vereinbart" in text
        # and a provider gets no supervision page
        response = page.goto(supervision + "/dashboard")
        assert response.status in (403, 200) and "Kein Zugang" in page.locator("main").inner_text()
