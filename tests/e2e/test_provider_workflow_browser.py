"""A provider's day in a real browser (desktop 1366 px and a 390 px phone): the home page says what needs doing
first (a returned invoice with its reason, open errors, missing months, deadlines ahead), figures never wrap,
and a second invoice for a month asks «als Korrektur hochladen?» before anything is stored."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from shared.config import load_settings
from shared.portal.reporting import Upload
from tests.e2e.browser import PASSWORD, PHONE, Watch, artifact, browser, fits_width, log_in, served

pytestmark = pytest.mark.browser

HEADER = ("Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
          "Menge;Ansatz;Betrag")
ZH = ZoneInfo("Europe/Zurich")
SIZES = [pytest.param({"width": 1366, "height": 900}, id="desktop"),
         pytest.param(PHONE, id="phone")]


def invoice(month: int, price: str = "80.00", who: str = "Q-1") -> bytes:
    amount = f"{21.7 * float(price):.2f}"
    return (HEADER + f"\n{month:02d}.2025;{who};Qualifizierung;Selbstzahler;;;;;Einsatztag;21.7;{price};{amount}\n"
            f"{month:02d}.2025;A-2;Coaching;Selbstzahler;;;;;Coachingstunde;2;200.00;400.00\n").encode()


@pytest.fixture
def site(tmp_path, clock):
    from shared.portal import open_portal

    settings = load_settings({"AMI_DATA_DIR": str(tmp_path / "data")})
    portal = open_portal(settings, clock=clock)
    sup, rep = portal.supervision, portal.reporting
    sup.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    sup.create_account("sara", PASSWORD, "supervisor", None, "test")
    clock.now = datetime(2025, 3, 5, 9, 0, tzinfo=ZH)
    rep.submit_invoice("regiomech", Upload(invoice(2, "85.00"), "text/csv", "februar.csv"), "user:anna")
    clock.now = datetime(2025, 2, 5, 9, 0, tzinfo=ZH)
    first = rep.submit_invoice("regiomech", Upload(invoice(1), "text/csv", "januar.csv"), "user:anna")
    sup.return_for_correction(UUID(first.document["id"]), "Zeile 3: Teilnehmernummer fehlt", "user:sara")
    clock.now = datetime(2025, 5, 20, 9, 12, tzinfo=ZH)  # March and April: nothing sent; March is missing
    with served(settings, portal) as urls:
        yield urls
    portal.close()


@pytest.mark.parametrize("viewport", SIZES)
def test_the_home_page_says_what_to_do_first(site, viewport, tmp_path):
    reporting, _ = site
    name = "desktop" if viewport["width"] > 1000 else "phone"
    with browser(viewport=viewport) as context:
        page = context.new_page()
        watch = Watch(page)
        log_in(page, reporting, "anna")
        todo = page.locator("section.todo")
        assert todo.is_visible()
        returned = todo.locator(".todo-returned").inner_text()
        assert "Rechnung Januar 2025" in returned and "«Zeile 3: Teilnehmernummer fehlt»" in returned
        assert "Rechnung Februar 2025" in todo.locator(".todo-fix").inner_text()  # 85.00 above the tariff
        missing = todo.locator(".todo-missing").all_inner_texts()
        assert any("Rechnung und Kapazitätsmeldung März 2025" in m and "10.04.2025" in m for m in missing)
        assert "April 2025" in todo.inner_text() and "fällig bis 10.05.2025" not in todo.inner_text()
        assert "Mai 2025" in todo.locator(":text('Nächste Fristen') + ul").inner_text()
        # the section order: what to do, then upload, months; the offerings inside <main>
        assert page.locator("main #angebote").count() == 1
        assert page.locator("footer #angebote").count() == 0
        body = page.locator("main").inner_text()
        assert "returned" not in body and "missing" not in body  # labels, not codes
        # figures on one line, never under a badge
        if name == "desktop":
            wrapped = page.evaluate("""() => [...document.querySelectorAll('table.docs td.num, table.docs th.num')]
                .filter(td => { const r = document.createRange(); r.selectNodeContents(td);
                                return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1; })
                .map(td => td.innerText)""")
            assert wrapped == []
            overlaps = page.evaluate("""() => { const out = [];
                for (const row of document.querySelectorAll('table.docs tr')) {
                  const badge = row.querySelector('.status'); if (!badge) continue;
                  const b = badge.getBoundingClientRect();
                  for (const td of row.querySelectorAll('td.num')) { const r = td.getBoundingClientRect();
                    if (b.right > r.left + 1 && b.left < r.right && td.innerText.trim()) out.push(td.innerText); } }
                return out; }""")
            assert overlaps == []
        assert fits_width(page)
        page.screenshot(path=str(artifact(f"provider-home-{name}.png")), full_page=True)
        page.click(".todo-returned a")
        page.wait_for_url("**/rechnungen/**#korrektur")
        assert "zur Korrektur zurückgewiesen" in page.locator("main").inner_text()
        line = page.locator("#zeile-2 tr.line-main")
        cells = [line.locator("td").nth(i).bounding_box() for i in range(8)]
        assert max(c["x"] + c["width"] for c in cells) <= viewport["width"]
        if name == "phone":  # «21.7 × 80.00 = 1’736.00» on one line, the line four lines high (nine labelled before)
            assert len({round(c["y"]) for c in cells[3:6]}) == 1, cells[3:6]
            assert line.bounding_box()["height"] < 110, line.bounding_box()
        assert watch.problems == []


@pytest.mark.parametrize("viewport", SIZES)
def test_a_second_invoice_for_a_month_asks_first(site, viewport, tmp_path):
    reporting, _ = site
    name = "desktop" if viewport["width"] > 1000 else "phone"
    corrected = tmp_path / "februar-korrigiert.csv"
    corrected.write_bytes(invoice(2))
    with browser(viewport=viewport) as context:
        page = context.new_page()
        watch = Watch(page)
        log_in(page, reporting, "anna")
        form = page.locator("form[action='/meldungen/rechnung']")
        form.get_by_label("Datei auswählen").set_input_files(str(corrected))
        form.locator("button[type=submit]").click()
        page.wait_for_url("**/meldungen/rechnung/frage?t=*")
        assert page.locator("h1").inner_text() == (
            "Für Februar 2025 besteht schon eine Rechnung (Version 1) – als Korrektur hochladen?")
        assert "nichts gespeichert" in page.locator("main").inner_text()
        assert page.evaluate("document.activeElement.id") == "" and page.evaluate(
            "document.activeElement.classList.contains('question')")  # the question has the focus
        assert fits_width(page)
        page.screenshot(path=str(artifact(f"provider-second-invoice-{name}.png")), full_page=True)
        page.get_by_role("button", name="Als Korrektur hochladen (wird Version 2)").click()
        page.wait_for_url("**korrigiert=1")
        assert "Die Korrektur ist als Version 2 gespeichert und geprüft" in page.locator("main").inner_text()
        page.reload()  # post/redirect/get: a reload stores nothing again
        assert "2 von 2" in page.locator(".facts").inner_text()
        page.goto(reporting + "/meldungen")
        assert page.locator("a[href^='/rechnungen/']:has-text('Rechnung')").count() == 2  # Jan + Feb, no third
        assert watch.problems == []
