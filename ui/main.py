"""The NiceGUI app: `python -m ui --port N --db PATH` or `elevator app`.

`build()` opens the SQLite store and registers the pages; it runs every time this
file is executed, which is what NiceGUI's `user` test fixture does (it runs this
file as `__main__` once per test, after clearing all routes).
"""

from __future__ import annotations

import os
from pathlib import Path

from nicegui import app, ui

from elevator.core.text import pair
from ui.pages import (
    building,
    community,
    compare,
    consent,
    documents,
    feasibility,
    projects,
    resident,
    sharing,
)
from ui.state import open_store, storage_secret

TITLE = " ".join(pair("ui.title"))  # the browser tab: both languages

ROUTES = {
    "/": projects.page,
    # once a project has a mediator passcode (consent page), its pages ask for it
    "/project/{pid}/building": consent.guarded(building.page, "building"),
    "/project/{pid}/sharing": consent.guarded(sharing.page, "sharing"),
    "/project/{pid}/compare": consent.guarded(compare.page, "compare"),
    "/project/{pid}/feasibility": consent.guarded(feasibility.page, "feasibility"),
    "/project/{pid}/documents": consent.guarded(documents.page, "documents"),
    "/community/{name}": community.page,
    "/project/{pid}/consent": consent.page,
    "/r/{project_id}/{token}": resident.page,
    "/district": __import__("ui.pages.district", fromlist=["page"]).page,  # issue 15
}


def build(db: str | Path | None = None) -> str:
    """Open (create, seed) the database and register the pages; returns the storage secret."""
    store = open_store(db or os.environ.get("ELEVATOR_DB") or None)
    for path, fn in ROUTES.items():
        ui.page(path, title=TITLE)(fn)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return storage_secret(store)


def start(port: int = 8080, host: str = "0.0.0.0", db: str | Path | None = None) -> None:
    secret = build(db)
    ui.run(
        port=port,
        host=host,
        reload=False,
        show=False,
        storage_secret=secret,
        title=TITLE,
        language="zh-CN",
        favicon="🛗",
        viewport="width=device-width, initial-scale=1",
    )


if __name__ in {"__main__", "__mp_main__"}:
    start(port=int(os.environ.get("ELEVATOR_PORT", "8080")))
