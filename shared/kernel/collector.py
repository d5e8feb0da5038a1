"""Python's cyclic garbage collector held off while one large document is taken in.

Parsing, checking and sealing a 10,000-line invoice allocates a few hundred thousand small objects; each
collection then walks the whole heap (profile: ~40 % of the intake's CPU). The documents' objects form no
cycles worth collecting early, so the collector waits until the last intake running in the process is done
(reference counting frees everything else as usual). Nested and concurrent intakes share one count."""
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
