"""The requests of one process that wait for the following projector share one poll of its positions.

While `ami project --follow` projects, a request that finds the views behind the logs waits until the projector has
passed the logs' ends it saw. Each waiting request asked the views' positions itself every 5 ms: under uploads
(issue 16, 20 people without pause) most pages waited so, a statement per waiting request every 5 ms. Now one waiting
request at a time asks; the others sleep on a condition and are woken by its answer, so a process asks at most once
per POLL_S however many of its requests wait (measured: as many requests answered, within the noise; fewer statements).
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

POLL_S = 0.005  # between two asks of the positions while a request waits


def reached(heads: dict[str, int], positions: dict[str, int]) -> bool:
    """Whether the views' positions have passed each log's end in `heads`."""
    return all(positions.get(source, 0) >= head for source, head in heads.items())


class PositionWatch:
    """wait(heads, timeout): True once the positions read by `read()` reach `heads`, False after `timeout` seconds.

    Only an answer asked for after a request began waiting counts for it (positions only grow, but a rebuild starts
    them anew). A failing read is raised in the request that asked; the next waiting request asks again."""

    def __init__(self, read: Callable[[], dict[str, int]], interval: float = POLL_S):
        self._read = read
        self._interval = interval
        self._changed = threading.Condition()
        self._positions: dict[str, int] = {}
        self._answers = 0  # answers read so far
        self._asking = False  # whether a waiting request is asking now
        self.asked = 0  # reads made (for the tests)

    def wait(self, heads: dict[str, int], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._changed:
            before = self._answers + self._asking  # an answer being read now may be of before this request
            while True:
                if self._answers > before and reached(heads, self._positions):
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                if self._asking:
                    self._changed.wait(remaining)
                else:
                    self._ask(remaining)

    def _ask(self, remaining: float) -> None:
        """Called holding the condition: released while sleeping and reading, the answer shared with every waiter."""
        self._asking = True
        self._changed.release()
        positions = None
        try:
            time.sleep(min(self._interval, remaining))
            self.asked += 1
            positions = self._read()
        finally:
            self._changed.acquire()
            self._asking = False
            if positions is not None:
                self._positions = positions
                self._answers += 1
            self._changed.notify_all()
