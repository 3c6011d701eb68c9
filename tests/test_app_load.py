"""Page requests take turns (ui/load.py): at most PAGE_BUILDS at once, light requests never
wait, and a page function inside a request that has its turn does not wait again."""

from __future__ import annotations

import asyncio

from ui import load


async def test_pages_take_turns_and_light_requests_pass() -> None:
    running, most = 0, 0
    release = asyncio.Event()

    async def page() -> str:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await release.wait()
        running -= 1
        return "page"

    async def inner_app(scope, receive, send) -> None:
        if scope["path"] == "/healthz":
            await send("ok")
        else:
            await send(await load.fair(page)())  # the page function inside its request

    gate = load.PageGate(inner_app)
    sent: list[str] = []

    async def send(message: str) -> None:
        sent.append(message)

    pages = [
        asyncio.create_task(gate({"type": "http", "path": f"/project/{i}/sharing"}, None, send))
        for i in range(load.PAGE_BUILDS * 3)
    ]
    await asyncio.sleep(0)
    await gate({"type": "http", "path": "/healthz"}, None, send)  # not behind the pages
    assert sent == ["ok"] and most == load.PAGE_BUILDS
    release.set()
    await asyncio.wait_for(asyncio.gather(*pages), 60)  # no request waits for itself
    assert sent.count("page") == load.PAGE_BUILDS * 3 and most == load.PAGE_BUILDS
