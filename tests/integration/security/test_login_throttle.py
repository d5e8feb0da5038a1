"""The login throttle can be neither raced nor turned against others (issue 14, point 5): an attempt is checked
and counted in one step, so parallel wrong passwords get at most the limit verified; X-Forwarded-For counts only
from a configured proxy (AMI_TRUSTED_PROXIES); and a stranger's failures make an account wait with back-off for
that stranger, not lock out its owner."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from services.common.client_address import forwarded_client
from services.common.login_throttle import LoginThrottle, ThrottleLimits
from tests.integration.web_cases import PASSWORD, csrf, login

WRONG = "wrong-password-123"


@pytest.fixture
def people(portal):
    portal.supervision.create_account("anna", PASSWORD, "provider", "regiomech", "test")
    portal.supervision.create_account("otto", PASSWORD, "provider", "oltech", "test")


@pytest.fixture
def behind_proxy(portal, settings):
    """The reporting service with the test client's peer («testclient») configured as the proxy."""
    from litestar.testing import TestClient

    from services.reporting.app import create_app

    with TestClient(create_app(settings.with_(trusted_proxies=("testclient",)), portal=portal)) as client:
        yield client


def post_login(client, username: str, password: str, address: str | None = None):
    headers = {"x-forwarded-for": f"203.0.113.99, {address}"} if address else {}
    return client.post("/login", data={"username": username, "password": password, "next": "",
                                       "_csrf_token": csrf(client)}, headers=headers, follow_redirects=False)


def test_parallel_wrong_passwords_are_verified_at_most_the_limit(reporting, portal, people, monkeypatch):
    sup = portal.supervision
    real, verified, lock = sup.login, [], threading.Lock()

    def slow_login(username, password):
        with lock:
            verified.append(username)
        time.sleep(0.05)  # a password hash takes a while: the window in which a race would slip through
        return real(username, password)

    monkeypatch.setattr(sup, "login", slow_login)
    csrf(reporting)
    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(post_login(reporting, "anna", WRONG).status_code))
               for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(verified) <= ThrottleLimits().per_account_address == 5
    assert sorted(answers).count(401) == len(verified) and set(answers) <= {401, 429}


def test_parallel_attempts_on_the_throttle_itself(settings):
    throttle = LoginThrottle(settings)
    granted: list[str] = []

    def attempt():
        found = throttle.begin("anna", "192.0.2.1", 1_000_000.0)
        if found:
            granted.append(found)

    threads = [threading.Thread(target=attempt) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted) == 5


def test_colleagues_logging_in_at_the_same_moment_do_not_wait(settings):
    """Below every limit no attempt waits, whatever order the requests read the clock in: each request reads the
    time when it arrives, and the one that read it a moment earlier may be counted a moment later."""
    throttle = LoginThrottle(settings)
    first = throttle.begin("anna", "192.0.2.1", 1_000_000.5)
    assert first is not None
    assert throttle.begin("otto", "192.0.2.1", 1_000_000.0) is not None  # read the clock before anna's count
    assert not throttle.blocked("eva", "192.0.2.1", 1_000_000.2)
    throttle.succeeded("anna", "192.0.2.1", first)
    # a limit reached still makes the next attempt wait (the same account from the same address: 5)
    for _ in range(5):
        assert throttle.begin("mia", "192.0.2.7", 1_000_001.0) is not None
    assert throttle.begin("mia", "192.0.2.7", 1_000_000.9) is None


def test_the_forwarded_address_counts_only_from_the_configured_proxy(reporting, behind_proxy, people):
    # without a configured proxy the header is the client's own claim: every guess counts against its peer
    for i in range(20):
        assert post_login(reporting, f"guess{i}", WRONG, address=f"198.51.100.{i}").status_code == 401
    assert post_login(reporting, "otto", PASSWORD, address="198.51.100.200").status_code == 429
    # behind the configured proxy each visitor is counted on their own: others still log in
    for i in range(20):
        assert post_login(behind_proxy, f"guess{i}", WRONG, address="198.51.100.7").status_code == 401
    assert post_login(behind_proxy, "otto", PASSWORD, address="198.51.100.7").status_code == 429
    assert post_login(behind_proxy, "anna", PASSWORD, address="198.51.100.8").status_code == 303


def test_a_stranger_can_not_lock_out_the_owner(behind_proxy, people, clock):
    for _ in range(5):
        assert post_login(behind_proxy, "anna", WRONG, address="198.51.100.66").status_code == 401
    assert post_login(behind_proxy, "anna", PASSWORD, address="198.51.100.66").status_code == 429
    assert post_login(behind_proxy, "anna", PASSWORD, address="198.51.100.10").status_code == 303  # the owner


def test_the_wait_doubles_and_ends(reporting, people, clock):
    for _ in range(5):
        assert login(reporting, "anna", WRONG).status_code == 401
    assert login(reporting, "anna", WRONG).status_code == 429
    clock.now += timedelta(seconds=31)  # after 30 s one more attempt
    assert login(reporting, "anna", WRONG).status_code == 401
    clock.now += timedelta(seconds=31)  # now 60 s
    assert login(reporting, "anna", PASSWORD).status_code == 429
    clock.now += timedelta(seconds=30)
    assert login(reporting, "anna", PASSWORD).status_code == 303


@pytest.mark.parametrize(("peer", "header", "trusted", "expected"), [
    ("10.0.0.5", "1.2.3.4", (), "10.0.0.5"),  # no proxy configured: the header is ignored
    ("10.0.0.5", "1.2.3.4", ("10.0.0.0/8",), "1.2.3.4"),
    ("10.0.0.5", "6.6.6.6, 1.2.3.4", ("10.0.0.5",), "1.2.3.4"),  # the rightmost hop the proxy wrote
    ("10.0.0.5", "1.2.3.4, 10.0.0.9", ("10.0.0.0/8",), "1.2.3.4"),  # proxies behind proxies are skipped
    ("192.0.2.1", "1.2.3.4", ("10.0.0.0/8",), "192.0.2.1"),  # not from the proxy: the peer
    ("10.0.0.5", "nonsense", ("10.0.0.0/8",), "10.0.0.5"),
])
def test_forwarded_client(peer, header, trusted, expected):
    assert forwarded_client(peer, header, trusted) == expected
