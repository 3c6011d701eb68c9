"""building page (being built)."""
from nicegui import ui
from ui.theme import frame


def page(pid: int | None = None, name: str | None = None) -> None:
    with frame("building", pid, "building"):
        ui.label("…")
