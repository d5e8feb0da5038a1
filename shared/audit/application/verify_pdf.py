"""Verification of an audit PDF from its bytes alone: seal, pages, attachments, checkpoints, events, sources."""

from __future__ import annotations

import base64
import hashlib
import json
import re

from nacl.signing import VerifyKey

from shared.audit.application.checkpoints import Checkpoint, key_id, store_digest_hex
from shared.audit.application.mismatch import Mismatch
from shared.audit.application.pdf_seal import (
    SEAL_FORMAT,
    SEAL_FORMATS,
    SEAL_NAME,
    active_content,
    attachments,
    catalog_digest,
    page_digests,
    seal_signature_valid,
)
from shared.audit.domain.chain import ZERO_HASH, canonical_originator, event_hash, sha256, verify_inclusion
from shared.store.eventstore import SERVICE_NAMES

EVENTS_NAME = "ereignisse.json"
EVENTS_FORMAT = "ami-audit-events/1"


def verify_pdf(pdf: bytes, verify_key: VerifyKey) -> list[Mismatch]:  # noqa: C901
    """Check an audit PDF from its bytes alone: seal, pages, attachments, checkpoints, events, sources."""
    problems: list[Mismatch] = []

    def add(kind: str, message: str, service=None, nid=None, oid=None, version=None) -> None:
        problems.append(Mismatch(service, kind, message, nid, oid, version))

    try:
        files = attachments(pdf)
        pages = page_digests(pdf)
    except Exception as exc:  # not a PDF, or broken beyond reading
        return [Mismatch(None, "pdf", f"PDF kann nicht gelesen werden: {type(exc).__name__}")]
    seal_bytes = files.get(SEAL_NAME)
    if seal_bytes is None:
        return [Mismatch(None, "seal", f"Kein Siegel ({SEAL_NAME}) im PDF")]
    try:
        seal = json.loads(seal_bytes)
    except ValueError:
        return [Mismatch(None, "seal", "Das Siegel ist kein gültiges JSON")]
    if seal.get("format") not in SEAL_FORMATS:
        add("seal", f"Unbekanntes Siegelformat «{seal.get('format')}»")
    if seal.get("format") == SEAL_FORMAT and seal.get("catalog") != catalog_digest(pdf):
        add("catalog", "Der Dokumentkatalog wurde nach dem Siegeln verändert (Aktionen, Formulare, Skripte, "
                       "Lesezeichen oder Metadaten)")
    for what in active_content(pdf):
        add("catalog", f"Aktiver Inhalt im PDF ({what}): ein Prüfbericht öffnet nichts und fragt nichts ab")
    if seal.get("key_id") != key_id(verify_key):
        add("seal", f"Das Siegel ist mit einem anderen Schlüssel ({seal.get('key_id')}) erstellt")
    if not seal_signature_valid(seal, verify_key):
        add("seal", "Signatur des Siegels ungültig")
    sealed_pages = list(seal.get("pages") or [])
    if len(sealed_pages) != len(pages):
        add("page", f"Das PDF hat {len(pages)} Seiten, gesiegelt sind {len(sealed_pages)}")
    for i, (got, want) in enumerate(zip(pages, sealed_pages, strict=False), start=1):
        if got != want:
            add("page", f"Seite {i}: Inhalt verändert (Text, Beträge, Schrift oder Bilder)")
    sealed_files = dict(seal.get("attachments") or {})
    for name, digest in sorted(sealed_files.items()):
        if name not in files:
            add("attachment", f"Anhang «{name}» fehlt")
        elif hashlib.sha256(files[name]).hexdigest() != digest:
            add("attachment", f"Anhang «{name}» verändert (SHA-256 weicht ab)")
    for name in sorted(set(files) - set(sealed_files) - {SEAL_NAME}):
        add("attachment", f"Anhang «{name}» ist nicht gesiegelt")

    events_bytes = files.get(EVENTS_NAME)
    if events_bytes is None:
        add("events", f"Die Ereignisse ({EVENTS_NAME}) fehlen")
        return problems
    try:
        data = json.loads(events_bytes)
    except ValueError:
        add("events", f"{EVENTS_NAME} ist kein gültiges JSON")
        return problems
    problems.extend(verify_events_document(data, verify_key, files))
    if data.get("store_digest") != seal.get("store_digest"):
        add("digest", "Der Speicher-Digest im Siegel und in den Ereignissen ist nicht derselbe")
    return problems


def verify_events_document(data: dict, verify_key: VerifyKey, files: dict[str, bytes]) -> list[Mismatch]:  # noqa: C901
    """The embedded events: signed checkpoints, each event's hash chain and its inclusion in the signed root,
    and each embedded original against the SHA-256 recorded in its event."""
    problems: list[Mismatch] = []

    def add(kind, message, service=None, nid=None, oid=None, version=None) -> None:
        problems.append(Mismatch(service, kind, message, nid, oid, version))

    if data.get("format") != EVENTS_FORMAT:
        add("events", f"Unbekanntes Format «{data.get('format')}»")
    checkpoints: dict[str, Checkpoint] = {}
    for service, d in (data.get("checkpoints") or {}).items():
        try:
            cp = Checkpoint.from_dict(d)
        except (KeyError, TypeError, ValueError):
            add("checkpoint", "Kontrollpunkt unvollständig", service)
            continue
        if cp.service != service or not cp.signature_valid(verify_key):
            add("checkpoint", f"Kontrollpunkt (Position {cp.position}): Signatur ungültig", service)
            continue
        checkpoints[service] = cp
    if set(checkpoints) == set(SERVICE_NAMES):
        if store_digest_hex(checkpoints) != data.get("store_digest"):
            add("digest", "Der Speicher-Digest passt nicht zu den Kontrollpunkten")
    else:
        add("checkpoint", "Nicht beide Dienste haben einen gültigen Kontrollpunkt")

    chains: dict[tuple[str, str], list[dict]] = {}
    for ev in data.get("events") or []:
        chains.setdefault((ev.get("service"), canonical_originator(ev.get("originator_id", ""))), []).append(
            ev
        )
    submissions: dict[int, dict] = {}
    for (service, oid), evs in chains.items():
        evs.sort(key=lambda e: int(e.get("originator_version", 0)))
        previous = ZERO_HASH
        cp = checkpoints.get(service)
        for expected_version, ev in enumerate(evs, start=1):
            version, nid = int(ev.get("originator_version", 0)), ev.get("notification_id")

            def bad(kind: str, message: str, _nid=nid, _version=version) -> None:
                add(kind, message, service, _nid, oid, _version)  # noqa: B023 - bound per event

            try:
                claimed = bytes.fromhex(ev["event_hash"])
                if "state" in ev:
                    state = base64.b64decode(ev["state"], validate=True)
                    state_sha = sha256(state)
                    if state_sha.hex() != ev.get("state_sha256"):
                        bad("event", "Ereignisdaten verändert (SHA-256 weicht ab)")
                    if version != expected_version:
                        bad("event", f"Die Kette ist unvollständig: Version {expected_version} fehlt")
                    if bytes.fromhex(ev.get("previous_hash", "")) != previous:
                        bad("event", "Vorgänger-Hash passt nicht zur Kette")
                    if event_hash(oid, version, ev["topic"], state_sha, previous) != claimed:
                        bad("event", "Ereignis-Hash stimmt nicht (Daten, Thema oder Vorgänger verändert)")
                    _collect_submission(state, submissions)
                proof = [bytes.fromhex(p) for p in ev.get("inclusion_proof", [])]
                index = int(ev["leaf_index"])
            except (KeyError, TypeError, ValueError) as exc:
                bad("event", f"Ereignis unvollständig oder fehlerhaft ({type(exc).__name__})")
                continue
            if cp is None or not verify_inclusion(
                claimed, index, cp.tree_size, proof, bytes.fromhex(cp.root)
            ):
                bad("inclusion", "Nicht im signierten Speicherstand enthalten (Inklusionsbeweis ungültig)")
            previous = claimed

    for name, content in sorted(files.items()):
        m = re.fullmatch(r"original-v(\d+)(\.[A-Za-z0-9]+)?", name)
        if not m:
            continue
        sub = submissions.get(int(m.group(1)))
        digest = hashlib.sha256(content).hexdigest()
        if sub is None:
            add("source", f"Zu «{name}» gibt es kein eingebettetes Ereignis")
        elif sub.get("sha256") != digest or sub.get("original") not in (
            None,
            base64.b64encode(content).decode(),
        ):
            add(
                "source",
                f"«{name}» ist nicht die eingereichte Datei (SHA-256 {digest[:16]}… statt "
                f"{str(sub.get('sha256'))[:16]}…)",
            )
    return problems


def _collect_submission(state: bytes, submissions: dict[int, dict]) -> None:
    """A submission (version, sha256, original) inside an event's state, where the state is readable JSON."""
    try:
        decoded = json.loads(state)
    except (ValueError, UnicodeDecodeError):
        return  # encrypted or compressed: the chain still holds, the sources are not compared
    sub = decoded.get("submission") if isinstance(decoded, dict) else None
    if isinstance(sub, dict) and "version" in sub:
        original = None if sub.get("original_sealed") else sub.get("original")  # sealed: the SHA-256 decides
        if isinstance(original, dict):  # the transcoder's form: {"_type_": "bytes_b64", "_data_": "..."}
            original = original.get("_data_")
        submissions[int(sub["version"])] = {"sha256": sub.get("sha256"), "original": original}
