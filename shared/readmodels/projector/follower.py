"""`ami project --follow`: one leader at a time on PostgreSQL, woken by NOTIFY (or polling), reconnecting."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from shared.readmodels.store import LEADER_LOCK

log = logging.getLogger("ami.projector")


def follow(projector, stop: threading.Event, *, poll: float = 0.5,
           on_batch: Callable[[int], None] | None = None, on_lead: Callable[[], None] | None = None) -> None:
    """Keep the projector's views current until `stop` is set (`projector`: a Projector; its run(), store, apps).

    On PostgreSQL only one follower projects at a time (a session advisory lock; another one waits for it)
    and it wakes on NOTIFY as well as by polling; on SQLite it polls. When the database goes away (restart,
    failover) the follower connects again and competes for the lock anew: a restarted server has released
    it, so another follower may have taken over meanwhile. on_lead() is called whenever this follower
    starts projecting (on PostgreSQL: holds the lock); on_batch(count) after every run that applied events."""
    while not stop.is_set():
        leader = listener = None
        try:
            leader = _leader(projector.store, stop, poll)
            listener = _listener(projector)
            if on_lead is not None and not stop.is_set():
                on_lead()
            _follow_connected(projector, leader, listener, stop, poll, on_batch)
        except Exception:  # the store went away (or never came): wait, connect again
            log.exception("Projektor ohne Datenbank; neuer Versuch in %.1f s", poll * 4)
            stop.wait(poll * 4)
        finally:
            for conn in (listener, leader):
                if conn is not None and not conn.closed:
                    conn.close()


def _follow_connected(projector, leader, listener, stop: threading.Event, poll: float,
                      on_batch: Callable[[int], None] | None) -> None:
    """Project while this follower's connections live; return when one of them broke."""
    while not stop.is_set():
        if any(c is not None and (c.closed or c.broken) for c in (leader, listener)):
            log.warning("Verbindung zur Datenbank verloren; der Projektor verbindet sich neu.")
            return
        try:
            count = projector.run()
        except Exception:  # the store went away for a moment: log, wait, try again
            log.exception("Projektion fehlgeschlagen; neuer Versuch in %.1f s", poll * 4)
            stop.wait(poll * 4)
            continue
        if on_batch is not None and count:
            on_batch(count)
        if count == 0:
            _wait(listener, stop, poll)


def _leader(store, stop: threading.Event, poll: float):
    """On PostgreSQL a connection holding the leader lock (waits for it; None once stopped); None on SQLite."""
    if store.backend != "postgres":
        return None
    from shared.store.eventstore import connect_postgres

    conn = connect_postgres(store.url)
    announced = False
    while not stop.is_set():
        if conn.execute("SELECT pg_try_advisory_lock(%s)", (LEADER_LOCK,)).fetchone()[0]:
            return conn
        if not announced:
            log.warning("Ein anderer Projektor ist aktiv; dieser wartet.")
            announced = True
        stop.wait(max(poll, 1.0))
    conn.close()
    return None


def _listener(projector):
    """On PostgreSQL a connection that LISTENs on both logs' channels; None on SQLite."""
    store = projector.store
    if store.backend != "postgres":
        return None
    from shared.store.eventstore import connect_postgres

    conn = connect_postgres(store.url)
    for app in projector.apps.values():
        channel = getattr(app.recorder, "channel_name", None)
        if channel:
            conn.execute(f'LISTEN "{channel}"')
    return conn


def _wait(listener, stop: threading.Event, poll: float) -> None:
    """Until a NOTIFY arrives (at most a couple of seconds: a safety net), or `poll` seconds without one."""
    if listener is None:
        stop.wait(poll)
        return
    deadline = time.monotonic() + max(poll, 2.0)  # NOTIFY wakes at once; the timeout is a safety net
    while not stop.is_set() and time.monotonic() < deadline:
        for _ in listener.notifies(timeout=min(poll, 0.5), stop_after=1):
            return
