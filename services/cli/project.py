"""`ami project`: the read models brought to the logs' ends once, rebuilt, or followed; what it did, printed."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger("ami.projector")


def run_command(portal, *, follow: bool = False, rebuild: bool = False, echo: Callable[[str], None] = print,
                stop: threading.Event | None = None) -> int:
    """To the end of both logs once; `rebuild` from scratch; `follow` until `stop` is set. Returns the exit code."""
    views = portal.views
    projector = views.projector
    t0 = time.perf_counter()
    if rebuild:
        count = projector.rebuild()
        echo(f"Lesemodelle neu aufgebaut: {count} Ereignisse in {time.perf_counter() - t0:.1f} s")
    elif not follow:
        count = projector.run()
        echo(f"{count} Ereignisse projiziert in {time.perf_counter() - t0:.1f} s; Positionen "
             + ", ".join(f"{k} {v}" for k, v in sorted(views.store.positions().items())))
    if follow:
        stop = stop or threading.Event()
        echo(f"Projektor folgt den Ereignissen ({views.store.backend}); Ende mit Ctrl-C.")
        projector.follow(stop, on_batch=lambda n: log.info("%d Ereignisse projiziert", n))
    return 0
