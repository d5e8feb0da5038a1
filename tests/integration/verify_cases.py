"""The tamper-evidence tests' store and tools: two providers' invoices, a capacity report and a review (`seed`),
the audit tables opened, events altered, moved, their triggers disabled, a change rolled back."""
from __future__ import annotations

from contextlib import contextmanager
from uuid import UUID

from shared.audit.adapters.audit_store import AuditStore
from shared.portal.reporting import Upload

HEADER = (
    "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Eintritt;Austritt;Austrittsgrund;Leistung;"
    "Menge;Ansatz;Betrag"
)
MARCH = (
    HEADER + "\n03.2025;Q-1;Qualifizierung;Selbstzahler;;;;;Einsatztag;23;85.00;1955.00\n"
    "03.2025;S-0103;Beschäftigung I;Sozialhilfe;KGS-OL-2025-031;;;;Einsatztag;21,7;35.00;759.50\n"
).encode()
APRIL = (HEADER + "\n04.2025;C-7;Coaching;Selbstzahler;;;;;Coachingstunde;3;200.00;600.00\n").encode()
CAPACITY = "Monat;Programm;Plätze;Belegt;Eintritte;Austritte\n03.2025;Qualifizierung;12;10;1;0\n".encode()


def seed(portal) -> UUID:
    rep, sup = portal.reporting, portal.supervision
    inv = rep.submit_invoice("regiomech", Upload(MARCH, "text/csv", "maerz.csv"), "token:test").document
    rep.submit_invoice("oltech", Upload(APRIL, "text/csv", "april.csv"), "token:test")
    rep.submit_capacity_report("regiomech", Upload(CAPACITY, "text/csv", "kap.csv"), "token:test")
    invoice = rep.invoice(None, UUID(inv["id"]))
    sup.review_finding(invoice.id, 2, "days_above_month", "confirmed", "stimmt", "user:aufsicht")
    sup.approve(invoice.id, "", "user:aufsicht")
    return invoice.id


def open_db(settings, service: str) -> AuditStore:
    db = AuditStore.open(settings, service)
    assert db is not None
    return db


def covered(db: AuditStore) -> list:
    position = db.last_checkpoint().position
    return list(db.events(upto=position))


def set_state(db: AuditStore, nid: int, state: bytes) -> None:
    db.execute(f"UPDATE {db.events_table} SET state = ? WHERE {db.nid} = ?", (state, nid))


def move(db: AuditStore, a: int, b: int) -> None:
    """Give two events each other's notification id (their place in the log)."""
    tmp = -1 if db.kind == "postgres" else db.max_notification_id() + 1000
    for src, dst in ((a, tmp), (b, a), (tmp, b)):
        db.execute(f"UPDATE {db.events_table} SET {db.nid} = ? WHERE {db.nid} = ?", (dst, src))


def named(mismatches, service: str, row) -> bool:
    return any(
        m.service == service
        and m.notification_id == row.notification_id
        and m.originator_id == row.originator_id
        and m.originator_version == row.originator_version
        for m in mismatches
    )


def disable_triggers(db: AuditStore) -> None:
    if db.kind == "postgres":
        for table in ("audit_checkpoints", "audit_event_hashes"):
            db.execute(f"ALTER TABLE {db.table(table)} DISABLE TRIGGER USER")
    else:
        for table in ("audit_checkpoints", "audit_event_hashes"):
            for op in ("update", "delete"):
                db.execute(f"DROP TRIGGER {table}_no_{op}")


@contextmanager
def rolled_back(db: AuditStore):
    if db.kind == "postgres":
        with db.conn.transaction(force_rollback=True):
            yield
    else:
        db.conn.execute("BEGIN")
        try:
            yield
        finally:
            db.conn.execute("ROLLBACK")
