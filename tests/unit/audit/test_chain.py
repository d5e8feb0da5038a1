"""The hash chain and the Merkle tree (RFC 6962), without a store."""

from __future__ import annotations

import hashlib
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.audit.domain.chain import (
    EMPTY_ROOT,
    ZERO_HASH,
    CompactRange,
    MerkleTree,
    chain_hashes,
    event_hash,
    merkle_root,
    mth_reference,
    verify_inclusion,
)

# The inputs and roots of the certificate-transparency reference tests (RFC 6962 implementations).
CT_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_roots_match_the_rfc6962_reference_vectors():
    assert EMPTY_ROOT.hex() == hashlib.sha256(b"").hexdigest()
    for n in range(1, 9):
        assert MerkleTree(CT_LEAVES[:n]).root.hex() == CT_ROOTS[n - 1]
        assert mth_reference(CT_LEAVES[:n]).hex() == CT_ROOTS[n - 1]
        assert merkle_root(CT_LEAVES[:n]).hex() == CT_ROOTS[n - 1]


def test_level_tree_compact_range_and_recursive_definition_agree_for_every_size():
    entries = [hashlib.sha256(str(i).encode()).digest() for i in range(70)]
    rng = CompactRange()
    assert rng.root() == EMPTY_ROOT == MerkleTree([]).root
    for n in range(1, 71):
        rng.append(entries[n - 1])
        assert rng.root() == MerkleTree(entries[:n]).root == mth_reference(entries[:n])


def test_every_inclusion_proof_verifies_and_a_wrong_one_does_not():
    for n in (1, 2, 3, 5, 7, 8, 13, 33):
        entries = [hashlib.sha256(bytes([n, i])).digest() for i in range(n)]
        tree = MerkleTree(entries)
        for i, e in enumerate(entries):
            proof = tree.inclusion_proof(i)
            assert verify_inclusion(e, i, n, proof, tree.root)
            assert not verify_inclusion(ZERO_HASH, i, n, proof, tree.root)
            if n > 1:
                assert not verify_inclusion(e, (i + 1) % n, n, proof, tree.root)
                bad = [bytes(32)] + proof[1:]
                assert not verify_inclusion(e, i, n, bad, tree.root)
        assert not verify_inclusion(entries[0], n, n, [], tree.root)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=8), min_size=1, max_size=40), st.data())
def test_inclusion_property(entries, data):
    tree = MerkleTree(entries)
    i = data.draw(st.integers(0, len(entries) - 1))
    assert tree.root == mth_reference(entries)
    assert verify_inclusion(entries[i], i, len(entries), tree.inclusion_proof(i), tree.root)


def test_event_hash_covers_every_field():
    oid, state = uuid4(), hashlib.sha256(b"{}").digest()
    base = event_hash(oid, 1, "a:B.C", state, ZERO_HASH)
    assert (
        base
        == event_hash(str(oid), 1, "a:B.C", state, ZERO_HASH)
        == event_hash(oid.hex, 1, "a:B.C", state, ZERO_HASH)
    )
    variants = {
        event_hash(uuid4(), 1, "a:B.C", state, ZERO_HASH),
        event_hash(oid, 2, "a:B.C", state, ZERO_HASH),
        event_hash(oid, 1, "a:B.D", state, ZERO_HASH),
        event_hash(oid, 1, "a:B.C", hashlib.sha256(b"{ }").digest(), ZERO_HASH),
        event_hash(oid, 1, "a:B.C", state, b"\x01" * 32),
    }
    assert base not in variants and len(variants) == 5


def test_chain_follows_versions_not_arrival_order():
    oid = uuid4()
    s = [hashlib.sha256(bytes([i])).digest() for i in range(3)]
    forward = chain_hashes([(oid, 1, "t", s[0]), (oid, 2, "t", s[1]), (oid, 3, "t", s[2])])
    backward = chain_hashes([(oid, 3, "t", s[2]), (oid, 1, "t", s[0]), (oid, 2, "t", s[1])])
    assert forward == backward
    h1 = event_hash(oid, 1, "t", s[0], ZERO_HASH)
    assert forward[(str(oid), 2)][1] == event_hash(oid, 2, "t", s[1], h1)
    without_2 = chain_hashes([(oid, 1, "t", s[0]), (oid, 3, "t", s[2])])
    assert without_2[(str(oid), 3)] != forward[(str(oid), 3)]  # a deleted predecessor breaks the chain
