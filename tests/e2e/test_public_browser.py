"""The public finder and decision tool in Chromium, at desktop width and on a 390 px phone, with and without
JavaScript: suggestions as one types (the self-hosted script, no CDN), one question at a time into the finder."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from services.demo.generator import run_demo
from shared.config import load_settings
from tests.e2e.browser import PHONE, Watch, artifact, browser, fits_width, served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo's first quarter (its offerings in the towns of the brochure's regions, their capacity reports)."""
    from shared.portal import open_portal

    class Clock:
        now = datetime(2025, 4, 3, 9, 12, tzinfo=ZoneInfo("Europe/Zurich"))

        def __call__(self):
            return self.now

    clock = Clock()
    settings = load_settings({"AMI_DATA_DIR": str(tmp_path_factory.mktemp("public") / "data")})
    portal = open_portal(settings, clock=clock)
    run_demo(portal, months=[1, 2, 3], workers=2)
    clock.now = datetime(2025, 4, 3, 9, 12, tzinfo=ZoneInfo("Europe/Zurich"))
    with served(settings, portal) as urls:
        yield urls[1]
    portal.close()


def options(page) -> list[str]:
    return page.eval_on_selector_all("#f-orte option", "els => els.map(e => e.value)")


def test_decision_tool_into_the_finder_with_suggestions_at_desktop_width(site):
    with browser() as context:
        page = context.new_page()
        watch = Watch(page)
        page.goto(site + "/entscheidung")
        assert page.locator("h2#frage").inner_text() == "Was ist das Ziel?"
        assert page.locator("a.choice").count() == 3
        page.click("a.choice:has-text('eine Stelle finden')")
        assert page.locator("h2#frage").inner_text() == "Ist das Deutschniveau A1 bereits erreicht?"
        page.click("a.choice:text-is('Ja')")
        assert "2. Arbeitsmarkt" in page.locator("h2#frage").inner_text()
        page.click("a.button:text-is('Zurück')")
        assert page.locator("h2#frage").inner_text() == "Ist das Deutschniveau A1 bereits erreicht?"
        page.click("a.choice:text-is('Ja')")
        page.click("a.choice:text-is('Nein')")
        assert page.locator("h2#ergebnis").inner_text() == "integration.arbeit"
        assert page.locator("ol.decision-steps li").count() == 3
        assert "Falls es kein regionales Angebot" in page.locator("main").inner_text()
        page.screenshot(path=str(artifact("public-decision.png")), full_page=True)
        page.click("a.button:text-is('Neu beginnen')")
        assert page.locator("h2#frage").inner_text() == "Was ist das Ziel?"
        page.go_back()
        page.click("a.button:has-text('Angebote für integration.arbeit finden')")
        assert page.url.endswith("/programme?programm=integration-arbeit")
        assert page.locator("#f-programm").input_value() == "integration-arbeit"

        page.click("#f-ort")
        page.keyboard.type("Olt", delay=40)
        page.wait_for_function("() => document.querySelectorAll('#f-orte option').length > 0")
        assert options(page)[0] == "4600 Olten"
        page.fill("#f-ort", "")
        page.keyboard.type("45", delay=40)
        page.wait_for_function("() => { const found = [...document.querySelectorAll('#f-orte option')];"
                               " return found.length > 0 && found.every(o => o.value.startsWith('45')); }")
        assert "4500 Solothurn" in options(page)
        page.fill("#f-ort", "4600 Olten")
        page.select_option("#f-umkreis", "20")
        page.click("form.finder-form button[type=submit]")
        page.wait_for_load_state()
        assert "ort=4600+Olten" in page.url
        results = page.locator("li.result")
        assert results.count() >= 1
        first = results.first.inner_text()
        assert "integration.arbeit Olten" in first and "Oltech GmbH" in first and "am Ort" in first
        assert "Stand: März 2025" in first or "Stand: Februar 2025" in first
        assert page.locator("li.result a[href='https://oltech.ch/']").count() == 1
        page.screenshot(path=str(artifact("public-finder.png")), full_page=True)

        page.select_option("#f-programm", "")
        page.select_option("#f-umkreis", "100")
        page.click("form.finder-form button[type=submit]")
        page.wait_for_load_state()
        distances = [0.0 if t.endswith("am Ort") else float(t.split(" km")[0].rsplit(" ", 1)[-1])
                     for t in page.locator("li.result .result-place").all_inner_texts()]
        assert len(distances) > 40 and distances == sorted(distances)  # nearest first, Basel and Aarau included
        towns = " ".join(page.locator("li.result .result-place").all_inner_texts())
        assert all(t in towns for t in ("Solothurn", "Grenchen", "Basel", "Liestal", "Aarau"))
        assert watch.problems == []


def test_both_pages_on_a_390_px_phone(site):
    with browser(viewport=PHONE, is_mobile=True, has_touch=True) as context:
        page = context.new_page()
        watch = Watch(page)
        page.goto(site + "/programme?programm=qualifizierung&ort=4500+Solothurn&umkreis=30")
        assert page.locator("li.result").count() >= 3
        assert fits_width(page)
        box = page.locator("li.result").first.bounding_box()
        assert box["width"] <= PHONE["width"]
        page.screenshot(path=str(artifact("public-finder-390.png")), full_page=True)
        page.goto(site + "/programme?programm=suchthilfe-stundenlohn&ort=2540&umkreis=5")
        assert "den Umkreis auf" in page.locator(".widen").inner_text() and fits_width(page)
        page.click(".widen a.button")
        assert page.locator("li.result").count() >= 1
        page.goto(site + "/entscheidung")
        page.tap("a.choice:has-text('eine Lehre machen')")
        page.tap("a.choice:text-is('Ja')")
        page.tap("a.choice:text-is('Ja')")
        assert page.locator("h2#ergebnis").inner_text() == "Brückenangebot BBZ"
        assert fits_width(page)
        page.screenshot(path=str(artifact("public-decision-390.png")), full_page=True)
        page.tap("a.button:has-text('Angebote für Jugendprogramm finden')")
        assert page.locator("#f-programm").input_value() == "jugendprogramm"
        assert watch.problems == []


def test_both_pages_work_without_javascript(site):
    with browser(java_script_enabled=False) as context:
        page = context.new_page()
        page.goto(site + "/entscheidung")
        page.click("a.choice:has-text('eine sinnstiftende')")
        page.click("a.choice:text-is('Nicht nötig')")
        assert page.locator("h2#ergebnis").inner_text() == "Beschäftigung I oder Beschäftigung II"
        page.click("a.button:has-text('Angebote für Beschäftigung II finden')")
        page.fill("#f-ort", "Olten")
        page.click("form.finder-form button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#f-ort").input_value() == "4600 Olten"
        assert page.locator("li.result").count() >= 1
        assert "Beschäftigung II" in page.locator("li.result").first.inner_text()
