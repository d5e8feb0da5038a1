"""Heavy work (exports, year PDFs) runs on its own bounded pool: a light page answers while every heavy
thread is busy and more heavy requests wait (services/common/heavy.py)."""
from __future__ import annotations

import asyncio
import tempfile
import threading
from types import SimpleNamespace

import httpx
import pytest
from litestar import Litestar, get

from services.common.heavy import heavy_chunks, heavy_stream, run_heavy

PORTAL = SimpleNamespace(settings=SimpleNamespace(heavy_threads=2, heavy_processes=0))


async def test_run_heavy_runs_on_the_heavy_threads_and_passes_results_and_errors():
    total, name = await run_heavy(PORTAL, lambda portal, a, b=0: (a + b, threading.current_thread().name), 2, b=3)
    assert total == 5 and name.startswith("ami-heavy")
    assert await run_heavy(PORTAL, "builtins:repr") == repr(PORTAL)  # imported in the worker, given the portal
    with pytest.raises(ZeroDivisionError):
        await run_heavy(PORTAL, lambda portal: 1 / 0)
    chunks = [c async for c in heavy_chunks(PORTAL, lambda: iter([b"a", b"b"]))]
    assert chunks == [b"a", b"b"]


async def test_a_light_page_answers_while_the_heavy_pool_is_full():
    release = threading.Event()
    running, most = [0], [0]
    lock = threading.Lock()

    def export(portal) -> bytes:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(20)
        with lock:
            running[0] -= 1
        return b"xlsx"

    @get("/export")
    async def heavy_route() -> bytes:
        return await run_heavy(PORTAL, export)

    @get("/light", sync_to_thread=True)
    def light_route() -> str:
        return "ok"

    app = Litestar([heavy_route, light_route])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        exports = [asyncio.create_task(client.get("/export")) for _ in range(5)]
        while running[0] < 2:  # both heavy threads busy, three more exports waiting for them
            await asyncio.sleep(0.01)
        light = await client.get("/light")
        assert light.status_code == 200 and light.text == "ok"
        assert not any(t.done() for t in exports) and running[0] == 2
        release.set()
        answers = await asyncio.gather(*exports)
    assert [a.content for a in answers] == [b"xlsx"] * 5 and most[0] == 2


def test_a_heavy_process_ends_once_its_service_is_gone():
    from services.common.heavy import watch_parent

    parents = iter([41, 41, 1])  # the service, the service, then the process was handed to init
    left, naps = [], []
    watch_parent(41, getppid=lambda: next(parents), leave=left.append, sleep=naps.append)
    assert left == [0] and len(naps) == 3


async def test_a_heavy_stream_sends_what_is_written_while_the_rest_is_made(tmp_path, monkeypatch):
    """The month's ZIP of payer documents (minutes for thousands of documents) goes out as it is written: the first
    bytes before the rest exist, an error before them is raised as it was, one after them ends the stream with it,
    and the file is removed in every case, also when the browser leaves early."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    rest = threading.Event()

    def write(portal, n, out, fail_after_first=False):
        out.write(b"first")
        out.flush()
        if fail_after_first:
            raise RuntimeError("Layout fehlgeschlagen")
        assert rest.wait(10)
        out.write(b"-rest" * n)

    chunks = await heavy_stream(PORTAL, write, 3)
    assert await anext(chunks) == b"first" and list(tmp_path.iterdir())  # the rest not written yet
    rest.set()
    assert b"".join([c async for c in chunks]) == b"-rest" * 3 and not list(tmp_path.iterdir())

    def missing(portal, out):
        raise LookupError("Kein Monat")

    with pytest.raises(LookupError):
        await heavy_stream(PORTAL, missing)
    assert not list(tmp_path.iterdir())

    broken = await heavy_stream(PORTAL, lambda portal, out: write(portal, 1, out, fail_after_first=True))
    assert await anext(broken) == b"first"
    with pytest.raises(RuntimeError):
        await anext(broken)
    assert not list(tmp_path.iterdir())

    rest.clear()
    left = await heavy_stream(PORTAL, write, 1)
    assert await anext(left) == b"first"
    await left.aclose()  # the browser left: the file goes, the work ends on its own
    assert not list(tmp_path.iterdir())
    rest.set()


def test_a_killed_services_download_files_are_removed_at_the_next_start(tmp_path, monkeypatch):
    import os

    from services.common.heavy import STALE_AFTER_S, remove_stale_downloads

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    old, busy, other = (tmp_path / "ami-download-a.part", tmp_path / "ami-download-b.part", tmp_path / "x.part")
    for f in (old, busy, other):
        f.write_bytes(b"PK")
    os.utime(old, (1_000, 1_000))
    os.utime(other, (1_000, 1_000))
    assert remove_stale_downloads(now=1_000 + STALE_AFTER_S + 1) == 1
    assert not old.exists() and busy.exists() and other.exists()  # a download in progress, a file not ours


def test_closing_gives_each_heavy_process_a_few_seconds_and_no_more(monkeypatch):
    """At a service's end each process pool is shut down and waited for (closing its queues: without the wait every
    stop warned of «leaked semaphore objects»), but a pool still making a document does not hold the end up."""
    from services.common import heavy

    calls, returned, stuck = [], [], threading.Event()

    class Pool:
        def __init__(self, blocks: bool):
            self.blocks = blocks

        def shutdown(self, wait: bool, cancel_futures: bool) -> None:
            calls.append((wait, cancel_futures))
            if self.blocks:
                stuck.wait(10)
            returned.append(self.blocks)

    monkeypatch.setattr(heavy, "_pools", {("processes", "a", heavy.SHORT): Pool(False), ("processes", "a", heavy.LONG): Pool(True),
                                          ("threads", 2): Pool(False)})
    heavy.close_pools(wait_s=0.2)
    assert returned == [False]  # the idle pool closed; the busy one was left to end with the service
    stuck.set()
    assert calls == [(True, True), (True, True)] and list(heavy._pools) == [("threads", 2)]
