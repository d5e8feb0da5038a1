"""The projector killed with SIGKILL at random points of a rebuild and started again: the read models end
identical to a clean rebuild (each batch and its tracking position commit together, or not at all)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shared.config import load_settings

BIN = Path(sys.executable).parent


@pytest.fixture(params=["sqlite", "postgres"])
def env(request, tmp_path):
    env = dict(os.environ, AMI_DATA_DIR=str(tmp_path / "data"))
    env.pop("DATABASE_URL", None)
    if request.param == "postgres":
        env["DATABASE_URL"] = request.getfixturevalue("pg_database_url")
    from shared.portal import open_portal
    from shared.portal.reporting import Upload
    from tests.bench.generate import invoice_csv

    portal = open_portal(load_settings(env))
    try:  # enough lines that a rebuild takes a while: 26 providers × 3 months × 300 lines
        for month in (1, 2, 3):
            for i, slug in enumerate(portal.supervision.provider_slugs()):
                data = invoice_csv(300, f"{month:02d}.2025", seed=month * 100 + i, prefix=slug[:3].upper())
                portal.reporting.submit_invoice(slug, Upload(data, "text/csv", None), "test")
    finally:
        portal.close()
    return env


def views_state(env: dict) -> tuple[dict, dict]:
    from shared.portal import open_portal

    portal = open_portal(load_settings(env))
    try:
        return portal.views.store.dump(), portal.views.store.positions()
    finally:
        portal.close()


def test_sigkill_at_random_points_then_restart_equals_a_clean_rebuild(env):
    rnd = random.Random(os.environ.get("AMI_TEST_SEED", "projector-kill"))
    ami = str(BIN / "ami")
    t0 = time.monotonic()
    subprocess.run([ami, "project", "--rebuild"], env=env, check=True, capture_output=True, timeout=300)
    took = time.monotonic() - t0  # process start included: the kills below land anywhere in such a run
    clean, heads = views_state(env)
    assert sum(len(rows) for rows in clean.values()) > 1000
    mid_run = 0
    for _ in range(8):
        proc = subprocess.Popen([ami, "project", "--rebuild"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rnd.uniform(0.3, 1.0) * took)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
        _, positions = views_state(env)
        mid_run += positions != heads  # killed before the end: the views are behind the logs
        # started again, without --rebuild: it goes on from the position the last whole batch recorded
        subprocess.run([ami, "project"], env=env, check=True, capture_output=True, timeout=300)
        after, positions = views_state(env)
        assert positions == heads
        assert after == clean  # every kill, whatever it interrupted, ends in the same views
    print(f"rebuild {took:.1f} s; {mid_run} of 8 kills landed mid-run")
    assert mid_run >= 3, "the kills should land while the projector works"
