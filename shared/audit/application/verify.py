"""`ami verify`: recompute every event's hash and every signed root, and check an audit PDF offline.

What is compared with what:

* the signature of every checkpoint (with the installation's public key);
* the Merkle root over the recorded event hashes at each checkpoint's tree size, with its signed root
  (so the recorded hashes themselves are authentic up to the newest checkpoint);
* every stored event, recomputed from its bytes exactly as stored, with the recorded hash at its
  notification id: a changed byte, a deleted event, two events whose bytes were swapped, or two events
  moved to each other's position are each named (service, notification id, originator id, version).

An event changed before any checkpoint covered it cannot be told from an original: that is why the PDF
routes and `ami verify` write checkpoints.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field

from nacl.signing import VerifyKey

from shared.audit.adapters.event_records import AuditStore, StoredRow
from shared.audit.application.checkpoints import (
    Checkpoint,
    StoreDigest,
    checkpoint_store,
    key_id,
    load_verify_key,
    parse_public_key,
    store_digest_hex,
    witnessed,
)
from shared.audit.application.pdf_seal import SEAL_FORMAT, SEAL_NAME, attachments, page_digests, seal_signature_valid
from shared.audit.domain.chain import (
    EMPTY_ROOT,
    ZERO_HASH,
    CompactRange,
    canonical_originator,
    chain_hashes,
    event_hash,
    sha256,
    verify_inclusion,
)
from shared.config import Settings
from shared.store.eventstore import SERVICE_NAMES

EVENTS_NAME = "ereignisse.json"
EVENTS_FORMAT = "ami-audit-events/1"


@dataclass(frozen=True)
class Mismatch:
    """One thing that does not match, with the event it concerns where there is one."""

    service: str | None
    kind: str
    message: str
    notification_id: int | None = None
    originator_id: str | None = None
    originator_version: int | None = None

    def __str__(self) -> str:
        where = []
        if self.service:
            where.append(self.service)
        if self.notification_id is not None:
            where.append(f"Position {self.notification_id}")
        if self.originator_id:
            where.append(f"Ereignis {self.originator_id} Version {self.originator_version}")
        return f"{' · '.join(where)}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {
            "service": self.service,
            "kind": self.kind,
            "message": self.message,
            "notification_id": self.notification_id,
            "originator_id": self.originator_id,
            "originator_version": self.originator_version,
        }


@dataclass
class ServiceReport:
    service: str
    events: int = 0
    covered: int = 0  # events covered by a valid checkpoint
    position: int = 0
    checkpoints: int = 0
    root: str | None = None
    mismatches: list[Mismatch] = field(default_factory=list)


# --- the store ----------------------------------------------------------------------------------
def verify_service(
    db: AuditStore,
    verify_key: VerifyKey | None,  # noqa: C901
    witnessed: list[Checkpoint] | None = None,
) -> ServiceReport:
    service = db.service
    report = ServiceReport(service)
    out = report.mismatches

    def add(kind: str, message: str, nid=None, oid=None, version=None) -> None:
        out.append(Mismatch(service, kind, message, nid, oid, version))

    # 1. the checkpoints' signatures
    checkpoints = [Checkpoint.from_row(r) for r in db.checkpoints()]
    report.checkpoints = len(checkpoints)
    if checkpoints and verify_key is None:
        add("key_missing", "Kein öffentlicher Schlüssel: die Kontrollpunkte können nicht geprüft werden")
    valid: list[Checkpoint] = []
    for cp in checkpoints:
        if cp.service != service:
            add("checkpoint", f"Kontrollpunkt Nr. {cp.seq} nennt den Dienst «{cp.service}»")
        elif verify_key is not None and cp.key_id != key_id(verify_key):
            add(
                "checkpoint",
                f"Kontrollpunkt Nr. {cp.seq} ist mit einem anderen Schlüssel ({cp.key_id}) signiert",
            )
        elif verify_key is not None and not cp.signature_valid(verify_key):
            add(
                "checkpoint",
                f"Kontrollpunkt Nr. {cp.seq}: Signatur ungültig (Position {cp.position}, "
                f"Wurzel {cp.root[:16]}…)",
            )
        else:
            valid.append(cp)

    # every checkpoint the witness file beside the key saw must still be in the database
    in_db = {(cp.seq, cp.root, cp.tree_size, cp.time) for cp in checkpoints}
    for w in witnessed or []:
        if w.service != service or (verify_key is not None and not w.signature_valid(verify_key)):
            continue
        if (w.seq, w.root, w.tree_size, w.time) not in in_db:
            add(
                "checkpoint_missing",
                f"Kontrollpunkt Nr. {w.seq} ({w.time}, {w.tree_size} Ereignisse) fehlt in "
                "der Datenbank: gelöscht oder ersetzt",
            )
            if all(w.tree_size > cp.tree_size for cp in valid):
                valid.append(w)  # still compare the recorded hashes with it

    # 2. the recorded hashes against the signed roots
    leaves = db.leaves()
    for i, leaf in enumerate(leaves):
        if leaf.leaf_index != i or (i and leaf.notification_id <= leaves[i - 1].notification_id):
            add(
                "leaf_table",
                "Die Tabelle der Ereignis-Prüfsummen ist lückenhaft oder umgeordnet",
                leaf.notification_id,
                leaf.originator_id,
                leaf.originator_version,
            )
            break
    by_size: dict[int, list[Checkpoint]] = {}
    for cp in valid:
        by_size.setdefault(cp.tree_size, []).append(cp)
    rng = CompactRange()
    good_size = 0

    def compare(size: int) -> None:
        nonlocal good_size
        root = rng.root().hex() if size else EMPTY_ROOT.hex()
        for cp in by_size.get(size, []):
            last_nid = leaves[size - 1].notification_id if size else 0
            if cp.root != root or cp.position != last_nid:
                add(
                    "checkpoint_root",
                    f"Die aufgezeichneten Prüfsummen der Ereignisse {good_size + 1} bis {size} stimmen "
                    "nicht mit "
                    f"dem signierten Kontrollpunkt Nr. {cp.seq} ({cp.time}) überein",
                )
            else:
                good_size = max(good_size, size)

    compare(0)
    for leaf in leaves:
        rng.append(bytes.fromhex(leaf.event_hash))
        compare(rng.size)
    for size, cps in by_size.items():
        if size > len(leaves):
            for cp in cps:
                add(
                    "checkpoint_root",
                    f"Kontrollpunkt Nr. {cp.seq} deckt {size} Ereignisse ab, aufgezeichnet sind "
                    f"nur {len(leaves)}: Prüfsummen wurden gelöscht",
                )
    report.covered = good_size
    covered_cps = [cp for cp in valid if cp.tree_size == good_size]
    report.root = covered_cps[-1].root if covered_cps else None
    report.position = leaves[good_size - 1].notification_id if good_size else 0

    # 3. every stored event against its recorded hash
    # the state bytes are digested as they stream by: only 32 bytes of each event stay in memory
    current = [
        StoredRow(r.notification_id, r.originator_id, r.originator_version, r.topic, sha256(r.state))
        for r in db.events()
    ]
    report.events = len(current)
    recomputed = chain_hashes((r.originator_id, r.originator_version, r.topic, r.state) for r in current)
    last_recorded = leaves[-1].notification_id if leaves else 0
    now_at = {r.notification_id: r for r in current if r.notification_id <= last_recorded}
    recorded_at = {leaf.notification_id: leaf for leaf in leaves}
    tainted: set[str] = set()
    deferred: list[tuple[str, Mismatch]] = []
    for nid in sorted(set(now_at) | set(recorded_at)):
        rec, cur = recorded_at.get(nid), now_at.get(nid)
        if cur is None:
            add("deleted", "Ereignis gelöscht", nid, rec.originator_id, rec.originator_version)
            tainted.add(rec.originator_id)
            continue
        if rec is None:
            add(
                "inserted",
                "Ereignis nachträglich eingefügt (keine Prüfsumme an dieser Position)",
                nid,
                cur.originator_id,
                cur.originator_version,
            )
            tainted.add(cur.originator_id)
            continue
        if (rec.originator_id, rec.originator_version) != (cur.originator_id, cur.originator_version):
            add(
                "moved",
                f"An dieser Position steht jetzt das Ereignis {cur.originator_id} Version "
                f"{cur.originator_version}: Reihenfolge verändert",
                nid,
                rec.originator_id,
                rec.originator_version,
            )
            tainted.update((rec.originator_id, cur.originator_id))
            continue
        state_sha, h = recomputed[(cur.originator_id, cur.originator_version)]
        if state_sha.hex() != rec.state_sha256:
            add(
                "altered",
                "Gespeicherter Inhalt verändert (SHA-256 der Ereignisdaten weicht ab)",
                nid,
                rec.originator_id,
                rec.originator_version,
            )
            tainted.add(rec.originator_id)
        elif h.hex() != rec.event_hash:
            deferred.append(
                (
                    rec.originator_id,
                    Mismatch(
                        service,
                        "chain",
                        "Hash-Kette gebrochen (Thema oder Vorgänger verändert)",
                        nid,
                        rec.originator_id,
                        rec.originator_version,
                    ),
                )
            )
    out.extend(m for oid, m in deferred if oid not in tainted)
    return report


def verify_store_report(settings: Settings, verify_key: VerifyKey | None = None) -> list[ServiceReport]:
    verify_key = verify_key or load_verify_key(settings)
    seen = witnessed(settings)
    reports = []
    for service in SERVICE_NAMES:
        db = AuditStore.open(settings, service)
        if db is None:
            if any(w.service == service for w in seen):
                report = ServiceReport(service)
                report.mismatches.append(
                    Mismatch(
                        service,
                        "checkpoint_missing",
                        "Der Speicher fehlt, obwohl Kontrollpunkte für ihn signiert wurden",
                    )
                )
                reports.append(report)
            continue
        with db:
            reports.append(verify_service(db, verify_key, seen))
    return reports


def verify_store(settings: Settings, verify_key: VerifyKey | None = None) -> list[Mismatch]:
    """Recompute every event hash and every checkpoint of both services: [] when nothing was changed."""
    return [m for r in verify_store_report(settings, verify_key) for m in r.mismatches]


# --- an audit PDF, offline -----------------------------------------------------------------------
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
    if seal.get("format") != SEAL_FORMAT:
        add("seal", f"Unbekanntes Siegelformat «{seal.get('format')}»")
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


# --- the command ---------------------------------------------------------------------------------
def run_verify(args, settings: Settings) -> int:
    """`ami verify` (the store) and `ami verify --pdf FILE --public-key KEY` (a PDF, offline)."""
    import sys
    from pathlib import Path

    if getattr(args, "pdf", None):
        key_arg = getattr(args, "public_key", None)
        try:
            verify_key = parse_public_key(key_arg) if key_arg else load_verify_key(settings)
        except (ValueError, OSError) as exc:
            print(f"Öffentlicher Schlüssel unlesbar: {exc}", file=sys.stderr)
            return 2
        if verify_key is None:
            print("Bitte --public-key SCHLÜSSEL angeben.", file=sys.stderr)
            return 2
        try:
            pdf = Path(args.pdf).read_bytes()
        except OSError as exc:
            print(f"PDF kann nicht gelesen werden: {exc.strerror}", file=sys.stderr)
            return 2
        problems = verify_pdf(pdf, verify_key)
        for p in problems:
            print(f"ABWEICHUNG {p}")
        if not problems:
            print(f"PDF echt: Siegel, Seiten, Anhänge, Kontrollpunkte und Ereignisse stimmen ({args.pdf}).")
        return 1 if problems else 0

    reports = verify_store_report(settings)
    mismatches = [m for r in reports for m in r.mismatches]
    for m in mismatches:
        print(f"ABWEICHUNG {m}")
    for r in reports:
        points = "1 Kontrollpunkt" if r.checkpoints == 1 else f"{r.checkpoints} Kontrollpunkte"
        state = f"{r.covered} von {r.events} Ereignissen durch {points} gedeckt"
        print(f"{r.service}: {state}, Position {r.position}, Wurzel {r.root or '-'}")
    if mismatches:
        print(f"{len(mismatches)} Abweichung(en) gefunden.")
        return 1
    if not getattr(args, "no_checkpoint", False) and reports:
        digest: StoreDigest = checkpoint_store(settings)
        for service, cp in digest.checkpoints.items():
            print(
                f"Kontrollpunkt {service}: Position {cp.position}, {cp.tree_size} Ereignisse, "
                f"Wurzel {cp.root}"
            )
        print(f"Speicher-Digest {digest.digest}")
    print("Keine Abweichung.")
    return 0
