"""The requests of a process waiting for the following projector share one poll of the views' positions."""
from __future__ import annotations

import threading
import time

import pytest

from shared.readmodels.position_watch import PositionWatch, reached


class Projection:
    """Positions that grow while requests wait; counts how often they are read."""

    def __init__(self):
        self.position = 0
        self.reads = 0
        self.lock = threading.Lock()

    def read(self) -> dict[str, int]:
        with self.lock:
            self.reads += 1
            time.sleep(0.002)  # a round trip
            return {"reporting": self.position}


def test_reached_needs_every_log():
    assert reached({"reporting": 3, "supervision": 1}, {"reporting": 3, "supervision": 2})
    assert not reached({"reporting": 3, "supervision": 1}, {"reporting": 3})
    assert reached({}, {})


def test_many_waiting_requests_share_the_reads():
    projection = Projection()
    watch = PositionWatch(projection.read, interval=0.005)
    results: list[bool] = []
    waiting = [threading.Thread(target=lambda: results.append(watch.wait({"reporting": 5}, 5.0))) for _ in range(30)]
    for thread in waiting:
        thread.start()
    time.sleep(0.1)
    projection.position = 5
    for thread in waiting:
        thread.join(10)
    assert results == [True] * 30
    # 30 requests polling for ~0.1 s each would have read ~600 times; shared, one read per interval
    assert projection.reads == watch.asked
    assert projection.reads < 40


def test_a_wait_ends_false_at_its_timeout():
    projection = Projection()
    watch = PositionWatch(projection.read, interval=0.005)
    t0 = time.monotonic()
    assert watch.wait({"reporting": 1}, 0.05) is False
    assert 0.04 < time.monotonic() - t0 < 1.0
    assert projection.reads >= 1


def test_an_answer_asked_before_the_request_came_does_not_count():
    """Positions seen before a request began (a rebuild may have started them anew since) are asked again."""
    projection = Projection()
    watch = PositionWatch(projection.read, interval=0.0)
    projection.position = 9
    assert watch.wait({"reporting": 9}, 1.0)
    reads = projection.reads
    projection.position = 0  # views rebuilt from empty
    assert watch.wait({"reporting": 9}, 0.05) is False
    assert projection.reads > reads


def test_a_failing_read_is_raised_and_the_next_request_asks_again():
    calls = []

    def read():
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("database gone")
        return {"reporting": 2}

    watch = PositionWatch(read, interval=0.0)
    with pytest.raises(ConnectionError):
        watch.wait({"reporting": 2}, 1.0)
    assert watch.wait({"reporting": 2}, 1.0)
    assert len(calls) == 2
