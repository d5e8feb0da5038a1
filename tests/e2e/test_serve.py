"""`ami serve` as a real subprocess: both services healthy, a token from `ami token create` accepted."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(url: str, token: str | None = None, timeout: float = 5) -> int:
    """The status of a GET; 0 when no answer came (refused, reset, timed out)."""
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


def test_ami_serve_starts_both_services_and_stops_on_sigterm(tmp_path):
    ami = shutil.which("ami", path=str(BIN)) or "ami"
    env = dict(os.environ, AMI_DATA_DIR=str(tmp_path / "data"), AMI_REPORTING_PORT=str(free_port()),
               AMI_SUPERVISION_PORT=str(free_port()))
    env.pop("DATABASE_URL", None)
    rep = f"http://127.0.0.1:{env['AMI_REPORTING_PORT']}"
    sup = f"http://127.0.0.1:{env['AMI_SUPERVISION_PORT']}"
    proc = subprocess.Popen([ami, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        started = time.time()
        while time.time() - started < 30 and not (get(rep + "/health") == 200 and get(sup + "/health") == 200):
            assert proc.poll() is None, proc.stdout.read().decode()
            time.sleep(0.2)
        assert get(rep + "/health") == 200 and get(sup + "/health") == 200
        out = subprocess.run([ami, "token", "create", "--provider", "regiomech"], env=env, capture_output=True,
                             text=True, check=True).stdout.strip().splitlines()[-1]
        assert get(rep + "/api/v1/invoices", out) == 200
        assert get(rep + "/api/v1/invoices") == 401
        assert get(sup + "/api/v1/overview?period=2025-03", out) in (401, 403)
        sup_token = subprocess.run([ami, "token", "create", "--role", "supervisor"], env=env, capture_output=True,
                                   text=True, check=True).stdout.strip().splitlines()[-1]
        assert get(sup + "/api/v1/overview?period=2025-03", sup_token) == 200
        assert get(rep + "/schema") == 200 and get(sup + "/schema/openapi.json") == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        code = proc.wait(20)
    assert code == 0
    logs = proc.stdout.read().decode()
    assert out not in logs and sup_token not in logs and "Bearer" not in logs  # logs never hold tokens
    assert get(rep + "/health") == 0 and get(sup + "/health") == 0
