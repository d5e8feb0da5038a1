"""What both services' Applications share: transcodings and retry on a concurrent write."""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, Repository
from eventsourcing.persistence import IntegrityError, InternalError, JSONTranscoder

from shared.privacy.keyless import KEYLESS
from shared.store.eventstore import BytesAsBase64, DateAsISO
from shared.store.followed import Followed
from shared.store.many import get_many
from shared.store.watch import CommitWatch

T = TypeVar("T")
STARTS = 5  # attempts to open the store when other processes open it at the same moment


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
        return self._attached(super().get(aggregate_id, **kwargs))

    def from_events(self, events: list):
        """The aggregate of these events (all of one aggregate, read already), as get() would return it."""
        return self._attached(_replay(None, events))

    def _attached(self, aggregate):
        attach = getattr(aggregate, "attach_sealer", None)
        if attach is not None:
            attach(self.sealer if self.sealer is not None else KEYLESS)
        return aggregate


class PortalApplication(Application[UUID]):
    def __init__(self, env=None, *, sealer=None) -> None:
        for attempt in range(STARTS):
            try:
                super().__init__(env)
                break
            except InternalError as exc:
                # two processes starting at once (the services, a heavy process) both make sure of the store's
                # tables and functions: PostgreSQL may refuse one with «tuple concurrently updated»; it tries again
                factory = getattr(self, "factory", None)
                if factory is not None:
                    factory.close()
                if "concurrently" not in str(exc) or attempt == STARTS - 1:
                    raise
                time.sleep(random.uniform(0.05, 0.3) * (attempt + 1))
        self.sealer = sealer  # shared.privacy.Sealer: opens and seals personal fields; None: they stay closed
        self.repository.sealer = sealer  # type: ignore[attr-defined]
        self.commits = CommitWatch(self.recorder)  # has the store taken a commit since? (SQLite: cheaply)
        self._unchanged: dict[str, tuple[int | None, object]] = {}  # while_unchanged: key -> (log head, value)
        self.followed = Followed(self)  # aggregates pages read on every visit, brought up to date by their new events

    def close(self) -> None:
        self.commits.close()
        super().close()

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

    def get_many(self, *aggregate_ids: UUID) -> list:
        """Each aggregate as get_or_none loads it, from one read of the store (shared.store.many)."""
        return get_many(self, aggregate_ids)

    def while_unchanged(self, key: str, compute: Callable[[], T]) -> T:
        """compute() — or what it gave before, while this application's store has taken no event since (its log's
        head, one indexed row; PostgreSQL numbers notifications in commit order). For a few small reads of many
        aggregates on every page (the fee waivers in force: each invoice's documents split by them). Never change
        the returned object."""
        head = self.recorder.max_notification_id()  # before the read it vouches for: a later commit moves it
        found = self._unchanged.get(key)
        if found is not None and found[0] == head:
            return found[1]
        value = compute()
        self._unchanged[key] = (head, value)  # one assignment: a thread sees the old pair or the new one
        return value

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
