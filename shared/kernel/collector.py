"""Python's cyclic garbage collector as the portal runs it: held off while one large document is taken in, and
settled once a long-running process has started.

Parsing, checking and sealing a 10,000-line invoice allocates a few hundred thousand small objects; each
collection then walks the whole heap (profile: ~40 % of the intake's CPU). The documents' objects form no
cycles worth collecting early, so the collector waits until the last intake running in the process is done
(reference counting frees everything else as usual). Nested and concurrent intakes share one count.

A service process (and a heavy process making exports) settles its collector once it has started: what the start
made lives as long as the process, frozen the collector's full runs skip it; the young generation is looked at
after 10,000 new containers, not 700: a page that builds many objects which live until its answer (a 10,000-line
invoice: ~150,000) made it run ~1,600 young and a dozen full collections per six pages, half the page's time
(docs/benchmarks.md, «Issue 16, ninth pass»). The portal's objects rarely form cycles, so little waits longer."""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()


THRESHOLDS = (10_000, 10, 10)


def settle() -> None:
    """Once a long-running process has started: its garbage collected, the rest frozen, the young generation larger."""
    gc.collect()  # the start's garbage goes first: frozen, a cycle would stay for the process's life
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
