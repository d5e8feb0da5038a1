"""Resources (issue 14, point 13): a body that stalls or trickles ends in 408 (German) long before it is in;
uvicorn and nginx are started with timeouts for slow clients; an original comes back with the type its bytes
show, never the uploader's, and with nosniff. (The XLSX of empty rows: tests/unit/submissions/parsers.)"""
from __future__ import annotations

import re
from pathlib import Path

import anyio
import pytest

from services.cli.serve import uvicorn_command
from tests.integration.test_access_log import BODY

INFRA = Path(__file__).resolve().parents[3] / "infra"


@pytest.fixture
def impatient(portal, settings):
    from litestar.testing import TestClient

    from services.reporting.app import create_app

    with TestClient(create_app(settings.with_(body_timeout=0.2, body_min_rate=1000), portal=portal)) as client:
        yield client


def post_slowly(app, token: str, pause: float, chunks: int = 50) -> tuple[int, bytes, int]:
    """A raw ASGI POST of BODY in `chunks` pieces with `pause` seconds before each: (status, body, pieces sent)."""
    piece = max(1, len(BODY) // chunks)
    parts = [BODY[i:i + piece] for i in range(0, len(BODY), piece)]
    sent, answer = [0], {"status": 0, "body": b""}

    async def receive():
        if sent[0] >= len(parts):
            await anyio.sleep(3600)  # a disconnect never comes
        await anyio.sleep(pause)
        sent[0] += 1
        return {"type": "http.request", "body": parts[sent[0] - 1], "more_body": sent[0] < len(parts)}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/v1/invoices", "raw_path": b"/api/v1/invoices", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"content-type", b"text/csv"),
                         (b"content-length", str(len(BODY)).encode()), (b"authorization", f"Bearer {token}".encode())],
             "client": ("192.0.2.5", 5000), "server": ("testserver", 80), "state": {}}

    async def main():
        with anyio.fail_after(30):
            await app(scope, receive, send)

    anyio.run(main)
    return answer["status"], answer["body"], sent[0]


def token(portal) -> str:
    return portal.supervision.issue_token("provider", "regiomech", "test", "test")


def test_a_stalled_body_is_answered_408(impatient, portal):
    status, body, sent = post_slowly(impatient.app, token(portal), pause=0.5)
    assert status == 408 and "zu langsam" in body.decode()
    assert sent <= 1
    assert portal.reporting.recorder.max_notification_id() in (None, 0)  # nothing stored


def test_a_trickling_body_is_answered_408(impatient, portal):
    status, body, sent = post_slowly(impatient.app, token(portal), pause=0.05, chunks=len(BODY))  # a byte at a time
    assert status == 408 and "zu langsam" in body.decode()
    assert sent < len(BODY)


def test_a_body_at_a_normal_pace_is_taken(impatient, portal):
    status, body, _ = post_slowly(impatient.app, token(portal), pause=0.0, chunks=5)
    assert status == 201, body


def test_the_original_comes_back_with_the_type_of_its_bytes(reporting, tokens):
    h = tokens("regiomech")
    r = reporting.post("/api/v1/invoices", content=BODY, headers={**h, "Content-Type": "text/html"})
    assert r.status_code == 201, r.text
    got = reporting.get(f"/api/v1/invoices/{r.json()['id']}/original", headers=h)
    assert got.status_code == 200 and got.content == BODY
    assert got.headers["content-type"].startswith("text/csv")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"].endswith('.csv"')


def test_uvicorn_and_nginx_limit_slow_clients():
    command = uvicorn_command("reporting", "127.0.0.1", 8001, 2)
    assert command[command.index("--timeout-keep-alive") + 1] == "5"
    assert "--h11-max-incomplete-event-size" in command
    guarded = "services.common.http_protocol:GuardedH11Protocol"  # h11: httptools would ignore the header limit
    assert command[command.index("--http") + 1] == guarded
    nginx = (INFRA / "nginx" / "ami.conf").read_text()
    for directive in ("client_header_timeout", "client_body_timeout", "send_timeout", "keepalive_timeout"):
        assert re.search(rf"^\s*{directive} \d+s;", nginx, re.M), directive
    assert "$proxy_add_x_forwarded_for" not in nginx  # the client's own X-Forwarded-For is not passed on
    compose = (INFRA / "compose.yaml").read_text()
    assert '"--forwarded-allow-ips", "*"' not in compose and "AMI_TRUSTED_PROXIES" in compose
    for unit in ("ami-reporting.service", "ami-supervision.service"):
        assert "--timeout-keep-alive" in (INFRA / "systemd" / unit).read_text()
        assert f"--http {guarded}" in (INFRA / "systemd" / unit).read_text()
    assert compose.count(f'"--http", "{guarded}"') == 2
