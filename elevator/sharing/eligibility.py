"""Whether a subsidy applies to a project: its conditions against the project's facts.

Pure: a subsidy's `eligibility` (storeys, single owner, once per stairwell, the window on
the elevator's registration certificate) is checked against the building and
`project.installation`; the first condition that fails is returned as a plain-words
message, and the subsidy then counts 0.
"""

from __future__ import annotations

from elevator.core.errors import Given
from elevator.core.text import Msg
from elevator.model.project import Eligibility, Installation, Project, Subsidy


def ineligible(subsidy: Subsidy, project: Project) -> Msg | None:
    """None when the subsidy applies, else why not (the first condition that fails)."""
    e = subsidy.eligibility
    if e is None:
        return None
    facts = project.installation or Installation()
    who = _words(e.place or subsidy.name)
    for check in (_storeys, _owner, _once, _window):
        reason = check(e, facts, project, who)
        if reason is not None:
            return reason
    return None


def _words(text: str) -> Given:
    """Data words written "中文 / English" (a subsidy's or place's name) for a message."""
    zh, _, en = text.partition(" / ")
    return Given(zh, en or zh)


def _storeys(e: Eligibility, facts: Installation, project: Project, who: Given) -> Msg | None:
    floors = project.building.floors
    if e.storeys_min is not None and floors < e.storeys_min:
        return Msg("eligibility.storeys", place=who, storeys=e.storeys_min, floors=floors)
    return None


def _owner(e: Eligibility, facts: Installation, project: Project, who: Given) -> Msg | None:
    if e.not_single_owner and facts.single_owner:
        return Msg("eligibility.single_owner", place=who)
    return None


def _once(e: Eligibility, facts: Installation, project: Project, who: Given) -> Msg | None:
    if e.once_per_stairwell and facts.subsidised_before:
        return Msg("eligibility.once_per_stairwell", place=who)
    return None


def _window(e: Eligibility, facts: Installation, project: Project, who: Given) -> Msg | None:
    if e.registered_from is None and e.registered_to is None:
        return None
    start = str(e.registered_from) if e.registered_from else "…"
    end = str(e.registered_to) if e.registered_to else "…"
    day = facts.registered_on
    if day is None:
        return Msg("eligibility.window_unknown", place=who, start=start, end=end)
    early = e.registered_from is not None and day < e.registered_from
    late = e.registered_to is not None and day > e.registered_to
    if early or late:
        return Msg("eligibility.window", place=who, start=start, end=end, date=str(day))
    return None
