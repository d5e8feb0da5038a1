"""Sealing personal fields (privacy/sealing.py) with per-participant keys (privacy/adapters/key_vault.py), on a
real SQLite key vault in a temporary data directory."""
from __future__ import annotations

import base64
import sqlite3
import stat

import pytest

from shared.config import load_settings
from shared.kernel.errors import Gone
from shared.kernel.packing import inflate, unpack
from shared.privacy.adapters.key_vault import KeyVault, WrongKey, load_master_key, master_key_path
from shared.privacy.keyless import KEYLESS
from shared.privacy.sealing import (
    SHREDDED,
    Sealer,
    document_subjects,
    open_content,
    open_stored_submission,
    open_text,
    shredded_name,
)
from shared.submissions.domain.documents import SubmissionRejected, line_to_dict
from shared.submissions.domain.invoice import Invoice
from tests.unit.checks.factory import check, line

PROVIDER = "regiomech"
REFERENCE = "KGS-OL-2025-031"


def invoice_content() -> tuple[list[dict], dict]:
    """Lines and check result of a real check: B-0017 twice (a duplicate quoting the number), C-0002 with a
    cost approval and a tariff finding."""
    lines = [line(2, participant="B-0017", quantity="10"), line(3, participant="B-0017", quantity="10"),
             line(4, participant="C-0002", funding="social_assistance", cost_approval=REFERENCE,
                  unit_price="85.00", quantity="5")]
    return [line_to_dict(ln) for ln in lines], check(*lines).as_dict()


def test_seal_and_open_round_trip(sealer):
    lines, result = invoice_content()
    body = sealer.seal_content(PROVIDER, lines, result)
    assert open_content(body, sealer.vault) == {"lines": lines, "result": result}
    # opened in place, yet the stored body is untouched: opened again, and as the projector sees it
    assert open_content(body, sealer.vault) == {"lines": lines, "result": result}
    assert all("participant" not in ln and ln["subject"] for ln in open_content(body)["lines"])


def test_the_sealed_body_names_nobody(sealer):
    lines, result = invoice_content()
    raw = inflate(sealer.seal_content(PROVIDER, lines, result))
    for personal in (b"B-0017", b"C-0002", REFERENCE.encode()):
        assert personal not in raw
    skeleton = open_content(sealer.seal_content(PROVIDER, lines, result))  # no vault: what the projector sees
    assert [ln["allowed"] for ln in skeleton["result"]["lines"]] == ["800.00", "0.00", "400.00"]
    assert skeleton["result"]["totals"] == result["totals"]
    assert all("participant" not in ln and ln["subject"].startswith("p:") for ln in skeleton["lines"])
    duplicate = skeleton["result"]["lines"][1]["findings"][0]
    assert duplicate["code"] == "duplicate_line" and duplicate["message"] is None  # it quoted the number
    tariff = skeleton["result"]["lines"][2]["findings"][0]
    assert tariff["message"] == "Ansatz CHF 85.00 über dem Höchsttarif CHF 80.00"  # names nobody: readable


def test_pseudonyms_are_keyed_per_provider_and_master_key(settings, vault, tmp_path):
    subject = vault.participant_subject(PROVIDER, "B-0017")
    assert subject == vault.participant_subject(PROVIDER, "B-0017")
    assert subject.startswith("p:") and len(subject) == 26 and "B-0017" not in subject
    assert subject != vault.participant_subject(PROVIDER, "C-0002")
    assert subject != vault.participant_subject("other", "B-0017")
    elsewhere = KeyVault(load_settings({"AMI_DATA_DIR": str(tmp_path / "elsewhere")}), master=b"\x07" * 32)
    try:
        assert elsewhere.participant_subject(PROVIDER, "B-0017") != subject  # a dump can't be matched
    finally:
        elsewhere.close()


def test_another_participants_key_does_not_open_it(sealer):
    b_key = sealer.vault.participant_subject(PROVIDER, "B-0017")
    c_key = sealer.vault.participant_subject(PROVIDER, "C-0002")
    token = sealer.seal_text(b_key, "B-0017 war krank")
    assert open_text(token, sealer) == "B-0017 war krank"
    forged = token.replace(f"sealed:{b_key}:", f"sealed:{c_key}:")
    sealer.vault.keys([c_key], create=True)
    with pytest.raises(WrongKey):
        open_text(forged, sealer)
    fields = sealer.seal_fields(b_key, {"participant": "B-0017"})
    assert sealer.open_fields(b_key, fields) == {"participant": "B-0017"}
    with pytest.raises(WrongKey):
        sealer.open_fields(c_key, fields)


def test_shredding_a_key_leaves_gelöscht_and_the_others_readable(settings, sealer):
    lines, result = invoice_content()
    body = sealer.seal_content(PROVIDER, lines, result)
    b_subject = sealer.vault.participant_subject(PROVIDER, "B-0017")
    assert sealer.vault.shred([b_subject]) == 1
    opened = open_content(body, sealer.vault)
    gone = shredded_name(b_subject)
    assert gone == f"gelöscht ({b_subject[2:10]})"
    assert [ln["participant"] for ln in opened["lines"]] == [gone, gone, "C-0002"]
    assert [ln["cost_approval"] for ln in opened["lines"]] == [None, None, REFERENCE]
    checked = opened["result"]["lines"]
    assert [ln["participant"] for ln in checked] == [gone, gone, "C-0002"]
    assert checked[0]["shredded"] and checked[1]["shredded"] and "shredded" not in checked[2]
    assert checked[1]["findings"][0]["message"] == f"({SHREDDED})"
    assert checked[1]["trace"][0] == f"({SHREDDED})" and checked[1]["trace"][1] == "Zulässiger Betrag: CHF 0.00"
    assert checked[2] == result["lines"][2]  # the other participant as before
    assert [ln["allowed"] for ln in checked] == [ln["allowed"] for ln in result["lines"]]  # every figure stays
    # for good: another vault on the same store finds no key either, and none is made again
    again = KeyVault(settings)
    try:
        assert again.keys([b_subject], create=True) == {b_subject: None}
        with pytest.raises(SubmissionRejected) as caught:
            Sealer(again).seal_content(PROVIDER, lines, result)
        assert {(e.row, e.value) for e in caught.value.errors} == {(2, "B-0017"), (3, "B-0017")}
        with pytest.raises(Gone):
            Sealer(again).seal_text(b_subject, "neu")
    finally:
        again.close()


def test_the_vault_holds_keys_only_wrapped_and_forgets_a_shredded_one(settings, sealer):
    subject = sealer.vault.participant_subject(PROVIDER, "B-0017")
    key = sealer.vault.keys([subject], create=True)[subject]
    assert key is not None and len(key) == 32
    with sqlite3.connect(settings.data_dir / "keys.sqlite") as conn:
        wrapped = conn.execute("SELECT wrapped FROM subject_keys WHERE subject = ?", (subject,)).fetchone()[0]
        assert key not in wrapped
        sealer.vault.shred([subject])
        row = conn.execute("SELECT wrapped, shredded_at FROM subject_keys WHERE subject = ?", (subject,)).fetchone()
    assert row[0] is None and row[1]
    files = list(settings.data_dir.glob("keys.sqlite*"))  # the database, its write-ahead log
    assert files and not any(key in f.read_bytes() for f in files)


def test_a_submission_seals_its_original_and_file_name_with_the_documents_key(sealer):
    lines, result = invoice_content()
    original = b"Monat;Teilnehmer\r\n03.2025;B-0017\r\n"
    opened = {"version": 1, "sha256": "ab" * 32, "filename": "B-0017 Maerz.csv", "content_type": "text/csv",
              "received_at": "2025-04-03T09:12:00+02:00", "actor": "token", "warnings": [], "original": original,
              "lines": lines, "result": result}
    stored = sealer.seal_submission(PROVIDER, opened)
    assert b"B-0017" not in stored["original"] and "B-0017" not in stored["filename"]
    assert stored["totals"] == result["totals"]
    assert open_stored_submission(stored, sealer) == {**opened, "totals": result["totals"]}
    invoice = Invoice(provider=PROVIDER, period="2025-03", submission=stored)
    invoice.attach_sealer(KEYLESS)  # an Application without keys (the projector's view): the skeleton
    assert invoice.latest["lines"][0]["subject"].startswith("p:") and "participant" not in invoice.latest["lines"][0]
    assert invoice.latest["original"] is None
    invoice = Invoice(provider=PROVIDER, period="2025-03", submission=stored)
    invoice.attach_sealer(sealer)
    assert invoice.latest["original"] == original and invoice.latest["lines"][0]["participant"] == "B-0017"
    assert document_subjects(stored) == {stored["original_sealed"]}  # the original and the name: one new key
    assert stored["filename"].startswith(f"sealed:{stored['original_sealed']}:")
    sealer.vault.shred(document_subjects(stored))
    assert open_stored_submission(stored, sealer)["original"] is None
    assert open_stored_submission(stored, sealer)["filename"] == SHREDDED
    assert unpack(stored["body"])["v"] == 2


def test_a_sealed_reevaluation_opens_through_the_invoices_opener(sealer):
    lines, result = invoice_content()
    opened = {"version": 1, "sha256": "ab" * 32, "received_at": "2025-04-03T09:12:00+02:00", "lines": lines,
              "result": result}
    invoice = Invoice(provider=PROVIDER, period="2025-03", submission=sealer.seal_submission(PROVIDER, opened))
    invoice.reevaluate(sealer.seal_result(PROVIDER, result), result["totals"], "neue Ausgabe", "user:anna")
    invoice.attach_sealer(sealer)
    assert invoice.result == result
    invoice = Invoice(provider=PROVIDER, period="2025-03", submission=sealer.seal_submission(PROVIDER, opened))
    invoice.reevaluate(sealer.seal_result(PROVIDER, result), result["totals"], "neue Ausgabe", "user:anna")
    invoice.attach_sealer(KEYLESS)
    assert [ln["subject"][:2] for ln in invoice.result["lines"]] == ["p:", "p:", "p:"]
    assert invoice.totals == result["totals"]


# --- the master key --------------------------------------------------------------------------------------

def test_the_master_key_is_made_once_outside_the_database(settings, vault):
    path = master_key_path(settings, {})
    assert path == settings.keys_dir / "master.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(base64.b64decode(path.read_text())) == 32
    assert load_master_key(settings) == load_master_key(settings)


def test_a_wrong_master_key_fails_loudly(settings, sealer):
    lines, result = invoice_content()
    sealer.seal_content(PROVIDER, lines, result)
    with pytest.raises(WrongKey, match="passt nicht zu diesem Schlüsseltresor"):
        KeyVault(settings, master=b"\x00" * 32)
    path = master_key_path(settings, {})
    path.write_text(base64.b64encode(b"\x01" * 32).decode())  # someone replaced the file
    with pytest.raises(WrongKey):
        KeyVault(settings)


@pytest.mark.parametrize(("text", "message"), [("nicht base64!", "unlesbar"), (base64.b64encode(b"x" * 16).decode(),
                                                                             "16 statt 32 Bytes")])
def test_an_unreadable_master_key_file_is_refused(settings, text, message):
    path = master_key_path(settings, {})
    path.parent.mkdir(parents=True)
    path.write_text(text)
    with pytest.raises(WrongKey, match=message):
        load_master_key(settings)


def test_the_key_cipher_writes_and_reads_the_librarys_format():
    """Ciphertexts of KeyCipher (nonces drawn by the caller, AES-GCM made once per key) open with the
    eventsourcing library's AESCipher and the other way round: what is stored stays readable."""
    from eventsourcing.cryptography import AESCipher
    from eventsourcing.utils import Environment

    from shared.privacy.adapters.key_vault import KeyCipher

    key = bytes(range(32))
    library = AESCipher(Environment(env={AESCipher.CIPHER_KEY: base64.b64encode(key).decode()}))
    ours = KeyCipher(key)
    sealed = ours.encrypt(b"B-0017", b"\x01" * 12)
    assert sealed[:12] == b"\x01" * 12 and library.decrypt(sealed) == b"B-0017"
    assert ours.decrypt(library.encrypt(b"KGS-OL-2025-031")) == b"KGS-OL-2025-031"
    assert ours.encrypt(b"x") != ours.encrypt(b"x")  # a fresh nonce each time when none is given
    with pytest.raises(ValueError):
        KeyCipher(bytes(32)).decrypt(sealed)  # another key
    with pytest.raises(ValueError):
        ours.decrypt(sealed[:20])  # damaged
    with pytest.raises(ValueError):
        ours.encrypt(b"x", b"short")


def test_a_submission_writes_to_the_vault_only_for_new_participants(sealer, monkeypatch):
    """The document keys are made ahead (AHEAD in one transaction); a submission whose participants have keys
    writes nothing to the vault, one with new participants makes theirs in one transaction."""
    from shared.privacy.adapters.key_vault import AHEAD

    lines, result = invoice_content()
    opened = {"version": 1, "sha256": "cd" * 32, "filename": "", "content_type": "text/csv",
              "received_at": "2025-04-03T09:12:00+02:00", "actor": "token", "warnings": [], "original": b"x",
              "lines": lines, "result": result}
    inserts = []
    real = sealer.vault._insert
    monkeypatch.setattr(sealer.vault, "_insert", lambda rows: inserts.append([r[0] for r in rows]) or real(rows))
    first = sealer.seal_submission(PROVIDER, opened)
    assert [len(i) for i in inserts] == [AHEAD, 2]  # the document keys ahead, then the two participants'
    assert first["original_sealed"] in inserts[0]
    inserts.clear()
    again = [sealer.seal_submission(PROVIDER, {**opened, "original": b"y"}) for _ in range(AHEAD - 1)]
    assert inserts == []  # known participants, document keys made ahead: no write
    subjects = {first["original_sealed"], *(s["original_sealed"] for s in again)}
    assert len(subjects) == AHEAD and all(s.startswith("d:") for s in subjects)  # each version a key of its own
    assert open_stored_submission(first, sealer)["original"] == b"x"
    assert open_stored_submission(again[-1], sealer)["original"] == b"y"
    sealer.seal_submission(PROVIDER, opened)
    assert [len(i) for i in inserts] == [AHEAD]  # the next ones made, once used up
    for s, (key, _) in list(sealer.vault._cache.items()):  # minutes later: the cache has aged
        sealer.vault._cache[s] = (key, -1e9)
    reads = []
    real_select = sealer.vault._select
    monkeypatch.setattr(sealer.vault, "_select", lambda subjects: reads.append(subjects) or real_select(subjects))
    later = sealer.seal_submission(PROVIDER, {**opened, "filename": "z.csv"})
    assert all(later["original_sealed"] not in r for r in reads)  # the document key handed out is not read again
    # a new vault on the same store (another process) opens them: the keys were committed when made
    other = KeyVault(sealer.vault.settings)
    try:
        assert open_stored_submission(again[0], Sealer(other))["original"] == b"y"
    finally:
        other.close()


def test_encrypt_each_seals_each_text_with_its_key_and_a_nonce_of_its_own():
    from shared.privacy.adapters.key_vault import cipher, encrypt_each

    keys = [bytes([i]) * 32 for i in range(1, 6)]
    sealed = encrypt_each([(k, f"P-{i}".encode()) for i, k in enumerate(keys)])
    assert [cipher(k).decrypt(c) for k, c in zip(keys, sealed, strict=True)] == [f"P-{i}".encode() for i in range(5)]
    assert len({c[:12] for c in sealed}) == 5  # no nonce twice
    assert encrypt_each([]) == []


def test_keys_made_at_once_keep_what_another_vault_made_first(settings, vault):
    """Two processes may make a key for the same subject at the same moment: the row first inserted stays, the
    other vault learns which of its rows were taken (more than one statement's worth: 650 keys) and uses theirs."""
    subjects = [f"p:test{i:04d}" for i in range(650)]
    first = vault.keys(subjects[:400], create=True)
    other, reader = KeyVault(settings), KeyVault(settings)
    try:
        rows = [(s, other._wrap.encrypt(b"k" * 32), "2026-12-04T00:00:00+00:00") for s in subjects]
        assert other._insert(rows) == set(subjects[400:])  # only the new ones are this vault's
        again = reader.keys(subjects, create=False)
        assert all(again[s] == first[s] for s in subjects[:400])  # the first vault's keys stand
        assert all(again[s] == b"k" * 32 for s in subjects[400:])
    finally:
        other.close()
        reader.close()
