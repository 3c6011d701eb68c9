"""What changes between two versions of a project: each household's share, the inputs that
were edited, and the recorded decisions a new plan would leave on an older plan.

Pure values (no text): the resident's bill says "your share went from A to B", the mediator
is warned before a save that voids consents, and the version history shows a diff.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from elevator.core.errors import ProjectError
from elevator.model.io import parse_project
from elevator.plan.compose import shares
from elevator.plan.versions import plan_version
from elevator.sharing.engine import ShareResult

# a decision on the plan in force that still counts (withdrawn ones count for nobody)
COUNTED = ("agree", "oppose", "abstain")


@dataclass(frozen=True)
class HouseholdChange:
    """One household's share before and after (None: not in that version or not valid)."""

    id: str
    floor: int | None
    before: Fraction | None
    after: Fraction | None

    @property
    def delta(self) -> Fraction | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class FieldChange:
    """One edited input, by its path in the project data ("costs.items.0.amount")."""

    path: str
    before: Any
    after: Any


def result_of(data: Mapping[str, Any]) -> ShareResult | None:
    """The split of project data, or None when the data is not a valid plan."""
    try:
        return shares(parse_project(dict(data)))
    except ProjectError:
        return None


def version_of(data: Mapping[str, Any]) -> str | None:
    """The plan version (hash) of project data, None when it is not a valid plan.

    Remembered per data (a bounded cache): a resident's page looks up the plan of every
    saved version, and saved data never changes."""
    key = _cache_key(data)
    if key is not None:
        with _LOCK:
            if key in _CACHE:
                _CACHE.move_to_end(key)
                return _CACHE[key]
    result = result_of(data)
    version = plan_version(result) if result is not None else None
    if key is not None:
        with _LOCK:
            _CACHE[key] = version
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
    return version


# plan versions remembered: ~150 bytes each, so the bound keeps it under a megabyte
CACHE_SIZE = 4096
_CACHE: OrderedDict[tuple[bytes, dt.date], str | None] = OrderedDict()
_LOCK = threading.Lock()  # pages compute in worker threads (run.io_bound)


def _cache_key(data: Mapping[str, Any]) -> tuple[bytes, dt.date] | None:
    """The digest of the data as JSON (the store keeps nothing else, so equal JSON is the
    same project) and today's date: a project without a date takes the subsidies in force
    today. None (not remembered) for data that is not JSON."""
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(text.encode("utf-8")).digest(), _today()


def _today() -> dt.date:
    return dt.date.today()


def clear_version_cache() -> None:
    """Forget every remembered plan version (benchmarks measure the first look-up)."""
    with _LOCK:
        _CACHE.clear()


def share_changes(before: ShareResult | None, after: ShareResult | None) -> list[HouseholdChange]:
    """Every household of either version, in floor and id order, with both shares."""
    old = before.by_id() if before is not None else {}
    new = after.by_id() if after is not None else {}
    rows = []
    for hid in dict.fromkeys([*old, *new]):
        o, n = old.get(hid), new.get(hid)
        floor = (n or o).floor if (n or o) is not None else None
        rows.append(
            HouseholdChange(
                id=hid,
                floor=floor,
                before=o.share if o is not None else None,
                after=n.share if n is not None else None,
            )
        )
    return sorted(rows, key=lambda c: (c.floor or 0, c.id))


def field_changes(before: Any, after: Any, path: str = "") -> list[FieldChange]:
    """Leaf-by-leaf difference of two JSON-like values; lists compared by position."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        out: list[FieldChange] = []
        for key in dict.fromkeys([*before, *after]):
            sub = f"{path}.{key}" if path else str(key)
            out += field_changes(before.get(key), after.get(key), sub)
        return out
    if isinstance(before, list) and isinstance(after, list):
        out = []
        for i in range(max(len(before), len(after))):
            b = before[i] if i < len(before) else None
            a = after[i] if i < len(after) else None
            out += field_changes(b, a, f"{path}.{i}" if path else str(i))
        return out
    return [] if before == after else [FieldChange(path, before, after)]


def latest_decisions(rows: Iterable[Any]) -> dict[str, Any]:
    """Each household's latest decision row (rows oldest first, with .household)."""
    out: dict[str, Any] = {}
    for row in rows:
        out[row.household] = row
    return out


def voided(rows: Sequence[Any], current: str | None, proposed: str | None) -> list[Any]:
    """The latest decisions that count on the current plan and would stop counting if the
    proposed plan replaced it (rows have .household, .decision, .plan_version)."""
    if current is None or current == proposed:
        return []
    return [
        row
        for row in latest_decisions(rows).values()
        if row.plan_version == current and row.decision in COUNTED
    ]


def find_version(
    versions: Sequence[tuple[int, str, Mapping[str, Any]]], plan_hash: str
) -> tuple[int, Mapping[str, Any]] | None:
    """The newest saved version (number, data) whose plan has this hash, e.g. the plan a
    household agreed to; None when no saved version has it."""
    for number, _at, data in reversed(versions):
        if version_of(data) == plan_hash:
            return number, data
    return None


__all__ = [
    "clear_version_cache",
    "find_version",
    "FieldChange",
    "HouseholdChange",
    "field_changes",
    "latest_decisions",
    "result_of",
    "share_changes",
    "version_of",
    "voided",
]
