"""`ami project`: the read models brought to the logs' ends once, rebuilt, or followed; what it did, printed."""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable

from services.cli.context import env_with
from shared.config import load_settings

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
    if rebuild or not follow:
        _report_set_aside(views.store, echo)
    if follow:
        stop = stop or threading.Event()
        echo(f"Projektor folgt den Ereignissen ({views.store.backend}); Ende mit Ctrl-C.")
        projector.follow(stop, on_batch=lambda n: log.info("%d Ereignisse projiziert", n))
    return 0


def _report_set_aside(store, echo: Callable[[str], None]) -> None:
    """The events the projector could not use, so that an operator sees them (they are also logged as errors)."""
    from shared.readmodels.projector.guard import set_aside

    found = set_aside(store)
    if found:
        echo(f"Achtung: {len(found)} Ereignis(se) beiseitegelegt (Tabelle skipped_events), zuletzt:")
        for e in found[-5:]:
            echo(f"  {e['source']} #{e['notification_id']} {e['originator_id']}: {e['reason']}")


def cmd_project(args) -> int:
    """Project both notification logs into the read models: once, --rebuild, or --follow until stopped."""
    from shared.portal import open_portal

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    settings = load_settings(env_with(args))
    portal = open_portal(settings)
    if args.follow:  # while following, sign a checkpoint of the stores now and then (only if they moved)
        threading.Thread(target=_checkpoints, args=(settings, stop), daemon=True, name="checkpoints").start()
    try:
        return run_command(portal, follow=args.follow, rebuild=args.rebuild, stop=stop,
                           echo=lambda text: print(text, flush=True))
    finally:
        portal.close()


def _checkpoints(settings, stop) -> None:
    from shared.audit.application.checkpoints import checkpoint_store

    log = logging.getLogger("ami.audit")
    interval = float(os.environ.get("AMI_CHECKPOINT_SECONDS", "60"))
    while not stop.wait(interval):
        try:
            checkpoint_store(settings)
        except Exception:  # a failed checkpoint is retried at the next interval; the services go on
            log.exception("Checkpoint fehlgeschlagen")
