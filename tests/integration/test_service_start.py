"""A service that opens its own store (as under `ami serve`) freezes what its start made: the collector's full
runs then skip the modules, templates and the store's objects (issue 16: under load its full runs took 50–80 ms
each, frozen 3–22 ms)."""
from __future__ import annotations

import gc

from litestar.testing import TestClient


def test_a_service_that_opens_its_own_store_freezes_what_its_start_made(settings):
    from services.reporting.app import create_app

    gc.unfreeze()
    try:
        with TestClient(create_app(settings)) as client:
            assert client.get("/health").status_code == 200
            assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()  # the test process keeps collecting as before
