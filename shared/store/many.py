"""Several aggregates from one read of the store.

A command that loads four aggregates (an upload: the invoice if it came before, its month, the provider's
Kostengutsprachen and its ledger) asked the store four times: on SQLite each a transaction of its own
(BEGIN, SELECT, ROLLBACK), on PostgreSQL a round trip each. One read also sees them at one moment.
Only for aggregates without snapshots (the portal takes none: eventstore.py)."""
from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.sql import SQL, Identifier

COLUMNS = "originator_id, originator_version, topic, state"


def select_many(recorder, ids: Sequence[UUID]) -> list[StoredEvent]:
    """The stored events of these aggregates, each aggregate's in version order."""
    if not ids:
        return []
    if isinstance(recorder, SQLiteAggregateRecorder):
        marks = ",".join("?" * len(ids))  # placeholders only: the ids are bound
        statement = (f"SELECT {COLUMNS} FROM {recorder.events_table_name} "  # noqa: S608
                     f"WHERE originator_id IN ({marks}) ORDER BY originator_id, originator_version")
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(statement, [i.hex for i in ids])
            rows = c.fetchall()
        convert = recorder.convert_originator_id
        return [StoredEvent(originator_id=convert(r["originator_id"]), originator_version=r["originator_version"],
                            topic=r["topic"], state=r["state"]) for r in rows]
    store = recorder.datastore
    statement = SQL("SELECT originator_id, originator_version, topic, state FROM {schema}.{table} "
                    "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version").format(
        schema=Identifier(store.schema), table=Identifier(recorder.events_table_name))
    keys = list(ids) if store.originator_id_type == "uuid" else [str(i) for i in ids]
    with store.get_connection() as conn, conn.cursor() as curs:
        curs.execute(statement, (keys,), prepare=True)
        rows = curs.fetchall()
    return [StoredEvent(originator_id=r["originator_id"], originator_version=r["originator_version"],
                        topic=r["topic"], state=bytes(r["state"])) for r in rows]


def get_many(app, ids: Sequence[UUID]) -> list:
    """Each aggregate as `app.get_or_none` loads it (None where it has no event), in the order of `ids`."""
    if not ids:
        return []  # nothing to read: no statement
    events: dict[UUID, list] = {}
    to_domain_event = app.mapper.to_domain_event
    for stored in select_many(app.recorder, ids):
        event = to_domain_event(stored)
        events.setdefault(event.originator_id, []).append(event)
    return [app.repository.from_events(events[i]) if i in events else None for i in ids]
