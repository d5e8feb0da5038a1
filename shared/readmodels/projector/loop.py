"""The run loop: both logs to their ends in batches, each batch one transaction with its tracking position."""
from __future__ import annotations

import threading
from collections.abc import Callable

from shared.kernel.collector import collector_paused
from shared.readmodels.projector import follower, guard
from shared.readmodels.projector.batch import Batch
from shared.readmodels.projector.funding import FundingContext
from shared.readmodels.projector.handlers import HANDLERS
from shared.readmodels.projector.topics import EVENT_CLASSES, SOURCES, TOPICS
from shared.readmodels.projector.writers import GROUP_SIZE, flush
from shared.readmodels.store import ViewStore

REBUILD_BATCH = 5000  # notifications per transaction when rebuilding (profile: ~33 round trips per batch)


class Projector:
    """Projects both Applications' notification logs into a ViewStore, each event exactly once.

    Each batch is one transaction of the view store: read the source's tracking position, select the next
    notifications after it, apply them, write the new position. A crash anywhere rolls the whole batch
    back, position included, so a restart applies every event once (never twice, never skipped).
    `run()` goes to the end of both logs as they are now; `rebuild()` from empty views; `follow()` keeps
    going until stopped. `batch_size`: notifications per transaction; `group_size`: months recomputed per
    query; `fast=False` decodes every event through the application's mapper (for comparisons)."""

    def __init__(self, portal, store: ViewStore, *, batch_size: int = 1000, group_size: int = GROUP_SIZE,
                 fast: bool = True):
        self.apps = {"reporting": portal.reporting, "supervision": portal.supervision}
        self.store = store
        self.batch_size = batch_size
        self.group_size = group_size
        self.decoders = {source: _decoders(app) if fast else {} for source, app in self.apps.items()}
        # an invoice body: typed decoding reads only the fields the views use (sealed parts skipped unread);
        # the mapper path opens it the general way, for the comparison in the tests
        if fast:
            from shared.readmodels.projector.decoding import body_decoders

            self.decode_content, self.decode_result = body_decoders()
        else:
            self.decode_content, self.decode_result = _open_content, _open_result
        self.funding = FundingContext.of(portal)
        # immutable facts, safe to remember across transactions (and across a rebuild)
        self.review_ids: dict[str, tuple[str, str, str]] = {}

    def heads(self) -> dict[str, int]:
        """The last notification id of each log."""
        return {source: app.recorder.max_notification_id() or 0 for source, app in self.apps.items()}

    def log_tables(self) -> dict[str, tuple[str, str]]:
        """Each log's schema and table (PostgreSQL: the logs and the views are one database)."""
        return {source: (app.recorder.datastore.schema, app.recorder.events_table_name)
                for source, app in self.apps.items()}

    def pending(self) -> bool:
        """Whether either log has events beyond the tracked positions (cheap: three small queries)."""
        heads = self.heads()
        positions = self.store.positions()
        return any(heads[s] > positions.get(s, 0) for s in SOURCES)

    def run(self, *, max_events: int | None = None, heads: dict[str, int] | None = None,
            progress: Callable[[str, int, int], None] | None = None) -> int:
        """Project every event up to the logs' current ends (or `heads`); at most `max_events` (for tests).

        Returns the number of events applied. progress(source, position, head) is called after each batch.
        """
        heads = heads or self.heads()
        applied = 0
        for source in SOURCES:
            while True:
                budget = None if max_events is None else max_events - applied
                if budget == 0:
                    return applied
                count, position = self._batch(source, heads[source], budget)
                applied += count
                if progress is not None:
                    progress(source, position, heads[source])
                if position >= heads[source]:
                    break
        return applied

    def rebuild(self, progress: Callable[[str, int, int], None] | None = None, *,
                batch_size: int = REBUILD_BATCH) -> int:
        """Drop the views and replay both logs: the same figures, from the events alone. In larger batches
        than a catch-up (nobody reads views being rebuilt): fewer round trips per event."""
        self.store.reset(drop=True)
        kept, self.batch_size = self.batch_size, max(self.batch_size, batch_size)
        try:
            return self.run(progress=progress)
        finally:
            self.batch_size = kept

    def follow(self, stop: threading.Event, *, poll: float = 0.5, on_batch: Callable[[int], None] | None = None,
               on_lead: Callable[[], None] | None = None) -> None:
        """Keep the views current until `stop` is set: see follower.follow (one leader on PostgreSQL)."""
        follower.follow(self, stop, poll=poll, on_batch=on_batch, on_lead=on_lead)

    def _batch(self, source: str, head: int, budget: int | None) -> tuple[int, int]:
        """One transaction: the next notifications after the tracked position, applied, position moved.

        When the batch fails on an event's data (a value the database refuses), its events are applied one
        a transaction, and the one that fails alone is set aside (guard.record): the projector goes on."""
        limit = self.batch_size if budget is None else min(self.batch_size, budget)
        try:
            return self._apply(source, head, limit)
        except guard.DATA_ERRORS as exc:
            if limit == 1:
                return self._set_aside(source, head, exc)
            applied = position = 0
            for _ in range(limit):
                count, position = self._batch(source, head, 1)
                applied += count
                if position >= head:
                    break
            return applied, position

    def _apply(self, source: str, head: int, limit: int) -> tuple[int, int]:
        # profile: GC walks were ~24 % of the CPU. The batch's objects are gone (by their reference counts)
        # before the collector runs again: else its first run walks all of them (5 % of a rebuild).
        with collector_paused():
            return self._apply_paused(source, head, limit)

    def _apply_paused(self, source: str, head: int, limit: int) -> tuple[int, int]:
        app = self.apps[source]
        decoders = self.decoders[source]
        with self.store.write() as tx:
            position = tx.position(source)
            if position >= head:
                return 0, position
            notes = app.recorder.select_notifications(position + 1, limit, stop=head, topics=TOPICS[source])
            batch = Batch(tx, decode_content=self.decode_content, decode_result=self.decode_result,
                          review_ids=self.review_ids, funding=self.funding)
            batch.preload(notes)
            for n in notes:
                try:
                    decode = decoders.get(n.topic)
                    state = decode(n.state) if decode is not None else app.mapper.to_domain_event(n).__dict__
                    reason = guard.unusable(n.topic, state)
                    if reason is None:
                        HANDLERS[n.topic](batch, n, state)
                except guard.EVENT_ERRORS as exc:  # before anything of it reached the database
                    reason = guard.reason_of(exc)
                if reason is not None:
                    guard.record(tx, source, n, reason)
            flush(batch, group_size=self.group_size)
            # Fewer than asked for: nothing else of interest up to head, so the position moves to head.
            position = notes[-1].id if len(notes) == limit else head
            tx.set_position(source, position)
        return len(notes), position

    def _set_aside(self, source: str, head: int, exc: BaseException) -> tuple[int, int]:
        """The next event alone failed: recorded as set aside, the position moved past it."""
        app = self.apps[source]
        with self.store.write() as tx:
            position = tx.position(source)
            notes = app.recorder.select_notifications(position + 1, 1, stop=head, topics=TOPICS[source])
            position = notes[0].id if notes else head
            if notes:
                guard.record(tx, source, notes[0], guard.reason_of(exc))
            tx.set_position(source, position)
        return 0, position

def _open_content(body) -> dict:
    """The mapper path's content: the skeleton as shared.privacy opens it without keys, its ciphertexts."""
    from shared.privacy.sealing import open_content

    return {**open_content(body), "sealed": _sealed(body)}


def _open_result(body) -> dict:
    from shared.privacy.sealing import open_result

    return {"result": open_result(body), "sealed": _sealed(body)}


def _sealed(body) -> dict:
    from shared.kernel.packing import unpack
    from shared.privacy.sealing import is_sealed

    content = unpack(body)
    return content.get("sealed") or {} if is_sealed(content) else {}


def _decoders(app) -> dict[str, Callable[[bytes], dict]]:
    """The fast decoders this application's stored events allow: none if it encrypts or compresses them.

    The document events carry the whole submission and check result: stored as plain JSON (no cipher, no
    compression, no upcasting) they are read with msgspec into just the fields the views use, an order of
    magnitude faster than building the domain event; every other event goes through the application's
    mapper (`app.mapper.to_domain_event`). Both paths give the same dicts."""
    mapper = app.mapper
    if getattr(mapper, "cipher", None) or getattr(mapper, "compressor", None):
        return {}
    from shared.readmodels.projector.decoding import fast_decoders

    return {topic: dec for topic, dec in fast_decoders().items()
            if getattr(EVENT_CLASSES[topic], "class_version", 1) == 1}
