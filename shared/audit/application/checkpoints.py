"""Signed checkpoints: (service, position, tree size, Merkle root, time) signed with Ed25519.

The private key lives in a file outside the database: `AMI_SIGNING_KEY`, by default `signing.key` in the
keys directory (`AMI_KEYS_DIR`, apart from the store), made with mode 0600 on first use; the public key
beside it (`signing.pub`, hex) so that anyone can check a checkpoint, a PDF or `ami verify` offline.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from shared.audit.adapters.audit_store import AuditStore
from shared.audit.adapters.audit_tables import LeafRow
from shared.audit.domain.chain import ZERO_HASH, canonical_originator, event_hash, merkle_root, sha256
from shared.config import Settings
from shared.store.eventstore import SERVICE_NAMES
from shared.store.keyfiles import ensure_secret_file

CHECKPOINT_FORMAT = "ami-checkpoint/1"


# --- keys -----------------------------------------------------------------------------------------
def signing_key_path(settings: Settings, environ: dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    configured = env.get("AMI_SIGNING_KEY")
    return (
        Path(configured).expanduser().resolve() if configured else settings.keys_dir / "signing.key"
    )


def public_key_path(private_path: Path) -> Path:
    return private_path.with_suffix(".pub")


def key_id(verify_key: VerifyKey) -> str:
    return hashlib.sha256(bytes(verify_key)).hexdigest()[:16]


def load_signing_key(settings: Settings, *, create: bool = True) -> SigningKey | None:
    """The installation's signing key; made on first use (0600, never in the database)."""
    path = signing_key_path(settings)
    if not path.exists() and not create:
        return None
    ensure_secret_file(path, lambda: bytes(SigningKey.generate()).hex())
    key = SigningKey(bytes.fromhex(path.read_text().strip()))
    pub = public_key_path(path)
    if not pub.exists():
        tmp = pub.with_suffix(f".pub.{os.getpid()}")
        tmp.write_text(bytes(key.verify_key).hex() + "\n")
        tmp.chmod(0o644)
        tmp.replace(pub)
    return key


def load_verify_key(settings: Settings) -> VerifyKey | None:
    """The public key of this installation: from the private key if it is here, else the .pub beside it."""
    key = load_signing_key(settings, create=False)
    if key is not None:
        return key.verify_key
    pub = public_key_path(signing_key_path(settings))
    return parse_public_key(pub.read_text()) if pub.exists() else None


def parse_public_key(text_or_path: str | bytes) -> VerifyKey:
    """A public key given as a file (hex, base64 or 32 raw bytes) or as hex text."""
    import base64

    raw: bytes
    if isinstance(text_or_path, bytes):
        raw = text_or_path
    else:
        p = Path(text_or_path.strip())
        try:
            raw = p.read_bytes() if len(text_or_path) < 4096 and p.is_file() else text_or_path.encode()
        except OSError:
            raw = text_or_path.encode()
    if len(raw) == 32:
        return VerifyKey(raw)
    text = raw.decode("ascii", errors="replace").strip()
    try:
        data = bytes.fromhex(text)
    except ValueError:
        data = base64.b64decode(text, validate=True)
    if len(data) != 32:
        raise ValueError("Ein Ed25519-Schlüssel hat 32 Bytes")
    return VerifyKey(data)


# --- checkpoints ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Checkpoint:
    service: str
    position: int  # the notification id of the last event covered (0: none)
    tree_size: int  # how many events it covers
    root: str  # hex
    time: str  # ISO 8601, UTC
    key_id: str
    signature: str = ""  # hex
    seq: int | None = None

    def message(self) -> bytes:
        """The bytes that are signed: canonical JSON, the same in every language."""
        body = {
            "format": CHECKPOINT_FORMAT,
            "service": self.service,
            "position": self.position,
            "tree_size": self.tree_size,
            "root": self.root,
            "time": self.time,
            "key_id": self.key_id,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def signed(self, key: SigningKey) -> Checkpoint:
        sig = key.sign(self.message()).signature.hex()
        return Checkpoint(**{**asdict(self), "signature": sig})

    def signature_valid(self, verify_key: VerifyKey) -> bool:
        try:
            verify_key.verify(self.message(), bytes.fromhex(self.signature))
        except (BadSignatureError, ValueError):
            return False
        return True

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "seq"}

    @classmethod
    def from_dict(cls, d: dict) -> Checkpoint:
        return cls(
            service=str(d["service"]),
            position=int(d["position"]),
            tree_size=int(d["tree_size"]),
            root=str(d["root"]),
            time=str(d["time"]),
            key_id=str(d["key_id"]),
            signature=str(d.get("signature", "")),
        )

    @classmethod
    def from_row(cls, r) -> Checkpoint:
        return cls(r.service, r.position, r.tree_size, r.root, r.created_at, r.key_id, r.signature, r.seq)


@dataclass(frozen=True)
class StoreDigest:
    """The state of the whole store: each service's checkpoint, and one digest over them."""

    checkpoints: dict[str, Checkpoint]

    @property
    def digest(self) -> str:
        return store_digest_hex(self.checkpoints)

    def as_dict(self) -> dict:
        return {"digest": self.digest, "checkpoints": {s: c.as_dict() for s, c in self.checkpoints.items()}}


def store_digest_hex(checkpoints: dict[str, Checkpoint]) -> str:
    """SHA-256 over each service's name, position, tree size and root, in service order."""
    parts = [b"AMI-STORE-V1\x00"]
    for service in sorted(checkpoints):
        c = checkpoints[service]
        name = service.encode()
        parts += [
            struct.pack(">H", len(name)),
            name,
            struct.pack(">QQ", c.position, c.tree_size),
            bytes.fromhex(c.root),
        ]
    return sha256(b"".join(parts)).hex()


def extend_leaves(db: AuditStore) -> int:
    """Record the hash of every event not yet recorded; inside db.locked(). Returns the number added."""
    last = db.last_leaf()
    next_index = last.leaf_index + 1 if last else 0
    after = last.notification_id if last else 0
    latest: dict[str, tuple[int, str]] = {}  # originator -> (version, hash) of this batch
    batch: list[LeafRow] = []
    added = 0
    for row in db.events(after=after):
        oid = canonical_originator(row.originator_id)
        prev_hex: str | None
        if oid in latest and latest[oid][0] < row.originator_version:
            prev_hex = latest[oid][1]
        else:
            prev_hex = db.predecessor_hash(oid, row.originator_version)
        previous = bytes.fromhex(prev_hex) if prev_hex else ZERO_HASH
        state_sha = sha256(row.state)
        h = event_hash(oid, row.originator_version, row.topic, state_sha, previous).hex()
        latest[oid] = (row.originator_version, h)
        batch.append(
            LeafRow(next_index, row.notification_id, oid, row.originator_version, state_sha.hex(), h)
        )
        next_index += 1
        if len(batch) >= 500:
            db.insert_leaves(batch)
            added += len(batch)
            batch = []
    db.insert_leaves(batch)
    return added + len(batch)


def write_checkpoint(db: AuditStore, key: SigningKey, now: datetime | None = None) -> Checkpoint:
    """Record new event hashes, sign the root; or reuse the last checkpoint when nothing is new"""
    kid = key_id(key.verify_key)
    db.ensure_tables()
    last = db.last_checkpoint()
    if last is not None and last.key_id == kid and last.position == db.max_notification_id():
        leaf = db.last_leaf()
        if (leaf.leaf_index + 1 if leaf else 0) == last.tree_size:
            return Checkpoint.from_row(last)  # nothing new: no lock, no hashing
    with db.locked():
        extend_leaves(db)
        last = db.last_checkpoint()
        leaf = db.last_leaf()
        size = leaf.leaf_index + 1 if leaf else 0
        if last is not None and last.tree_size == size and last.key_id == kid:
            return Checkpoint.from_row(last)
        hashes = db.leaf_hashes()
        when = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        position = leaf.notification_id if leaf else 0
        cp = Checkpoint(db.service, position, len(hashes), merkle_root(hashes).hex(), when, kid).signed(key)
        seq = db.insert_checkpoint(
            cp.service, cp.position, cp.tree_size, cp.root, cp.time, cp.key_id, cp.signature
        )
        return Checkpoint(**{**asdict(cp), "seq": seq})


def checkpoint_store(settings: Settings, now: datetime | None = None) -> StoreDigest:
    """A signed checkpoint of each service at its newest event (made if the store moved on since the last)."""
    key = load_signing_key(settings)
    result: dict[str, Checkpoint] = {}
    for service in SERVICE_NAMES:
        db = AuditStore.open(settings, service)
        if db is None:
            continue  # not made yet (nothing stored): nothing to sign
        with db:
            result[service] = write_checkpoint(db, key, now)
    record_witness(settings, result.values())
    return StoreDigest(result)


# --- the witness: a copy of every checkpoint outside the database ------------------------------------
def store_identity(settings: Settings) -> str:
    """Which store a checkpoint belongs to (never with a password)."""
    if settings.database_url:
        from shared.store.eventstore import postgres_params

        p = postgres_params(settings.database_url)
        return f"postgres:{p['host']}:{p['port']}/{p['dbname']}"
    return f"sqlite:{settings.data_dir}"


def witness_path(settings: Settings) -> Path:
    return signing_key_path(settings).parent / "checkpoints.jsonl"


def record_witness(settings: Settings, checkpoints) -> None:
    """Append new checkpoints to the witness file beside the key: deleting the audit tables (or rows of
    them) in the database then no longer deletes the evidence that they existed."""
    known = {(c.service, c.seq, c.root) for c in witnessed(settings)}
    new = [c for c in checkpoints if (c.service, c.seq, c.root) not in known]
    if not new:
        return
    ident = store_identity(settings)
    path = witness_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(path, "a", encoding="utf-8") as f:
        for c in new:
            f.write(json.dumps({"store": ident, "seq": c.seq, **c.as_dict()}, sort_keys=True) + "\n")


def witnessed(settings: Settings, path: Path | None = None) -> list[Checkpoint]:
    """The checkpoints of this store in a witness file: the one beside the key, or a copy kept elsewhere."""
    path = path or witness_path(settings)
    if not path.exists():
        return []
    ident = store_identity(settings)
    result: dict[tuple, Checkpoint] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            d = json.loads(line)
            if d.get("store") == ident:
                cp = Checkpoint(**{**asdict(Checkpoint.from_dict(d)), "seq": d.get("seq")})
                result.setdefault((cp.service, cp.seq, cp.root), cp)  # two processes may both have added it
        except (ValueError, KeyError, TypeError):
            continue  # a torn line: the database's own checkpoints still count
    return list(result.values())
