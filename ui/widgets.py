"""Small widgets: exact-number text fields bound to a path in the project data,
with the field's problems shown right under it (Chinese / English).

Numbers are typed as text on purpose: the library reads "0.3" or "1/3" exactly,
and reports bad input itself, in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from nicegui import ui

from elevator.core.errors import Problem, ProjectError
from elevator.core.money_text import format_yuan, parse_money_text
from elevator.core.text import catalogue, t
from ui.theme import both_of, lang

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
        # problems found in the page itself (an amount that cannot be read): the working
        # copy keeps its last good value, so a save is refused while any is left
        self.local: dict[str, Problem] = {}

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
        problems = [*problems, *(p for p in self.local.values() if p not in problems)]
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
                    ui.label(f"⚠ {problem_place(p.field)}: {both_of(p)}").classes(
                        "text-negative text-body2 break-all"
                    )

    def clear(self) -> None:
        self.show([])

    def forget_local(self) -> None:
        """The fields were rebuilt from the working copy: their typed text is gone."""
        self.local.clear()


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


def money_shown(value: Any) -> str:
    """A stored amount as the field shows it ("560000" -> "560,000.00"); text that is not
    an amount stays as it is (the validation says what is wrong with it)."""
    if value is None or value == "":
        return ""
    try:
        return format_yuan(parse_money_text(str(value)))
    except ProjectError:
        return str(value)


def money_field(
    data_ref: Callable[[], dict],
    path: Path,
    label: str,
    problems: Problems,
    on_change: Callable[[], None],
    *,
    width: str = "w-32",
) -> ui.input:
    """An amount of yuan as people type it ("56万", "5.6万元", "560,000"): stored as a
    plain decimal string; text that is not an amount keeps what the user typed and
    shows why beside the field, and the working copy keeps its last good amount."""
    field = field_name(path)
    with ui.column().classes(f"gap-0 {width}"):
        inp = ui.input(label, value=money_shown(get_in(data_ref(), path))).classes("w-full")
        inp.props("dense")
        inp.props["hint"] = t("change.money.hint", lang())
        problems.label_for(field)

    def changed(e: Any) -> None:
        text = (e.value or "").strip()
        problems.local.pop(field, None)
        if not text:
            set_in(data_ref(), path, "")
        else:
            try:
                amount = parse_money_text(text, field=field)
            except ProjectError as err:
                problems.local[field] = err.problems[0]
            else:
                set_in(data_ref(), path, format_yuan(amount, grouping=False))
        on_change()

    inp.on_value_change(changed)
    inp.mark(field)
    return inp


# --- a project data path in words (the version history, the voiding warning) ----------

MONEY_FIELDS = frozenset(
    {"total", "fixed", "per_floor", "amount", "per_elevator", "per_stop", "per_household", "cap"}
)
FLOOR_KEYED = frozenset({"coefficients", "ladder"})


def _segment_words(key: str, lg: str) -> str:
    words = catalogue(lg)
    for candidate in (f"change.field.{key}", f"fact.{key}"):
        if candidate in words:
            return t(candidate, lg)
    return t("change.field.other", lg)


def field_words(path: str, data: Any = None, lg: str | None = None) -> str:
    """ "building.households.3.area_m2" -> "楼栋 › 住户 › 302 户 › 面积（平方米）": field names
    from the catalogue, list entries by their flat or their place, never the dotted path."""
    lg = lg or lang()
    out: list[str] = []
    parent, node = "", data
    for part in path.split(".") if path else []:
        if parent in FLOOR_KEYED:
            out.append(t("change.floor", lg, floor=part))
            node = None
        elif part.isdigit():  # a list entry: a flat by its number, anything else by place
            node = node[int(part)] if isinstance(node, list) and int(part) < len(node) else None
            hid = node.get("id") if isinstance(node, dict) and parent == "households" else None
            out.append(
                t("change.household", lg, id=hid) if hid else t("change.item", lg, n=int(part) + 1)
            )
        else:
            out.append(_segment_words(part, lg))
            node = node.get(part) if isinstance(node, dict) else None
        parent = part
    return " › ".join(out) or t("change.field.other", lg)


def problem_place(field: str, data: Any = None) -> str:
    """Where a problem is, in words ("building.households[3].area_m2" -> "楼栋 › 住户 ›
    第 4 项 › 面积（平方米）"); "—" for the project as a whole."""
    if not field:
        return "—"
    return field_words(re.sub(r"\[(\d+)\]", r".\1", field), data)


def value_words(field: str, value: Any, lg: str | None = None) -> str:
    """A value of the project data in words: amounts with separators, yes / no, scheme,
    policy and fact values by name; a whole entry by its fields."""
    from elevator.documents.words import FACT_VALUES, fact_value, policy_name  # noqa: PLC0415

    lg = lg or lang()
    if value is None or value == "":
        return t("change.value.empty", lg)
    if isinstance(value, bool):
        return t("change.value.yes" if value else "change.value.no", lg)
    if isinstance(value, dict):
        return t("ui.sep.list", lg).join(
            f"{_segment_words(k, lg)} {value_words(k, v, lg)}" for k, v in value.items()
        )
    if isinstance(value, list):
        return t("change.value.items", lg, count=len(value))
    if field == "scheme" and f"scheme.{value}" in catalogue(lg):
        return t(f"scheme.{value}", lg)
    if field == "policy":
        return policy_name(str(value), lg)
    if field in FACT_VALUES:
        return fact_value(field, value, lg)
    if field in MONEY_FIELDS:
        return money_shown(value)
    return str(value)


# Quasar's screen size, read in the browser (reactive: turning the phone re-renders)
ON_PHONE = "Quasar.Screen.lt.sm"


def cards_on_phone(table: ui.table) -> ui.table:
    """On a phone (narrower than Quasar's sm breakpoint, 600 px) the table shows each row
    as a card of heading–value lines, so no column is pushed off the screen; wider screens
    keep the columns."""
    table.props[":grid"] = ON_PHONE
    return table


def data_table(
    columns: list[dict],
    rows: list[dict],
    marker: str,
    *,
    wrap: bool = True,
    per_page: int | None = None,
    pagination: int | None = None,
) -> ui.table:
    """The app's table: dense, bordered, full width, cards on a phone.  `wrap`: long cells
    wrap instead of widening their column; `per_page` 0 shows every row at once;
    `pagination` a first page size with Quasar's pager."""
    table = ui.table(columns=columns, rows=rows, row_key="_k", pagination=pagination)
    table.props("dense flat bordered" + (" wrap-cells" if wrap else ""))
    table.classes("w-full").mark(marker)
    if per_page is not None:
        table.props["pagination"] = {"rowsPerPage": per_page}
    return cards_on_phone(table)
