"""The evaluation page in Chromium: figures, «< 5» and «×» where small numbers are protected, both charts,
the PDF download, a German error for a bad month, and a narrow screen (the charts drawn for it, the tables as one block per provider)."""
from __future__ import annotations

import json

import pytest

from shared.config import load_settings
from shared.portal.reporting import Upload
from tests.e2e.browser import PASSWORD, Watch, artifact, browser, fits_width, log_in, rightmost, served
from tests.integration.test_evaluation import DATA

pytestmark = pytest.mark.browser


@pytest.fixture
def site(tmp_path, clock):
    from shared.portal import open_portal

    settings = load_settings({"AMI_DATA_DIR": str(tmp_path / "data")})
    portal = open_portal(settings, clock=clock)
    portal.supervision.create_account("sara", PASSWORD, "supervisor", None, "test")
    for provider, months in DATA.items():
        for period, lines in months.items():
            body = json.dumps({"period": period, "lines": lines}).encode()
            portal.reporting.submit_invoice(provider, Upload(body, "application/json", "rechnung.json"), "user:x")
    with served(settings, portal) as urls:
        yield urls
    portal.close()


def test_the_supervisor_reads_the_evaluation_with_small_numbers_protected(site):
    _, supervision = site
    with browser() as context:
        page = context.new_page()
        watch = Watch(page)
        log_in(page, supervision, "sara")
        page.click("nav a:text('Evaluation')")
        page.wait_for_url("**/auswertung")
        assert "Evaluation integration.arbeit 10.2022–06.2025" in page.locator("h1").inner_text()
        page.fill("#e-von", "2025-01")
        page.fill("#e-bis", "2025-03")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**bis=2025-03**")
        assert "Evaluation integration.arbeit 01.2025–03.2025" in page.locator("h1").inner_text()
        assert page.locator("nav a[aria-current=page]").inner_text() == "Evaluation"
        table = page.locator("#p-integration-arbeit ~ .table-wrap table").first
        netzwerk = table.locator("tr", has_text="Netzwerk Grenchen").locator("td").all_inner_texts()
        assert netzwerk and set(netzwerk) == {"< 5"}
        oltech = table.locator("tr", has_text="Oltech").locator("td").all_inner_texts()
        assert "×" in oltech and not any(ch.isdigit() for cell in oltech for ch in cell.replace("< 5", ""))
        regiomech = table.locator("tr", has_text="Regiomech").locator("td").all_inner_texts()
        assert regiomech[0] == "8" and "85.7 %" in regiomech
        wide = page.locator("figure.chart .chart-wide svg")
        assert wide.count() == 2 and wide.first.is_visible() and not page.locator(".chart-narrow svg").first.is_visible()
        assert "Stelle 1. Arbeitsmarkt" in page.locator("figure.chart").first.inner_text()
        assert "Qualifizierung" in page.locator("figure.chart").nth(1).inner_text()
        assert "auf den Rappen" in page.locator("#recon-title ~ p").inner_text()
        # a desktop shows every column of every table at once, and no table names two columns alike
        boxes = page.locator(".table-wrap:has(table.evaluation)")
        assert boxes.count() >= 7 and boxes.evaluate_all("ws => ws.filter(w => w.scrollWidth > w.clientWidth)") == []
        for table in page.locator("table.evaluation").all():
            headings = table.locator("thead th").all_inner_texts()
            assert len(headings) == len(set(headings)), headings  # «Teilnehmende»: the count and the source
        page.screenshot(path=str(artifact("evaluation.png")), full_page=True)

        href = page.locator("a[href^='/auswertung/evaluation.pdf']").get_attribute("href")
        pdf = page.request.get(supervision + href)
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")

        response = page.goto(supervision + "/auswertung?von=2025-13")
        assert response.status == 422
        assert "«2025-13» ist kein Monat" in page.locator("[role=alert]").inner_text()

        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(supervision + "/auswertung?von=2025-01&bis=2025-03")
        assert fits_width(page)
        # the charts drawn for the phone: whole on the screen, their text not drawn at half its size
        narrow = page.locator("figure.chart .chart-narrow svg")
        assert narrow.count() == 2 and narrow.first.is_visible() and not wide.first.is_visible()
        assert rightmost(page, "figure.chart .chart-narrow svg *") <= 360
        label = narrow.first.locator("text", has_text="Qualifizierung").bounding_box()
        assert label["height"] >= 9.5, label  # the wide drawing, scaled down and scrolling sideways: 8 (11 now)
        # every table's figures in view without scrolling sideways: one block per provider, each figure under its
        # label (the tables scrolled sideways by up to 700 px before)
        assert boxes.evaluate_all("ws => ws.filter(w => w.scrollWidth > w.clientWidth + 1)") == []
        first = page.locator("table.evaluation").first.locator("tbody tr").first
        cells = first.locator("td")
        assert cells.count() == 10 and all(c.bounding_box()["x"] + c.bounding_box()["width"] <= 360
                                           for c in cells.all())
        assert cells.first.evaluate("c => getComputedStyle(c, '::before').content") == '"Teilnehmende"'
        name, figure = first.locator("th").bounding_box(), cells.first.bounding_box()
        assert figure["y"] >= name["y"] + name["height"] - 1  # the provider's name above its figures
        page.screenshot(path=str(artifact("evaluation-360.png")), full_page=True)
        assert [p for p in watch.problems if "2025-13" not in p] == []
