"""A page view that changes nothing in the session writes no session (issue 16: under load the pages waited on
the disk with the session file written on every request); the last activity is recorded at most once a minute,
a login, a logout and an expired session are written as before."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.common.page_guard import SEEN_STEP
from tests.integration.web_cases import PASSWORD, form, login


@pytest.fixture
def anna(portal):
    portal.supervision.create_account("anna", PASSWORD, "provider", "regiomech", "test")


def _session_files(settings) -> dict[str, bytes]:
    folder = settings.data_dir / "sessions"
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


def test_pages_within_a_minute_write_no_session_and_send_no_cookie(reporting, anna, clock, settings):
    assert login(reporting, "anna").status_code == 303
    first = reporting.get("/meldungen")
    assert first.status_code == 200
    stored = _session_files(settings)
    assert len(stored) == 1
    for _ in range(3):
        clock.now += timedelta(seconds=SEEN_STEP / 4)
        r = reporting.get("/meldungen")
        assert r.status_code == 200
        assert "ami_session" not in r.headers.get("set-cookie", "")
    assert _session_files(settings) == stored  # not one byte written


def test_after_a_minute_the_activity_is_recorded_and_the_cookie_sent_again(reporting, anna, clock, settings):
    assert login(reporting, "anna").status_code == 303
    reporting.get("/meldungen")
    stored = _session_files(settings)
    clock.now += timedelta(seconds=SEEN_STEP + 1)
    r = reporting.get("/meldungen")
    assert r.status_code == 200 and "ami_session" in r.headers.get("set-cookie", "")
    after = _session_files(settings)
    assert after.keys() == stored.keys() and after != stored


def test_activity_every_half_minute_keeps_the_session_past_its_idle_time(reporting, anna, clock, settings):
    assert login(reporting, "anna").status_code == 303
    for _ in range(2 * 45):  # 45 minutes at work, more than the idle time of 30 minutes
        clock.now += timedelta(seconds=30)
        assert reporting.get("/meldungen", follow_redirects=False).status_code == 200
    clock.now += timedelta(minutes=31)
    assert reporting.get("/meldungen", follow_redirects=False).status_code == 303


def test_logout_still_ends_the_stored_session(reporting, anna, settings):
    assert login(reporting, "anna").status_code == 303
    reporting.get("/meldungen")
    assert len(_session_files(settings)) == 1
    form(reporting, "/logout")
    assert _session_files(settings) == {}
    assert reporting.get("/meldungen", follow_redirects=False).status_code == 303
