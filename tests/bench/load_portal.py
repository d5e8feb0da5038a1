"""The load bench's portal (tests/bench/load.py): a private PostgreSQL store filled with three demo years, the
crowd's accounts and tokens, and `ami serve` on free ports of 127.0.0.1 with its CPU and memory read from /proc."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx

from tests.bench.procfs import tree_usage

HOST = "127.0.0.1"  # never anything else: the bench must not reach beyond this machine
PASSWORD = "load-bench-passwort-2025"  # noqa: S105 - accounts of a private bench store
YEARS = (2023, 2024, 2025)
MIX = {"supervisor": 8, "provider": 8, "finance": 4}  # per 20 people


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _env(data_dir: str, url: str) -> dict:
    return {**os.environ, "AMI_DATA_DIR": data_dir, "DATABASE_URL": url, "AMI_SECURE_COOKIES": "0"}


def fill(data_dir: str, url: str) -> None:
    """Three demo years through the real intake (`ami demo --year`), each as its own process."""
    for year in YEARS:
        subprocess.run([sys.executable, "-m", "services.cli", "demo", "--year", str(year), "--workers", "2"],
                       env=_env(data_dir, url), check=True, stdout=subprocess.DEVNULL)


def prepare(data_dir: str, url: str, people: int) -> dict:
    """Accounts and tokens for the crowd, the providers and invoices it visits."""
    from shared.config import load_settings
    from shared.portal import open_portal

    portal = open_portal(load_settings(_env(data_dir, url)))
    try:
        sup = portal.supervision
        slugs = sup.provider_slugs()
        tag = uuid.uuid4().hex[:6]
        made: dict[str, list] = defaultdict(list)
        for role, n in MIX.items():
            for i in range(n * people // 20):
                provider = slugs[i % len(slugs)] if role == "provider" else None
                name = f"load-{role[:3]}-{tag}-{i}"
                sup.create_account(name, PASSWORD, role, provider, "bench")
                token = sup.issue_token("provider", provider, f"load {name}", "bench") if provider else None
                made[role].append((name, provider, token))
        portal.views.catch_up()
        with portal.views.store.read() as tx:
            invoices = [r[0] for r in tx.execute(
                "SELECT invoice_id FROM invoices WHERE findings > 0 AND period BETWEEN '2025-01' AND '2025-12'")]
    finally:
        portal.close()
    return {"accounts": made, "slugs": slugs, "invoices": invoices}


# --- the portal ---------------------------------------------------------------------------------------
class Portal:
    """`ami serve` on two free ports of 127.0.0.1; CPU and memory of its process tree sampled from /proc."""

    def __init__(self, data_dir: str, url: str):
        self.log = open(Path(data_dir) / "load-serve.log", "ab")  # noqa: SIM115 - kept open while it runs
        self.reporting = f"http://{HOST}:{_free_port()}"
        self.supervision = f"http://{HOST}:{_free_port()}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "serve", "--host", HOST,
             "--reporting-port", self.reporting.rsplit(":", 1)[1],
             "--supervision-port", self.supervision.rsplit(":", 1)[1],
             "--workers", os.environ.get("AMI_BENCH_LOAD_WORKERS", "1")],
            env=_env(data_dir, url), stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if all(httpx.get(base + "/health", timeout=2).status_code == 200
                       for base in (self.reporting, self.supervision)):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError("ami serve answered /health not within 60 s")

    def usage(self) -> tuple[float, float]:
        """(CPU seconds used so far, resident MB now) of the whole process tree of `ami serve`."""
        return tree_usage(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
