"""Personal fields at rest (issue 8): sealed per participant, crypto-shredding, a wrong key fails loudly.

The dump check looks through everything the portal keeps — the store files (SQLite, with their WAL) or a
pg_dump of the database (events, read models, tracking, access log, key vault), the session folder and
the captured logs — and unpacks what it finds on the way (hex, Base64, Zstandard, zlib), so a number hidden inside a
packed or transcoded body is found too. A control run of the same search over an unsealed body proves
the search would see it."""
from __future__ import annotations

import base64
import binascii
import logging
import re
import subprocess
import zlib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zstandard

from shared.audit.application.checkpoints import checkpoint_store
from shared.audit.application.verify_store import verify_store
from shared.config import load_settings
from shared.finance.application.reconciliation import reconciliation
from shared.kernel.packing import inflate, pack
from shared.portal.reporting import Upload
from shared.privacy import SHREDDED, KeyVault, WrongKey
from shared.privacy.shredding import shred_participant
from shared.submissions.domain.documents import SubmissionRejected

HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"
SHRED = "ZQX-470011"  # the participant whose key is shredded
KEEP = "ZQX-470012"  # the one who stays readable
REFERENCE = "KGREF-99317"  # a Kostengutsprache reference
WAIVER_REF = "KE-2025-88412"  # a Kostenerlass decision's reference
PLANTED = (SHRED, KEEP, REFERENCE, WAIVER_REF)


def invoice(*rows: str, filename: str = "rechnung.csv") -> Upload:
    return Upload(("\n".join([HEADER, *rows]) + "\n").encode(), "text/csv", filename)


def tell(portal, clock) -> tuple:
    """An invoice naming both participants (a duplicate line quotes the number in its message), a
    correction, and a capacity report that re-evaluates it."""
    rep = portal.reporting
    clock.now = datetime(2025, 4, 3, 9, 0, tzinfo=ZoneInfo("Europe/Zurich"))
    first = rep.submit_invoice("regiomech", invoice(
        f"03.2025;{SHRED};Qualifizierung;Sozialhilfe;{REFERENCE};Einsatztag;20;80.00;1600.00",
        f"03.2025;{SHRED};Qualifizierung;Sozialhilfe;{REFERENCE};Einsatztag;20;80.00;1600.00",
        f"03.2025;{KEEP};Qualifizierung;Selbstzahler;;Einsatztag;23;80.00;1840.00",
        filename=f"rechnung-{SHRED}.csv"), "test").document
    from uuid import UUID

    iid = UUID(first["id"])
    rep.correct_invoice("regiomech", iid, invoice(
        f"03.2025;{SHRED};Qualifizierung;Sozialhilfe;{REFERENCE};Einsatztag;20;80.00;1600.00",
        f"03.2025;{KEEP};Qualifizierung;Selbstzahler;;Einsatztag;23;80.00;1840.00"), "test")
    rep.submit_capacity_report("regiomech", Upload(
        b"Monat;Programm;Pl\xc3\xa4tze;Belegt;Eintritte;Austritte\n03.2025;Qualifizierung;10;1;0;0\n",
        "text/csv", "kapazitaet.csv"), "test")
    # a second invoice, another month, only the participant who stays
    other = rep.submit_invoice("regiomech", invoice(
        f"02.2025;{KEEP};Qualifizierung;Selbstzahler;;Einsatztag;10;80.00;800.00"), "test").document
    inv = rep.invoice(None, iid)
    row, code = next((ln["row"], f["code"]) for ln in inv.result["lines"] for f in ln["findings"])
    portal.supervision.review_finding(inv.id, row, code, "waived", f"{SHRED} war krank (Arztzeugnis)", "test")
    portal.supervision.return_for_correction(inv.id, f"Bitte Zeile von {KEEP} belegen", "test")
    waiver = portal.supervision.record_fee_waiver("regiomech", SHRED, "2025-01-01", None, "50.00", "test",
                                                  reference=WAIVER_REF, comment=f"Gesuch von {SHRED}")
    portal.supervision.revoke_fee_waiver(waiver.id, f"{SHRED} ist weggezogen", "test")
    portal.views.catch_up()
    return iid, UUID(other["id"])


# --- the search through a dump -------------------------------------------------------------------------
HEX = re.compile(rb"(?:\\\\x|\\x)([0-9a-fA-F]{32,})")
B64 = re.compile(rb"[A-Za-z0-9+/]{24,}={0,2}")


def reveal(data: bytes, depth: int = 0) -> bytes:
    """The data and everything packed inside it (hex, Base64, Zstandard, zlib), recursively."""
    out = [data]
    if depth >= 4:
        return data
    for m in HEX.finditer(data):
        try:
            out.append(reveal(binascii.unhexlify(m.group(1)[: len(m.group(1)) // 2 * 2]), depth + 1))
        except binascii.Error:
            pass
    for m in B64.finditer(data):
        try:
            decoded = base64.b64decode(m.group(0) + b"=" * (-len(m.group(0)) % 4))
        except binascii.Error:
            continue
        for candidate in (decoded, _inflate(decoded)):
            if candidate:
                out.append(reveal(candidate, depth + 1))
    inflated = _inflate(data)
    if inflated:
        out.append(reveal(inflated, depth + 1))
    return b"\n".join(out)


def _inflate(data: bytes) -> bytes | None:
    """Zstandard or zlib, as the portal packs bodies (shared.kernel.packing)."""
    try:
        return inflate(data)
    except (zlib.error, zstandard.ZstdError):
        return None


def dump(settings) -> bytes:
    parts = []
    if settings.database_url:
        parts.append(subprocess.run(["pg_dump", "--no-owner", settings.database_url], capture_output=True,
                                    check=True).stdout)
    for path in sorted(Path(settings.data_dir).rglob("*")):
        if path.is_file() and "master.key" not in path.name and not path.name.startswith("signing"):
            parts.append(path.read_bytes())
    return b"\n".join(parts)


def test_the_search_finds_a_number_inside_an_unsealed_packed_body():
    body = pack({"lines": [{"participant": SHRED, "cost_approval": REFERENCE}]})
    stored = b'{"body": {"_data_": "' + base64.b64encode(body) + b'"}}'
    assert SHRED.encode() not in stored  # plain grep would miss it …
    assert SHRED.encode() in reveal(stored)  # … the search does not
    assert SHRED.encode() in reveal(b"\\x" + binascii.hexlify(stored))  # nor inside a bytea column


def test_a_dump_and_the_logs_hold_no_planted_number_in_clear(portal, clock, settings, reporting, supervision, tokens,
                                                            caplog):
    caplog.set_level(logging.DEBUG)
    iid, _ = tell(portal, clock)
    # the portal itself reads them back: sealed is not lost
    got = reporting.get(f"/api/v1/invoices/{iid}", headers=tokens("regiomech")).json()
    assert [ln["participant"] for ln in got["lines"]] == [SHRED, KEEP]
    v1 = portal.reporting.invoice(None, iid).submission(1)
    assert v1["filename"] == f"rechnung-{SHRED}.csv"  # a file named after a person: sealed too
    assert v1["lines"][0]["cost_approval"] == REFERENCE
    assert any(SHRED in f["message"] for ln in v1["result"]["lines"] for f in ln["findings"])  # duplicate_line
    assert v1["original"].startswith(HEADER.encode())
    assert portal.reporting.invoice(None, iid).reevaluations  # the re-evaluated result is sealed too
    review = supervision.get(f"/api/v1/invoices/{iid}", headers=tokens(role="supervisor")).json()
    assert review["returned_reason"] == f"Bitte Zeile von {KEEP} belegen"
    assert any((f.get("review") or {}).get("comment") == f"{SHRED} war krank (Arztzeugnis)"
               for ln in review["lines"] for f in ln["findings"])
    [waiver] = portal.supervision.fee_waivers("regiomech")
    assert (waiver.participant, waiver.reference, waiver.revoked_reason) == (SHRED, WAIVER_REF,
                                                                             f"{SHRED} ist weggezogen")
    history = portal.supervision.finance_history(waiver.id)
    assert history[0]["data"]["participant"] == SHRED and history[1]["data"]["reason"].startswith(SHRED)
    everything = reveal(dump(settings)) + caplog.text.encode()
    assert b"regiomech" in everything and b"Qualifizierung" in everything  # the dump is not empty
    for planted in PLANTED:
        assert planted.encode() not in everything, planted


def test_shredding_one_participant_leaves_the_others_and_the_audit_chain(portal, clock, settings, reporting,
                                                                          tokens):
    iid, other = tell(portal, clock)
    checkpoint_store(settings)
    funding_before = reconciliation(portal, 2025)
    report = shred_participant(portal, "regiomech", SHRED, "test")
    assert report.documents == (str(iid),) and report.lines == 3  # two lines in v1, one in v2
    fresh = load_settings({"AMI_DATA_DIR": str(settings.data_dir), **(
        {"DATABASE_URL": settings.database_url} if settings.database_url else {})})
    from shared.portal import open_portal

    again = open_portal(fresh)  # another process: nothing cached
    try:
        inv = again.reporting.invoice(None, iid)
        lines = inv.latest["lines"]
        gone = lines[0]["participant"]
        assert gone.startswith(SHREDDED) and SHRED not in gone and lines[1]["participant"] == KEEP
        assert lines[0]["cost_approval"] is None and lines[0]["amount"] == "1600.00"  # the figures stay
        assert inv.totals == portal.reporting.invoice(None, iid).totals
        assert inv.latest["original"] is None  # the upload named both: its key went with the participant's
        assert inv.submission(1)["original"] is None  # each version's original has a key of its own: all gone
        assert again.reporting.invoice(None, other).latest["original"] is not None  # not this one
        assert again.reporting.invoice(None, other).latest["lines"][0]["participant"] == KEEP
        result_line = inv.result["lines"][0]
        assert result_line["participant"] == gone and all(SHRED not in f["message"]
                                                               for f in result_line["findings"])
    finally:
        again.close()
    [waiver] = portal.supervision.fee_waivers("regiomech")
    assert (waiver.participant, waiver.reference, waiver.revoked_reason) == (gone, "", SHREDDED)
    assert reconciliation(portal, 2025) == funding_before  # every figure as before: only the person is gone
    assert report.fee_waivers == 1
    r = reporting.get(f"/api/v1/invoices/{iid}", headers=tokens("regiomech"))
    assert r.status_code == 200 and r.json()["lines"][0]["participant"] == gone
    assert reporting.get(f"/api/v1/invoices/{iid}/original", headers=tokens("regiomech")).status_code == 410
    from shared.review.domain.review import review_id

    review = portal.supervision.repository.get(review_id(iid))
    assert review.returned_reason == SHREDDED  # the comments on that invoice went with its document key
    assert all(d["comment"] == SHREDDED for d in review.opened_decisions())
    assert verify_store(settings) == []  # the chain runs over the ciphertext: nothing changed in the store
    assert SHRED.encode() not in reveal(dump(settings))


def test_a_wrong_master_key_fails_loudly(portal, clock, settings, tmp_path):
    tell(portal, clock)
    with pytest.raises(WrongKey, match="passt nicht"):
        KeyVault(settings, master=b"\x01" * 32)


def test_new_data_for_a_shredded_participant_is_refused(portal, clock):
    tell(portal, clock)
    shred_participant(portal, "regiomech", SHRED, "test")
    with pytest.raises(SubmissionRejected) as refused:
        portal.reporting.submit_invoice("regiomech", invoice(
            f"01.2025;{KEEP};Qualifizierung;Selbstzahler;;Einsatztag;10;80.00;800.00",
            f"01.2025;{SHRED};Qualifizierung;Selbstzahler;;Einsatztag;10;80.00;800.00"), "test")
    assert [(e.row, e.column, e.value) for e in refused.value.errors] == [(3, "Teilnehmer", SHRED)]
    assert "gelöscht" in refused.value.errors[0].message
    assert len(portal.reporting.invoices("regiomech", "2025-01")) == 0  # nothing stored


def test_a_fee_waiver_recorded_before_sealing_still_reads_and_changes_sealed(portal):
    """Events of the earlier (plain) form replay as they are; a change seals from then on."""
    from shared.finance.domain.aggregates import FeeWaiver

    old = FeeWaiver(provider="regiomech", participant=KEEP, valid_from="2025-01-01", valid_to=None,
                    monthly_contribution="50.00", reference=WAIVER_REF, comment="alt", actor="test")
    old.attach_sealer(portal.supervision.sealer)
    directory = portal.supervision.finance_directory()
    directory.list_waiver(old.id)
    portal.supervision.save(directory, old)
    again = portal.supervision.fee_waiver(old.id)
    assert (again.participant, again.reference, again.comment) == (KEEP, WAIVER_REF, "alt")
    portal.supervision.change_fee_waiver(old.id, "2025-01-01", "2025-06-30", "40.00", "test", comment="neu")
    portal.supervision.revoke_fee_waiver(old.id, f"{KEEP} zieht weg", "test")
    changed = portal.supervision.fee_waiver(old.id)
    assert changed.subject.startswith("p:") and changed.monthly_contribution == "40.00"
    assert (changed.participant, changed.reference, changed.comment) == (KEEP, WAIVER_REF, "neu")
    assert changed.revoked_reason == f"{KEEP} zieht weg"
    history = portal.supervision.finance_history(old.id)
    assert [h["type"] for h in history] == ["Decided", "Changed", "Revoked"]
    assert history[1]["data"]["comment"] == "neu" and history[2]["data"]["reason"] == f"{KEEP} zieht weg"
