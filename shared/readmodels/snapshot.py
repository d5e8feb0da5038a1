"""One snapshot per page: the read models' queries of one request in a single read transaction."""
# `with views.snapshot():` around a page's reads: everything projected up to now is caught up once, then each
# query of the page (on this thread) runs in the same REPEATABLE READ transaction — one connection, the
# figures of one moment, and none of the per-query BEGIN/COMMIT round trips (profile of issue 16: the dashboard
# made fourteen transactions and caught up twice). Outside a snapshot every query is its own transaction.
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class SnapshotReads:
    """Mixed into Views (which gives store, projector, projecting)."""

    _local: threading.local

    def _snapshot_state(self) -> threading.local:
        state = self.__dict__.get("_local")
        if state is None:
            state = self.__dict__.setdefault("_local", threading.local())
        return state

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        state = self._snapshot_state()
        if getattr(state, "tx", None) is not None:  # nested: the outer snapshot holds
            yield
            return
        self.catch_up()
        with self.store.read() as tx:  # every store.read() of this thread inside is this one
            state.tx, state.memo = tx, {}
            try:
                yield
            finally:
                state.tx, state.memo = None, None

    def in_snapshot(self) -> bool:
        return getattr(self._snapshot_state(), "tx", None) is not None

    def catch_up(self) -> int:
        """Project every event committed so far; cheap (three small queries) when nothing is new; nothing
        inside a snapshot (it caught up when it began)."""
        if not self.projecting or self.in_snapshot():
            return 0
        projector = self.projector
        return projector.run() if projector.pending() else 0

    def _rows(self, sql: str, params=()) -> list[tuple]:
        with self.store.read() as tx:  # inside a snapshot: its transaction (ViewStore.read nests)
            return tx.execute(sql, params)

    rows = _rows  # for the query modules beside Views (work_queue)

    def _memo(self, key: str, make):
        """make() once per snapshot (every time outside one)."""
        memo = getattr(self._snapshot_state(), "memo", None)
        if memo is None:
            return make()
        if key not in memo:
            memo[key] = make()
        return memo[key]
