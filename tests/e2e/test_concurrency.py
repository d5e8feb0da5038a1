"""20 concurrent clients × 50 uploads against `ami serve --workers 2` on PostgreSQL: all answered, none lost,
none doubled; notification ids strictly increasing."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.e2e.test_serve import free_port, get

BIN = Path(sys.executable).parent
HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"


def post(url: str, token: str, body: bytes) -> tuple[int, str]:
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            import json

            return r.status, json.loads(r.read())["id"]
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()[:200]


def test_concurrent_uploads_on_postgres(pg_database_url, tmp_path):
    env = dict(os.environ, AMI_DATA_DIR=str(tmp_path / "data"), DATABASE_URL=pg_database_url,
               AMI_REPORTING_PORT=str(free_port()), AMI_SUPERVISION_PORT=str(free_port()))
    rep = f"http://127.0.0.1:{env['AMI_REPORTING_PORT']}"
    proc = subprocess.Popen([str(BIN / "ami"), "serve", "--workers", "2"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        t0 = time.time()
        while get(rep + "/health") != 200:
            assert proc.poll() is None and time.time() - t0 < 60
            time.sleep(0.3)
        providers = ["regiomech", "oltech", "heks", "vebo", "sove", "wende", "trinamo", "profil", "jsw", "impiega"]
        tokens = {}
        for slug in providers:
            out = subprocess.run([str(BIN / "ami"), "token", "create", "--provider", slug], env=env,
                                 capture_output=True, text=True, check=True).stdout
            tokens[slug] = out.strip().splitlines()[-1]

        def client(c: int) -> list[tuple[int, str, str]]:
            slug = providers[c % len(providers)]  # two clients per provider: same months contend
            results = []
            for i in range(50):
                month = i % 12 + 1
                body = (f"{HEADER}\n{month:02d}.2024;C{c}-U{i};Qualifizierung;Selbstzahler;;Einsatztag;5;80.00;400.00\n"
                        ).encode()
                status, ident = post(rep + "/api/v1/invoices", tokens[slug], body)
                results.append((status, ident, slug))
            return results

        # a second projector competes with the one `ami serve` runs: only one may be active (advisory lock)
        rival = subprocess.Popen([str(BIN / "ami"), "project", "--follow"], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.STDOUT, start_new_session=True)
        # while the load runs, count each process kind's connections: the budget must hold under load
        from shared.store.eventstore import SIDE_POOL_MAX, connect_postgres

        peaks: dict[str, int] = {}
        done = threading.Event()

        def sample() -> None:
            with connect_postgres(pg_database_url) as conn:
                while not done.is_set():
                    for name, n in conn.execute("SELECT application_name, count(*) FROM pg_stat_activity "
                                                "WHERE datname = current_database() GROUP BY 1").fetchall():
                        peaks[name] = max(peaks.get(name, 0), n)
                    time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        with ThreadPoolExecutor(20) as pool:
            results = [r for batch in pool.map(client, range(20)) for r in batch]
        done.set()
        sampler.join(10)
        per_process = 2 * (2 + 2) + SIDE_POOL_MAX  # two Applications (AMI_PG_POOL_SIZE + AMI_PG_MAX_OVERFLOW) + side
        assert 0 < peaks.get("ami-reporting", 0) <= 2 * per_process, peaks
        assert peaks.get("ami-supervision", 0) <= 2 * per_process, peaks
        assert len(results) == 1000
        assert all(status == 201 for status, _, _ in results), [r for r in results if r[0] != 201][:3]
        ids = [ident for _, ident, _ in results]
        assert len(set(ids)) == 1000
        # every acknowledged upload is stored exactly once, and the log's ids strictly increase
        with connect_postgres(pg_database_url) as conn:
            rows = conn.execute("SELECT notification_id, topic FROM ami_reporting.reporting_events "
                                "ORDER BY notification_id").fetchall()
        received = [r for r in rows if r[1].endswith("Invoice.Received")]
        assert len(received) == 1000
        nids = [r[0] for r in rows]
        assert nids == sorted(set(nids))
        # the read models hold every upload exactly once, whichever projector applied it
        os.killpg(proc.pid, signal.SIGTERM)  # stop the first projector (and the services): the rival takes over
        proc.wait(30)
        deadline = time.time() + 60
        while True:
            with connect_postgres(pg_database_url) as conn:
                count, distinct = conn.execute("SELECT count(*), count(DISTINCT invoice_id) FROM ami_views.invoices"
                                               ).fetchone()
                position = conn.execute("SELECT max(position) FROM ami_views.tracking").fetchone()[0]
            if count >= 1000 or time.time() > deadline:
                break
            time.sleep(0.5)
        assert (count, distinct) == (1000, 1000), (count, distinct, position)
        rival.terminate()
        rival.wait(30)
    finally:
        for p in (proc, locals().get("rival")):
            if p is not None and p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(30)
