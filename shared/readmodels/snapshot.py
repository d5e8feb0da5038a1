"""One snapshot per page: the read models' queries of one request in a single read transaction."""
# `with views.snapshot():` around a page's reads: everything projected up to now is caught up once, then each
# query of the page (on this thread) runs in the same REPEATABLE READ transaction — one connection, the
# figures of one moment, and none of the per-query BEGIN/COMMIT round trips (profile of issue 16: the dashboard
# made fourteen transactions and caught up twice). Outside a snapshot every query is its own transaction.
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from shared.readmodels.position_watch import PositionWatch, reached

FOLLOWER_WAIT = 3.0  # seconds a request waits for the following projector before it projects itself


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
        if getattr(state, "memo", None) is not None:  # nested: the outer snapshot holds
            yield
            return
        with ExitStack() as reading:
            reading.enter_context(self.store.read())  # every store.read() of this thread inside is this one
            if self.projecting:
                heads, positions = self._progress()  # PostgreSQL: in this transaction, one statement
                if not reached(heads, positions):
                    reading.close()  # project (or wait for the projector) outside the snapshot, then begin anew
                    self._catch_up_to(heads)
                    reading.enter_context(self.store.read())
            state.memo = {}
            try:
                yield
            finally:
                state.memo = None

    def in_snapshot(self) -> bool:
        return getattr(self._snapshot_state(), "memo", None) is not None

    def catch_up(self) -> int:
        """Every event committed so far is in the views afterwards; cheap (one statement on PostgreSQL, three
        small queries on SQLite) when nothing is new; nothing inside a snapshot (it caught up when it began)."""
        if not self.projecting or self.in_snapshot():
            return 0
        heads, positions = self._progress()
        return 0 if reached(heads, positions) else self._catch_up_to(heads)

    def _catch_up_to(self, heads: dict[str, int]) -> int:
        """While a projector follows the logs (`ami project --follow`, PostgreSQL), a request waits for it to pass
        `heads` instead of projecting itself: no request takes the views' write lock from it or from another
        request (profile of issue 16: under uploads every page queued for that lock), and the projection's CPU
        stays in the projector's process. Without one, or when it lags FOLLOWER_WAIT seconds, the request
        projects."""
        if self.store.follower_active() and self._position_watch().wait(heads, FOLLOWER_WAIT):
            return 0
        return self.projector.run()

    def _position_watch(self) -> PositionWatch:
        """The process's one poll of the views' positions, shared by every request waiting for the projector."""
        watch = self.__dict__.get("_watch")
        if watch is None:
            watch = self.__dict__.setdefault("_watch", PositionWatch(self.store.positions_now))
        return watch

    def _progress(self) -> tuple[dict[str, int], dict[str, int]]:
        """(each log's end, the views' positions): on PostgreSQL of one moment in one statement (profile of issue
        16: the check before every page was eight round trips), else from the recorders and the views."""
        projector = self.projector
        if self.store.backend == "postgres":
            found = self.store.progress(projector.log_tables())
            if found is not None:
                return found
        return projector.heads(), self.store.positions()

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
