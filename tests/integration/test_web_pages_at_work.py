"""The web pages at work through a TestClient: the provider's uploads, corrections and downloads, the
supervisor's review and dashboard, hostile text escaped, no inline script or style."""
from __future__ import annotations

import html
import json
import re

from tests.integration.web_cases import BROKEN, CORRECTED, WITH_FINDINGS, form, login, submit_invoice, upload


# --- the provider's pages ---------------------------------------------------------------------------
def test_upload_shows_every_line_with_findings_and_calculation_at_once(reporting, accounts):
    login(reporting, "anna")
    r = upload(reporting, "/meldungen/rechnung", WITH_FINDINGS)
    assert r.status_code == 303 and r.headers["location"].endswith("?neu=1")
    page = reporting.get(r.headers["location"]).text
    assert "Die Rechnung ist gespeichert und geprüft" in page
    assert "Ansatz CHF 85.00 über dem Höchsttarif CHF 80.00" in page
    assert "23 Einsatztage verrechnet, höchstens 21.7 pro Monat" in page
    assert "21.7 × CHF 80.00 = CHF 1’736.00" in page  # the trace
    assert "3 Coachingstunden × CHF 200.00 = CHF 600.00" in page
    assert "1’955.00" in page and "1’736.00" in page and "219.00" in page  # claimed, allowed, reduction
    assert "CHF 2’555.00" in page and "CHF 2’336.00" in page  # totals
    assert "geprüft" in page
    months = reporting.get("/meldungen").text
    assert "März 2025" in months and "2’336.00" in months
    # the same bytes again: no new version
    again = upload(reporting, "/meldungen/rechnung", WITH_FINDINGS)
    assert again.headers["location"].endswith("?bekannt=1")


def test_the_months_name_only_the_kinds_of_findings_there_are(reporting, accounts):
    login(reporting, "anna")
    upload(reporting, "/meldungen/rechnung", CORRECTED)  # within the tariffs: notices only
    cell = re.search(r'data-label="Befunde">(.*?)</td>', reporting.get("/meldungen").text).group(1)
    assert "Hinweis" in cell and "Fehler" not in cell, cell  # was «0 Fehler» beside them


def test_a_line_without_findings_is_one_row_with_its_calculation_on_its_amount(reporting, accounts, portal):
    portal.supervision.register_offering("regiomech", "RM-Q", {"programme_type": "qualifizierung", "places": 5,
                                                                "valid_from": "2025-01-01"}, "user:sara")
    login(reporting, "anna")
    page = reporting.get(f"/rechnungen/{submit_invoice(reporting, CORRECTED)}").text
    clean = page[page.index('id="zeile-2"'):page.index('id="zeile-3"')]  # 21.7 × 80.00: nothing to say
    assert 'title="Berechnung: 21.7 Einsatztage × CHF 80.00 = CHF 1’736.00"' in clean
    assert "line-detail" not in clean  # its one step is the row itself: no second row repeating it
    flagged = page[page.index('id="zeile-3"'):]  # coaching, no offering registered: a warning, its steps below
    assert "line-detail" in flagged[:flagged.index("</tbody>")] and "Berechnung" in flagged


def test_a_refused_file_is_shown_as_a_table_and_nothing_is_stored(reporting, accounts, portal):
    login(reporting, "anna")
    r = upload(reporting, "/meldungen/rechnung", BROKEN, "kaputt.csv")
    assert r.status_code == 422
    assert "«kaputt.csv» nicht angenommen" in r.text and "nichts gespeichert" in r.text
    table = r.text.split('class="errors-table')[1].split("</table>")[0]
    assert re.search(r'data-label="Zeile">2<', table) and "Menge" in table and "abc" in table
    assert portal.reporting.invoices("regiomech") == []
    r = upload(reporting, "/meldungen/rechnung", b"", "leer.csv")
    assert r.status_code == 422 and "leer" in r.text


def test_correction_history_and_downloads(reporting, accounts):
    login(reporting, "anna")
    iid = submit_invoice(reporting)
    r = upload(reporting, f"/rechnungen/{iid}/korrektur", CORRECTED, "korrigiert.csv")
    assert r.status_code == 303 and r.headers["location"] == f"/rechnungen/{iid}?korrigiert=1"
    page = reporting.get(r.headers["location"]).text
    assert "als Version 2 gespeichert" in page
    history = page.split('id="verlauf"')[1]
    assert "Rechnung eingegangen" in history and "Korrektur eingegangen" in history
    assert "Verrechnet −CHF 219.00" in history  # what changed between the versions
    v1 = reporting.get(f"/rechnungen/{iid}?version=1").text
    assert "Sie sehen Version 1" in v1 and "Ansatz CHF 85.00" in v1
    assert reporting.get(f"/rechnungen/{iid}?version=9").status_code == 404
    # a correction for another month is refused with the reason
    other = CORRECTED.replace(b"03.2025", b"02.2025")
    r = upload(reporting, f"/rechnungen/{iid}/korrektur", other)
    assert r.status_code == 422 and "denselben Monat" in r.text
    got = reporting.get(f"/rechnungen/{iid}/pruefergebnis.json")
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    result = json.loads(got.content)
    assert result["version"] == 2 and result["totals"]["allowed"] == "2336.00"
    r = reporting.get(f"/rechnungen/{iid}/pruefergebnis.csv?version=1")
    assert r.headers["content-type"] == "text/csv; charset=utf-8"  # the charset named once
    csv_text = r.content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Zeile;Teilnehmer;Programm")
    assert "Q-1" in csv_text and "1955.00;1736.00;219.00" in csv_text and "tariff_above_max" in csv_text
    original = reporting.get(f"/rechnungen/{iid}/original?version=1")
    assert original.content == WITH_FINDINGS
    assert original.headers["content-type"] == "application/octet-stream"


def test_capacity_report_upload_and_page(reporting, supervision, accounts):
    login(reporting, "anna")
    body = "Monat;Programm;Plätze;Belegt;Eintritte;Austritte;Bemerkung\n03.2025;Qualifizierung;12;10;2;1;x\n".encode()
    r = upload(reporting, "/meldungen/kapazitaet", body, "kapazitaet.csv")
    assert r.status_code == 303
    page = reporting.get(r.headers["location"]).text
    assert "Kapazitätsmeldung März 2025" in page and "Qualifizierung" in page and ">12<" in page
    assert "12 Plätze · 10 belegt" in reporting.get("/meldungen").text
    # what the file held beyond the format is said on the report's page, to the provider and to the supervisor
    login(supervision, "sara")
    for shown in (page, supervision.get(r.headers["location"]).text):
        notes = html.unescape(shown.split("Hinweise zur Datei:")[1].split("</div>")[0])
        assert 'Zeile 1: Bemerkung: Unbekannte Spalte "Bemerkung" wird ignoriert' in notes


# --- the supervisor's pages -------------------------------------------------------------------------
def test_review_approval_and_what_the_provider_then_sees(reporting, supervision, accounts):
    login(reporting, "anna")
    iid = submit_invoice(reporting)
    login(supervision, "sara")
    page = supervision.get(f"/rechnungen/{iid}")
    assert page.status_code == 200 and "Genossenschaft Regiomech" in page.text
    assert f'action="/rechnungen/{iid}/befunde/2/tariff_above_max"' in page.text
    # waiving needs a reason: back to the finding (post/redirect/get), the message beside it, once
    r = form(supervision, f"/rechnungen/{iid}/befunde/2/tariff_above_max", decision="waived", comment=" ")
    assert r.status_code == 303 and r.headers["location"].endswith("#befund-2-tariff_above_max")
    refused = supervision.get(r.headers["location"]).text
    beside = refused.split('id="befund-2-tariff_above_max"')[1].split("</li>")[0]
    assert "begründet es im Kommentar" in beside and 'aria-invalid="true"' in beside
    assert "begründet es im Kommentar" not in supervision.get(f"/rechnungen/{iid}").text  # shown once
    r = form(supervision, f"/rechnungen/{iid}/befunde/2/tariff_above_max", decision="waived",
             comment="Tarif 2025 mündlich vereinbart")
    assert r.status_code == 303 and r.headers["location"].endswith("#befund-2-tariff_above_max")
    assert "Der Entscheid zum Befund ist gespeichert" in supervision.get(r.headers["location"]).text
    assert form(supervision, f"/rechnungen/{iid}/befunde/2/no_such_code", decision="confirmed",
                comment="").status_code == 404
    page = supervision.get(f"/rechnungen/{iid}").text
    assert "Von der Aufsicht erlassen" in page and "Befund erlassen" in page  # finding and history
    assert "Tarif 2025 mündlich vereinbart" in page
    provider_page = supervision.get("/anbieter/regiomech").text
    assert "erlassen" in provider_page and "Tarif 2025 mündlich vereinbart" in provider_page
    # the provider sees the decision on its own page
    mine = reporting.get(f"/rechnungen/{iid}").text
    assert "Von der Aufsicht erlassen" in mine and "Tarif 2025 mündlich vereinbart" in mine
    # approve (the open findings asked about first), then a correction: «geändert seit Freigabe»
    assert form(supervision, f"/rechnungen/{iid}/freigabe", comment="", confirm_open="ja").status_code == 303
    assert "freigegeben" in reporting.get(f"/rechnungen/{iid}").text
    upload(reporting, f"/rechnungen/{iid}/korrektur", CORRECTED)
    mine = reporting.get(f"/rechnungen/{iid}").text
    assert "geändert seit Freigabe" in mine and "Version 1 war freigegeben" in mine
    # return for correction needs a reason; the provider sees it
    r = form(supervision, f"/rechnungen/{iid}/rueckweisung", reason="")
    assert r.status_code == 303 and "Grund für die Rückweisung" in supervision.get(r.headers["location"]).text
    assert form(supervision, f"/rechnungen/{iid}/rueckweisung", reason="Bitte Eintrittsdatum angeben"
                ).status_code == 303
    mine = reporting.get(f"/rechnungen/{iid}").text
    assert "zur Korrektur zurückgewiesen" in mine and "Bitte Eintrittsdatum angeben" in mine
    history = supervision.get(f"/rechnungen/{iid}").text.split('id="verlauf"')[1]
    for label in ("Rechnung eingegangen", "Befund erlassen", "Freigegeben", "Korrektur eingegangen",
                  "Zur Korrektur zurückgewiesen"):
        assert label in history, label
    assert "sara" in history and "anna" in history


def test_hostile_text_is_escaped_everywhere(reporting, supervision, accounts):
    login(reporting, "anna")
    r = upload(reporting, "/meldungen/rechnung", WITH_FINDINGS, '<img src=x onerror="alert(1)">.csv')
    iid = r.headers["location"].split("/rechnungen/")[1].split("?")[0]
    login(supervision, "sara")
    hostile = '<script>alert("x")</script>'
    form(supervision, f"/rechnungen/{iid}/befunde/2/tariff_above_max", decision="waived", comment=hostile)
    form(supervision, f"/rechnungen/{iid}/rueckweisung", reason=hostile)
    pages = [reporting.get(f"/rechnungen/{iid}").text, reporting.get("/meldungen").text,
             supervision.get(f"/rechnungen/{iid}").text, supervision.get("/anbieter/regiomech").text]
    for text in pages:
        assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in pages[0]
    assert "&lt;img src=x" in pages[1]
    r = reporting.get("/login?next=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in r.text


def test_pages_use_no_inline_script_or_style(reporting, supervision, accounts):
    login(reporting, "anna")
    iid = submit_invoice(reporting)
    login(supervision, "sara")
    pages = [reporting.get("/meldungen"), reporting.get(f"/rechnungen/{iid}"), reporting.get("/login"),
             supervision.get("/dashboard"), supervision.get("/anbieter/regiomech"),
             supervision.get(f"/rechnungen/{iid}")]
    for r in pages:
        assert r.status_code == 200
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)", r.text), r.url
        assert " style=" not in r.text and "<style" not in r.text
        assert "http://" not in r.text.replace("http://www.w3.org/2000/svg", "")


def test_dashboard_shows_every_provider_month_amounts_findings_and_charts(reporting, supervision, accounts,
                                                                         portal):
    login(reporting, "anna")
    submit_invoice(reporting)
    cap = "Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n03.2025;Qualifizierung;12;10;2;1\n".encode()
    upload(reporting, "/meldungen/kapazitaet", cap)
    login(supervision, "sara")
    page = supervision.get("/dashboard").text  # first visit: March 2025, the month due on 3 April
    assert "Übersicht März 2025" in page
    assert page.count('<th scope="row" class="prov">') == 26
    assert "Genossenschaft Regiomech" in page
    assert "Rechnung eingegangen, Kapazitätsmeldung eingegangen" in page
    assert "Rechnung fehlt" in page  # the others, for January to March
    assert "Rechnung ausstehend" in page  # April is not due yet
    assert "CHF 2’555.00" in page and "CHF 2’336.00" in page and "CHF 219.00" in page
    assert "Ansatz über dem Höchsttarif" in page
    assert page.count("<svg") >= 2 and "Qualifizierung" in page and "10 / 12" in page
    only = supervision.get("/dashboard?jahr=2025&monat=2025-03&programm=coaching").text
    assert "Übersicht März 2025 · Coaching" in only and "CHF 600.00" in only
    year = supervision.get("/dashboard?jahr=2025&monat=").text
    assert "Übersicht 2025" in year and "CHF 2’555.00" in year
    assert supervision.get("/dashboard?jahr=2025&monat=Mai").status_code == 422
    bad = supervision.get("/dashboard?jahr=abc")
    assert bad.status_code == 400 and "Ungültige Angaben" in bad.text
    assert supervision.get("/anbieter/gibt-es-nicht").status_code == 404


def test_the_read_models_and_the_aggregates_give_the_same_dashboard(reporting, supervision, accounts, portal):
    from shared.kernel.periods import Period
    from shared.readmodels.dashboard import dashboard_figures
    from tests.oracles import dashboard_from_aggregates

    login(reporting, "anna")
    iid = submit_invoice(reporting)
    upload(reporting, "/meldungen/kapazitaet",
           "Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n03.2025;Qualifizierung;12;10;2;1\n".encode())
    login(supervision, "sara")
    form(supervision, f"/rechnungen/{iid}/befunde/2/tariff_above_max", decision="waived", comment="ok")
    for period, programme in ((Period(2025, 3), None), (None, None), (Period(2025, 3), "coaching")):
        a = dashboard_figures(portal.views, 2025, period, programme, portal.reporting.clock().date())
        b = dashboard_from_aggregates(portal, 2025, period, programme)
        assert a == b, (period, programme)
