"""The reporting service killed with SIGKILL in the middle of uploads (PostgreSQL): `ami serve` starts it again
by itself; clients that retry get the same document (idempotent ids); every acknowledged upload is stored once
and whole."""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from tests.e2e.test_serve import free_port, get

BIN = Path(sys.executable).parent
HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"


def reporting_pid(port: int) -> int | None:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"services.reporting.app:create_app" in cmd and str(port).encode() in cmd:
            return int(entry.name)
    return None


def post(url: str, token: str, body: bytes) -> tuple[int, str | None]:
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())["id"]
    except urllib.error.HTTPError as e:
        return e.code, None
    except (OSError, http.client.HTTPException, ValueError):
        return 0, None  # refused, reset, or the answer cut off mid-body (IncompleteRead): not acknowledged


def test_sigkill_mid_upload_loses_nothing_and_recovers(pg_database_url, tmp_path):
    rep_port = free_port()
    env = dict(os.environ, AMI_DATA_DIR=str(tmp_path / "data"), DATABASE_URL=pg_database_url,
               AMI_REPORTING_PORT=str(rep_port), AMI_SUPERVISION_PORT=str(free_port()))
    rep = f"http://127.0.0.1:{rep_port}"
    proc = subprocess.Popen([str(BIN / "ami"), "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        t0 = time.time()
        while get(rep + "/health") != 200:
            assert proc.poll() is None and time.time() - t0 < 60
            time.sleep(0.2)
        token = subprocess.run([str(BIN / "ami"), "token", "create", "--provider", "regiomech"], env=env,
                               capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        acknowledged: dict[int, str] = {}
        lines_per_upload = 40
        stop = threading.Event()

        def client(c: int) -> None:
            for i in range(c, 400, 4):
                if stop.is_set():
                    return
                rows = "".join(f"{i % 12 + 1:02d}.2024;U{i}-P{k};Qualifizierung;Selbstzahler;;Einsatztag;5;80.00;400.00\n"
                               for k in range(lines_per_upload))
                body = f"{HEADER}\n{rows}".encode()
                for _ in range(200):  # a client retries until acknowledged, as the API's idempotency allows
                    status, ident = post(rep + "/api/v1/invoices", token, body)
                    if status in (200, 201):
                        acknowledged[i] = ident
                        break
                    time.sleep(0.1)

        threads = [threading.Thread(target=client, args=(c,)) for c in range(4)]
        for t in threads:
            t.start()
        while len(acknowledged) < 30:
            time.sleep(0.05)
        victim = reporting_pid(rep_port)
        assert victim is not None
        os.kill(victim, signal.SIGKILL)  # in the middle of the uploads
        killed_at = time.time()
        for t in threads:
            t.join(240)
        assert get(rep + "/health") == 200  # started again by `ami serve`, no restart by hand
        assert reporting_pid(rep_port) not in (None, victim)
        assert len(acknowledged) == 400, len(acknowledged)
        assert time.time() - killed_at < 240
        from shared.store.eventstore import connect_postgres

        with connect_postgres(pg_database_url) as conn:
            rows = conn.execute("SELECT originator_id, topic FROM ami_reporting.reporting_events").fetchall()
        received = [str(r[0]) for r in rows if r[1].endswith("Invoice.Received")]
        assert len(received) == len(set(received)) == 400  # none doubled, none lost
        assert set(received) == set(acknowledged.values())
        # none partial: every stored invoice has all its lines
        from shared.config import load_settings
        from shared.portal import open_portal

        portal = open_portal(load_settings(env))
        try:
            for invoice in portal.reporting.invoices("regiomech"):
                assert len(invoice.latest["lines"]) == lines_per_upload
        finally:
            portal.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
