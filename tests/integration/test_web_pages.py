"""The web pages of both services through a TestClient: login, sessions, CSRF, access, uploads, reviews."""
from __future__ import annotations

import json
import re
from datetime import timedelta
from uuid import UUID

import pytest

HEADER = ("Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
          "Menge;Ansatz;Betrag")
WITH_FINDINGS = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;23;85.00;1955.00\n"
                 "03.2025;A-2;Coaching;Selbstzahler;;;;;Coachingstunde;3;200.00;600.00\n").encode()
CORRECTED = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;21.7;80.00;1736.00\n"
             "03.2025;A-2;Coaching;Selbstzahler;;;;;Coachingstunde;3;200.00;600.00\n").encode()
BROKEN = (HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;abc;80.00;1736.00\n").encode()
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def accounts(portal):
    sup = portal.supervision
    sup.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    sup.create_account("otto", PASSWORD, "provider", "oltech", "test")
    sup.create_account("sara", PASSWORD, "supervisor", None, "test")
    sup.create_account("fina", PASSWORD, "finance", None, "test")


def csrf(client) -> str:
    if not client.cookies.get("ami_csrf"):
        client.get("/login")
    return client.cookies.get("ami_csrf")


def login(client, username: str, password: str = PASSWORD, next_url: str = ""):
    return client.post("/login", data={"username": username, "password": password, "next": next_url,
                                       "_csrf_token": csrf(client)}, follow_redirects=False)


def plant_session(client, value: str) -> None:
    """Put a session cookie into the client's jar as a browser would hold it."""
    client.cookies.delete("ami_session")
    client.cookies.set("ami_session", value, domain="testserver.local")


def upload(client, path: str, body: bytes, filename: str = "rechnung.csv"):
    return client.post(path, files={"file": (filename, body, "text/csv")}, data={"_csrf_token": csrf(client)},
                       follow_redirects=False)


def form(client, path: str, **fields):
    return client.post(path, data={**fields, "_csrf_token": csrf(client)}, follow_redirects=False)


def submit_invoice(client, body: bytes = WITH_FINDINGS) -> str:
    r = upload(client, "/meldungen/rechnung", body)
    assert r.status_code == 303, r.text
    return r.headers["location"].split("/rechnungen/")[1].split("?")[0]


# --- login, sessions, CSRF -----------------------------------------------------------------------
def test_pages_need_a_login_and_send_the_visitor_back_afterwards(reporting, supervision, accounts):
    r = reporting.get("/meldungen", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/meldungen"
    r = supervision.get("/dashboard?jahr=2025", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/dashboard")
    page = reporting.get("/login?next=/meldungen")
    assert page.status_code == 200 and 'name="_csrf_token"' in page.text and 'value="/meldungen"' in page.text
    r = login(reporting, "anna", next_url="/meldungen")
    assert r.status_code == 303 and r.headers["location"] == "/meldungen"
    assert reporting.get("/meldungen").status_code == 200
    # the start page sends a logged-in user home; the login page too
    assert reporting.get("/", follow_redirects=False).headers["location"] == "/meldungen"
    assert reporting.get("/login", follow_redirects=False).headers["location"] == "/meldungen"
    assert login(supervision, "sara").headers["location"] == "/dashboard"
    assert supervision.get("/", follow_redirects=False).headers["location"] == "/dashboard"


def test_login_never_redirects_to_another_site(reporting, accounts):
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        r = login(reporting, "anna", next_url=target)
        assert r.headers["location"] == "/meldungen"
        form(reporting, "/logout")


def test_a_form_without_the_csrf_token_is_refused(reporting, accounts, portal):
    reporting.get("/login")
    r = reporting.post("/login", data={"username": "anna", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403
    assert login(reporting, "anna").status_code == 303
    r = reporting.post("/meldungen/rechnung", files={"file": ("r.csv", WITH_FINDINGS, "text/csv")},
                       follow_redirects=False)
    assert r.status_code == 403
    r = reporting.post("/meldungen/rechnung", files={"file": ("r.csv", WITH_FINDINGS, "text/csv")},
                       data={"_csrf_token": "forged" + csrf(reporting)[6:]}, follow_redirects=False)
    assert r.status_code == 403
    assert portal.reporting.invoices("regiomech") == []


def test_a_wrong_password_is_refused_in_german_without_a_session(reporting, accounts):
    r = login(reporting, "anna", "wrong-password-123")
    assert r.status_code == 401
    assert "Benutzername oder Passwort ist falsch." in r.text
    assert 'value="anna"' in r.text and "wrong-password" not in r.text
    assert reporting.get("/meldungen", follow_redirects=False).status_code == 303
    assert login(reporting, "nobody", "whatever-password").status_code == 401


def test_five_failures_lock_the_account_and_twenty_lock_the_address(reporting, accounts, clock):
    for _ in range(5):
        assert login(reporting, "anna", "wrong-password-123").status_code == 401
    r = login(reporting, "anna")  # the right password no longer helps
    assert r.status_code == 429 and "Zu viele fehlgeschlagene Anmeldeversuche" in r.text
    assert login(reporting, "ANNA").status_code == 429  # the same account, whatever the case
    assert login(reporting, "otto").status_code == 303  # other accounts are not locked
    form(reporting, "/logout")
    clock.now += timedelta(minutes=16)  # the window has passed
    assert login(reporting, "anna").status_code == 303
    form(reporting, "/logout")
    for i in range(20):
        assert login(reporting, f"guess{i}", "wrong-password-123").status_code == 401
    r = login(reporting, "otto")
    assert r.status_code == 429 and "15 Minuten" in r.text


def test_login_gives_a_new_session_id_and_logout_ends_the_session(reporting, accounts):
    reporting.get("/login")
    plant_session(reporting, "a" * 64)  # planted by an attacker
    assert login(reporting, "anna").status_code == 303
    sid = reporting.cookies.get("ami_session")
    assert sid and sid != "a" * 64
    assert form(reporting, "/logout").headers["location"] == "/login?abgemeldet=1"
    assert reporting.get("/meldungen", follow_redirects=False).status_code == 303
    plant_session(reporting, sid)  # the old id is worth nothing now
    assert reporting.get("/meldungen", follow_redirects=False).status_code == 303


def test_sessions_end_after_30_idle_minutes_and_after_12_hours(reporting, accounts, clock):
    login(reporting, "anna")
    clock.now += timedelta(minutes=29)
    assert reporting.get("/meldungen").status_code == 200
    clock.now += timedelta(minutes=31)
    r = reporting.get("/meldungen", follow_redirects=False)
    assert r.status_code == 303 and "abgelaufen=1" in r.headers["location"]
    assert "Ihre Sitzung ist abgelaufen" in reporting.get(r.headers["location"]).text
    login(reporting, "anna")
    start = clock.now
    while clock.now + timedelta(minutes=29) - start <= timedelta(hours=12):  # busy all day, never idle long
        clock.now += timedelta(minutes=29)
        assert reporting.get("/meldungen", follow_redirects=False).status_code == 200
    clock.now += timedelta(minutes=29)
    assert reporting.get("/meldungen", follow_redirects=False).status_code == 303


def test_a_disabled_account_is_out_at_once(reporting, accounts, portal):
    login(reporting, "anna")
    assert reporting.get("/meldungen").status_code == 200
    portal.supervision.disable_account("anna", "test")
    assert reporting.get("/meldungen", follow_redirects=False).status_code == 303
    assert login(reporting, "anna").status_code == 401


# --- who sees what ---------------------------------------------------------------------------------
def test_a_provider_can_not_open_another_providers_invoice(reporting, accounts):
    login(reporting, "anna")
    iid = submit_invoice(reporting)
    form(reporting, "/logout")
    login(reporting, "otto")
    for path in (f"/rechnungen/{iid}", f"/rechnungen/{iid}/pruefergebnis.json", f"/rechnungen/{iid}/original",
                 f"/rechnungen/{iid}/pruefergebnis.csv"):
        r = reporting.get(path)
        assert r.status_code == 404, path
        assert "Q-1" not in r.text
    r = upload(reporting, f"/rechnungen/{iid}/korrektur", CORRECTED)
    assert r.status_code == 404
    assert "Q-1" not in reporting.get("/meldungen").text


def test_provider_staff_are_refused_on_the_supervision_pages(reporting, supervision, accounts, portal):
    login(reporting, "anna")
    iid = submit_invoice(reporting)
    # the same session (both services share the host and the session store)
    plant_session(supervision, reporting.cookies.get("ami_session"))
    for path in ("/dashboard", "/anbieter/regiomech", f"/rechnungen/{iid}"):
        r = supervision.get(path, follow_redirects=False)
        assert r.status_code == 403, path
        assert "Kein Zugang" in r.text and "Q-1" not in r.text
    r = form(supervision, f"/rechnungen/{iid}/freigabe", comment="selbst freigegeben")
    assert r.status_code == 403
    assert portal.supervision.review_of(UUID(iid)) is None
    # and a provider can not log in there at all
    supervision.cookies.clear()
    r = login(supervision, "anna")
    assert r.status_code == 403 and "keinen Zugang" in r.text


def test_finance_reads_the_supervision_pages_but_does_not_review(supervision, reporting, accounts):
    login(reporting, "anna")
    iid = submit_invoice(reporting)
    login(supervision, "fina")
    page = supervision.get(f"/rechnungen/{iid}")
    assert page.status_code == 200 and "Erlassen" not in page.text and "freigabe" not in page.text
    r = form(supervision, f"/rechnungen/{iid}/befunde/2/tariff_above_max", decision="waived", comment="x")
    assert r.status_code == 403


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


def test_capacity_report_upload_and_page(reporting, accounts):
    login(reporting, "anna")
    body = "Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n03.2025;Qualifizierung;12;10;2;1\n".encode()
    r = upload(reporting, "/meldungen/kapazitaet", body, "kapazitaet.csv")
    assert r.status_code == 303
    page = reporting.get(r.headers["location"]).text
    assert "Kapazitätsmeldung März 2025" in page and "Qualifizierung" in page and ">12<" in page
    assert "12 Plätze · 10 belegt" in reporting.get("/meldungen").text


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
