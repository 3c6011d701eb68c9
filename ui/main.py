"""The NiceGUI app: `python -m ui --port N --db PATH` or `elevator app`.

`build()` opens the SQLite store and registers the pages; it runs every time this
file is executed, which is what NiceGUI's `user` test fixture does (it runs this
file as `__main__` once per test, after clearing all routes).
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import Request
from fastapi.responses import JSONResponse
from nicegui import Client, app, run, ui

from elevator.core.text import pair
from ui import session
from ui.guard import logged_in, project_page
from ui.load import RELEASE_EVERY, PageGate, fair, release_memory, tune_malloc
from ui.pages import (
    admin,
    audit,
    building,
    community,
    compare,
    consent,
    documents,
    feasibility,
    history,
    joiners,
    login,
    negotiate,
    options,
    projects,
    resident,
    sharing,
)
from ui.state import open_store, storage_secret, store

TITLE = " ".join(pair("ui.title"))  # the browser tab: both languages

# Nothing of a project without a login and a role on it (ui/session.py); residents
# reach their own household through its link, and nothing else.
ROUTES = {
    "/login": login.page,
    "/": logged_in(projects.page),
    "/admin": admin.page,
    "/project/{pid}/building": project_page("view")(building.page),
    "/project/{pid}/sharing": project_page("view")(sharing.page),
    "/project/{pid}/compare": project_page("view")(compare.page),
    "/project/{pid}/negotiate": project_page("view")(negotiate.page),
    "/project/{pid}/joiners": project_page("view")(joiners.page),
    "/project/{pid}/options": project_page("view")(options.page),
    "/project/{pid}/feasibility": project_page("view")(feasibility.page),
    "/project/{pid}/documents": project_page("view")(documents.page),
    "/project/{pid}/consent": project_page("consent")(consent.page),
    "/project/{pid}/history": project_page("view")(history.page),
    "/project/{pid}/audit": project_page("audit")(audit.page),
    "/community/{name}": logged_in(community.page),
    "/r/{project_id}/{token}": resident.page,
    "/district": __import__("ui.pages.district", fromlist=["page"]).page,  # issue 15
}
# consent evaluation and the resident page run off the event loop; a page may take longer
# than NiceGUI's default 3 s on a busy machine without anything being wrong
RESPONSE_TIMEOUT = 30


async def api_login(request: Request) -> JSONResponse:
    """Log this browser in from a script (JSON {"name", "password"}): the same checks and
    throttling as the login page; the session is the same per-browser storage."""
    try:
        body = await request.json()
        name, password = str(body.get("name", "")), str(body.get("password", ""))
    except (ValueError, AttributeError):
        return JSONResponse({"ok": False}, status_code=400)
    result = await run.io_bound(
        store().accounts.login, name, password, session.client_address(request)
    )
    if result.account is None:
        return JSONResponse(
            {"ok": False, "refusal": result.refusal, "seconds": result.seconds}, status_code=401
        )
    session.sign_in(result.account)
    return JSONResponse({"ok": True})


def build(db: str | Path | None = None) -> str:
    """Open (create, seed) the database and register the pages; returns the storage secret."""
    store = open_store(db or os.environ.get("ELEVATOR_DB") or None)
    for path, fn in ROUTES.items():
        ui.page(path, title=TITLE, response_timeout=RESPONSE_TIMEOUT)(fair(fn))

    @app.get("/healthz")
    def healthz() -> dict[str, object]:
        # the page clients held in memory (each page opened and not yet dropped)
        return {"status": "ok", "clients": len(Client.instances)}

    app.post("/api/login")(api_login)

    return storage_secret(store)


def start(port: int = 8080, host: str = "127.0.0.1", db: str | Path | None = None) -> None:
    tune_malloc()  # before any worker thread (the server only; tests run build() alone)
    secret = build(db)
    app.timer(RELEASE_EVERY, release_memory)  # the server only (tests run build() alone)
    app.add_middleware(PageGate)
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
