"""The web pages of both services through a TestClient: login, sessions, CSRF, who sees what. The pages at work:
test_web_pages_at_work.py."""
from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from tests.integration.web_cases import (
    CORRECTED,
    PASSWORD,
    WITH_FINDINGS,
    csrf,
    form,
    login,
    plant_session,
    submit_invoice,
    upload,
)


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
