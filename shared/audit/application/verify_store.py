"""Verification of the store: recompute every event's hash and every signed root of both services.

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

from dataclasses import dataclass, field
from itertools import product

from nacl.signing import VerifyKey

from shared.audit.adapters.audit_store import AuditStore
from shared.audit.adapters.stored_events import StoredRow
from shared.audit.application.checkpoints import (
    Checkpoint,
    key_id,
    load_verify_key,
    store_digest_hex,
    witnessed,
)
from shared.audit.application.mismatch import Mismatch
from shared.audit.domain.chain import EMPTY_ROOT, CompactRange, chain_hashes, sha256
from shared.config import Settings
from shared.store.eventstore import SERVICE_NAMES


@dataclass
class ServiceReport:
    """What the verification of one service found: events, their coverage by checkpoints, mismatches."""

    service: str
    events: int = 0
    covered: int = 0  # events covered by a valid checkpoint
    position: int = 0
    checkpoints: int = 0
    root: str | None = None
    mismatches: list[Mismatch] = field(default_factory=list)


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


def verify_store_report(settings: Settings, verify_key: VerifyKey | None = None,
                        witness: list[Checkpoint] | None = None, digests: tuple[str, ...] = ()) -> list[ServiceReport]:
    """Both services checked against their own checkpoints and the witness beside the key, and against an
    external `witness` (checkpoints kept elsewhere) and store `digests` (printed earlier by `ami verify`)."""
    verify_key = verify_key or load_verify_key(settings)
    seen = witnessed(settings) + list(witness or [])
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
    if digests:
        reports.append(_digests_report(settings, verify_key, seen, digests))
    return reports


def _digests_report(settings: Settings, verify_key, seen: list[Checkpoint], digests) -> ServiceReport:
    """Each digest must be that of a pair of checkpoints (one per service) the store or a witness still holds."""
    report = ServiceReport("store")
    by_service: dict[str, list[Checkpoint]] = {s: [w for w in seen if w.service == s] for s in SERVICE_NAMES}
    for service in SERVICE_NAMES:
        db = AuditStore.open(settings, service)
        if db is not None:
            with db:
                by_service[service] += [Checkpoint.from_row(r) for r in db.checkpoints()]
    known = {store_digest_hex(dict(zip(SERVICE_NAMES, pair, strict=True)))
             for pair in product(*(by_service[s] or [None] for s in SERVICE_NAMES)) if None not in pair}
    for digest in digests:
        if digest.strip().lower() not in known:
            report.mismatches.append(Mismatch(
                None, "digest_missing", f"Der Speicher-Digest {digest[:16]}… gehört zu keinem Kontrollpunkt, den der "
                "Speicher noch kennt: Ereignisse und Kontrollpunkte wurden gelöscht oder ersetzt"))
    return report


def verify_store(settings: Settings, verify_key: VerifyKey | None = None) -> list[Mismatch]:
    """Recompute every event hash and every checkpoint of both services: [] when nothing was changed."""
    return [m for r in verify_store_report(settings, verify_key) for m in r.mismatches]
