"""What the projector does with a stored event it can't use: it sets it aside, records why, alerts, goes on.

An event written before the domain's limits were checked (shared.kernel.limits) may hold a value no view can
hold (3'000'000'000 places, an offering from the year 1000, a total that is no amount). `unusable()` names
such a value before the event touches the views; an error of the event's own data while it is applied (a
value the database refuses, an amount that does not parse, a document the views don't know) sets it aside
as well. The projector never stops on one event, never retries it forever, and the pages keep answering.
`ami project --rebuild` replays the log and sets the same events aside again."""
from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime

from shared.kernel.limits import MAX_COUNT, MAX_PLACES, count_ok, iso_day_ok
from shared.readmodels.projector import topics as T

log = logging.getLogger("ami.projector")

COUNTS = ("places", "occupied", "entries", "exits")
INSERT_SKIPPED = """
INSERT INTO skipped_events (source, notification_id, topic, originator_id, reason, skipped_at)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (source, notification_id) DO UPDATE SET reason = excluded.reason, skipped_at = excluded.skipped_at
"""


# An event's own data, found before anything of it reached the database (SQLite's OverflowError included).
EVENT_ERRORS = (ValueError, TypeError, LookupError, ArithmeticError, AttributeError)


def data_errors() -> tuple[type[BaseException], ...]:
    """The errors that come from an event's data (not from a store that went away, nor from a constraint of the
    views' own making, which would fail every event alike): such an event is set aside."""
    errors: list[type[BaseException]] = [*EVENT_ERRORS, sqlite3.DataError]
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg comes with the PostgreSQL extra
        pass
    else:
        errors.append(psycopg.DataError)
    return tuple(errors)


DATA_ERRORS = data_errors()


def unusable(topic: str, state: dict) -> str | None:
    """Why an event's values are beyond what the views hold (German), or None when it can be projected."""
    if topic in (T.REPORT_RECEIVED, T.REPORT_CORRECTED):
        for row in state["submission"]["rows"]:
            for key in (*COUNTS, "waiting_list"):
                value = row.get(key)
                if (value is not None or key != "waiting_list") and not count_ok(value, MAX_COUNT):
                    return f"Zeile {row.get('row')}: «{key}» = {str(value)[:40]} liegt ausserhalb 0–{MAX_COUNT}"
    elif topic in (T.OFFERING_REGISTERED, T.OFFERING_CHANGED):
        terms = state.get("terms") or {}
        if "places" in terms and not count_ok(_int(terms["places"]), MAX_PLACES):
            return f"Plätze = {str(terms['places'])[:40]} liegt ausserhalb 0–{MAX_PLACES}"
        for key in ("valid_from", "valid_to"):
            if terms.get(key) and not iso_day_ok(terms[key]):
                return f"«{key}» = {str(terms[key])[:40]} liegt ausserhalb der Jahre, die das Portal liest"
    return None


def _int(value: object) -> object:
    """An integer as events hold it (a number, or its text); anything else as it is."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def record(tx, source: str, n, reason: str) -> None:
    """The event set aside, with its reason, in the views' table skipped_events; an alert in the log."""
    log.error("Ereignis %s (%s, %s, %s) übersprungen: %s", n.id, source, n.topic.rsplit(".", 1)[-1],
              n.originator_id, reason)
    tx.execute(INSERT_SKIPPED, (source, n.id, n.topic, str(n.originator_id), reason[:500],
                                datetime.now(UTC).isoformat(timespec="seconds")))


def reason_of(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:300]}"
