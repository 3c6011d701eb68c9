"""The server's memory settings (measured by `elevator bench --load`, not here)."""

from __future__ import annotations

import sys

import pytest

import ui.__main__ as entry
from ui import load


class Execed(Exception):
    pass


def test_the_server_restarts_once_on_the_system_malloc(monkeypatch) -> None:
    seen = {}

    def execv(path, argv):
        seen.update(path=path, argv=argv, malloc=entry.os.environ.get("PYTHONMALLOC"))
        raise Execed

    monkeypatch.setattr(entry.os, "execv", execv)
    monkeypatch.setattr(entry.sys, "platform", "linux")
    monkeypatch.delenv("PYTHONMALLOC", raising=False)
    with pytest.raises(Execed):
        entry.system_malloc()
    assert seen == {
        "path": sys.executable,
        "argv": [sys.executable, *sys.orig_argv[1:]],
        "malloc": "malloc",
    }
    entry.system_malloc()  # set now (as in the new process): no second restart


def test_a_chosen_allocator_or_another_system_is_left_alone(monkeypatch) -> None:
    monkeypatch.setattr(entry.os, "execv", lambda *a: pytest.fail("restarted"))
    monkeypatch.setenv("PYTHONMALLOC", "pymalloc")
    monkeypatch.setattr(entry.sys, "platform", "linux")
    entry.system_malloc()
    monkeypatch.delenv("PYTHONMALLOC")
    monkeypatch.setattr(entry.sys, "platform", "darwin")
    entry.system_malloc()


def test_malloc_tuning_asks_glibc_or_does_nothing(monkeypatch) -> None:
    calls = []

    class Libc:
        def mallopt(self, what, value):
            calls.append((what, value))
            return 1

    monkeypatch.setattr(load, "_libc", Libc)
    load.tune_malloc()
    assert calls == [(load.M_ARENA_MAX, load.ARENAS), (load.M_MMAP_THRESHOLD, load.MMAP_AT)]
    monkeypatch.setattr(load, "_libc", lambda: None)  # no C library found: nothing happens
    load.tune_malloc()
