"""An invoice of many lines is shown a page at a time on both services' pages (a 10,000-line page was 25 MB of
HTML): its lines (`?seite=`, or the page with a line: `?zeile=`) and its payer documents (`?belege=`); a link to a
line on another page names that line; a decision returns to the page of its line."""
from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from shared.checks.notices import line_findings
from shared.finance.application.payer_documents import STATEMENTS_PER_PAGE
from shared.portal.reporting import Upload
from shared.review.application.invoice_file import LINES_PER_PAGE
from tests.bench.generate import invoice_csv
from tests.integration.web_cases import form, login

LINES = 2 * LINES_PER_PAGE + 50  # three pages; rows 2 … 451 (row 1 is the header)


def big_invoice(portal) -> tuple[str, dict]:
    stored = portal.reporting.submit_invoice("regiomech", Upload(invoice_csv(LINES, "03.2025"), "text/csv", None),
                                             "test")
    return stored.document["id"], stored.document


def rows_on(page: str) -> list[int]:
    return [int(r) for r in re.findall(r'<tbody class="line[^"]*" id="zeile-(\d+)"', page)]


def test_the_lines_a_page_at_a_time_on_both_services(portal, reporting, supervision, accounts, clock):
    clock.now = datetime(2025, 4, 11, 9, 0, tzinfo=ZoneInfo("Europe/Zurich"))  # late: a notice on every line
    iid, _ = big_invoice(portal)
    login(supervision, "sara")
    first = supervision.get(f"/rechnungen/{iid}").text
    assert rows_on(first) == list(range(2, 2 + LINES_PER_PAGE))
    assert f"Zeilen 1–{LINES_PER_PAGE} von {LINES} · Seite 1 von 3" in first
    assert first.count('aria-label="Seiten der Zeilen') == 2  # above and below the lines
    last = supervision.get(f"/rechnungen/{iid}?seite=3").text
    assert rows_on(last) == list(range(2 + 2 * LINES_PER_PAGE, 2 + LINES))
    assert f"Zeilen {2 * LINES_PER_PAGE + 1}–{LINES} von {LINES} · Seite 3 von 3" in last
    assert 'seite=2#zeilen" rel="prev"' in last and "seite=4" not in last
    # a line asked for: the page that holds it; beyond the last page: the last
    assert 300 in rows_on(supervision.get(f"/rechnungen/{iid}?zeile=300").text)
    assert "Seite 2 von 3" in supervision.get(f"/rechnungen/{iid}?zeile=300").text
    assert rows_on(supervision.get(f"/rechnungen/{iid}?seite=99").text) == rows_on(last)
    assert supervision.get(f"/rechnungen/{iid}?seite=0").status_code == 400  # refused, never a 500
    # the notice about the whole invoice links its rows: here an anchor, on another page that row's page
    assert 'href="#zeile-2"' in first
    assert f'href="/rechnungen/{iid}?zeile=2#zeile-2"' in last
    # the provider's page: the same pages
    login(reporting, "anna")
    own = reporting.get(f"/rechnungen/{iid}?seite=2").text
    assert rows_on(own) == list(range(2 + LINES_PER_PAGE, 2 + 2 * LINES_PER_PAGE))
    assert "Seite 2 von 3" in own


def test_a_decision_returns_to_the_page_of_its_line(portal, supervision, accounts):
    iid, document = big_invoice(portal)
    row, code = next((ln["row"], f["code"]) for ln in document["lines"] if ln["row"] > 2 + LINES_PER_PAGE
                     for f in ln["findings"] if f["code"] not in ("late_submission", "capacity_report_missing"))
    login(supervision, "sara")
    r = form(supervision, f"/rechnungen/{iid}/befunde/{row}/{code}", decision="confirmed", comment="geprüft")
    assert r.status_code == 303 and r.headers["location"] == f"/rechnungen/{iid}?zeile={row}#befund-{row}-{code}"
    back = supervision.get(r.headers["location"]).text
    assert row in rows_on(back) and "Entscheid gespeichert." in back
    assert portal.supervision.review_of(UUID(iid)).decision(row, code)["decision"] == "confirmed"


def test_the_payer_documents_a_page_at_a_time(portal, supervision, accounts):
    iid, _ = big_invoice(portal)
    login(supervision, "sara")
    page = supervision.get(f"/rechnungen/{iid}").text
    found = re.search(r"Belege 1–(\d+) von ([\d’]+) · Seite 1 von (\d+)", page)
    assert found and int(found[1]) == STATEMENTS_PER_PAGE
    total = int(found[2].replace("’", ""))
    assert total > STATEMENTS_PER_PAGE
    listed = re.findall(rf'href="/rechnungen/{iid}/belege/(\d+)\.pdf', page)
    assert [int(n) for n in listed] == list(range(1, STATEMENTS_PER_PAGE + 1))
    second = supervision.get(f"/rechnungen/{iid}?belege=2").text
    listed = [int(n) for n in re.findall(rf'href="/rechnungen/{iid}/belege/(\d+)\.pdf', second)]
    assert listed[0] == STATEMENTS_PER_PAGE + 1 and len(listed) == min(STATEMENTS_PER_PAGE, total - STATEMENTS_PER_PAGE)


def test_a_short_invoice_has_no_pages(portal, supervision, accounts):
    stored = portal.reporting.submit_invoice("regiomech", Upload(invoice_csv(20, "03.2025"), "text/csv", None), "t")
    login(supervision, "sara")
    page = supervision.get(f"/rechnungen/{stored.document['id']}").text
    assert len(rows_on(page)) == 20 and "Seiten der Zeilen" not in page and "Seiten der Belege" not in page


def test_a_line_asked_for_is_shown_also_without_a_finding_and_a_line_not_there_is_said(portal, supervision,
                                                                                       reporting, accounts):
    portal.supervision.register_offering("regiomech", "RM-Q", {"programme_type": "qualifizierung", "places": 500,
                                                                "valid_from": "2025-01-01"}, "user:sara")
    body = "\r\n".join(["Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;"
                          "Leistung;Menge;Ansatz;Betrag"] + [  # every seventh line above the maximum tariff
        f"03.2025;RM-{i:04d};Qualifizierung;Selbstzahler;;;;;Einsatztag;2;{100 if i % 7 == 0 else 80}.00;"
        f"{200 if i % 7 == 0 else 160}.00" for i in range(LINES)]) + "\r\n"
    document = portal.reporting.submit_invoice("regiomech", Upload(body.encode("cp1252"), "text/csv", None),
                                               "test").document
    iid = document["id"]
    plain = next(ln["row"] for ln in document["lines"] if not line_findings(ln) and ln["row"] > 2 + LINES_PER_PAGE)
    login(supervision, "sara")
    filtered = supervision.get(f"/rechnungen/{iid}?befunde=1").text
    assert plain not in rows_on(filtered)
    asked = supervision.get(f"/rechnungen/{iid}?befunde=1&zeile={plain}").text
    assert plain in rows_on(asked) and "Seite 2 von 3" in asked  # all lines, the page that holds it
    assert f"Zeile {plain} hat keinen eigenen Befund: alle Zeilen werden gezeigt." in asked
    assert re.search(rf'<a href="/rechnungen/[^"]+"\s+aria-current="true">Alle Zeilen \({LINES}\)</a>', asked)  # the whole invoice
    with_finding = next(ln["row"] for ln in document["lines"] if line_findings(ln) and ln["row"] > 2 + LINES_PER_PAGE)
    kept = supervision.get(f"/rechnungen/{iid}?befunde=1&zeile={with_finding}").text
    assert with_finding in rows_on(kept) and "keinen eigenen Befund" not in kept
    assert re.search(r'aria-current="true">Nur mit Befunden</a>', kept)
    login(reporting, "anna")
    missing = reporting.get(f"/rechnungen/{iid}?zeile=99999")
    assert missing.status_code == 200 and rows_on(missing.text)[0] == 2  # the first page
    assert "Eine Zeile 99999 gibt es in dieser Version der Rechnung nicht." in missing.text
    assert "Eine Zeile" not in reporting.get(f"/rechnungen/{iid}?zeile=300").text
