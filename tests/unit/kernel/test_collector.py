"""The collector is held off while documents are taken in, and comes back when the last one is done."""
from __future__ import annotations

import gc
import threading

import pytest

from shared.kernel.collector import collector_paused


def test_nested_and_concurrent_intakes_share_one_pause_and_an_error_ends_it():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer intake still runs
    assert gc.isenabled()

    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    t = threading.Thread(target=other)
    t.start()
    inside.wait(5)
    with collector_paused():
        pass
    assert not gc.isenabled()  # the other thread's intake is not done
    release.set()
    t.join(5)
    assert gc.isenabled()

    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("refused")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_host_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
