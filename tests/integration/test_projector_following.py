"""The projector following the logs (`ami project --follow`), on SQLite and on PostgreSQL: the views kept current, one
leader among followers, a request waiting for the follower instead of projecting itself."""
from __future__ import annotations

import threading
import time

import pytest

from shared.readmodels import Projector
from tests.integration.projector_cases import at, csv, relevant_events


def test_a_follower_keeps_the_views_current(portal, clock):
    views = portal.views
    stop = threading.Event()
    follower = Projector(portal, views.store)
    thread = threading.Thread(target=follower.follow, args=(stop,), kwargs={"poll": 0.05}, daemon=True)
    thread.start()
    try:
        at(clock, "2025-04-02T09:00")
        portal.reporting.submit_invoice("regiomech", csv(
            "03.2025;Q-1;Qualifizierung;;Selbstzahler;;;;;Einsatztag;21.7;80;1736"), "test")
        head = portal.reporting.recorder.max_notification_id()
        deadline = time.monotonic() + 10
        while views.store.positions().get("reporting", 0) < head and time.monotonic() < deadline:
            time.sleep(0.05)
        row = {r["provider"]: r for r in views.overview("2025-03")["providers"]}["regiomech"]
        assert row["allowed"] == "1736.00"
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


class Follower:
    """`ami project --follow` in a thread, with a view-store connection of its own (as a process has)."""

    def __init__(self, portal):
        from shared.readmodels import open_view_store

        self.store = open_view_store(portal.settings)
        self.leads = threading.Event()
        self.applied: list[int] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=Projector(portal, self.store).follow, args=(self.stop,),
            kwargs={"poll": 0.05, "on_batch": self.applied.append, "on_lead": self.leads.set}, daemon=True)
        self.thread.start()

    def end(self) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive()
        self.store.close()


def wait_until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.postgres
def test_only_one_follower_leads_on_postgres(pg_database_url, tmp_path, clock):
    from shared.config import load_settings
    from shared.portal import open_portal

    portal = open_portal(load_settings({"AMI_DATA_DIR": str(tmp_path), "DATABASE_URL": pg_database_url}),
                         clock=clock)
    followers: list[Follower] = []
    try:
        first = Follower(portal)
        followers.append(first)
        assert first.leads.wait(10)
        wait_until(lambda: sum(first.applied) == relevant_events(portal))
        assert sum(first.applied) == relevant_events(portal) > 0  # the register

        second = Follower(portal)
        followers.append(second)
        assert not second.leads.wait(1.5)  # the second one waits while the first leads
        at(clock, "2025-04-02T09:00")
        portal.reporting.submit_invoice("regiomech", csv(
            "03.2025;Q-1;Qualifizierung;;Selbstzahler;;;;;Einsatztag;21.7;80;1736"), "test")
        wait_until(lambda: sum(first.applied) == relevant_events(portal))
        assert sum(first.applied) == relevant_events(portal)
        assert second.applied == [] and not second.leads.is_set()  # only the leader projects

        first.end()  # its session ends, and the lock with it: the second one takes over
        assert second.leads.wait(10)
        portal.reporting.submit_invoice("oltech", csv(
            "03.2025;O-1;Qualifizierung;;Selbstzahler;;;;;Einsatztag;21.7;80;1736"), "test")
        wait_until(lambda: sum(first.applied) + sum(second.applied) == relevant_events(portal))
        assert sum(first.applied) + sum(second.applied) == relevant_events(portal)
        assert second.applied  # each event once, the new one by the new leader
        assert portal.views.store.positions() == Projector(portal, portal.views.store).heads()
    finally:
        for follower in followers:
            if follower.thread.is_alive():
                follower.end()
        portal.close()


@pytest.mark.postgres
def test_while_a_projector_follows_a_request_waits_for_it_instead_of_projecting(pg_database_url, tmp_path, clock):
    from shared.config import load_settings
    from shared.portal import open_portal
    from shared.readmodels import snapshot

    portal = open_portal(load_settings({"AMI_DATA_DIR": str(tmp_path), "DATABASE_URL": pg_database_url}),
                         clock=clock)
    views = portal.views
    assert not views.store.follower_active()
    follower = Follower(portal)
    try:
        assert follower.leads.wait(10)
        views.store._follower = (float("-inf"), False)  # ask again now rather than in FOLLOWER_CHECK seconds
        assert views.store.follower_active()
        at(clock, "2025-04-02T09:00")
        portal.reporting.submit_invoice("regiomech", csv(
            "03.2025;Q-1;Qualifizierung;;Selbstzahler;;;;;Einsatztag;21.7;80;1736"), "test")
        assert views.catch_up() == 0  # the follower projected it; the request only waited
        row = {r["provider"]: r for r in views.overview("2025-03")["providers"]}["regiomech"]
        assert row["allowed"] == "1736.00"
        follower.stop.set()  # a follower that stops following: the request projects after waiting for it
        follower.thread.join(10)
        portal.reporting.submit_invoice("oltech", csv(
            "03.2025;O-1;Qualifizierung;;Selbstzahler;;;;;Einsatztag;21.7;80;1736"), "test")
        snapshot.FOLLOWER_WAIT, kept = 0.2, snapshot.FOLLOWER_WAIT
        try:
            assert views.catch_up() > 0
        finally:
            snapshot.FOLLOWER_WAIT = kept
        assert {r["provider"]: r for r in views.overview("2025-03")["providers"]}["oltech"]["allowed"] == "1736.00"
    finally:
        if follower.thread.is_alive():
            follower.end()
        else:
            follower.store.close()
        portal.close()
