"""The common page layout (header, navigation, language switch) and bilingual text.

Chinese is the default; the English switch is kept per browser in
`app.storage.user` (a signed cookie names the browser).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import app, ui


def lang() -> str:
    try:
        return app.storage.user.get("lang", "zh")
    except (RuntimeError, AssertionError):  # outside a page (e.g. the benchmark)
        return "zh"


def tr(zh: str, en: str) -> str:
    """Interface text in the browser's language."""
    return zh if lang() == "zh" else en


def both(zh: str, en: str) -> str:
    """Messages about the user's input are always shown in both languages."""
    return f"{zh} / {en}"


PROJECT_TABS = [
    ("building", "楼栋", "Building"),
    ("sharing", "分摊", "Sharing"),
    ("compare", "比较", "Compare"),
    ("feasibility", "可行性", "Feasibility"),
    ("documents", "文件", "Documents"),
    ("consent", "表决", "Consent"),
]


def _toggle_lang() -> None:
    app.storage.user["lang"] = "en" if lang() == "zh" else "zh"
    ui.navigate.reload()


@contextmanager
def frame(title: str, project_id: int | None = None, active: str = "") -> Iterator[None]:
    """Header, project tabs and a centred, phone-friendly content column."""
    ui.colors(primary="#0f766e")
    with ui.header().classes("items-center justify-between q-px-md q-py-xs bg-primary"):
        with ui.row().classes("items-center gap-2 no-wrap"):
            ui.link(tr("加装电梯", "Elevator retrofit"), "/").classes(
                "text-white text-lg font-bold no-underline"
            )
        ui.button("English" if lang() == "zh" else "中文", on_click=_toggle_lang).props(
            "flat dense no-caps color=white"
        ).mark("lang-switch")
    with ui.column().classes("w-full max-w-5xl mx-auto q-pa-sm gap-3"):
        if project_id is not None:
            with ui.row().classes("w-full gap-1 wrap"):
                for key, zh, en in PROJECT_TABS:
                    btn = ui.button(
                        tr(zh, en),
                        on_click=lambda k=key: ui.navigate.to(f"/project/{project_id}/{k}"),
                    )
                    btn.props("no-caps dense" + ("" if key == active else " outline"))
        ui.label(title).classes("text-h6 break-all")
        yield
