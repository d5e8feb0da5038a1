"""Aggregates that pages read on every visit, kept per process and brought up to date with their newer events only.

A provider's book of Kostengutsprachen is read on each visit of the provider's home (its warnings) and grows with
every invoice (profile of issue 16, load store of three years: replaying it was 5.8 ms of the home page's 16.8 ms
CPU, what it computes from the book 2.7 ms more). `Followed.read` keeps each aggregate it has read and, on the next
read, asks the store only for the events after its version (one indexed read, usually of nothing) and applies
those. Read-only: compute() sees the aggregate under that aggregate's lock and must not change it; the aggregate
never leaves: a command takes a copy of its own (`fork`), changes and saves that (a version conflict with another
writer is refused by the store as ever: the command is tried again with a new copy). What `remember(key, fn)`
gives inside compute is fn()'s value at this version: for what is computed from the aggregate alone (pseudonyms,
sums), never for personal fields opened with keys (a key shredded since must show as shredded)."""
from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from uuid import UUID

T = TypeVar("T")
Remember = Callable[[Hashable, Callable[[], Any]], Any]


class _Entry:
    __slots__ = ("aggregate", "lock", "memo")

    def __init__(self) -> None:
        self.aggregate = None
        self.lock = threading.RLock()  # a compute that reads the same aggregate again does not wait for itself
        self.memo: dict[Hashable, Any] = {}


class Followed:
    """The aggregates of one application that pages read again and again (the newest `size` of them)."""

    def __init__(self, app, size: int = 256):
        self._app = app
        self._size = size
        self._entries: OrderedDict[UUID, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.replays = 0  # how often an aggregate was read from its first event (for the tests)

    def read(self, aggregate_id: UUID, compute: Callable[[Any, Remember], T]) -> T:
        """compute(aggregate or None, remember) with the aggregate as its stored events make it now."""
        entry = self._entry(aggregate_id)
        with entry.lock:
            self._bring_up_to_date(aggregate_id, entry)

            def remember(key: Hashable, fn: Callable[[], Any]) -> Any:
                if key not in entry.memo:
                    entry.memo[key] = fn()
                return entry.memo[key]

            return compute(entry.aggregate, remember)

    def fork(self, aggregate_id: UUID):
        """The aggregate as its stored events make it now, a copy of its own for a command to change and save
        (copy.deepcopy: an aggregate may say how it is copied cheaply), or None if it has no event."""
        return self.read(aggregate_id, lambda aggregate, remember: copy.deepcopy(aggregate))

    def _entry(self, aggregate_id: UUID) -> _Entry:
        with self._lock:
            entry = self._entries.get(aggregate_id)
            if entry is None:
                entry = self._entries[aggregate_id] = _Entry()
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
            else:
                self._entries.move_to_end(aggregate_id)
            return entry

    def _bring_up_to_date(self, aggregate_id: UUID, entry: _Entry) -> None:
        held = entry.aggregate
        new = list(self._app.events.get(aggregate_id, gt=held.version if held is not None else None))
        if not new:
            return
        if held is None:
            self.replays += 1
            entry.aggregate = self._app.repository.from_events(new)
        else:
            try:
                for event in new:  # as the repository replays: each event mutates the aggregate
                    held = event.mutate(held)
            except BaseException:
                entry.aggregate = None  # half brought up to date: read from its first event next time
                raise
            entry.aggregate = held
        entry.memo = {}
