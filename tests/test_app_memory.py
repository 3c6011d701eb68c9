"""The server's memory settings (measured by `elevator bench --load`, not here)."""

from __future__ import annotations

from ui import load


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
