"""Tamper evidence on SQLite and PostgreSQL: every change to a checkpointed event is found and named. The audit
PDF verified offline: test_verify_pdf.py."""

from __future__ import annotations

import random
from uuid import uuid4

import pytest

from shared.audit.adapters.audit_store import AuditStore
from shared.audit.application.checkpoints import checkpoint_store, load_verify_key
from shared.audit.application.verify_store import verify_service, verify_store
from shared.audit.domain.chain import event_hash, sha256
from shared.portal.reporting import Upload
from shared.store.eventstore import SERVICE_NAMES
from tests.integration.verify_cases import (
    APRIL,
    covered,
    disable_triggers,
    move,
    named,
    open_db,
    rolled_back,
    seed,
    set_state,
)


def test_an_untouched_store_verifies_and_later_events_are_no_mismatch(portal, settings):
    seed(portal)
    assert verify_store(settings) == []  # no checkpoint yet: nothing to compare, nothing wrong
    digest = checkpoint_store(settings)
    assert verify_store(settings) == []
    portal.reporting.submit_invoice("heks", Upload(APRIL, "text/csv", "a.csv"), "token:test")
    assert verify_store(settings) == []
    again = checkpoint_store(settings)
    assert again.checkpoints["reporting"].position > digest.checkpoints["reporting"].position
    assert again.checkpoints["supervision"] == digest.checkpoints["supervision"]  # unchanged: reused
    assert verify_store(settings) == []


def test_one_altered_byte_is_named(portal, settings):
    seed(portal)
    checkpoint_store(settings)
    with open_db(settings, "reporting") as db:
        row = covered(db)[0]
        state = bytearray(row.state)
        i = state.index(b"2714.50")
        state[i + 1] = ord("8")  # 2714.50 -> 2814.50 (the readable totals) in the stored invoice
        set_state(db, row.notification_id, bytes(state))
    mismatches = verify_store(settings)
    assert named(mismatches, "reporting", row)
    m = next(m for m in mismatches if m.notification_id == row.notification_id)
    assert (
        m.kind == "altered"
        and str(row.originator_id) in str(m)
        and f"Position {row.notification_id}" in str(m)
    )


def test_a_deleted_event_is_named(portal, settings):
    seed(portal)
    checkpoint_store(settings)
    with open_db(settings, "supervision") as db:
        row = covered(db)[-1]  # the approval
        db.execute(f"DELETE FROM {db.events_table} WHERE {db.nid} = ?", (row.notification_id,))
    mismatches = verify_store(settings)
    assert named(mismatches, "supervision", row)
    assert [m.kind for m in mismatches if m.notification_id == row.notification_id] == ["deleted"]


def test_two_events_with_swapped_bytes_are_both_named(portal, settings):
    seed(portal)
    checkpoint_store(settings)
    with open_db(settings, "reporting") as db:
        rows = covered(db)
        a, b = rows[0], rows[3]
        set_state(db, a.notification_id, b.state)
        set_state(db, b.notification_id, a.state)
    mismatches = verify_store(settings)
    assert named(mismatches, "reporting", a) and named(mismatches, "reporting", b)


def test_two_reordered_events_are_both_named(portal, settings):
    seed(portal)
    checkpoint_store(settings)
    with open_db(settings, "reporting") as db:
        rows = covered(db)
        a, b = rows[1], rows[4]
        move(db, a.notification_id, b.notification_id)
    mismatches = verify_store(settings)
    assert named(mismatches, "reporting", a) and named(mismatches, "reporting", b)
    assert {m.kind for m in mismatches} == {"moved"}


def test_checkpoints_are_append_only_and_a_forged_one_is_found(portal, settings):
    seed(portal)
    checkpoint_store(settings)
    with open_db(settings, "reporting") as db:
        with pytest.raises(Exception, match="append-only"):
            db.execute(f"UPDATE {db.table('audit_checkpoints')} SET root = ?", ("00" * 32,))
        with pytest.raises(Exception, match="append-only"):
            db.execute(f"DELETE FROM {db.table('audit_event_hashes')}")
        disable_triggers(db)
        db.execute(f"UPDATE {db.table('audit_checkpoints')} SET root = ?", ("00" * 32,))
    mismatches = verify_store(settings)
    assert {m.kind for m in mismatches} == {
        "checkpoint",
        "checkpoint_missing",
    }  # forged, and not what was signed
    assert any("Signatur ungültig" in str(m) for m in mismatches)


def test_dropping_the_audit_tables_does_not_drop_the_evidence(portal, settings):
    seed(portal)
    checkpoint_store(settings)
    with open_db(settings, "supervision") as db:
        disable_triggers(db)
        db.execute(f"DROP TABLE {db.table('audit_checkpoints')}")
        db.execute(f"DROP TABLE {db.table('audit_event_hashes')}")
    mismatches = verify_store(settings)
    assert {m.kind for m in mismatches} == {"checkpoint_missing", "checkpoint_root"}
    assert {m.service for m in mismatches} == {"supervision"}


def test_rewriting_an_event_and_its_recorded_hash_breaks_the_signed_root(portal, settings):
    """Whoever changes an event and its recorded hash consistently still cannot sign the new root."""
    seed(portal)
    checkpoint_store(settings)
    with open_db(settings, "reporting") as db:
        leaf = db.leaves()[0]
        row = next(r for r in covered(db) if r.notification_id == leaf.notification_id)
        forged = row.state.replace(b"2714.50", b"2814.50")
        set_state(db, row.notification_id, forged)
        disable_triggers(db)
        h = event_hash(row.originator_id, row.originator_version, row.topic, sha256(forged), bytes(32))
        db.execute(
            f"UPDATE {db.table('audit_event_hashes')} SET state_sha256 = ?, event_hash = ? "
            "WHERE leaf_index = 0",
            (sha256(forged).hex(), h.hex()),
        )
    mismatches = verify_store(settings)
    assert any(m.kind == "checkpoint_root" and m.service == "reporting" for m in mismatches)


MUTATIONS = ("flip", "truncate", "append", "delete", "swap", "reorder", "topic", "version", "originator")


def mutate(db: AuditStore, rows: list, kind: str, rnd: random.Random) -> list:
    """Apply one mutation; return the events it touched."""
    t = db.events_table
    row = rnd.choice(rows)
    if kind == "flip":
        state = bytearray(row.state)
        state[rnd.randrange(len(state))] ^= 1 << rnd.randrange(8)
        set_state(db, row.notification_id, bytes(state))
    elif kind == "truncate":
        set_state(db, row.notification_id, row.state[:-1])
    elif kind == "append":
        set_state(db, row.notification_id, row.state + b" ")
    elif kind == "delete":
        db.execute(f"DELETE FROM {t} WHERE {db.nid} = ?", (row.notification_id,))
    elif kind == "swap":
        other = rnd.choice([r for r in rows if r.state != row.state])
        set_state(db, row.notification_id, other.state)
        set_state(db, other.notification_id, row.state)
        return [row, other]
    elif kind == "reorder":
        other = rnd.choice([r for r in rows if r is not row])
        move(db, row.notification_id, other.notification_id)
        return [row, other]
    elif kind == "topic":
        db.execute(f"UPDATE {t} SET topic = ? WHERE {db.nid} = ?", (row.topic + "X", row.notification_id))
    elif kind == "version":
        db.execute(
            f"UPDATE {t} SET originator_version = ? WHERE {db.nid} = ?",
            (row.originator_version + 1000, row.notification_id),
        )
    elif kind == "originator":
        new = uuid4()
        db.execute(
            f"UPDATE {t} SET originator_id = ? WHERE {db.nid} = ?",
            (new if db.kind == "postgres" else new.hex, row.notification_id),
        )
    return [row]


def test_hundreds_of_random_mutations_are_all_detected_and_named(portal, settings):
    seed(portal)
    checkpoint_store(settings)
    key = load_verify_key(settings)
    rnd = random.Random(6962)
    dbs = {s: open_db(settings, s) for s in SERVICE_NAMES}
    try:
        rows = {s: covered(db) for s, db in dbs.items()}
        for s, db in dbs.items():
            assert verify_service(db, key).mismatches == [], s
        for i in range(300):
            service = rnd.choice(SERVICE_NAMES)
            db = dbs[service]
            kind = MUTATIONS[i % len(MUTATIONS)]
            with rolled_back(db):
                touched = mutate(db, rows[service], kind, rnd)
                mismatches = verify_service(db, key).mismatches
                assert mismatches, (i, kind)
                for row in touched:
                    assert named(mismatches, service, row), (i, kind, row, mismatches)
        for s, db in dbs.items():  # all rolled back: clean again
            assert verify_service(db, key).mismatches == [], s
    finally:
        for db in dbs.values():
            db.close()


def test_ami_verify_command(portal, settings, monkeypatch, capsys):
    from services.cli import main

    seed(portal)
    monkeypatch.setenv("AMI_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("AMI_SIGNING_KEY", raising=False)
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    assert "Keine Abweichung" in out and "Speicher-Digest" in out
    with open_db(settings, "reporting") as db:
        row = covered(db)[2]
        set_state(db, row.notification_id, row.state + b"\n")
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert f"reporting · Position {row.notification_id} · Ereignis {row.originator_id}" in out
    assert "ABWEICHUNG" in out
