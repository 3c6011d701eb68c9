"""Keeping one process responsive under load.

- `PageGate` (ASGI middleware, the server) and `fair(page)` (the page function, also under
  the tests' simulated user): at most PAGE_BUILDS page requests are handled at once, from
  the first byte to the rendered HTML; the others wait without holding the event loop, so a
  click of someone already on a page (a WebSocket event), a file, or a light request is
  served between two page builds instead of after all of them.
- `release_memory()`: every RELEASE_EVERY seconds, drop the clients of pages whose browser
  never opened its socket within UNCONNECTED_FOR seconds (NiceGUI itself waits 60 s: a page
  holds ~1 MB, so a burst of requests that never connect — bots, scripts, a benchmark —
  piles up), collect garbage and hand freed heap back to the operating system (glibc's
  malloc_trim), so memory returns towards its level after a burst.
- `tune_malloc()`: at the server's start, big blocks (a password check's 19 MiB) are
  unmapped when freed and the worker threads share two malloc arenas.
"""

from __future__ import annotations

import asyncio
import contextvars
import ctypes
import ctypes.util
import functools
import gc
from collections.abc import Callable
from typing import Any

PAGE_BUILDS = 4  # two cores' worth of page building, and room for one waiting on a thread
RELEASE_EVERY = 10.0
# a browser opens its socket within a second or two once the page's scripts are loaded;
# 30 s leaves room for a slow phone on a first visit (the scripts are cached after it)
UNCONNECTED_FOR = 30.0

_gates: dict[int, asyncio.Semaphore] = {}
_holding = contextvars.ContextVar("holding_a_page_turn", default=False)


def _gate() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()  # one per event loop (each test has its own)
    if id(loop) not in _gates:
        _gates.clear()
        _gates[id(loop)] = asyncio.Semaphore(PAGE_BUILDS)
    return _gates[id(loop)]


def fair(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)  # NiceGUI reads the page's parameters from the signature
    async def page_(*args: Any, **kwargs: Any) -> Any:
        if _holding.get():  # the server's PageGate gave this request its turn already
            return await _call(fn, *args, **kwargs)
        async with _gate():
            return await _call(fn, *args, **kwargs)

    return page_


async def _call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    result = fn(*args, **kwargs)
    if hasattr(result, "__await__"):
        result = await result
    return result


def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


def _trim() -> None:
    try:
        _libc().malloc_trim(0)
    except AttributeError:  # no C library found, or not glibc
        pass


# glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8
# Blocks from 1 MiB up are mapped and unmapped on their own.  glibc otherwise raises this
# threshold to the largest block freed (up to 32 MiB), so each worker thread that checked
# a password (argon2: 19 MiB) kept that much for good: ~115 MB after 50 logins.
MMAP_AT = 1 << 20
# Two malloc arenas for the whole process (glibc's default is 8 per core): the worker
# threads' freed memory is kept in fewer, fuller heaps.
ARENAS = 2


def tune_malloc() -> None:
    """Ask glibc to hand big blocks back at once and to keep few arenas (the server only,
    before its worker threads start; elsewhere, or without glibc, nothing changes)."""
    libc = _libc()
    try:
        libc.mallopt(M_ARENA_MAX, ARENAS)
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_AT)
    except AttributeError:
        pass


def release_memory() -> None:
    from nicegui import Client

    Client.prune_instances(client_age_threshold=UNCONNECTED_FOR)
    gc.collect()
    _trim()


class PageGate:
    """ASGI middleware: page requests (GET of an app page) take a turn; NiceGUI's own files,
    its WebSocket and /healthz never wait."""

    FREE = ("/_nicegui", "/healthz", "/api/")

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(self.FREE):
            await self.app(scope, receive, send)
            return
        async with _gate():
            token = _holding.set(True)
            try:
                await self.app(scope, receive, send)
            finally:
                _holding.reset(token)
