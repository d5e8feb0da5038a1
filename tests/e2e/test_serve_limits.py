"""`ami serve` as a real subprocess limits a request's headers: 64 KB of headers are answered 400 (not a 500)
and the connection is closed; headers that trickle in past the header deadline get 408 and a closed connection."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

from tests.e2e.test_serve import BIN, free_port, get


def exchange(port: int, data: bytes, wait: float = 10) -> bytes:
    """Everything the server sends for `data` until it closes the connection (b"" + marker if it never does)."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        try:
            s.sendall(data)
        except OSError:  # the server may close while the rest is still being sent
            pass
        got = b""
        try:
            while chunk := s.recv(65536):
                got += chunk
        except TimeoutError:
            return got + b"<still open>"
        except OSError:
            pass
        return got


def test_serve_answers_huge_or_slow_headers_and_closes(tmp_path):
    ami = shutil.which("ami", path=str(BIN)) or "ami"
    env = dict(os.environ, AMI_DATA_DIR=str(tmp_path / "data"), AMI_REPORTING_PORT=str(free_port()),
               AMI_SUPERVISION_PORT=str(free_port()), AMI_HEADER_TIMEOUT="1")
    env.pop("DATABASE_URL", None)
    port = int(env["AMI_REPORTING_PORT"])
    proc = subprocess.Popen([ami, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        started = time.time()
        while time.time() - started < 30 and get(f"http://127.0.0.1:{port}/health") != 200:
            assert proc.poll() is None, proc.stdout.read().decode()
            time.sleep(0.2)
        assert get(f"http://127.0.0.1:{port}/health") == 200
        huge = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: " + b"a" * 65536 + b"\r\n\r\n"
        answer = exchange(port, huge)
        assert answer.split(b"\r\n", 1)[0] in (b"HTTP/1.1 400 Bad Request",
                                                 b"HTTP/1.1 431 Request Header Fields Too Large")
        assert not answer.endswith(b"<still open>")  # the connection was closed after the answer
        answer = exchange(port, b"GET /health HTTP/1.1\r\nHost: x\r\n")  # the blank line never comes
        assert answer.startswith(b"HTTP/1.1 408 ")  # AMI_HEADER_TIMEOUT=1 s, the socket waits 10 s
        assert not answer.endswith(b"<still open>")
        assert get(f"http://127.0.0.1:{port}/health") == 200  # the worker lives on
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
