"""Helpers of the browser tests: both services served for real (uvicorn, SQLite) and Debian's Chromium."""
from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, IN_CI

PASSWORD = "correct-horse-battery-staple"
PHONE = {"width": 390, "height": 844}  # the narrow screen every page is tried on
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def chromium() -> str:
    """The browser's path; under CI a missing browser fails the test instead of skipping it."""
    path = shutil.which("chromium")
    if path is None:
        if IN_CI:
            pytest.fail("chromium is not installed (CI requires the browser tests to run)")
        pytest.skip("chromium is not installed")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(settings, portal) -> Iterator[tuple[str, str]]:
    """Both services on free ports in threads, sharing one portal: (reporting URL, supervision URL)."""
    import uvicorn

    from services.reporting.app import create_app as reporting_app
    from services.supervision.app import create_app as supervision_app

    servers, threads, urls = [], [], []
    for factory in (reporting_app, supervision_app):
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(factory(settings, portal=portal), host="127.0.0.1", port=port,
                                               log_level="warning", lifespan="on"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append(server)
        threads.append(thread)
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            _wait_healthy(url)
        yield urls[0], urls[1]
    finally:
        for server in servers:
            server.should_exit = True
        for thread in threads:
            thread.join(10)


def _wait_healthy(url: str) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy")


@contextmanager
def browser(**options):
    """A fresh Chromium profile; yields the persistent context (one cookie jar)."""
    from playwright.sync_api import sync_playwright

    path = chromium()
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            user_data_dir=profile, executable_path=path, args=CHROMIUM_ARGS, headless=True,
            locale="de-CH", viewport=options.pop("viewport", {"width": 1280, "height": 900}), **options)
        try:
            yield context
        finally:
            context.close()


class Watch:
    """What went wrong on a page: failed requests (but the browser's favicon probe), script errors and
    Content-Security-Policy violations. A clean page has none."""

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))

    def _response(self, response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"{response.status} {response.url}")

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.problems.append(message.text)


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def rightmost(page, selector: str) -> float:
    """The right edge of the farthest of these elements (a cell behind a table's own sideways scroll lies beyond
    the window even when the page itself fits)."""
    return page.evaluate(f"Math.max(...[...document.querySelectorAll({selector!r})]"
                         ".map(c => c.getBoundingClientRect().right))")


def fits_width(page) -> bool:
    """No horizontal scrolling of the whole page (tables may scroll inside their own box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
