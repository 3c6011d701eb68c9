"""The smallest change that passes: fewest households that must change to `agree`, and
the least area such a set can hold — exact, in polynomial time.

Why it is exact
    Every condition a rule may hold is monotone: a household that changes to agree
    never makes one worse (consent_rules.MONOTONE; no_opposition, occupied_space,
    unanimity only ask for agreement).  So
    1. households a special condition names (opposing under no_opposition, occupied
       ones under occupied_space, everyone under unanimity) must change in every
       solution: they are changed first;
    2. a change adds to the tallies by the household's current decision only
       (none: participates and agrees; abstain: agrees; oppose: agrees, stops
       opposing) — by its area, and by one owner when its owner's status changes;
    3. among single-unit owners with the same current decision ("a class"), a set of
       j changes helps most with the j largest areas (the conditions only grow with
       area), and costs least area with the j smallest;
    4. an owner with several units changes status by how many of his units of each
       class change, so his options are counts per class (enumerated, bounded).
    The fewest changes is then the least j_none + j_abstain + j_oppose that is
    feasible with the largest areas: monotone in each count, so for each j_abstain a
    two-pointer walk over (j_oppose ↑, j_none ↓) finds the frontier in
    O(n_abstain · (n_oppose + n_none)) checks.  The least area among those sets:
    for each frontier count vector, the smallest areas when they are feasible
    (exact for that vector); otherwise the vector's sets are enumerated while few
    enough, else subset-sum tables answer (two classes, one unit per owner, bounded
    size), else the area is not given.

All sums are integers in the finest area unit (1/100 m² at least), compared with the
fractions of the conditions by cross-multiplication: exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import combinations, product

from elevator.policy.consent_rules import RuleCondition

CLASSES = ("none", "abstain", "oppose")
PARTICIPATING = ("agree", "oppose", "abstain")
MAX_SUBSETS = 20_000  # sets enumerated for the least area when the smallest do not pass
MAX_CHECKS = 200_000  # owners with several units: option combinations × inner checks
MAX_OPTIONS = 20_000  # one owner's options (counts per class) enumerated at most
MAX_DP_BITS = 200_000_000  # subset-sum tables for the least area (items × counts × area units)


@dataclass(frozen=True)
class SmallestChange:
    households: int | None  # fewest more households that must agree (None: not searched)
    area: Fraction | None  # least area those households hold together (None: not found)
    example: tuple[str, ...]  # one such set (mediator only)


@dataclass(frozen=True)
class Unit:
    id: str
    owner: str
    decision: str
    area: int  # in the area unit
    occupied: bool
    order: int = 0  # position in the building: equal sets name the earlier households


def owner_status(decisions: Sequence[str]) -> tuple[bool, bool, bool]:
    """(participating, agreeing, opposing) of one owner from his units' decisions.

    An owner of several units counts once (法释〔2009〕7号 art. 9).  He takes part when
    any of his units does; he agrees only when every unit of his that takes part
    agrees; he opposes when any of his units opposes.  Units that decided
    differently ("mixed") thus count as taking part, not agreeing — and as opposing
    if one opposes — until the owner decides the same for all of them.
    """
    part = [d for d in decisions if d in PARTICIPATING]
    agreeing = bool(part) and all(d == "agree" for d in part)
    return bool(part), agreeing, "oppose" in part


@dataclass
class Tally:
    """Area (in units) and owners that take part, agree, oppose; and the totals."""

    area_all: int
    heads_all: int
    area: list[int]  # [participating, agreeing, opposing]
    heads: list[int]

    def copy(self) -> "Tally":
        return Tally(self.area_all, self.heads_all, list(self.area), list(self.heads))


COUNT_INDEX = {"participating": 0, "agreeing": 1, "opposing": 2}


def share_holds(c: RuleCondition, t: Tally, da=(0, 0, 0), dh=(0, 0, 0)) -> bool:
    """Whether a share condition holds on tally `t` plus the deltas (exact integers)."""
    if c.basis == "area":
        values, total, delta = t.area, t.area_all, da
    else:
        values, total, delta = t.heads, t.heads_all, dh
    base = total if c.of == "all" else values[0] + delta[0]
    i = COUNT_INDEX[c.count]
    have = values[i] + delta[i]
    q = c.fraction
    if c.at_least is not None:
        return base > 0 and have * q.denominator >= q.numerator * base
    if c.more_than is not None:
        return base > 0 and have * q.denominator > q.numerator * base
    return have * q.denominator <= q.numerator * base


def tally(units: Sequence[Unit]) -> Tally:
    area = [0, 0, 0]
    for u in units:
        if u.decision in PARTICIPATING:
            area[0] += u.area
        if u.decision == "agree":
            area[1] += u.area
        if u.decision == "oppose":
            area[2] += u.area
    heads = [0, 0, 0]
    owners = _owners(units)
    for members in owners.values():
        for i, flag in enumerate(owner_status([u.decision for u in members])):
            heads[i] += flag
    return Tally(sum(u.area for u in units), len(owners), area, heads)


def _owners(units: Sequence[Unit]) -> dict[str, list[Unit]]:
    out: dict[str, list[Unit]] = {}
    for u in units:
        out.setdefault(u.owner, []).append(u)
    return out


def forced(conditions: Sequence[RuleCondition], units: Sequence[Unit]) -> set[str]:
    """Households every passing set contains: those a special condition names."""
    out: set[str] = set()
    for c in conditions:
        for u in units:
            if u.decision == "agree":
                continue
            if (
                c.kind == "unanimity"
                or (c.kind == "occupied_space" and u.occupied)
                or (
                    c.kind == "no_opposition"
                    and u.decision == "oppose"
                    and (c.households != "occupied_by_shaft" or u.occupied)
                )
            ):
                out.add(u.id)
    return out


def _delta(decision: str, area: int) -> tuple[int, int, int]:
    """Area delta (participating, agreeing, opposing) of one unit changing to agree."""
    return (area if decision == "none" else 0, area, -area if decision == "oppose" else 0)


class Pool:
    """Units whose changes are interchangeable but for their area: one class of
    single-unit owners, or one class of one owner with several units."""

    def __init__(self, decision: str, units: tuple[Unit, ...]) -> None:
        self.decision = decision
        self.units = units  # largest area first
        self._prefix = [0]
        for u in units:
            self._prefix.append(self._prefix[-1] + u.area)

    def largest(self, j: int) -> int:
        return self._prefix[j]

    def smallest(self, j: int) -> int:
        return self._prefix[-1] - self._prefix[len(self.units) - j]


@dataclass(frozen=True)
class Option:
    """One owner with several units: how many of each of his pools change."""

    counts: tuple[int, ...]
    heads: tuple[int, int, int]  # owner delta (participating, agreeing, opposing)


def _status_after(agree: int, left: dict[str, int]) -> tuple[bool, bool, bool]:
    """owner_status from counts: `agree` units agreeing, `left` units per class unchanged."""
    participating = agree + left["abstain"] + left["oppose"] > 0
    agreeing = participating and left["abstain"] + left["oppose"] == 0
    return participating, agreeing, left["oppose"] > 0


def _owner_options(pools: Sequence[Pool], members: Sequence[Unit]) -> list[Option]:
    agree = sum(u.decision == "agree" for u in members)
    before = owner_status([u.decision for u in members])
    out = []
    for counts in product(*(range(len(p.units) + 1) for p in pools)):
        left = dict.fromkeys(CLASSES, 0)
        for p, j in zip(pools, counts):
            left[p.decision] += len(p.units) - j
        after = _status_after(agree + sum(counts), left)
        out.append(Option(counts, tuple(int(a) - int(b) for a, b in zip(after, before))))
    return out


def _largest_first(units: Sequence[Unit]) -> tuple[Unit, ...]:
    """Largest area first; among equal areas the later household first, so that the
    smallest sets (taken from the end) name the earlier households."""
    return tuple(sorted(reversed(units), key=lambda u: -u.area))


def _class_pools(candidates: Sequence[Unit], single: set[str], opposing: bool) -> list[Pool]:
    """The single-unit owners' classes: none, abstain, oppose.  When no condition counts
    opposition, abstaining and opposing households change the tallies alike (both start
    agreeing, neither starts taking part): one class, so the frontier is one-dimensional."""
    units = {d: [u for u in candidates if u.owner in single and u.decision == d] for d in CLASSES}
    if opposing:
        return [Pool(d, _largest_first(units[d])) for d in CLASSES]
    merged = [u for u in candidates if u.owner in single and u.decision in ("abstain", "oppose")]
    return [
        Pool("none", _largest_first(units["none"])),
        Pool("abstain", ()),
        Pool("abstain", _largest_first(merged)),
    ]


class Search:
    """The search over one tally (forced changes already made)."""

    def __init__(self, conditions: Sequence[RuleCondition], units: Sequence[Unit]) -> None:
        self.conditions = [c for c in conditions if c.kind == "share"]
        self.base = tally(units)
        owners = _owners(units)
        candidates = [u for u in units if u.decision != "agree"]
        single = {o for o, m in owners.items() if len(m) == 1}
        opposing = any(c.count == "opposing" for c in self.conditions)
        self.classes = _class_pools(candidates, single, opposing)  # none, abstain, oppose
        self.multi: list[tuple[list[Pool], list[Option]]] = []
        self.too_big = False
        for owner, members in owners.items():
            if owner in single or all(u.decision == "agree" for u in members):
                continue
            pools = [
                Pool(d, _largest_first([u for u in members if u.decision == d])) for d in CLASSES
            ]
            pools = [p for p in pools if p.units]
            if math.prod(len(p.units) + 1 for p in pools) > MAX_OPTIONS:
                self.too_big = True  # not even one owner's options are enumerated
                continue
            self.multi.append((pools, _owner_options(pools, members)))

    def holds(self, da, dh) -> bool:
        return all(share_holds(c, self.base, da, dh) for c in self.conditions)

    def combos(self) -> Iterator[tuple[Option, ...]]:
        yield from product(*(opts for _, opts in self.multi))

    def budget_ok(self) -> bool:
        if self.too_big:
            return False
        n = [len(p.units) for p in self.classes]
        inner = (n[1] + 1) * (n[0] + n[2] + 2)
        return math.prod(len(o) for _, o in self.multi) * inner <= MAX_CHECKS

    def _fixed(self, combo: tuple[Option, ...], pick: str) -> tuple[list[int], list[int], int]:
        """Area and owner deltas and unit count of the multi-unit owners' options."""
        da, dh, k = [0, 0, 0], [0, 0, 0], 0
        for (pools, _), opt in zip(self.multi, combo):
            for p, j in zip(pools, opt.counts):
                area = p.largest(j) if pick == "largest" else p.smallest(j)
                for i, v in enumerate(_delta(p.decision, area)):
                    da[i] += v
                k += j
            for i, v in enumerate(opt.heads):
                dh[i] += v
        return da, dh, k

    def feasible(self, combo, js, pick: str = "largest") -> bool:
        da, dh, _ = self._fixed(combo, pick)
        for p, j in zip(self.classes, js):
            area = p.largest(j) if pick == "largest" else p.smallest(j)
            for i, v in enumerate(_delta(p.decision, area)):
                da[i] += v
            dh[1] += j  # a single-unit owner who changes to agree agrees
            if p.decision == "none":
                dh[0] += j
            if p.decision == "oppose":
                dh[2] -= j
        return self.holds(da, dh)

    def frontier(self, combo) -> list[tuple[int, int, int]]:
        """Count vectors (j_none, j_abstain, j_oppose) with the fewest changes for `combo`."""
        n_none, n_abs, n_opp = (len(p.units) for p in self.classes)
        best: list[tuple[int, int, int]] = []
        best_k = None
        for jb in range(n_abs + 1):
            jn = n_none
            if not self.feasible(combo, (jn, jb, n_opp)):
                continue
            for jo in range(n_opp + 1):
                if not self.feasible(combo, (jn, jb, jo)):
                    continue
                while jn > 0 and self.feasible(combo, (jn - 1, jb, jo)):
                    jn -= 1
                k = jn + jb + jo
                if best_k is None or k < best_k:
                    best_k, best = k, [(jn, jb, jo)]
                elif k == best_k:
                    best.append((jn, jb, jo))
        return best


def _pick_sets(pools: Sequence[Pool], counts: Sequence[int]) -> Iterator[tuple[Unit, ...]]:
    for chosen in product(*(combinations(p.units, j) for p, j in zip(pools, counts))):
        yield tuple(u for part in chosen for u in part)


def _better(area: int, chosen, best: int | None, best_set) -> bool:
    """Less area; at equal area, the set of earlier households (a stable example)."""
    if best is None or area < best:
        return True
    return area == best and sorted(u.order for u in chosen) < sorted(u.order for u in best_set)


def _least_area(search: Search, combo, js) -> tuple[int | None, int, tuple[Unit, ...] | None]:
    """(least area or None when too many sets, its lower bound, one least set)."""
    pools = [p for pools, _ in search.multi for p in pools] + list(search.classes)
    counts = [j for opt in combo for j in opt.counts] + list(js)
    smallest = tuple(u for p, j in zip(pools, counts) for u in p.units[len(p.units) - j :][:j])
    low = sum(u.area for u in smallest)
    if search.feasible(combo, js, pick="smallest"):
        return low, low, smallest
    n_sets = math.prod(math.comb(len(p.units), j) for p, j in zip(pools, counts))
    if n_sets > MAX_SUBSETS:
        area, chosen = _least_area_dp(search, combo, js)
        return area, low, chosen
    heads = [0, 0, 0]
    for opt in combo:
        heads = [a + b for a, b in zip(heads, opt.heads)]
    best, best_set = None, None
    for chosen in _pick_sets(pools, counts):
        da = [0, 0, 0]
        for u in chosen:
            da = [a + b for a, b in zip(da, _delta(u.decision, u.area))]
        dh = list(heads)
        for p, j in zip(search.classes, js):
            dh[1] += j
            dh[0] += j if p.decision == "none" else 0
            dh[2] -= j if p.decision == "oppose" else 0
        area = sum(u.area for u in chosen)
        if _better(area, chosen, best, best_set) and search.holds(da, dh):
            best, best_set = area, chosen
    return best, low, best_set


def _sum_tables(pool: Pool, j: int) -> list[list[int]] | None:
    """tables[i][c]: bitset of the sums of exactly c of the first i units (None: too big)."""
    if len(pool.units) * (j + 1) * (pool.largest(j) + 1) > MAX_DP_BITS:
        return None
    row = [1] + [0] * j
    tables = [row]
    for u in pool.units:
        row = [row[0]] + [row[c] | (row[c - 1] << u.area) for c in range(1, j + 1)]
        tables.append(row)
    return tables


def _sums(bits: int) -> list[int]:
    """The set bits of `bits`, ascending."""
    return [i for i, ch in enumerate(reversed(bin(bits)[2:])) if ch == "1"]


def _units_for(pool: Pool, tables: list[list[int]], j: int, total: int) -> tuple[Unit, ...]:
    """Exactly j units of the pool whose areas sum to `total` (backtracking the tables)."""
    out = []
    for i in range(len(pool.units), 0, -1):
        if j and not (tables[i - 1][j] >> total) & 1:
            u = pool.units[i - 1]
            out.append(u)
            total, j = total - u.area, j - 1
    return tuple(out)


def _least_area_dp(search: Search, combo, js) -> tuple[int | None, tuple[Unit, ...] | None]:
    """The least area of a fewest set by subset sums (pseudo-polynomial, bounded), when the
    households fall in two classes — not decided, and taking part without agreeing — and
    no owner holds several units: every condition grows with each class's area, so for
    each sum of the first class the least feasible sum of the second is found by bisection."""
    first, middle, second = search.classes
    if combo or middle.units or js[1]:
        return None, None
    jn, jp = js[0], js[2]
    t_first, t_second = _sum_tables(first, jn), _sum_tables(second, jp)
    if t_first is None or t_second is None:
        return None, None
    firsts, seconds = _sums(t_first[-1][jn]), _sums(t_second[-1][jp])
    if len(firsts) * max(1, len(seconds)).bit_length() > MAX_CHECKS:
        return None, None
    dh = (jn, jn + jp, 0)

    def holds(a: int, b: int) -> bool:
        return search.holds((a, a + b, 0), dh)

    best = None
    for a in firsts:
        if not seconds or not holds(a, seconds[-1]):
            continue
        lo, hi = 0, len(seconds) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if holds(a, seconds[mid]) else (mid + 1, hi)
        if best is None or a + seconds[lo] < best[0]:
            best = (a + seconds[lo], a, seconds[lo])
    if best is None:
        return None, None
    chosen = _units_for(first, t_first, jn, best[1]) + _units_for(second, t_second, jp, best[2])
    return best[0], chosen


def smallest_change(
    conditions: Sequence[RuleCondition], units: Sequence[Unit], unit_area: Fraction
) -> SmallestChange | None:
    """Fewest households that must change to agree for every condition to hold
    (None: not even everyone agreeing passes)."""
    must = forced(conditions, units)
    changed = [replace(u, decision="agree") if u.id in must else u for u in units]
    search = Search(conditions, changed)
    if not search.budget_ok():
        return SmallestChange(None, None, ())
    found: list[tuple[tuple[Option, ...], tuple[int, int, int]]] = []
    best_k = None
    for combo in search.combos():
        fixed_k = sum(sum(o.counts) for o in combo)
        for js in search.frontier(combo):
            k = fixed_k + sum(js)
            if best_k is None or k < best_k:
                best_k, found = k, [(combo, js)]
            elif k == best_k:
                found.append((combo, js))
    if best_k is None:
        return None
    forced_units = tuple(u for u in units if u.id in must)
    order = {u.id: i for i, u in enumerate(units)}
    best_area, best_set, unknown_low = None, None, None
    for combo, js in found:
        area, low, chosen = _least_area(search, combo, js)
        if area is None:
            unknown_low = low if unknown_low is None else min(unknown_low, low)
        elif _better(area, chosen, best_area, best_set):
            best_area, best_set = area, chosen
    if best_set is None:  # every least area unknown: show a largest-area set that passes
        combo, js = found[0]
        pools = [p for pools, _ in search.multi for p in pools] + list(search.classes)
        counts = [j for opt in combo for j in opt.counts] + list(js)
        best_set = tuple(u for p, j in zip(pools, counts) for u in p.units[:j])
    example = tuple(sorted((u.id for u in (*forced_units, *best_set)), key=order.__getitem__))
    area = None
    if best_area is not None and (unknown_low is None or unknown_low >= best_area):
        area = (best_area + sum(u.area for u in forced_units)) * unit_area
    return SmallestChange(best_k + len(forced_units), area, example)
