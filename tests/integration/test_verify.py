"""Tamper evidence on SQLite and PostgreSQL: every change to a checkpointed event is found and named, and
an audit PDF verifies offline from its bytes alone, and fails after a changed amount, attachment or
checkpoint."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
from contextlib import contextmanager
from uuid import UUID, uuid4

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from shared.audit.adapters.audit_store import AuditStore
from shared.audit.application.checkpoints import checkpoint_store, load_verify_key, parse_public_key
from shared.audit.application.verify_pdf import verify_pdf
from shared.audit.application.verify_store import verify_service, verify_store
from shared.audit.domain.chain import event_hash, sha256
from shared.portal.reporting import Upload
from shared.store.eventstore import SERVICE_NAMES

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


# --- the PDF, offline ---------------------------------------------------------------------------------
def attachments(pdf: bytes) -> dict[str, bytes]:
    return {n: c[0] for n, c in PdfReader(io.BytesIO(pdf)).attachments.items()}


def replace_attachment(pdf: bytes, name: str, data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    names = writer._root_object["/Names"]["/EmbeddedFiles"].get_object()["/Names"]
    for i in range(0, len(names), 2):
        if names[i] == name:
            names[i + 1].get_object()["/EF"]["/F"].get_object().set_data(data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def change_printed_amount(pdf: bytes, old: str, new: str) -> bytes:
    """Edit page 1's content stream so that it shows another amount (glyph codes from the ToUnicode maps)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    codes: dict[str, str] = {}
    for font in page["/Resources"]["/Font"].values():
        cmap = font.get_object()["/ToUnicode"].get_object().get_data().decode()
        for src, dst in re.findall(r"<([0-9a-f]{4})>\s*<([0-9a-f]{4})>", cmap):
            codes.setdefault(chr(int(dst, 16)), src)

    def glyphs(text: str) -> bytes:
        return ">0<".join(codes[c] for c in text).encode()

    stream = page[NameObject("/Contents")].get_object()
    data = stream.get_data()
    assert glyphs(old) in data
    stream.set_data(data.replace(glyphs(old), glyphs(new), 1))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_a_genuine_pdf_verifies_offline_and_a_changed_one_does_not(portal, settings, tmp_path, capsys):
    from services.cli import main
    from shared.presentation.pdf.invoice_audit import invoice_audit_pdf

    invoice_id = seed(portal)
    pdf = invoice_audit_pdf(portal, invoice_id)
    pub = settings.keys_dir / "signing.pub"
    key = parse_public_key(str(pub))
    assert verify_pdf(pdf, key) == []

    # one changed amount on the page
    changed = change_printed_amount(pdf, "714.50", "814.50")
    assert "2’814.50" in pdftotext(changed) and "2’814.50" not in pdftotext(pdf)
    problems = verify_pdf(changed, key)
    assert [p.kind for p in problems] == ["page"] and "Seite 1" in problems[0].message

    # one changed attachment: the original upload
    files = attachments(pdf)
    original = files["original-v1.csv"]
    assert original == MARCH
    problems = verify_pdf(
        replace_attachment(pdf, "original-v1.csv", original.replace(b"1955.00", b"1956.00")), key
    )
    kinds = {p.kind for p in problems}
    assert {"attachment", "source"} <= kinds

    # one changed checkpoint in the embedded events
    events = json.loads(files["ereignisse.json"])
    events["checkpoints"]["reporting"]["root"] = "00" * 32
    problems = verify_pdf(replace_attachment(pdf, "ereignisse.json", json.dumps(events).encode()), key)
    assert {"attachment", "checkpoint"} <= {p.kind for p in problems}

    # an event's data changed and its hash recomputed: still not in the signed root
    events = json.loads(files["ereignisse.json"])
    events["checkpoints"] = json.loads(files["ereignisse.json"])["checkpoints"]
    ev = events["events"][0]
    import base64

    state = base64.b64decode(ev["state"]).replace(b"2714.50", b"2714.51")
    ev["state"] = base64.b64encode(state).decode()
    ev["state_sha256"] = sha256(state).hex()
    ev["event_hash"] = event_hash(
        ev["originator_id"], ev["originator_version"], ev["topic"], sha256(state), bytes(32)
    ).hex()
    problems = verify_pdf(replace_attachment(pdf, "ereignisse.json", json.dumps(events).encode()), key)
    assert "inclusion" in {p.kind for p in problems}

    # another key does not verify it
    other = parse_public_key("11" * 32)
    assert {p.kind for p in verify_pdf(pdf, other)} >= {"seal", "checkpoint"}

    # the command
    good, bad = tmp_path / "gut.pdf", tmp_path / "falsch.pdf"
    good.write_bytes(pdf)
    bad.write_bytes(changed)
    assert main(["verify", "--pdf", str(good), "--public-key", str(pub)]) == 0
    assert "PDF echt" in capsys.readouterr().out
    assert main(["verify", "--pdf", str(bad), "--public-key", str(pub)]) == 1
    assert "Seite 1: Inhalt verändert" in capsys.readouterr().out
