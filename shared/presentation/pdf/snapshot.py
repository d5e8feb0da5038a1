"""The store as a signed checkpoint saw it: each aggregate at the newest version the checkpoint covers.

A PDF is made from one checkpoint: it prints the checkpoint's position and root, reads every aggregate at
the version that checkpoint covers (later events are not in it), and embeds the events it used with
their inclusion proofs in the signed root.
"""

from __future__ import annotations

import base64
from uuid import UUID

from shared.audit.adapters.audit_store import AuditStore
from shared.audit.application.checkpoints import StoreDigest
from shared.audit.domain.chain import ZERO_HASH, MerkleTree, canonical_originator, event_hash, sha256
from shared.kernel.errors import Conflict
from shared.store.history import Entry, read_history


class StoreChanged(Conflict):
    """A stored event no longer matches its recorded hash: no PDF is made from a changed store."""


class Snapshot:
    def __init__(self, portal, digest: StoreDigest):
        self.portal = portal
        self.digest = digest
        self.stores: dict[str, AuditStore] = {}
        self.versions: dict[str, dict[str, int]] = {}
        self.used: dict[tuple[str, str], int] = {}  # (service, originator id) -> version read
        self._trees: dict[str, MerkleTree] = {}
        try:
            for service, cp in digest.checkpoints.items():
                db = AuditStore.open(portal.settings, service)
                if db is None:
                    raise StoreChanged(f"Speicher «{service}» nicht gefunden")
                self.stores[service] = db
                self.versions[service] = db.covered_versions(cp.tree_size)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        for db in self.stores.values():
            db.close()
        self.stores.clear()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def app(self, service: str):
        return self.portal.reporting if service == "reporting" else self.portal.supervision

    def version(self, service: str, aggregate_id: UUID) -> int | None:
        return self.versions[service].get(canonical_originator(aggregate_id))

    def get(self, service: str, aggregate_id: UUID):
        """The aggregate as of the checkpoint, or None if the checkpoint knows no event of it."""
        v = self.version(service, aggregate_id)
        if v is None:
            return None
        self.used[(service, canonical_originator(aggregate_id))] = v
        return self.app(service).repository.get(aggregate_id, version=v)

    def history(self, service: str, aggregate_id: UUID) -> list[Entry]:
        """The aggregate's events as of the checkpoint (shared.store.history)."""
        v = self.version(service, aggregate_id)
        if v is None:
            return []
        return read_history(self.app(service), aggregate_id, lte=v)

    def tree(self, service: str) -> MerkleTree:
        if service not in self._trees:
            cp = self.digest.checkpoints[service]
            tree = MerkleTree(self.stores[service].leaf_hashes(cp.tree_size))
            if tree.root.hex() != cp.root:
                raise StoreChanged(
                    f"Die Prüfsummen von «{service}» passen nicht zum signierten Kontrollpunkt"
                )
            self._trees[service] = tree
        return self._trees[service]

    def event_records(self, service: str, aggregate_id: UUID | str, *, with_state: bool = True) -> list[dict]:
        """Every covered event of one aggregate, with its inclusion proof (and its stored bytes)."""
        db = self.stores[service]
        cp = self.digest.checkpoints[service]
        oid = canonical_originator(aggregate_id)
        leaves = db.leaves_of(oid, cp.tree_size)
        tree = self.tree(service)
        stored = {r.originator_version: r for r in db.events_of(oid)} if with_state else {}
        records = []
        previous = ZERO_HASH
        for leaf in leaves:
            rec = {
                "service": service,
                "notification_id": leaf.notification_id,
                "leaf_index": leaf.leaf_index,
                "originator_id": oid,
                "originator_version": leaf.originator_version,
                "event_hash": leaf.event_hash,
                "inclusion_proof": [p.hex() for p in tree.inclusion_proof(leaf.leaf_index)],
            }
            if with_state:
                row = stored.get(leaf.originator_version)
                if row is None or row.notification_id != leaf.notification_id:
                    raise StoreChanged(
                        f"{service}: Ereignis {oid} Version {leaf.originator_version} fehlt "
                        "oder wurde verschoben"
                    )
                state_sha = sha256(row.state)
                h = event_hash(oid, row.originator_version, row.topic, state_sha, previous)
                if state_sha.hex() != leaf.state_sha256 or h.hex() != leaf.event_hash:
                    raise StoreChanged(
                        f"{service}: Ereignis {oid} Version {leaf.originator_version} "
                        "stimmt nicht mit seiner Prüfsumme überein"
                    )
                rec.update(
                    {
                        "topic": row.topic,
                        "state_sha256": state_sha.hex(),
                        "previous_hash": previous.hex(),
                        "state": base64.b64encode(row.state).decode("ascii"),
                    }
                )
                previous = h
            records.append(rec)
        return records

    def used_records(self) -> list[dict]:
        """Inclusion proofs (without the event data) of every event of every aggregate read."""
        out = []
        for service, oid in sorted(self.used):
            out.extend(self.event_records(service, oid, with_state=False))
        return out
