"""A service that opens its own store (as under `ami serve`) settles its collector: what its start made is frozen
(the collector's full runs then skip the modules, templates and the store's objects; issue 16: under load its full
runs took 50–80 ms each, frozen 3–22 ms), and its young generation is looked at after 10,000 new containers, not
700 (a 10,000-line invoice page ran a dozen full collections per six pages)."""
from __future__ import annotations

import gc

from litestar.testing import TestClient

from shared.kernel import collector


def test_a_service_that_opens_its_own_store_settles_its_collector(settings):
    from services.reporting.app import create_app

    before = gc.get_threshold()
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)  # Python's own (another test's service may have settled this process before)
    try:
        with TestClient(create_app(settings)) as client:
            assert client.get("/health").status_code == 200
            assert gc.get_freeze_count() > 10_000
            assert gc.get_threshold() == collector.THRESHOLDS
    finally:
        gc.unfreeze()  # the test process keeps collecting as before
        gc.set_threshold(*before)


def test_a_service_given_its_store_leaves_the_collector_alone(settings, portal):
    from services.reporting.app import create_app

    before = gc.get_threshold()
    with TestClient(create_app(settings, portal=portal)) as client:
        assert client.get("/health").status_code == 200
        assert gc.get_threshold() == before  # the tests' processes collect as Python does
