"""Small widgets: exact-number text fields bound to a path in the project data,
with the field's problems shown right under it (Chinese / English).

Numbers are typed as text on purpose: the library reads "0.3" or "1/3" exactly,
and reports bad input itself, in both languages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from nicegui import ui

from elevator.core.errors import Problem
from elevator.core.text import t
from ui.theme import both_of

Path = Sequence[str | int]


def field_name(path: Path) -> str:
    """("building", "households", 3, "area_m2") -> "building.households[3].area_m2"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def get_in(data: Any, path: Path, default: Any = None) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return default
    return data


def set_in(data: dict, path: Path, value: Any) -> None:
    """Set (or with value None/"" remove) a value, creating mappings on the way."""
    target = data
    for part in path[:-1]:
        if isinstance(target, list):
            target = target[part]
            continue
        if not isinstance(target.get(part), (dict, list)):
            target[part] = {}
        target = target[part]
    last = path[-1]
    if value is None or value == "":
        if isinstance(target, dict):
            target.pop(last, None)
        else:
            target[last] = None
    else:
        target[last] = value


class Problems:
    """Error labels by field; `show` puts each problem beside its field (or in the list)."""

    def __init__(self) -> None:
        self.labels: dict[str, ui.label] = {}
        self.summary: ui.column | None = None

    def place_summary(self) -> None:
        self.summary = ui.column().classes("w-full gap-0").mark("problems")

    def label_for(self, field: str) -> ui.label:
        label = ui.label("").classes("text-negative text-caption").mark(f"error:{field}")
        label.set_visibility(False)
        self.labels[field] = label
        return label

    def _target(self, field: str) -> ui.label | None:
        if field in self.labels:
            return self.labels[field]
        candidates = [
            f for f in self.labels if field.startswith(f + ".") or field.startswith(f + "[")
        ]
        return self.labels[max(candidates, key=len)] if candidates else None

    def show(self, problems: list[Problem]) -> None:
        for label in self.labels.values():
            label.set_visibility(False)
        texts: dict[int, tuple[ui.label, list[str]]] = {}
        for p in problems:
            label = self._target(p.field)
            if label is not None:
                texts.setdefault(id(label), (label, []))[1].append(both_of(p))
        for label, msgs in texts.values():
            label.text = t("ui.sep.list").join(msgs)
            label.set_visibility(True)
        if self.summary is not None:
            self.summary.clear()
            with self.summary:
                for p in problems:
                    ui.label(f"⚠ {p.field or '—'}: {both_of(p)}").classes(
                        "text-negative text-body2 break-all"
                    )

    def clear(self) -> None:
        self.show([])


def text_field(
    data_ref: Callable[[], dict],
    path: Path,
    label: str,
    problems: Problems,
    on_change: Callable[[], None],
    *,
    width: str = "w-32",
    hint: str = "",
    numeric: bool = False,
) -> ui.input:
    """A text input bound to `path` inside the project data, with its error label."""
    value = get_in(data_ref(), path)
    with ui.column().classes(f"gap-0 {width}"):
        inp = (
            ui.input(label, value="" if value is None else str(value))
            .classes("w-full")
            .props("dense" + (" inputmode=decimal" if numeric else ""))
        )
        if hint:
            inp.props["hint"] = hint  # a prop value, never parsed as HTML
        problems.label_for(field_name(path))

    def changed(e: Any) -> None:
        text = (e.value or "").strip() if isinstance(e.value, str) else e.value
        set_in(data_ref(), path, text)
        on_change()

    inp.on_value_change(changed)
    inp.mark(field_name(path))
    return inp
