"""The hash chain over stored events and the Merkle tree (RFC 6962) over the notification log.

Each stored event gets a hash that covers its identity (originator id and version), its topic, the
digest of its state bytes exactly as stored (ciphertext too, if a cipher is configured) and the hash of
its predecessor in the same aggregate. The event hashes of one service, in notification order, are the
leaves of a Merkle tree: leaf = H(0x00 || event hash), node = H(0x01 || left || right), as RFC 6962
§2.1 defines it. A tree's root names the state of a whole store up to a position; an inclusion proof
shows that one event is in it with log2(n) hashes.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Sequence
from uuid import UUID

ZERO_HASH = bytes(32)
EVENT_TAG = b"AMI-EVENT-V1\x00"
EMPTY_ROOT = hashlib.sha256(b"").digest()  # RFC 6962: MTH({}) = SHA-256()


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def canonical_originator(originator_id: UUID | str) -> str:
    """The originator id as text: a canonical UUID whether SQLite (hex) or PostgreSQL (uuid) stored it."""
    if isinstance(originator_id, UUID):
        return str(originator_id)
    try:
        return str(UUID(str(originator_id)))
    except ValueError:
        return str(originator_id)


def _originator_bytes(originator_id: UUID | str) -> bytes:
    text = canonical_originator(originator_id)
    try:
        return UUID(text).bytes
    except ValueError:
        return text.encode("utf-8")


def event_hash(
    originator_id: UUID | str, originator_version: int, topic: str, state_sha256: bytes, previous: bytes
) -> bytes:
    """SHA-256 over (originator id, version, topic, SHA-256 of the stored state bytes, predecessor's hash).

    Every field has a fixed length or a length prefix, so no two different events encode alike."""
    if len(state_sha256) != 32 or len(previous) != 32:
        raise ValueError("state digest and predecessor hash are 32 bytes")
    oid = _originator_bytes(originator_id)
    t = topic.encode("utf-8")
    return sha256(
        b"".join(
            (
                EVENT_TAG,
                struct.pack(">H", len(oid)),
                oid,
                struct.pack(">Q", int(originator_version)),
                struct.pack(">I", len(t)),
                t,
                state_sha256,
                previous,
            )
        )
    )


def leaf_hash(entry: bytes) -> bytes:
    return sha256(b"\x00" + entry)


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right)


def mth_reference(entries: Sequence[bytes]) -> bytes:
    """RFC 6962 §2.1 literally (recursive, split at the largest power of two below n): for the tests."""
    n = len(entries)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hash(entries[0])
    k = 1 << ((n - 1).bit_length() - 1)
    return node_hash(mth_reference(entries[:k]), mth_reference(entries[k:]))


class MerkleTree:
    """All levels of the tree over some entries (event hashes), for roots and inclusion proofs.

    Level by level, an odd last node moves up unchanged; this gives the same tree as RFC 6962's split."""

    def __init__(self, entries: Iterable[bytes]):
        level = [leaf_hash(e) for e in entries]
        self.size = len(level)
        self.levels: list[list[bytes]] = [level]
        while len(level) > 1:
            nxt = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            if len(level) % 2:
                nxt.append(level[-1])
            self.levels.append(nxt)
            level = nxt

    @property
    def root(self) -> bytes:
        return self.levels[-1][0] if self.size else EMPTY_ROOT

    def inclusion_proof(self, index: int) -> list[bytes]:
        """The audit path of leaf `index` (RFC 6962 §2.1.1), bottom up."""
        if not 0 <= index < self.size:
            raise IndexError(index)
        path = []
        for level in self.levels[:-1]:
            sibling = index ^ 1
            if sibling < len(level):
                path.append(level[sibling])
            index //= 2
        return path


def verify_inclusion(entry: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does `entry` sit at `index` of the tree of `size` leaves with this root?"""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = leaf_hash(entry)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


class CompactRange:
    """The roots of perfect subtrees over a growing prefix: the root of every prefix in O(log n)."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, hash), heights strictly decreasing

    def append(self, entry: bytes) -> None:
        node, height = leaf_hash(entry), 0
        while self._stack and self._stack[-1][0] == height:
            _, left = self._stack.pop()
            node, height = node_hash(left, node), height + 1
        self._stack.append((height, node))
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = node_hash(left, node)
        return node


def merkle_root(entries: Iterable[bytes]) -> bytes:
    rng = CompactRange()
    for e in entries:
        rng.append(e)
    return rng.root()


def chain_hashes(
    events: Iterable[tuple[UUID | str, int, str, bytes]],
) -> dict[tuple[str, int], tuple[bytes, bytes]]:
    """(originator, version, topic, state digest), any order → {(originator, version): (state digest, hash)}.

    Within an aggregate the predecessor is the event with the next lower version present."""
    by_aggregate: dict[str, list[tuple[int, str, bytes]]] = {}
    for oid, version, topic, state_sha in events:
        by_aggregate.setdefault(canonical_originator(oid), []).append((int(version), topic, state_sha))
    result: dict[tuple[str, int], tuple[bytes, bytes]] = {}
    for oid, items in by_aggregate.items():
        previous = ZERO_HASH
        for version, topic, state_sha in sorted(items, key=lambda x: x[0]):
            previous = event_hash(oid, version, topic, state_sha, previous)
            result[(oid, version)] = (state_sha, previous)
    return result
