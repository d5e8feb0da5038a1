"""Heavy work (exports, year PDFs, payer documents) on its own bounded pool, so light pages never wait behind it."""
# Light handlers run on the threads Litestar gives sync handlers; a handler that makes a document is `async`
# and awaits run_heavy(portal, "package.module:function", *args): the function is called as
# function(portal, *args). By default on AMI_HEAVY_THREADS (2) threads of this process; with
# AMI_HEAVY_PROCESSES > 0 (what `ami serve` runs) in that many processes of their own at nice 10, each with a
# portal of its own on the same store: an export then takes no time from the interpreter lock the light pages
# need, and the operating system gives the pages' CPU precedence (profile of issue 16: the year's XLSX held
# the supervision service's interpreter lock half of the time). The worker's read models are brought up to
# date by the request before it hands the work over (the worker never projects: a process at a lower
# priority must not hold the read models' write lock). A download too long to wait for whole (a month's ZIP) is
# written there into a file and sent from here as it grows (heavy_stream), in a lane of processes of its own
# (LONG): a single document never queues behind another provider's month of documents.
from __future__ import annotations

import asyncio
import ctypes
import functools
import importlib
import logging
import os
import signal
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from shared.kernel import collector

log = logging.getLogger("ami.heavy")
NICE = 10  # the heavy processes' CPU priority below the pages' (0)

_pools: dict[tuple, Executor] = {}
_lock = threading.Lock()
_worker_portal = None  # in a heavy process: its own portal


def pool(size: int) -> ThreadPoolExecutor:
    """The process's heavy pool of `size` threads (made on first use)."""
    return _pool(("threads", size), lambda: ThreadPoolExecutor(max_workers=size, thread_name_prefix="ami-heavy"))


SHORT, LONG = "documents", "downloads"  # the lanes of heavy processes: one document or export; a streamed download


def process_pool(settings, lane: str = SHORT) -> ProcessPoolExecutor:
    """The heavy processes of `lane` for this store, started with the lane's first piece of work (a spawned process
    imports and opens its portal in ~1–2 s; spawned, not forked: this process has threads)."""
    import multiprocessing

    return _pool(("processes", settings, lane), lambda: ProcessPoolExecutor(
        max_workers=settings.heavy_processes, mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker, initargs=(settings,)))


def _pool(key: tuple, make: Callable[[], Executor]) -> Executor:
    found = _pools.get(key)
    if found is None:
        with _lock:
            found = _pools.get(key)
            if found is None:
                found = _pools[key] = make()
    return found


def _resolve(target: str | Callable) -> Callable:
    """A callable, or "package.module:function" imported in the worker (WeasyPrint's first import takes a
    while: never on the event loop)."""
    if callable(target):
        return target
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


async def run_heavy(portal, target: str | Callable, *args, **kwargs):
    """target(portal, *args, **kwargs) on the heavy pool; its result (or its exception) when done."""
    return await _run(portal, SHORT, target, args, kwargs)


async def _run(portal, lane: str, target: str | Callable, args: tuple, kwargs: dict,
               again_here: Callable[[], bool] = lambda: True):
    """target on `lane`'s heavy processes (or the heavy threads). A process that dies (killed, out of memory) leaves
    a new pool for next time, and the work is done again on the threads here if `again_here()` says it may be."""
    settings = portal.settings
    loop = asyncio.get_running_loop()
    if settings.heavy_processes > 0 and isinstance(target, str):
        await loop.run_in_executor(pool(settings.heavy_threads), portal.views.catch_up)
        try:
            return await loop.run_in_executor(process_pool(settings, lane),
                                              functools.partial(_call_in_worker, target, args, kwargs))
        except BrokenProcessPool:
            with _lock:
                _pools.pop(("processes", settings, lane), None)
            if not again_here():
                log.warning("Ein Hintergrundprozess ist ausgefallen; die Arbeit ist abgebrochen.")
                raise
            log.warning("Ein Hintergrundprozess ist ausgefallen; die Arbeit läuft in diesem Prozess.")
    return await loop.run_in_executor(pool(settings.heavy_threads),
                                      functools.partial(_call, target, (portal, *args), kwargs))


def _call(target: str | Callable, args: tuple, kwargs: dict):
    return _resolve(target)(*args, **kwargs)


def _start_worker(settings) -> None:
    global _worker_portal
    os.nice(NICE)
    # Ctrl-C in the terminal reaches the whole process group: the service ends its heavy processes (close_pools,
    # watch_parent); each of them printing a KeyboardInterrupt traceback of its idle queue was noise at every stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True, name="ami-heavy-parent").start()
    from shared.portal import open_portal

    # few connections: it makes one document at a time (README «Connections»)
    _worker_portal = open_portal(settings.with_(pg_pool_size=1, pg_max_overflow=1), bootstrap=False)
    _worker_portal.views.projecting = False  # the request brought the read models up to date before
    collector.settle()


CLOSE_WAIT_S = 5.0


def close_pools(wait_s: float = CLOSE_WAIT_S) -> None:
    """At the service's end: the heavy processes stop, each given a few seconds to end cleanly (its queues
    closed: not waiting left «leaked semaphore objects» warnings at every stop); a document still being made
    is not awaited longer (its process ends with the service, `watch_parent`). The threads stay (another app of
    this process may use them)."""
    with _lock:
        found = [_pools.pop(key) for key in list(_pools) if key[0] == "processes"]
    closing = [threading.Thread(target=executor.shutdown, kwargs={"wait": True, "cancel_futures": True},
                                daemon=True, name="ami-heavy-close") for executor in found]
    for thread in closing:
        thread.start()
    deadline = time.monotonic() + wait_s  # a few seconds for all of them together, not for each
    for thread in closing:
        thread.join(max(0.0, deadline - time.monotonic()))


def watch_parent(parent: int, interval: float = 2.0, getppid=os.getppid, leave=os._exit, sleep=None) -> None:
    """In a heavy process: end it once the service that started it is gone (killed, crashed), so no heavy process
    outlives its service holding store connections (seen: one left running after its service was killed)."""
    sleep = sleep or time.sleep
    while True:
        sleep(interval)
        if getppid() != parent:
            leave(0)
            return


def _call_in_worker(target: str, args: tuple, kwargs: dict):
    try:
        return _resolve(target)(_worker_portal, *args, **kwargs)
    finally:
        _give_back_memory()


def _give_back_memory() -> None:
    """After each document: the C heap's free pages back to the system (glibc's malloc_trim). A large PDF's layout
    left its process at 3.2 GB resident, 0.8 GB trimmed (measured, docs/benchmarks.md ninth pass)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory stays with the process until it ends
        pass


async def heavy_chunks(portal, make: Callable[[], Iterator[bytes]]) -> AsyncIterator[bytes]:
    """The chunks of a streamed download, each one made on the heavy threads (the first one reads the data)."""
    chunks: Iterator[bytes] | None = None

    def step() -> bytes | None:
        nonlocal chunks
        if chunks is None:
            chunks = iter(make())
        return next(chunks, None)

    while True:
        chunk = await asyncio.get_running_loop().run_in_executor(pool(portal.settings.heavy_threads), step)
        if chunk is None:
            return
        yield chunk


STREAM_CHUNK = 256 * 1024
STREAM_POLL_S = 0.05
STREAM_PREFIX = "ami-download-"
STALE_AFTER_S = 24 * 3600  # a download's file untouched this long was left by a service that ended mid-way


def remove_stale_downloads(now: float | None = None) -> int:
    """At a service's start: the download files a killed service left in /tmp (they hold payer documents). A file
    written to within the last day may be another worker's download in progress and stays."""
    now = now if now is not None else time.time()
    removed = 0
    for found in Path(tempfile.gettempdir()).glob(STREAM_PREFIX + "*.part"):
        try:
            if now - found.stat().st_mtime > STALE_AFTER_S:
                found.unlink()
                removed += 1
        except FileNotFoundError:  # another worker removed it first
            pass
    return removed


async def heavy_stream(portal, target: str, *args) -> AsyncIterator[bytes]:
    """A download written on the heavy pool and sent while it is written: target(portal, *args, out) writes into
    the binary file `out` (appending, never seeking back); its bytes go out as they land (the browser shows the
    download growing, a proxy never waits long for the next bytes, the service holds a chunk, not the file).
    Awaited until the first bytes are written, so an error before them (an unknown month) is answered as usual;
    one later ends the download unfinished. The file (in the service's private /tmp) is removed at the end, also
    when the browser leaves: the work then runs to its end on the heavy pool, its bytes unread. With heavy processes,
    in the LONG lane: a provider's single PDF meanwhile waits for no ZIP (measured: 9.9 s behind a 300-line
    invoice's month before, docs/benchmarks.md eleventh pass)."""
    fd, path = tempfile.mkstemp(prefix=STREAM_PREFIX, suffix=".part")
    os.close(fd)
    # a heavy process that dies after writing the first bytes ends the download unfinished: made again here, its
    # bytes would be written over those already sent (a PDF made twice differs: its time of making)
    task = asyncio.ensure_future(_run(portal, LONG, __name__ + ":write_into", (target, path, *args), {},
                                      again_here=lambda: _nothing_written(path)))
    task.add_done_callback(lambda t: t.cancelled() or t.exception())  # a late error is the stream's, not a warning
    reader = open(path, "rb")  # noqa: SIM115 - closed by _follow (or below)
    try:
        first = await _next_bytes(reader, task)
    except BaseException:
        reader.close()
        os.unlink(path)
        raise
    return _follow(reader, path, task, first)


def _nothing_written(path: str) -> bool:
    """Whether the download's file is still empty (False once it is gone: the browser left, nobody waits for it)."""
    try:
        return os.path.getsize(path) == 0
    except FileNotFoundError:
        return False


async def _follow(reader, path: str, task: asyncio.Future, chunk: bytes) -> AsyncIterator[bytes]:
    try:
        while chunk:
            yield chunk
            chunk = await _next_bytes(reader, task)
    finally:
        reader.close()
        os.unlink(path)


async def _next_bytes(reader, task: asyncio.Future) -> bytes:
    """The next bytes written, b"" once the work is done and all is read; the work's error if it failed."""
    while True:
        done = task.done()  # before reading: what was written before it finished is read below
        chunk = reader.read(STREAM_CHUNK)
        if chunk:
            return chunk
        if done:
            task.result()
            return b""
        await asyncio.sleep(STREAM_POLL_S)


def write_into(portal, target: str, path: str, *args) -> None:
    """On the heavy pool: target(portal, *args, out) into the file the service made (opened, never created: a file
    the service has removed already is not made again)."""
    with os.fdopen(os.open(path, os.O_WRONLY), "wb") as out:
        _resolve(target)(portal, *args, out)
