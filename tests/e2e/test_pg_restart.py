"""PostgreSQL stopped with `pg_ctl stop -m immediate` in the middle of uploads, then started again: every
acknowledged upload is stored once and whole, nothing doubled, requests during the outage wait or are answered
503 (never 500), and `ami serve` and its projector recover by themselves (/health 200, new uploads accepted, the
read models complete) without a restart by hand.

The shared cluster (port 5432) is never touched: the test makes a throwaway cluster of its own and drops it."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.e2e.test_serve import free_port, get

pytestmark = pytest.mark.postgres

BIN = Path(sys.executable).parent
HEADER = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag"
LINES_PER_UPLOAD = 8
CLIENTS = 4
# A client gives up on an answer after this long and sends the same upload again: the app holds a request while
# the store is away (about 20 s of waiting for a connection before it answers 503), so without a client timeout a
# short outage shows only as slow answers. The retry of a request still pending on the server must not double.
CLIENT_TIMEOUT = 3.0


def _need_own_cluster() -> str:
    """The PostgreSQL version to make a throwaway cluster with; skip (fail under CI) when that is impossible."""
    reason = None
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        reason = "making a throwaway PostgreSQL cluster needs root"
    elif not (shutil.which("pg_createcluster") and shutil.which("pg_ctlcluster") and shutil.which("pg_dropcluster")):
        reason = "pg_createcluster/pg_ctlcluster/pg_dropcluster not installed (postgresql-common)"
    elif not Path("/etc/postgresql").is_dir() or not os.listdir("/etc/postgresql"):
        reason = "no PostgreSQL version under /etc/postgresql"
    if reason:
        if IN_CI:
            pytest.fail(f"{reason} (CI requires this test to run)")
        pytest.skip(reason)
    return sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(x) for x in v.split(".") if x.isdigit()])[-1]


def _ctl(version: str, name: str, *action: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, *action], check=True,
                   capture_output=True, text=True, timeout=60)


def _ready(port: int) -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(port), "-q"], timeout=10).returncode == 0


def _wait_ready(port: int, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while not _ready(port):
        assert time.time() < deadline, f"throwaway cluster on port {port} did not come up"
        time.sleep(0.2)


@contextmanager
def throwaway_cluster():
    """A PostgreSQL cluster of its own on a free port (trust auth), dropped afterwards whatever happened."""
    version = _need_own_cluster()
    name = f"ami_t{uuid.uuid4().hex[:8]}"
    port = free_port()
    try:
        subprocess.run(["pg_createcluster", "--start-conf", "manual", "-p", str(port), version, name, "--",
                        "--auth=trust"], check=True, capture_output=True, text=True, timeout=120)
        _ctl(version, name, "start")
        _wait_ready(port)
        yield version, name, port
    finally:
        subprocess.run(["pg_dropcluster", "--stop", version, name], capture_output=True, timeout=120)


def post(url: str, token: str, body: bytes, timeout: float) -> tuple[int, str | None]:
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())["id"]
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Retry-After")
    except (OSError, http.client.HTTPException, ValueError):
        return 0, None  # refused, reset, timed out or cut off mid-body: not acknowledged


def health(url: str, timeout: float) -> int:
    return get(url + "/health", timeout=timeout)


def test_postgres_immediate_stop_mid_upload_loses_nothing_and_recovers(tmp_path):
    with throwaway_cluster() as (version, name, pg_port):
        _run(tmp_path, version, name, pg_port)


def _run(tmp_path: Path, version: str, name: str, pg_port: int) -> None:
    db_url = f"postgresql://postgres@127.0.0.1:{pg_port}/postgres"
    rep_port, sup_port = free_port(), free_port()
    env = dict(os.environ, AMI_DATA_DIR=str(tmp_path / "data"), DATABASE_URL=db_url,
               AMI_REPORTING_PORT=str(rep_port), AMI_SUPERVISION_PORT=str(sup_port))
    rep, sup = f"http://127.0.0.1:{rep_port}", f"http://127.0.0.1:{sup_port}"
    log_path = tmp_path / "serve.log"
    log = log_path.open("wb")
    proc = subprocess.Popen([str(BIN / "ami"), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)

    def serve_log() -> str:
        return log_path.read_text(errors="replace")[-6000:]

    try:
        t0 = time.time()
        while get(rep + "/health") != 200 or get(sup + "/health") != 200:  # both started, before the outage
            assert proc.poll() is None and time.time() - t0 < 60, serve_log()
            time.sleep(0.2)
        token = subprocess.run([str(BIN / "ami"), "token", "create", "--provider", "regiomech"], env=env,
                               capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]

        acknowledged: dict[str, str] = {}  # upload key -> id answered with 201/200
        answers: list[tuple[float, float, int, str | None]] = []  # (sent, answered, status, Retry-After)
        lock = threading.Lock()
        no_new_uploads = threading.Event()
        unfinished: list[str] = []  # uploads a client gave up on (none: each is retried until acknowledged)
        give_up = time.time() + 45  # the clients' loops are bounded in time whatever happens

        def client(c: int) -> None:
            i = 0
            while not no_new_uploads.is_set() and time.time() < give_up:
                key = f"C{c}-U{i}"
                rows = "".join(f"{i % 12 + 1:02d}.2024;{key}-P{k};Qualifizierung;Selbstzahler;;Einsatztag;5;80.00;"
                               "400.00\n" for k in range(LINES_PER_UPLOAD))
                body = f"{HEADER}\n{rows}".encode()
                while time.time() < give_up:  # retried until acknowledged, as the API's idempotency allows
                    sent = time.time()
                    status, ident = post(rep + "/api/v1/invoices", token, body, CLIENT_TIMEOUT)
                    with lock:
                        answers.append((sent, time.time(), status, ident if status not in (200, 201) else None))
                    if status in (200, 201):
                        with lock:
                            acknowledged[key] = ident
                        break
                    time.sleep(0.1)
                else:
                    unfinished.append(key)
                i += 1

        threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in range(CLIENTS)]
        for t in threads:
            t.start()
        while len(acknowledged) < 20:  # the uploads are well under way
            assert time.time() < give_up, (answers[-5:], serve_log())
            time.sleep(0.05)

        _ctl(version, name, "stop", "-m", "immediate")  # no checkpoint, open transactions lost
        down_at = time.time()
        acked_before = len(acknowledged)
        time.sleep(3)
        health_during_outage = health(rep, 2)
        _ctl(version, name, "start")
        _wait_ready(pg_port)
        up_at = time.time()

        # `ami serve` and its children recover by themselves: /health answers 200 again
        while health(rep, 2) != 200 or health(sup, 2) != 200:
            assert time.time() - up_at < 30, ("no recovery after the restart", serve_log())
            assert proc.poll() is None, ("ami serve gave up", serve_log())
            time.sleep(0.2)
        recovered_at = time.time()
        time.sleep(2)  # uploads go on for a while after the recovery
        no_new_uploads.set()
        for t in threads:
            t.join(40)
        assert not any(t.is_alive() for t in threads)
        assert not unfinished, (unfinished, serve_log())
        assert proc.poll() is None, ("ami serve gave up", serve_log())

        # a new upload after the recovery is accepted at once
        body = (f"{HEADER}\n05.2024;AFTER-P0;Qualifizierung;Selbstzahler;;Einsatztag;5;80.00;400.00\n").encode()
        status, ident = post(rep + "/api/v1/invoices", token, body, 30)
        assert status == 201, (status, serve_log())
        acknowledged["AFTER"] = ident

        statuses = [a[2] for a in answers]
        assert 500 not in statuses, ("a 500 during the outage is a product bug", serve_log())
        # while the store is away a request is answered 503 with Retry-After, or not in the client's time: nothing else
        assert set(statuses) <= {200, 201, 503, 0}, (sorted(set(statuses)), serve_log())
        assert all(ra for _, _, s, ra in answers if s == 503), "503 without Retry-After"
        # the outage happened under load: some requests were not acknowledged while the store was away
        failed_in_outage = [a for a in answers if a[2] not in (200, 201) and a[1] >= down_at and a[0] <= up_at]
        assert failed_in_outage, "no request failed during the outage"
        assert health_during_outage != 200
        # uploads went on being acknowledged after the recovery (not only the single one above)
        assert any(s in (200, 201) and sent >= recovered_at for sent, _, s, _ in answers)
        assert len(acknowledged) > acked_before

        # every acknowledged upload is stored exactly once, none doubled, none that was not acknowledged
        from shared.store.eventstore import connect_postgres

        with connect_postgres(db_url) as conn:
            rows = conn.execute("SELECT originator_id, topic FROM ami_reporting.reporting_events").fetchall()
        received = [str(r[0]) for r in rows if r[1].endswith("Invoice.Received")]
        assert len(received) == len(set(received)), "an upload stored twice"
        assert set(received) == set(acknowledged.values())
        assert len(set(acknowledged.values())) == len(acknowledged), "two uploads answered with the same id"

        # the projector followed through the outage (it reconnects by itself): the read models hold every
        # acknowledged upload exactly once, without a restart by hand
        deadline = time.time() + 30
        while True:
            with connect_postgres(db_url) as conn:
                projected = {str(r[0]) for r in conn.execute("SELECT invoice_id FROM ami_views.invoices")}
            if projected >= set(acknowledged.values()) or time.time() > deadline:
                break
            time.sleep(0.5)
        assert projected == set(acknowledged.values()), ("read models incomplete", serve_log())

        # none partial: every stored invoice has all its lines
        from shared.config import load_settings
        from shared.portal import open_portal

        portal = open_portal(load_settings(env))
        try:
            invoices = portal.reporting.invoices("regiomech")
            assert {str(inv.id) for inv in invoices} == set(acknowledged.values())
            for invoice in invoices:
                want = 1 if str(invoice.id) == acknowledged["AFTER"] else LINES_PER_UPLOAD
                assert len(invoice.latest["lines"]) == want, str(invoice.id)
        finally:
            portal.close()
        print(f"acknowledged {len(acknowledged)} uploads ({acked_before} before the stop, "
              f"{statuses.count(200)} answered 200 to a retry); "
              f"{len(failed_in_outage)} answers during the outage: {sorted(set(a[2] for a in failed_in_outage))}; "
              f"/health during the outage {health_during_outage}; recovered {recovered_at - up_at:.1f}s after start")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        log.close()
