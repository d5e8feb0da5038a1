"""Keys for the personal fields: one per participant (and one per document), wrapped by a master key.

The event store is append-only, so what must become unreadable one day is encrypted with a key kept
*outside* it: the key vault (`keys.sqlite` beside the stores, or the schema `ami_keys` on PostgreSQL).
Deleting a participant's key after the retention period («crypto-shredding») leaves the ciphertext in the
events, which the audit hash chain still covers, but nobody can read it any more.

The master key lives in a file outside the database (`AMI_MASTER_KEY`, by default `master.key` in the keys
directory `AMI_KEYS_DIR`, apart from the store; made on first use). Every vault remembers a check value of
the master key it was made with: a wrong master key fails loudly at once instead of producing garbage."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from uuid import uuid4

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.cryptography import AESCipher

from shared.config import Settings
from shared.store.eventstore import pg_connection
from shared.store.keyfiles import ensure_secret_file

CHECK_PLAINTEXT = b"ami-master-key-check/1"
CACHE_SECONDS = 30.0  # a key shredded by another process is no longer used here after at most this long
AHEAD = 32  # new documents' keys made at once, in one transaction of the vault


class WrongKey(RuntimeError):
    """The master key does not open this vault, or a ciphertext does not open with its key."""


class KeyCipher(AESCipher):
    """The eventsourcing library's AES-GCM cipher (on `cryptography`), made from a raw key rather than from an
    environment variable: the vault holds thousands of keys, not one."""

    def __init__(self, key: bytes):  # noqa: D107 - the parent reads CIPHER_KEY from an Environment
        AESCipher.check_key_size(len(key))
        self.key = key
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: bytes, nonce: bytes | None = None) -> bytes:
        """The parent's format (nonce, tag, ciphertext); `nonce`: 12 fresh random bytes (see encrypt_each)."""
        nonce = os.urandom(12) if nonce is None else nonce
        if len(nonce) != 12:
            raise ValueError("AES-GCM needs a 96-bit nonce")
        sealed = self._aead.encrypt(nonce, plaintext, None)
        return nonce + sealed[-16:] + sealed[:-16]

    def decrypt(self, ciphertext: bytes) -> bytes:
        """As the parent's (ValueError when damaged or not this key's), with the key's AES-GCM made once."""
        if len(ciphertext) < 28:
            raise ValueError("Damaged cipher text: too short")
        try:
            return self._aead.decrypt(ciphertext[:12], ciphertext[28:] + ciphertext[12:28], None)
        except InvalidTag as exc:
            raise ValueError("Invalid cipher tag") from exc


@lru_cache(maxsize=65536)
def cipher(key: bytes) -> AESCipher:
    return KeyCipher(key)


def encrypt_each(items: list[tuple[bytes, bytes]]) -> list[bytes]:
    """Each plaintext sealed with its key, the nonces drawn at once (one system call, not one per participant:
    6 % of an upload's time was os.urandom)."""
    nonces = os.urandom(12 * len(items))
    return [cipher(key).encrypt(data, nonces[12 * n:12 * n + 12]) for n, (key, data) in enumerate(items)]


def master_key_path(settings: Settings, environ: dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    configured = env.get("AMI_MASTER_KEY")
    return Path(configured).expanduser().resolve() if configured else settings.keys_dir / "master.key"


def load_master_key(settings: Settings) -> bytes:
    """The installation's master key (32 bytes); made on first use (0600, never in the database)."""
    path = master_key_path(settings)
    ensure_secret_file(path, lambda: base64.b64encode(os.urandom(32)).decode("ascii"))
    try:
        key = base64.b64decode(path.read_text().strip(), validate=True)
    except ValueError:
        raise WrongKey(f"Der Hauptschlüssel in {path} ist unlesbar (erwartet: 32 Bytes Base64).") from None
    if len(key) != 32:
        raise WrongKey(f"Der Hauptschlüssel in {path} hat {len(key)} statt 32 Bytes.")
    return key


class KeyVault:
    """Subject keys by subject id ("p:<pseudonym>" for a participant, "d:<document id>" for a document)."""

    def __init__(self, settings: Settings, master: bytes | None = None):
        self.settings = settings
        master = master if master is not None else load_master_key(settings)
        self._wrap = cipher(master)
        self._pepper = hmac.new(master, b"ami-pseudonym/1", hashlib.sha256).digest()
        self._cache: dict[str, tuple[bytes | None, float]] = {}
        self._lock = threading.Lock()
        self._sq: sqlite3.Connection | None = None
        self._subjects: dict[str, str] = {}
        self._ahead: list[tuple[str, bytes]] = []  # document subjects made ahead, with their keys
        self._ahead_lock = threading.Lock()
        self._ensure()

    # --- pseudonyms ---------------------------------------------------------------------------------
    def participant_subject(self, provider: str, participant: str) -> str:
        """A participant's pseudonym: keyed (HMAC), so a dump can not be matched against guessed numbers."""
        key = f"{provider}\x1f{participant}"
        found = self._subjects.get(key)
        if found is None:
            if len(self._subjects) > 200_000:  # a bounded memo: participants recur month after month
                self._subjects.clear()
            mac = hmac.new(self._pepper, key.encode(), hashlib.sha256)
            found = self._subjects[key] = "p:" + mac.hexdigest()[:24]  # 96 bits: no collision in any canton
        return found

    def reference_key(self, reference: str) -> str:
        """A Kostengutsprache reference's pseudonym (keyed HMAC): equal references, equal keys; the read
        models group by it and keep the reference itself sealed."""
        mac = hmac.new(self._pepper, b"reference\x1f" + reference.encode(), hashlib.sha256)
        return "r:" + mac.hexdigest()[:24]

    # --- keys ---------------------------------------------------------------------------------------
    def new_document_subject(self) -> str:
        """A new document's subject ("d:<random>") whose key is in the vault already: made AHEAD at a time, so
        an upload whose participants have keys writes nothing to the vault (its own commit was 12 % of an
        upload). A process that stops leaves at most AHEAD - 1 keys that seal nothing."""
        with self._ahead_lock:
            if not self._ahead:
                subjects = [f"d:{uuid4().hex}" for _ in range(AHEAD)]
                self._ahead = list(self.keys(subjects, create=True).items())
            subject, key = self._ahead.pop()
        # fresh in the cache, however old the batch: nobody else knows the subject, so none can have shredded it
        self._cache[subject] = (key, time.monotonic())
        return subject

    def keys(self, subjects: Iterable[str], *, create: bool) -> dict[str, bytes | None]:
        """Each subject's key; None for a shredded key (or an unknown one when create is False)."""
        now = time.monotonic()
        wanted = set(subjects)
        found: dict[str, bytes | None] = {}
        for s in wanted:
            hit = self._cache.get(s)
            if hit is not None and now - hit[1] < CACHE_SECONDS:
                found[s] = hit[0]
        missing = sorted(wanted - found.keys())
        known: dict[str, bytes] = {}
        if missing:
            rows = self._select(missing)
            if create:
                new = [s for s in missing if s not in rows]
                if new:
                    at = datetime.now(UTC).isoformat()
                    made = {s: os.urandom(32) for s in new}
                    wrapped_new = {s: self._wrap.encrypt(k) for s, k in made.items()}
                    ours = self._insert([(s, wrapped_new[s], at) for s in new])
                    known = {s: made[s] for s in ours}
                    rows.update({s: wrapped_new[s] for s in ours})
                    lost = [s for s in new if s not in ours]
                    if lost:  # another process made these a moment ago: use theirs
                        rows.update(self._select(lost))
            for s in missing:
                wrapped = rows.get(s)
                key = None if wrapped is None else (known.get(s) if s in known else self._unwrap(wrapped))
                found[s] = key
                if s in rows:
                    self._cache[s] = (key, now)
        return found

    def shred(self, subjects: Iterable[str]) -> int:
        """Delete the keys for good (the row stays, marked, so the key is never made again)."""
        subjects = sorted(set(subjects))
        at = datetime.now(UTC).isoformat()
        count = self._shred(subjects, at)
        for s in subjects:
            self._cache[s] = (None, time.monotonic())
        return count

    def _unwrap(self, wrapped: bytes) -> bytes:
        try:
            return self._wrap.decrypt(bytes(wrapped))
        except ValueError:
            raise WrongKey("Ein Schlüssel im Schlüsseltresor lässt sich mit dem Hauptschlüssel nicht öffnen "
                           "(AMI_MASTER_KEY falsch oder Tresor beschädigt).") from None

    # --- storage ------------------------------------------------------------------------------------
    def _ensure(self) -> None:
        check = self._wrap.encrypt(CHECK_PLAINTEXT)
        if self.settings.database_url:
            with pg_connection(self.settings.database_url) as conn:
                conn.execute("CREATE SCHEMA IF NOT EXISTS ami_keys")
                conn.execute("CREATE TABLE IF NOT EXISTS ami_keys.meta (name TEXT PRIMARY KEY, value BYTEA)")
                conn.execute("CREATE TABLE IF NOT EXISTS ami_keys.subject_keys (subject TEXT PRIMARY KEY, "
                             "wrapped BYTEA, created_at TEXT NOT NULL, shredded_at TEXT)")
                conn.execute("INSERT INTO ami_keys.meta VALUES ('master_check', %s) ON CONFLICT DO NOTHING",
                             (check,))
                stored = conn.execute("SELECT value FROM ami_keys.meta WHERE name = 'master_check'").fetchone()
        else:
            with self._sqlite() as conn:
                conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB)")
                conn.execute("CREATE TABLE IF NOT EXISTS subject_keys (subject TEXT PRIMARY KEY, wrapped BLOB, "
                             "created_at TEXT NOT NULL, shredded_at TEXT)")
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('master_check', ?)", (check,))
                stored = conn.execute("SELECT value FROM meta WHERE name = 'master_check'").fetchone()
        try:
            ok = self._wrap.decrypt(bytes(stored[0])) == CHECK_PLAINTEXT
        except ValueError:
            ok = False
        if not ok:
            raise WrongKey("Der Hauptschlüssel (AMI_MASTER_KEY) passt nicht zu diesem Schlüsseltresor. "
                           "Es wird nichts gelesen und nichts gespeichert.")

    @contextmanager
    def _sqlite(self) -> Iterator[sqlite3.Connection]:
        """This vault's one SQLite connection, in a transaction (committed at the end, or rolled back)."""
        with self._lock:
            if self._sq is None:
                self.settings.data_dir.mkdir(parents=True, exist_ok=True)
                self._sq = sqlite3.connect(self.settings.data_dir / "keys.sqlite", timeout=30,
                                           check_same_thread=False)
                self._sq.execute("PRAGMA journal_mode=WAL")
                self._sq.execute("PRAGMA secure_delete=ON")  # a shredded key's bytes are overwritten
            with self._sq:
                yield self._sq

    def close(self) -> None:
        with self._lock:
            if self._sq is not None:
                self._sq.close()
                self._sq = None

    def _select(self, subjects: list[str]) -> dict[str, bytes | None]:
        if self.settings.database_url:
            with pg_connection(self.settings.database_url) as conn:
                got = conn.execute("SELECT subject, wrapped FROM ami_keys.subject_keys WHERE subject = ANY(%s)",
                                   (subjects,)).fetchall()
        else:
            got = []
            with self._sqlite() as conn:
                for i in range(0, len(subjects), 500):
                    chunk = subjects[i:i + 500]
                    marks = ",".join("?" * len(chunk))  # placeholders only: the values are bound
                    got += conn.execute(f"SELECT subject, wrapped FROM subject_keys WHERE subject IN ({marks})",  # noqa: S608
                                        chunk).fetchall()
        return {s: (bytes(w) if w is not None else None) for s, w in got}

    def _insert(self, rows: list[tuple[str, bytes, str]]) -> set[str]:
        """Insert the keys not there yet; returns the subjects whose rows are now these (not another's)."""
        if self.settings.database_url:
            # one statement, one round trip, whatever the number of keys
            subjects, wrapped, created = (list(col) for col in zip(*rows, strict=True))
            with pg_connection(self.settings.database_url) as conn:
                got = conn.execute("INSERT INTO ami_keys.subject_keys (subject, wrapped, created_at) "
                                   "SELECT * FROM unnest(%s::text[], %s::bytea[], %s::text[]) "
                                   "ON CONFLICT DO NOTHING RETURNING subject", (subjects, wrapped, created))
                return {r[0] for r in got.fetchall()}
        inserted: set[str] = set()
        with self._sqlite() as conn:
            for i in range(0, len(rows), 300):  # a statement for 300 keys (SQLite binds at most 32,766 values)
                chunk = rows[i:i + 300]
                marks = ",".join(["(?, ?, ?)"] * len(chunk))  # placeholders only: the values are bound
                got = conn.execute("INSERT OR IGNORE INTO subject_keys (subject, wrapped, created_at) "  # noqa: S608
                                   f"VALUES {marks} RETURNING subject", [v for row in chunk for v in row])
                inserted.update(r[0] for r in got.fetchall())  # the rows ignored (another's) are not returned
        return inserted

    def _shred(self, subjects: list[str], at: str) -> int:
        rows = [(s, at, at) for s in subjects]  # subject, created_at (if it never had a key), shredded_at
        if self.settings.database_url:
            with pg_connection(self.settings.database_url) as conn, conn.transaction(), conn.cursor() as cur:
                cur.executemany("INSERT INTO ami_keys.subject_keys (subject, wrapped, created_at, shredded_at) "
                                "VALUES (%s, NULL, %s, %s) ON CONFLICT (subject) DO UPDATE "
                                "SET wrapped = NULL, shredded_at = EXCLUDED.shredded_at", rows)
            # the old row versions linger until vacuumed: make them go now
            with pg_connection(self.settings.database_url) as conn:
                conn.execute("VACUUM ami_keys.subject_keys")
        else:
            with self._sqlite() as conn:
                conn.executemany("INSERT INTO subject_keys (subject, wrapped, created_at, shredded_at) "
                                 "VALUES (?, NULL, ?, ?) ON CONFLICT (subject) DO UPDATE "
                                 "SET wrapped = NULL, shredded_at = excluded.shredded_at", rows)
            with self._sqlite() as conn:
                conn.execute("VACUUM")  # the deleted key's bytes must not stay in free pages
            with self._sqlite() as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # nor in the write-ahead log
        return len(rows)
