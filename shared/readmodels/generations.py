"""How often each month's funding split has changed, and results remembered by it.

A figure computed from a span's funding lines (the evaluation: 110–190 ms on three years of lines, the heaviest
page under load in issue 16's profile) is still right while none of the span's months changed. The projector
counts the changes of each provider's lines of a month in `funding_generations`, in the transaction that writes
its lines and sums (`bump`, called by funding_sums.resum, the one place every change of funding_lines passes); a
reset or a new schema gives the views a new epoch (`new_epoch`). The token of a span (the epoch, the sum of its
months' generations) only grows while the epoch is the same, so an equal token means the same lines; within a
month, a provider whose generation is the same has the same lines (`provider_states`: a month changed by one
provider's upload is read again for that provider alone).

The counts depend on how the events were cut into batches, not on the events alone: the table is emptied with
the views but left out of their comparisons (`ViewStore.dump`).
"""
from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

# months of the evaluation remembered per process: ~0.26 MB each for three programme types on the load bench's
# three years (8.5 MB for the default span of 33 months), so at most ~33 MB
MONTHS_REMEMBERED = 128
DDL = ("CREATE TABLE IF NOT EXISTS funding_generations (period TEXT NOT NULL, provider TEXT NOT NULL, "
       "generation BIGINT NOT NULL, PRIMARY KEY (period, provider))")
TABLES = ("funding_generations",)
BUMP = ("INSERT INTO funding_generations (period, provider, generation) VALUES {values} "
        "ON CONFLICT (period, provider) DO UPDATE SET generation = funding_generations.generation + 1")
BUMP_EVERY = "UPDATE funding_generations SET generation = generation + 1"
# SQLite reads «ON» after «FROM t» as a join's: the WHERE tells it apart
ADD_EVERY = ("INSERT INTO funding_generations (period, provider, generation) SELECT DISTINCT period, provider, 1 "
             "FROM funding_lines WHERE 1 = 1 ON CONFLICT (period, provider) DO NOTHING")
MONTHS = "SELECT period, SUM(generation) FROM funding_generations WHERE period IN {in} GROUP BY period"
PROVIDERS = "SELECT period, provider, generation FROM funding_generations WHERE period IN {in}"
EPOCH_NOW = "SELECT value FROM meta WHERE key = 'views_epoch'"
EPOCH = ("INSERT INTO meta (key, value) VALUES ('views_epoch', ?) "
         "ON CONFLICT (key) DO UPDATE SET value = excluded.value")


def bump(tx, months: set[tuple[str, str]], *, everything: bool = False) -> None:
    """These (provider, month) pairs' funding lines changed (`everything`: every pair's)."""
    if everything:
        tx.execute(BUMP_EVERY)
        tx.execute(ADD_EVERY)
    elif months:
        tx.insert(BUMP, [(period, provider, 1) for provider, period in sorted(months)])


def new_epoch(tx) -> None:
    """The views were emptied: no token of before can match one of after."""
    tx.execute(EPOCH, (uuid.uuid4().hex,))


def month_states(tx, periods: Sequence[str]) -> tuple[str | None, dict[str, int]]:
    """(the views' epoch, each month's generation: 0 for a month that never had a line)."""
    epoch = tx.execute(EPOCH_NOW)
    found = dict(tx.select_in(MONTHS, list(periods)))
    return (epoch[0][0] if epoch else None), {p: int(found.get(p, 0)) for p in periods}


def provider_states(tx, periods: Sequence[str]) -> dict[str, dict[str, int]]:
    """Per month each provider's generation (a provider that never had a line of the month: absent)."""
    found: dict[str, dict[str, int]] = {p: {} for p in periods}
    for period, provider, generation in tx.select_in(PROVIDERS, list(periods)):
        found[period][provider] = int(generation)
    return found


def token(tx, periods: Sequence[str]) -> tuple[str | None, int]:
    """(the views' epoch, the sum of these months' generations)."""
    epoch, states = month_states(tx, periods)
    return epoch, sum(states.values())


class Remembered:
    """The latest result per key with the token it was computed at (the newest `size` keys)."""

    def __init__(self, size: int = 32):
        self.size = size
        self._items: OrderedDict[Hashable, tuple[Hashable, object]] = OrderedDict()
        self._lock = threading.Lock()
        self.computed = 0  # how often compute ran (for the tests)

    def get(self, key: Hashable, current: Hashable, compute: Callable[[], object]) -> object:
        found = self.peek(key, current)
        if found is None:
            found = compute()
            self.put(key, current, found)
        return found

    def peek(self, key: Hashable, current: Hashable) -> object | None:
        """What was remembered for `key` at this token, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] != current:
                return None
            self._items.move_to_end(key)
            return found[1]

    def latest(self, key: Hashable) -> object | None:
        """What was remembered for `key` last, whatever its token (or None)."""
        with self._lock:
            found = self._items.get(key)
            return None if found is None else found[1]

    def put(self, key: Hashable, current: Hashable, value: object) -> None:
        with self._lock:
            self.computed += 1
            self._items[key] = (current, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class ByParts:
    """Results remembered while they are made from the very same objects (compared by identity, held here so that
    none is freed and its id given to another): the evaluation's cells, made from months' lines that are read
    again only when their month changed (readmodels.funding keeps a provider's lines of a month that read the
    same as the very tuple of before). The objects must not change: tuples, and mappings nobody writes to."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._items: dict[Hashable, tuple[tuple, object]] = {}
        self._lock = threading.Lock()
        self.computed = 0  # how often make ran (for the tests)

    def __call__(self, key: Hashable, parts: tuple, make: Callable[[], object]) -> object:
        with self._lock:
            found = self._items.get(key)
        if found is not None and _same(found[0], parts):
            return found[1]
        value = make()
        with self._lock:
            self.computed += 1
            self._items.pop(key, None)
            self._items[key] = (parts, value)
            while len(self._items) > self.size:
                del self._items[next(iter(self._items))]
        return value


def _same(kept: tuple, parts: tuple) -> bool:
    return len(kept) == len(parts) and all(a is b for a, b in zip(kept, parts, strict=True))
