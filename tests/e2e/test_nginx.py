"""nginx (Debian) in front of both services, with the repository's own configuration: it routes to the right
service and passes uploads up to the size limit; bigger ones are refused before they reach a service."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.e2e.test_serve import free_port, get

BIN = Path(sys.executable).parent
CONF = Path(__file__).parents[2] / "infra" / "nginx" / "ami.conf"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not found:
        if IN_CI:
            pytest.fail("nginx is not installed (CI requires it)")
        pytest.skip("nginx is not installed")
    return found


def request(url: str, host: str, token: str | None = None, body: bytes | None = None) -> int:
    req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET",
                                 headers={"Host": host, "Content-Type": "text/csv"})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_nginx_routes_by_name_and_passes_uploads_up_to_the_limit(tmp_path):
    nginx = nginx_binary()
    rep_port, sup_port, proxy_port = free_port(), free_port(), free_port()
    env = dict(os.environ, AMI_DATA_DIR=str(tmp_path / "data"), AMI_REPORTING_PORT=str(rep_port),
               AMI_SUPERVISION_PORT=str(sup_port))
    env.pop("DATABASE_URL", None)
    site = (CONF.read_text().replace("server reporting:8001", f"server 127.0.0.1:{rep_port}")
            .replace("server supervision:8002", f"server 127.0.0.1:{sup_port}")
            .replace("listen 80", f"listen 127.0.0.1:{proxy_port}")
            .replace("/var/log/nginx/", f"{tmp_path}/"))
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / d).mkdir()
        (tmp_path / d).chmod(0o777)
    (tmp_path / "nginx.conf").write_text(f"""
user root;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi; uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;
    {site}
}}""")
    serve = subprocess.Popen([str(BIN / "ami"), "serve"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.STDOUT, start_new_session=True)
    proxy = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{proxy_port}"
    try:
        t0 = time.time()
        while get(f"http://127.0.0.1:{rep_port}/health") != 200 or get(f"http://127.0.0.1:{sup_port}/health") != 200:
            assert serve.poll() is None and time.time() - t0 < 60
            time.sleep(0.3)
        token = subprocess.run([str(BIN / "ami"), "token", "create", "--provider", "regiomech"], env=env,
                               capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        sup_token = subprocess.run([str(BIN / "ami"), "token", "create", "--role", "supervisor"], env=env,
                                   capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        for _ in range(50):
            if request(base + "/health", "meldungen.ami.local") == 200:
                break
            time.sleep(0.1)
        # routed by name: the overview only exists on supervision, uploads on reporting
        assert request(base + "/api/v1/overview?period=2025-03", "aufsicht.ami.local", sup_token) == 200
        assert request(base + "/api/v1/overview?period=2025-03", "meldungen.ami.local", sup_token) == 404
        header = "Monat;Teilnehmer;Programm;Finanzierung;Kostengutsprache;Leistung;Menge;Ansatz;Betrag\n"
        line = "03.2025;Q-{i};Qualifizierung;Selbstzahler;;Einsatztag;1;80.00;80.00\n"
        body = header + "".join(line.format(i=i) for i in range(19_000))
        padding = 9_500_000 - len(body)
        big = (body + " " * max(0, padding)).encode()  # close to the 10 MB limit, within 20,000 rows
        assert len(big) > 9_000_000
        assert request(base + "/api/v1/invoices", "meldungen.ami.local", token, big) in (201, 422)
        small = (header + line.format(i=1)).encode()
        assert request(base + "/api/v1/invoices", "meldungen.ami.local", token, small) == 201
        assert request(base + "/api/v1/invoices", "meldungen.ami.local", token, b"x" * 12_000_000) == 413
    finally:
        for p in (proxy, serve):
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(20)
