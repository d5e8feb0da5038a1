"""The supervisor's day in a real browser: from the dashboard into the work queue, warnings confirmed together,
a refused waiver beside its finding, an approval that asks first; on a desktop and on a 390 px phone."""
from __future__ import annotations

import re

import pytest

from tests.e2e.browser import PHONE, Watch, artifact, browser, fits_width, log_in
from tests.e2e.test_supervisor_browser import site  # noqa: F401 (the fixture: a quarter of 26 providers)

pytestmark = pytest.mark.browser


# the chosen option's text, the select's padding and ~20 px for its arrow: within the select's width (not cut)
CHOICE_SHOWN = """s => { const c = document.createElement('canvas').getContext('2d'); const st = getComputedStyle(s);
    c.font = st.font; const text = c.measureText(s.selectedOptions[0].text).width;
    return text + parseFloat(st.paddingLeft) + parseFloat(st.paddingRight) + 20 <= s.clientWidth; }"""


def _open_count(page) -> int:
    return int(re.search(r"Offene Befunde \((\d+)\)", page.locator("main").inner_text()).group(1))


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_work_queue_bulk_confirmation_and_approval_that_asks_first(site, viewport):  # noqa: F811
    _, supervision = site
    with browser(**({"viewport": viewport} if viewport else {})) as context:
        page = context.new_page()
        watch = Watch(page)
        main = page.locator("main")
        log_in(page, supervision, "sara")
        suffix = "-390" if viewport else ""

        # the dashboard's «Befunde nach Prüfregel» lead into the queue, filtered by that rule
        rule = page.locator("section[aria-labelledby=codes-title] tbody a[href^='/arbeit?regel=']").first
        code = rule.get_attribute("href").split("regel=")[1].split("&")[0]
        rule.click()
        page.wait_for_url("**/arbeit?regel=**")
        links = page.locator("a:text('Entscheiden')")
        assert links.count() > 0
        assert all(f"-{code}" in links.nth(i).get_attribute("href") for i in range(links.count()))
        # the filter «Art» shows its whole choice («Fehler und Hinweise» was cut on a phone, and on the demo at 1280 px)
        assert page.locator("#q-art").evaluate(CHOICE_SHOWN)

        # warnings: two marked, one comment, confirmed together
        page.goto(supervision + "/arbeit?art=warning")
        before = _open_count(page)
        boxes = page.locator("input[name=befund]")
        assert boxes.count() >= 2
        boxes.nth(0).check()
        boxes.nth(1).check()
        page.fill("#bulk-comment", "Angebote im Register nachgetragen")
        page.click("button:text('Alle markierten bestätigen')")
        page.wait_for_selector("text=2 Hinweise sind bestätigt")
        assert _open_count(page) == before - 2
        assert fits_width(page)
        page.screenshot(path=str(artifact(f"work-queue{suffix}.png")), full_page=True)
        # the invoices waiting: on a phone three lines each, «Prüfen» beside them in view (six labelled lines before)
        waiting = page.locator("#waiting-title ~ .table-wrap table.waiting tbody tr")
        assert waiting.count() > 0
        check = waiting.first.locator("a:text('Prüfen')").bounding_box()
        assert check["x"] + check["width"] <= page.viewport_size["width"]
        if viewport:
            assert waiting.first.bounding_box()["height"] < 100, waiting.first.bounding_box()
            after = waiting.first.locator("td").nth(4).evaluate("td => getComputedStyle(td, '::after').content")
            assert after == '"offen"'  # «0 offen»: the count says what it counts without its column's heading

        # an error: one click from its decision; a waiver without comment stays at its finding
        page.goto(supervision + "/arbeit?art=error")
        page.locator("a:text('Entscheiden')").first.click()
        page.wait_for_url("**/rechnungen/**#befund-**")
        anchor = page.url.split("#")[1]
        finding = page.locator(f"#{anchor}")
        finding.locator("button[value=waived]").click()
        page.wait_for_selector(f"#{anchor} [role=alert]")
        assert page.url.endswith(f"#{anchor}") and "/befunde/" not in page.url  # a GET, not the POST address
        assert "begründet es im Kommentar" in finding.inner_text()
        page.reload()  # a reload shows the page again, it does not send the form again
        assert page.locator(f"#{anchor} [role=alert]").count() == 0

        # approval with open findings asks first; once approved, the forms are gone
        question = page.locator("label[for=confirm-open]")
        assert re.fullmatch(r"\d+ von \d+ Befunden (sind|ist) offen – trotzdem freigeben\?", question.inner_text())
        page.click("#entscheid button[type=submit]:text('freigeben')")  # not ticked: the browser asks
        assert page.locator("#entscheid form[action$='/freigabe']").count() == 1
        page.check("#confirm-open")
        page.click("#entscheid button[type=submit]:text('freigeben')")
        page.wait_for_selector("text=ist in Version 1 freigegeben")
        assert page.locator("form[action$='/freigabe'], form[action$='/rueckweisung']").count() == 0
        assert "Version 1 ist freigegeben" in main.inner_text()
        # on to the next invoice of the month, one click
        approved = page.url.split("#")[0]
        page.click("a.next-invoice")
        page.wait_for_url("**#entscheid")
        assert page.url.split("#")[0] != approved and page.locator("#entscheid form").count() == 2
        # every warning of a page marked with one box (the script), confirmed with one click
        page.goto(supervision + "/arbeit?art=warning&anbieter=regiomech")
        page.check("#mark-all")
        marked = page.locator("input[name=befund]:checked").count()
        assert marked == page.locator("input[name=befund]").count() > 0
        page.click("button:text('Alle markierten bestätigen')")
        page.wait_for_selector(f"text={marked} Hinweis")
        assert "Keine offenen Befunde" in main.inner_text()
        assert fits_width(page)
        page.screenshot(path=str(artifact(f"approved-invoice{suffix}.png")), full_page=True)
        assert watch.problems == []
