"""Heavy work (exports, year PDFs) on its own small pool of threads, so light pages never wait behind it."""
# Light handlers run on the threads Litestar gives sync handlers; a handler that makes a document is `async`
# and awaits run_heavy(...): exports and PDFs queue for their own AMI_HEAVY_THREADS (default 2) threads while a
# 10 ms invoice page is answered at once. One pool per process, shared by every event loop.
from __future__ import annotations

import asyncio
import functools
import importlib
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

_pools: dict[int, ThreadPoolExecutor] = {}
_lock = threading.Lock()


def pool(size: int) -> ThreadPoolExecutor:
    """The process's heavy pool of `size` threads (made on first use)."""
    found = _pools.get(size)
    if found is None:
        with _lock:
            found = _pools.get(size)
            if found is None:
                found = _pools[size] = ThreadPoolExecutor(max_workers=size, thread_name_prefix="ami-heavy")
    return found


def _resolve(target: str | Callable) -> Callable:
    """A callable, or "package.module:function" imported in the worker (WeasyPrint's first import takes a
    while: never on the event loop)."""
    if callable(target):
        return target
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


async def run_heavy(portal, target: str | Callable, *args, **kwargs):
    """target(*args, **kwargs) on the heavy pool; its result (or its exception) when done."""
    size = portal.settings.heavy_threads
    return await asyncio.get_running_loop().run_in_executor(pool(size), functools.partial(_call, target, args, kwargs))


def _call(target: str | Callable, args: tuple, kwargs: dict):
    return _resolve(target)(*args, **kwargs)


async def heavy_chunks(portal, make: Callable[[], Iterator[bytes]]) -> AsyncIterator[bytes]:
    """The chunks of a streamed download, each one made on the heavy pool (the first one reads the data)."""
    chunks: Iterator[bytes] | None = None

    def step() -> bytes | None:
        nonlocal chunks
        if chunks is None:
            chunks = iter(make())
        return next(chunks, None)

    while True:
        chunk = await run_heavy(portal, step)
        if chunk is None:
            return
        yield chunk
