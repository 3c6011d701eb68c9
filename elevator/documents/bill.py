"""One household's bill ("我家的账单"): what the elevator costs, what subsidies and other
money pay, what the households share, what this household pays and why — in words a
resident reads on a phone (amounts with thousands separators, no fractions, no keys).

Values and words only (no NiceGUI): the resident's page (ui/pages/resident.py) lays them
out.  Every amount comes from the ShareResult; this module computes nothing new except
the percentages that explain a share.

    cost − each subsidy − each contribution = shared (居民共担) = Σ (share + hardship aid)

Hardship aid is personal: the chain shows the amount shared before aid, and only the
household's own aid is named (see `own_aid_only` on the page).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from elevator.core.money import number_str, to_fraction
from elevator.core.money_text import format_yuan, group_amounts
from elevator.core.text import t
from elevator.core.types import confidence_mark
from elevator.documents.words import citation, name_in
from elevator.model.project import Project
from elevator.plan.changes import (
    HouseholdChange,
    field_changes,
    find_version,
    result_of,
    share_changes,
)
from elevator.sharing.engine import (
    FundingLine,
    HouseholdShare,
    ShareResult,
    floor_cost_function,
    resolved_subsidies,
)
from elevator.sharing.schemes import SCHEMES

ZERO = Fraction(0)
PLACES = 4  # decimals shown for a weight or an area before "about" is said


@dataclass(frozen=True, kw_only=True)
class ChainLine:
    """One step of cost → shared: the construction cost, a subsidy, a contribution, the
    amount shared; with its source (document name, web link, confidence mark)."""

    kind: str  # cost | subsidy | contribution | shared
    label: str
    amount: Fraction
    amount_text: str  # "−100,000.00" for money taken off
    basis: str = ""
    source: str = ""
    href: str | None = None  # a web address only
    mark: str = ""  # [S] / [W] / [U]


@dataclass(frozen=True)
class Bar:
    """One household in the chart: its share before personal aid (others' aid is private)."""

    id: str
    floor: int
    amount: Fraction
    mine: bool


@dataclass(frozen=True, kw_only=True)
class Bill:
    household: str
    floor: int
    amount: Fraction  # what the household pays (after its compensation and aid)
    amount_text: str  # with thousands separators
    headline: str
    reason: str  # one sentence: why this amount
    adjustments: tuple[str, ...]  # own compensation / aid / fixed amount, in words
    scheme: str  # the scheme's name
    scheme_words: str
    chain: tuple[ChainLine, ...]
    shared: Fraction  # cost − subsidies − contributions (before hardship aid)
    bars: tuple[Bar, ...]
    running: str  # running costs per year in words ("" when the project has none)
    chart_before_aid: bool = False  # someone receives hardship aid: bars show shares before it

    @property
    def sources(self) -> tuple[ChainLine, ...]:
        """The subsidies and contributions, for the first screen."""
        return tuple(l for l in self.chain if l.kind in ("subsidy", "contribution"))


def plain(value: Fraction, lang: str) -> str:
    """A number people read: exact when short ('1.3', '72.5'), else 'about 0.1667'."""
    text = number_str(value)
    if "/" not in text and len(text.partition(".")[2]) <= PLACES:
        return text
    rounded = number_str(Fraction(round(value * 10**PLACES), 10**PLACES))
    return t("bill.about", lang, value=rounded)


def percent(part: Fraction, whole: Fraction, lang: str) -> str:
    if not whole:
        return "0%"
    value = part * 100 / whole
    if (value * 100).denominator == 1:
        return number_str(value) + "%"
    text = number_str(Fraction(round(value * 10), 10))
    return t("bill.about", lang, value=text + "%")


def web_link(href: str | None) -> str | None:
    """A link a resident can open; a path inside the repository is not one."""
    return href if href and href.startswith(("https://", "http://")) else None


def aid_names(project: Project) -> set[str]:
    return {s.name for s in resolved_subsidies(project)[0] if s.is_hardship_aid}


def _funding_line(l: FundingLine, lang: str) -> ChainLine:
    label = t("label.subsidy" if l.kind == "subsidy" else "label.contribution", lang)
    return ChainLine(
        kind=l.kind,
        label=f"{label}{t('doc.sep.colon', lang)}{name_in(l.name, lang)}",
        amount=-l.amount,
        amount_text="−" + format_yuan(l.amount),
        basis=group_amounts(l.basis.text(lang)),
        source=citation(l.reference),
        href=web_link(l.href),
        mark=confidence_mark(l.confidence),
    )


def chain(project: Project, result: ShareResult, lang: str) -> tuple[ChainLine, ...]:
    """工程造价 − each subsidy − each contribution = 居民共担 (hardship aid left out)."""
    personal = aid_names(project)
    lines = [l for l in result.funding if l.name not in personal]
    shared = result.construction_cost - sum((l.amount for l in lines), ZERO)
    return (
        ChainLine(
            kind="cost",
            label=t("label.construction_cost", lang),
            amount=result.construction_cost,
            amount_text=format_yuan(result.construction_cost),
            basis=group_amounts(result.cost_basis.text(lang)),
        ),
        *(_funding_line(l, lang) for l in lines),
        ChainLine(
            kind="shared",
            label=t("label.to_share", lang),
            amount=shared,
            amount_text=format_yuan(shared),
        ),
    )


# --- why: one sentence in the scheme's own terms ---------------------------------------


def _weight_total(result: ShareResult) -> Fraction:
    return sum((h.weight for h in result.households), ZERO)


def _fixed_total(result: ShareResult) -> Fraction:
    return sum((h.fixed for h in result.households if h.fixed is not None), ZERO)


def _basis(project: Project, result: ShareResult, h: HouseholdShare, lang: str) -> str:
    """What the share depends on under this scheme, with this household's numbers."""
    s, name = result.sharing, result.scheme.name
    total = _weight_total(result)
    common = {"floor": h.floor, "area": plain(h.area_m2, lang), "sum": plain(total, lang)}
    common["weight"] = plain(h.weight, lang)
    if result.scheme.needs_floor_costs:
        cost = floor_cost_function(project)
        top = max(x.floor for x in result.households if x.payer and x.fixed is None)
        if cost is not None:
            return t(
                "bill.basis.floor_costs",
                lang,
                floor=h.floor,
                floor_cost=format_yuan(cost(h.floor)),
                top=top,
                top_cost=format_yuan(cost(top)),
            )
    if name == "equal":
        payers = sum(1 for x in result.households if x.weight)
        return t("bill.basis.equal", lang, count=payers)
    if name == "area":
        return t("bill.basis.area", lang, **common)
    if name == "floor_coefficients" and s.coefficients is not None:
        coef = plain(Fraction(s.coefficients[h.floor]), lang)
        key = "bill.basis.coefficient_area" if s.by_area else "bill.basis.coefficient"
        return t(key, lang, coefficient=coef, **common)
    if name == "floors_travelled":
        key = "bill.basis.travelled_area" if s.by_area else "bill.basis.travelled"
        return t(key, lang, travelled=h.floor - 1, **common)
    return t("bill.basis.weight", lang, **common)


def reason(project: Project, result: ShareResult, hid: str, lang: str = "zh") -> str:
    """Why this household pays what it pays, in one sentence."""
    h = result.by_id()[hid]
    if not h.participates:
        return t("bill.reason.opted_out", lang)
    if h.fixed is not None:
        return t("bill.reason.fixed", lang, amount=format_yuan(h.fixed))
    if not h.payer:
        return t("bill.reason.exempt", lang, floor=h.floor)
    split = result.amount_shared - _fixed_total(result)
    return t(
        "bill.reason",
        lang,
        scheme=result.scheme.label,
        shared=format_yuan(split),
        basis=_basis(project, result, h, lang),
        percent=percent(h.weight, _weight_total(result), lang),
        amount=format_yuan(h.rounded_gross),
    )


def adjustments(result: ShareResult, hid: str, lang: str = "zh") -> tuple[str, ...]:
    """What is taken off this household's share: its compensation and its hardship aid;
    and, when the scheme splits more than the amount shared, why (compensation of others)."""
    h = result.by_id()[hid]
    out = []
    split = result.amount_shared - _fixed_total(result)
    if result.compensation and h.payer and h.fixed is None:
        out.append(
            t(
                "bill.adjust.split",
                lang,
                split=format_yuan(split),
                compensation=format_yuan(result.compensation),
            )
        )
    if h.compensation:
        out.append(t("bill.adjust.compensation", lang, amount=format_yuan(h.compensation)))
    if h.aid:
        out.append(t("bill.adjust.aid", lang, amount=format_yuan(h.aid)))
    return tuple(out)


def headline(hid: str, amount: Fraction, lang: str = "zh") -> str:
    if amount < 0:
        return t("bill.headline.receives", lang, household=hid, amount=format_yuan(-amount))
    return t("bill.headline", lang, household=hid, amount=format_yuan(amount))


def running_words(result: ShareResult, hid: str, lang: str = "zh") -> str:
    r = result.running
    if r is None:
        return ""
    mine = next((x for x in r.households if x.id == hid), None)
    scheme = SCHEMES[r.scheme].label if r.scheme in SCHEMES else result.scheme.label
    return t(
        "bill.running",
        lang,
        amount=format_yuan(mine.annual if mine else ZERO),
        total=format_yuan(r.annual_total),
        scheme=scheme,
        years=r.years,
    )


def bars(result: ShareResult, hid: str) -> tuple[Bar, ...]:
    hs = sorted(result.households, key=lambda h: (h.floor, h.id))
    return tuple(Bar(h.id, h.floor, h.share + h.aid, h.id == hid) for h in hs)


def bill(project: Project, result: ShareResult, hid: str, lang: str = "zh") -> Bill:
    """The bill of household `hid` (it must be one of the project's households)."""
    h = result.by_id()[hid]
    steps = chain(project, result, lang)
    return Bill(
        household=hid,
        floor=h.floor,
        amount=h.share,
        amount_text=format_yuan(h.share),
        headline=headline(hid, h.share, lang),
        reason=reason(project, result, hid, lang),
        adjustments=adjustments(result, hid, lang),
        scheme=t(f"scheme.{result.scheme.name}", lang),
        scheme_words=t(f"scheme.{result.scheme.name}.words", lang),
        chain=steps,
        shared=steps[-1].amount,
        bars=bars(result, hid),
        running=running_words(result, hid, lang),
        chart_before_aid=bool(result.aid),
    )


# --- what changed since the version the household decided on (or last saw) -----------


@dataclass(frozen=True)
class ShareMove:
    """One household whose share changed (texts ready to show)."""

    id: str
    before: str
    after: str
    change: str
    mine: bool
    text: str  # the whole line: "502: 33,045.82 → 34,000.00 yuan (954.18 yuan more)"


@dataclass(frozen=True, kw_only=True)
class BillChanges:
    state: str  # none (nothing to compare) | same | changed | missing (version not found)
    since: int | None  # the saved version compared with
    heading: str
    mine: str = ""  # "your share: A → B (X more)"
    before: Fraction | None = None
    after: Fraction | None = None
    households: tuple[ShareMove, ...] = ()
    inputs: tuple[str, ...] = ()


def _move(before: Fraction | None, after: Fraction | None, lang: str) -> str:
    if before is None or after is None:
        return ""
    if after > before:
        return t("bill.change.more", lang, amount=format_yuan(after - before))
    if after < before:
        return t("bill.change.less", lang, amount=format_yuan(before - after))
    return t("bill.change.equal", lang)


def _amount_or_none(value: Fraction | None, lang: str) -> str:
    return format_yuan(value) if value is not None else t("bill.change.none", lang)


def _funding_inputs(old: ShareResult, new: ShareResult, lang: str) -> list[str]:
    def amounts(r: ShareResult) -> dict[tuple[str, str], Fraction]:
        return {(l.kind, l.name): l.amount for l in r.funding if l.kind != "compensation"}

    a, b = amounts(old), amounts(new)
    out = []
    for kind, name in dict.fromkeys([*a, *b]):
        before, after = a.get((kind, name)), b.get((kind, name))
        if before != after:
            label = t("label.subsidy" if kind == "subsidy" else "label.contribution", lang)
            out.append(
                t(
                    "bill.input.funding",
                    lang,
                    kind=label,
                    name=name_in(name, lang),
                    before=_amount_or_none(before, lang),
                    after=_amount_or_none(after, lang),
                )
            )
    return out


def _coefficient_inputs(old: Mapping[str, Any], new: Mapping[str, Any], lang: str) -> list[str]:
    """Floor coefficients that changed, from the edited project data (field_changes)."""
    out = []
    before = (old.get("sharing") or {}).get("coefficients") or {}
    after = (new.get("sharing") or {}).get("coefficients") or {}
    for change in field_changes(before, after):
        out.append(
            t(
                "bill.input.coefficient",
                lang,
                floor=change.path,
                before=_number_or_none(change.before, lang),
                after=_number_or_none(change.after, lang),
            )
        )
    return out


def _number_or_none(value: Any, lang: str) -> str:
    if value is None:
        return t("bill.change.none", lang)
    try:
        return plain(to_fraction(value), lang)
    except (ValueError, TypeError):
        return t("bill.change.none", lang)


def input_changes(
    old: ShareResult,
    new: ShareResult,
    old_data: Mapping[str, Any],
    new_data: Mapping[str, Any],
    lang: str = "zh",
) -> tuple[str, ...]:
    """The inputs residents care about, in words: cost, subsidies and contributions,
    scheme, floor coefficients."""
    out = []
    if old.construction_cost != new.construction_cost:
        out.append(
            t(
                "bill.input.cost",
                lang,
                before=format_yuan(old.construction_cost),
                after=format_yuan(new.construction_cost),
            )
        )
    out += _funding_inputs(old, new, lang)
    if old.scheme.name != new.scheme.name:
        out.append(t("bill.input.scheme", lang, before=old.scheme.label, after=new.scheme.label))
    out += _coefficient_inputs(old_data, new_data, lang)
    if old.compensation != new.compensation:
        out.append(
            t(
                "bill.input.compensation",
                lang,
                before=format_yuan(old.compensation),
                after=format_yuan(new.compensation),
            )
        )
    return tuple(out)


def changes_since(
    versions: Sequence[tuple[int, str, Mapping[str, Any]]],
    plan_hash: str | None,
    current: Mapping[str, Any],
    hid: str,
    lang: str = "zh",
    *,
    decision: str | None = None,
) -> BillChanges:
    """What changed for household `hid` between the saved version whose plan is
    `plan_hash` (the plan it decided on — `decision` says how — or, without a decision,
    the plan it last saw) and the `current` project data."""
    if plan_hash is None:
        return BillChanges(state="none", since=None, heading=t("bill.changes.none", lang))
    found = find_version(versions, plan_hash)
    new = result_of(current)
    if found is None or new is None:
        return BillChanges(state="missing", since=None, heading=t("bill.changes.missing", lang))
    number, data = found
    old = result_of(data)
    assert old is not None  # find_version matched its plan hash
    when = (
        t("bill.changes.decided", lang, version=number, decision=t(f"decision.{decision}", lang))
        if decision
        else t("bill.changes.seen", lang, version=number)
    )
    moves = visible_changes(old, new, hid)
    inputs = input_changes(old, new, data, current, lang)
    if not any(m.changed for m in moves) and not inputs:
        heading = t("bill.changes.same", lang, since=when)
        return BillChanges(state="same", since=number, heading=heading)
    mine = next((c for c in moves if c.id == hid), None)
    before, after = (mine.before, mine.after) if mine else (None, None)
    return BillChanges(
        state="changed",
        since=number,
        heading=t("bill.changes.changed", lang, since=when),
        mine=t(
            "bill.change.mine",
            lang,
            before=_amount_or_none(before, lang),
            after=_amount_or_none(after, lang),
            change=_move(before, after, lang),
        ),
        before=before,
        after=after,
        households=tuple(_share_move(c, hid, lang) for c in moves if c.changed),
        inputs=inputs,
    )


def _share_move(c: HouseholdChange, hid: str, lang: str) -> ShareMove:
    before, after = _amount_or_none(c.before, lang), _amount_or_none(c.after, lang)
    change = _move(c.before, c.after, lang) or t("bill.change.joined_or_left", lang)
    text = t(
        "bill.change.household", lang, household=c.id, before=before, after=after, change=change
    )
    return ShareMove(c.id, before, after, change, c.id == hid, text)


def visible_changes(old: ShareResult, new: ShareResult, hid: str) -> list[HouseholdChange]:
    """`share_changes` as this household may see them: its own share after its aid, every
    other household's before hardship aid (another's aid is private)."""

    def with_aid(r: ShareResult, other: str, value: Fraction | None) -> Fraction | None:
        h = r.by_id().get(other)
        return value + h.aid if value is not None and h is not None else value

    out = []
    for c in share_changes(old, new):
        if c.id == hid:
            out.append(c)
            continue
        before, after = with_aid(old, c.id, c.before), with_aid(new, c.id, c.after)
        out.append(HouseholdChange(id=c.id, floor=c.floor, before=before, after=after))
    return out


__all__ = [
    "Bar",
    "Bill",
    "BillChanges",
    "ChainLine",
    "ShareMove",
    "bill",
    "changes_since",
    "input_changes",
    "reason",
]
