"""A page's reads in one snapshot of the read models (shared/readmodels/snapshot.py), and readers that do not
wait for each other, on SQLite and on PostgreSQL."""
from __future__ import annotations

import threading

from tests.integration.projector_cases import csv


def claimed(views) -> str:
    return next(p["claimed"] for p in views.overview("2025-03")["providers"] if p["provider"] == "regiomech")


LINE = "03.2025;RM-1;Qualifizierung;;Selbstzahler;;;;;Einsatztag;2;80;160"


def test_a_snapshot_catches_up_once_and_its_reads_see_one_moment(portal):
    views = portal.views
    views.catch_up()
    portal.reporting.submit_invoice("regiomech", csv(LINE), "test")
    with views.snapshot():
        assert views.in_snapshot()
        # caught up when it began: the invoice is there
        assert claimed(views) == "160.00"
        with views.store.read() as a, views.store.read() as b:
            assert a is b  # every read of this thread inside the snapshot is its transaction
        portal.reporting.submit_invoice("regiomech", csv(LINE.replace("RM-1", "RM-2")), "test")
        assert views.catch_up() == 0  # nothing projected inside: the page reads one moment
        assert claimed(views) == "160.00"
        assert views.providers() is views.providers()  # read once per snapshot
    assert not views.in_snapshot()
    assert views.catch_up() > 0
    assert claimed(views) == "320.00"


def test_a_snapshot_on_one_thread_is_not_the_snapshot_of_another(portal):
    views = portal.views
    views.catch_up()
    seen = {}
    inside, done = threading.Event(), threading.Event()

    def other() -> None:
        inside.wait(10)
        seen["in_snapshot"] = views.in_snapshot()
        seen["claimed"] = claimed(views)
        done.set()

    t = threading.Thread(target=other)
    t.start()
    with views.snapshot():
        inside.set()
        if portal.settings.uses_postgres:  # PostgreSQL: a reader does not wait for another one's snapshot
            assert done.wait(10)
    t.join(10)
    assert seen == {"in_snapshot": False, "claimed": "0.00"}


def test_progress_is_the_logs_ends_and_the_positions_of_one_moment(portal):
    """PostgreSQL reads both in one statement (in the page's own transaction); elsewhere from the recorders."""
    views = portal.views
    views.catch_up()
    portal.reporting.submit_invoice("regiomech", csv(LINE), "test")
    heads, positions = views._progress()
    assert heads == views.projector.heads()
    assert heads["reporting"] > positions.get("reporting", 0)  # the upload is not projected yet
    assert positions == views.store.positions()
    views.catch_up()
    heads, positions = views._progress()
    assert all(positions[source] >= head for source, head in heads.items())


def test_a_snapshot_checks_and_reads_in_one_transaction_when_nothing_is_new(portal, monkeypatch):
    views = portal.views
    portal.reporting.submit_invoice("regiomech", csv(LINE), "test")
    opened = []
    begin = type(views.store)._transaction

    def counted(store, *, write):
        opened.append("write" if write else "read")
        return begin(store, write=write)

    monkeypatch.setattr(type(views.store), "_transaction", counted)
    with views.snapshot():  # the upload is new: the snapshot projects it first, then reads anew
        assert claimed(views) == "160.00"
    assert "write" in opened
    opened.clear()
    with views.snapshot():
        assert claimed(views) == "160.00"
    assert opened == ["read"]


def test_the_positions_a_waiting_request_asks_for_are_those_committed_now(portal):
    """A waiting request asks for the others too (position_watch): never from its own snapshot, which would show the
    positions of its start (PostgreSQL's REPEATABLE READ) and keep every request of the process waiting."""
    views = portal.views
    views.catch_up()
    if views.store.backend != "postgres":  # no projector follows on SQLite (its writes wait for a snapshot)
        assert views.store.positions_now() == views.store.positions()
        return
    with views.snapshot():
        before = views.store.positions()
        portal.reporting.submit_invoice("regiomech", csv(LINE), "test")
        done = threading.Thread(target=views.catch_up)  # another request projects and commits meanwhile
        done.start()
        done.join(30)
        assert views.store.positions_now()["reporting"] > before.get("reporting", 0)
        assert views.store.positions() == before  # the snapshot's own read still sees its start
