"""What both services' Applications share: transcodings and retry on a concurrent write."""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, Repository
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from shared.privacy.sealing import KEYLESS
from shared.store.eventstore import BytesAsBase64, DateAsISO

T = TypeVar("T")


def _replay(aggregate, events):
    """The library's project_aggregate without its per-event isinstance check against a runtime Protocol,
    which costs more than the replay itself (25 µs an event)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class SealingRepository(Repository):
    """Hands the application's Sealer to every aggregate it loads that holds sealed personal fields."""

    sealer = None

    def get(self, aggregate_id, **kwargs):
        kwargs.setdefault("projector_func", _replay)
        aggregate = super().get(aggregate_id, **kwargs)
        attach = getattr(aggregate, "attach_sealer", None)
        if attach is not None:
            attach(self.sealer if self.sealer is not None else KEYLESS)
        return aggregate


class PortalApplication(Application[UUID]):
    def __init__(self, env=None, *, sealer=None) -> None:
        super().__init__(env)
        self.sealer = sealer  # shared.privacy.Sealer: opens and seals personal fields; None: they stay closed
        self.repository.sealer = sealer  # type: ignore[attr-defined]

    def required_sealer(self):
        """The Sealer, for a command that stores personal fields: they are never stored unsealed."""
        if self.sealer is None:
            raise RuntimeError("no Sealer: personal fields are never stored unsealed")
        return self.sealer

    def construct_repository(self) -> Repository:
        return SealingRepository(event_store=self.events, snapshot_store=self.snapshots)  # no aggregate cache

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(BytesAsBase64())

    def get_or_none(self, aggregate_id: UUID):
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def retrying(self, command: Callable[[], T], attempts: int = 25) -> T:
        """Run a load-decide-save command again when another writer saved first (optimistic locking);
        jittered exponential back-off, so contending writers of one provider-month spread out."""
        for attempt in range(attempts):
            try:
                return command()
            except IntegrityError:
                if attempt == attempts - 1:
                    raise
                time.sleep(random.uniform(0, min(0.25, 0.005 * 2**attempt)))
        raise AssertionError("unreachable")
