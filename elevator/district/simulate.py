"""Runs: every stairwell of a portfolio under one policy and one scheme, then the
comparison of several runs.

    simulate(portfolio, policies, scheme)     household rows of every run (a DataFrame)
    run(portfolio, policy, scheme)            one run: stairwell rows and the floor split
    compare(runs, limit)                      one summary row per run

A run's policy None means each row's own `policy` column; its scheme None means each
row's `scheme` column, else the policy's default sharing rule, else `area`.  A run works
on any slice of rows (`run_partition`), so the same function runs partition by partition
under Dask (`dask_stairwells`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from elevator.core.errors import ProjectError
from elevator.core.text import Msg
from elevator.district import checks, engine, scalar
from elevator.district.portfolio import FACTS, Portfolio, validate
from elevator.sharing.engine import HOUSEHOLD_COLUMNS

SERVED = ("feasible", "conditional")  # stairwells that can go ahead (with conditions)
DEFAULT_SCHEME = "area"  # Sharing's default when neither row nor policy names one


@dataclass
class Run:
    """One policy × scheme over a portfolio: one row per stairwell, and the per-floor split
    (q, g: rows × floors, see engine.Split)."""

    policy: str | None
    scheme: str | None
    frame: pd.DataFrame
    q: np.ndarray
    g: np.ndarray
    detail: dict[int, list] = field(default_factory=dict)  # row → (household, floor, fen)

    @property
    def label(self) -> str:
        return f"{self.policy or '*'} / {self.scheme or '*'}"


# --- resolving each row's policy, scheme and date ---------------------------------


def _default_scheme(policy: str | None, date: dt.date) -> str:
    if not policy:
        return DEFAULT_SCHEME
    from elevator.policy.parameters import load_policy  # noqa: PLC0415

    rule = load_policy(policy).default_sharing()
    if rule is None:
        return DEFAULT_SCHEME
    try:
        return rule.at(date)
    except ProjectError:
        return DEFAULT_SCHEME


def resolve(frame: pd.DataFrame, policy: str | None, scheme: str | None) -> pd.DataFrame:
    """policy, scheme and date of every row under this run (object columns: a string
    column would be converted to numpy at every look-up)."""
    n, today = len(frame), dt.date.today()
    if policy is not None:
        policies = np.full(n, policy, dtype=object)
    else:
        policies = frame["policy"].astype(object).to_numpy().copy()
        policies[pd.isna(policies)] = None
    dates = frame["date"].astype(object).to_numpy().copy()
    dates[pd.isna(dates)] = today
    out = pd.DataFrame(
        {"policy": pd.array(policies, dtype=object), "date": pd.array(dates, dtype=object)},
        index=frame.index,
    )
    if scheme is not None:
        schemes = np.full(n, scheme, dtype=object)
    else:
        schemes = frame["scheme"].astype(object).to_numpy().copy()
        missing = pd.isna(schemes)
        for (pol, date), idx in _groups(out["policy"], out["date"]):
            schemes[idx[missing[idx]]] = _default_scheme(pol, date)
    out["scheme"] = pd.array(schemes, dtype=object)
    return out


# --- a run -----------------------------------------------------------------------


def run(
    portfolio: Portfolio | pd.DataFrame,
    policy: str | None = None,
    scheme: str | None = None,
    engine_name: str = "vector",
    progress: Callable[[int, int], None] | None = None,
) -> Run:
    frame = portfolio.frame if isinstance(portfolio, Portfolio) else portfolio
    state = run_partition(frame, policy, scheme, engine_name, progress, keep_state=True)
    out, q, g, detail = state
    return Run(policy=policy, scheme=scheme, frame=out, q=q, g=g, detail=detail)


def run_partition(
    frame: pd.DataFrame,
    policy: str | None,
    scheme: str | None,
    engine_name: str = "vector",
    progress: Callable[[int, int], None] | None = None,
    max_floors: int | None = None,
    keep_state: bool = False,
):
    """Stairwell rows for a slice of a clean portfolio, with q and g (rows × max floors)."""
    n = len(frame)
    width = int(max_floors or (frame["floors"].max() if n else 1))
    q = np.zeros((n, width), dtype=np.int64)
    g = np.zeros((n, width), dtype=np.int64)
    res = resolve(frame, policy, scheme)
    out = pd.DataFrame(
        {
            "row": frame["row"].to_numpy(),
            "stairwell": frame["id"].array,
            "community": frame["community"].array,
            "district": frame["district"].array,
            "policy": pd.array(res["policy"].to_numpy(), dtype=object),
            "scheme": pd.array(res["scheme"].to_numpy(), dtype=object),
            "floors": frame["floors"].to_numpy(),
            "households_per_floor": frame["households_per_floor"].to_numpy(),
        }
    )
    out["households"] = out["floors"] * out["households_per_floor"]
    detailed = frame["detail"].notna().to_numpy() if "detail" in frame else np.zeros(n, bool)
    if detailed.any():
        sizes = [len(d) for d in frame["detail"].to_numpy()[detailed]]
        out.loc[detailed, "households"] = sizes
    out["cost_fen"] = frame["cost_fen"].to_numpy()
    facts = checks.FactColumns(frame[[c for c in FACTS if c in frame]], frame["floors"].to_numpy())
    state = _State(n, q, g, facts, engine_name)
    for (pol, date), idx in _groups(res["policy"], res["date"]):
        _policy_group(frame, res, state, idx, pol, date, engine_name, progress)
    out["subsidy_fen"] = pd.arrays.IntegerArray(state.subsidy, ~state.has_subsidy)
    out["to_share_fen"] = pd.arrays.IntegerArray(state.to_share, ~state.has_share)
    for name in ("verdict", "engine", "problem"):
        out[name] = pd.array(getattr(state, name), dtype=object)
    if keep_state:
        return out, q, g, state.detail
    return out, q, g


def _groups(policies: pd.Series, dates: pd.Series):
    """((policy, date), row positions) for each distinct pair (None a policy like any other)."""
    pcode, puniq = pd.factorize(policies.fillna(""))
    dcode, duniq = pd.factorize(dates)
    pairs, inverse = np.unique(pcode * (len(duniq) + 1) + dcode, return_inverse=True)
    for k, code in enumerate(pairs):
        p, d = puniq[code // (len(duniq) + 1)], duniq[code % (len(duniq) + 1)]
        yield (p or None, d), np.flatnonzero(inverse == k)


class _State:
    """A partition's results while they are computed (numpy arrays, one slot per row)."""

    def __init__(self, n: int, q, g, facts: checks.FactColumns, engine_name: str):
        self.q, self.g, self.facts = q, g, facts
        self.subsidy = np.zeros(n, dtype=np.int64)
        self.to_share = np.zeros(n, dtype=np.int64)
        self.has_subsidy = np.zeros(n, dtype=bool)
        self.has_share = np.zeros(n, dtype=bool)
        self.verdict = np.full(n, None, dtype=object)
        self.engine = np.full(n, engine_name, dtype=object)
        self.problem = np.full(n, None, dtype=object)
        self.detail: dict[int, list] = {}

    def refuse(self, idx: Iterable[int], message: Msg) -> None:
        for i in idx:
            self.problem[i] = message


def _policy_group(frame, res, state, idx, policy, date, engine_name, progress) -> None:
    """Rows sharing one policy and date: verdicts, subsidies, then shares by scheme."""
    try:
        subsidies = _subsidies(policy, date)
    except ProjectError as e:
        state.refuse(idx, e.problems[0].message)
        subsidies = None
    if engine_name == "scalar":
        _scalar_rows(frame, res, state, idx, policy, date, progress, check=True)
        return
    state.verdict[idx] = checks.verdicts(state.facts, idx, policy, date)
    if subsidies is None:
        return
    if "detail" in frame:  # household portfolios: the one-stairwell engine, row by row
        detailed = frame["detail"].notna().to_numpy()[idx]
        if detailed.any():
            _scalar_rows(frame, res, state, idx[detailed], policy, date, progress, check=False)
            idx = idx[~detailed]
    if not engine.vector_subsidies(subsidies):
        _scalar_rows(frame, res, state, idx, policy, date, progress, check=False)
        return
    cost = frame["cost_fen"].to_numpy()[idx]
    floors = frame["floors"].to_numpy()[idx]
    sub = engine.subsidy_fen(subsidies, cost, floors)
    amount = cost - sub
    over = amount < 0
    for i, a in zip(idx[over], amount[over]):
        state.refuse([i], Msg("sharing.error.funding_exceeds", amount=_yuan(-int(a))))
    ok = idx[~over]
    state.subsidy[idx], state.has_subsidy[idx] = sub, True
    state.to_share[ok], state.has_share[ok] = amount[~over], True
    schemes = res["scheme"].to_numpy()[ok]
    for name in pd.unique(schemes):
        rows = ok[schemes == name]
        if name in engine.VECTOR_SCHEMES:
            _vector_rows(frame, state, rows, name)
        else:
            _scalar_rows(frame, res, state, rows, policy, date, progress, check=False)


def _subsidies(policy: str | None, date: dt.date) -> list:
    if not policy:
        return []
    from elevator.policy.parameters import load_policy  # noqa: PLC0415

    return load_policy(policy).subsidies_at(date)


def _vector_rows(frame: pd.DataFrame, state: _State, idx: np.ndarray, scheme: str) -> None:
    floors_all = frame["floors"].to_numpy()[idx]
    for floors in np.unique(floors_all):
        rows = idx[floors_all == floors]
        per_floor = frame["households_per_floor"].to_numpy()[rows]
        ground = frame["ground_floor_participates"].to_numpy(dtype=bool)[rows]
        nobody = (floors == 1) & ~ground  # the only floor is exempt: nobody pays
        if nobody.any():
            state.refuse(rows[nobody], Msg("sharing.error.no_payers"))
            rows, per_floor, ground = rows[~nobody], per_floor[~nobody], ground[~nobody]
        fixed = per = None
        if scheme in engine.FLOOR_COST_SCHEMES:
            fx = frame["fixed_fen"].iloc[rows]
            have = fx.notna().to_numpy()
            if not have.all():
                state.refuse(rows[~have], Msg("sharing.error.needs_floor_costs", scheme=scheme))
                rows, per_floor, ground = rows[have], per_floor[have], ground[have]
            fixed = frame["fixed_fen"].iloc[rows].to_numpy(dtype=np.int64)
            per = frame["per_floor_fen"].iloc[rows].to_numpy(dtype=np.int64)
        coeffs = list(frame["coefficients"].iloc[rows]) if scheme == "floor_coefficients" else None
        X, problems = engine.floor_weights(
            scheme, int(floors), per_floor, ground, fixed, per, coeffs
        )
        bad = np.array([p is not None for p in problems], dtype=bool)
        for i, p in zip(rows[bad], [p for p in problems if p is not None]):
            state.refuse([i], p)
        amount = state.to_share[rows]
        sp, zero = engine.split(amount[~bad], X[~bad], per_floor[~bad])
        good = rows[~bad]
        state.refuse(good[zero], Msg("sharing.error.zero_weights"))
        state.q[good, : int(floors)] = sp.q
        state.g[good, : int(floors)] = sp.g


def _scalar_rows(frame, res, state, idx, policy, date, progress, check: bool) -> None:
    """The one-stairwell engines, row by row (with a progress callback)."""
    records = frame.iloc[idx].to_dict("records")
    schemes = res["scheme"].to_numpy()[idx]
    for k, (i, row, scheme) in enumerate(zip(idx, records, schemes)):
        r = scalar.price_row(row, policy, scheme, date, check=check)
        if progress is not None:
            progress(k + 1, len(idx))
        if check:
            state.verdict[i] = r.verdict
        state.engine[i] = "scalar"
        state.problem[i] = r.problem
        state.has_subsidy[i] = state.has_share[i] = r.problem is None
        if r.problem is not None:
            continue
        state.subsidy[i], state.to_share[i] = r.subsidy_fen, r.to_share_fen
        if r.shares is not None:
            state.detail[i] = r.shares
        state.q[i, : len(r.q)] = r.q
        state.g[i, : len(r.g)] = r.g


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def yuan_strings(fen: np.ndarray) -> np.ndarray:
    """Integer fen → decimal strings in yuan ("1234.50"), vectorised."""
    fen = np.asarray(fen, dtype=np.int64)
    sign = np.where(fen < 0, "-", "")
    a = np.abs(fen)
    if a.size == 0:
        return np.array([], dtype=object)
    whole = (a // 100).astype(str)
    cents = np.char.zfill((a % 100).astype(str), 2)
    return np.char.add(np.char.add(np.char.add(sign, whole), "."), cents).astype(object)


# --- households ----------------------------------------------------------------


def households(r: Run, priced_only: bool = True) -> pd.DataFrame:
    """One row per household: HOUSEHOLD_COLUMNS (share as a decimal string in yuan), in
    the portfolio's order."""
    f = r.frame
    keep = f["problem"].isna().to_numpy() if priced_only else np.ones(len(f), bool)
    detailed = np.zeros(len(f), bool)
    detailed[list(r.detail)] = True
    rows = np.flatnonzero(keep & ~detailed)
    floors = f["floors"].to_numpy()[rows]
    per = f["households_per_floor"].to_numpy()[rows]
    count = floors * per
    row_of = np.repeat(rows, count)
    # position inside the stairwell: floor-major, then flat number
    start = np.repeat(np.cumsum(count) - count, count)
    pos = np.arange(count.sum()) - start
    per_h = np.repeat(per, count)
    floor = pos // per_h + 1
    index = pos % per_h + 1
    share = r.q[row_of, floor - 1] + (index <= r.g[row_of, floor - 1])
    ids = (floor * 100 + index).astype(str).astype(object)  # 101, 102, 201 …
    extra = [(i, h, fl, v) for i, shares in sorted(r.detail.items()) for h, fl, v in shares]
    if extra:
        d_row, d_id, d_floor, d_share = (np.array(x) for x in zip(*extra))
        order = np.argsort(np.concatenate([row_of, d_row]), kind="stable")
        row_of = np.concatenate([row_of, d_row])[order]
        ids = np.concatenate([ids, d_id.astype(object)])[order]
        floor = np.concatenate([floor, d_floor])[order]
        share = np.concatenate([share, d_share])[order]
    return pd.DataFrame(
        {
            "policy": f["policy"].to_numpy()[row_of],
            "scheme": f["scheme"].to_numpy()[row_of],
            "stairwell": f["stairwell"].to_numpy()[row_of],
            "household": ids,
            "floor": floor,
            "share": yuan_strings(share),
            "share_fen": share.astype(np.int64),
        },
        columns=list(HOUSEHOLD_COLUMNS),
    )


def top_shares(r: Run) -> np.ndarray:
    """Each stairwell's largest share on its top floor (fen)."""
    f = r.frame
    n = len(f)
    floors = f["floors"].to_numpy()
    top = r.q[np.arange(n), floors - 1] + (r.g[np.arange(n), floors - 1] > 0)
    for i, shares in r.detail.items():
        high = max(fl for _, fl, _ in shares)
        top[i] = max(v for _, fl, v in shares if fl == high)
    return top


def simulate(
    portfolio: pd.DataFrame | Portfolio,
    policies: Iterable[str | None] | str | None = None,
    scheme: Iterable[str | None] | str | None = None,
) -> pd.DataFrame:
    """Household rows of every policy × scheme (for notebooks); the same columns as
    `ShareResult.to_frame()`.  A raw frame is validated first; refused rows are left out
    (see `runs` and `Portfolio.refused` for why)."""
    frames = [households(r) for r in runs(portfolio, policies, scheme)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[])


def runs(
    portfolio: pd.DataFrame | Portfolio,
    policies: Iterable[str | None] | str | None = None,
    schemes: Iterable[str | None] | str | None = None,
    engine_name: str = "vector",
    progress: Callable[[int, int], None] | None = None,
) -> list[Run]:
    if not isinstance(portfolio, Portfolio):
        portfolio = validate(portfolio)
    pols = [policies] if policies is None or isinstance(policies, str) else list(policies)
    schs = [schemes] if schemes is None or isinstance(schemes, str) else list(schemes)
    return [
        run(portfolio, p, s, engine_name, progress) for p in pols or [None] for s in schs or [None]
    ]


# --- comparison -------------------------------------------------------------------


def _floor_shares(r: Run, served: np.ndarray):
    """(floor, shares, households paying each) over the served stairwells."""
    floors = r.frame["floors"].to_numpy()
    per = r.frame["households_per_floor"].to_numpy()
    plain = served.copy()
    extra: dict[int, list[int]] = {}
    for i, shares in r.detail.items():
        plain[i] = False
        if served[i]:
            for _, fl, v in shares:
                extra.setdefault(fl, []).append(v)
    top = max([r.q.shape[1], *extra]) if extra else r.q.shape[1]
    for f in range(1, top + 1):
        on = plain & (floors >= f) if f <= r.q.shape[1] else np.zeros(len(floors), bool)
        col = min(f, r.q.shape[1]) - 1
        q, g, h = r.q[on, col], r.g[on, col], per[on]
        more = np.array(extra.get(f, []), dtype=np.int64)
        values = np.concatenate([q, q + 1, more])
        weights = np.concatenate([h - g, g, np.ones(len(more), dtype=np.int64)])
        if weights.sum() > 0:
            yield f, values, weights


def floor_quantiles(r: Run, served: np.ndarray) -> pd.DataFrame:
    """Per floor: households, median, 90th percentile and largest share (fen; quantiles
    are shares some household pays: the inverted-CDF definition)."""
    rows = []
    for f, values, weights in _floor_shares(r, served):
        order = np.argsort(values, kind="stable")
        v, w = values[order], np.cumsum(weights[order])
        total = w[-1]
        pick = [v[np.searchsorted(w, p * total, side="left")] for p in (0.5, 0.9)]
        top = int(v[np.flatnonzero(weights[order] > 0)[-1]])
        rows.append((f, int(total), int(pick[0]), int(pick[1]), top))
    return pd.DataFrame(rows, columns=["floor", "households", "median", "p90", "max"])


def over_limit(r: Run, served: np.ndarray, limit: dict[int, int] | int | None) -> int:
    """Households of served stairwells whose share exceeds the limit (fen; per floor)."""
    if limit is None:
        return 0
    count = 0
    for f, values, weights in _floor_shares(r, served):
        cap = limit.get(f) if isinstance(limit, dict) else limit
        if cap is not None:
            count += int(weights[values > cap].sum())
    return count


def summary(r: Run, limit: dict[int, int] | int | None = None) -> dict:
    f = r.frame
    priced = f["problem"].isna().to_numpy()
    verdict = f["verdict"].to_numpy()
    served = priced & np.isin(verdict, SERVED)
    counts = {v: int((verdict == v).sum()) for v in checks.VERDICT_CODES}
    budget = int(f["subsidy_fen"].to_numpy(dtype=np.int64, na_value=0)[served].sum())
    served_households = int(f["households"].to_numpy()[served].sum())
    return {
        "policy": r.policy,
        "scheme": r.scheme,
        "stairwells": len(f),
        **counts,
        "refused": int((~priced).sum()),
        "scalar_rows": int((f["engine"] == "scalar").sum()),
        "budget_fen": budget,
        "households_served": served_households,
        "budget_per_household_fen": budget // served_households if served_households else None,
        "over_limit": over_limit(r, served, limit),
        "floors": floor_quantiles(r, served),
    }


def compare(all_runs: list[Run], limit: dict[int, int] | int | None = None) -> pd.DataFrame:
    """One row per run (fen columns are integers; `floors` holds each run's quantiles)."""
    return pd.DataFrame([summary(r, limit) for r in all_runs])


def to_dask(frame: pd.DataFrame, npartitions: int):
    """A clean portfolio as a Dask frame whose cells stay Python values (Dask would turn
    object columns into strings: yes/no facts and pipeline lists must stay as they are)."""
    import dask  # noqa: PLC0415 (the optional `dask` extra)
    import dask.dataframe as dd  # noqa: PLC0415

    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_pandas(frame, npartitions=npartitions)


def dask_stairwells(ddf, policy: str | None, scheme: str | None, max_floors: int):
    """The same run partition by partition (dask.dataframe.map_partitions); stairwell rows
    with the per-floor split as columns q1…, g1… (a Dask frame)."""
    meta = _partition_frame(ddf._meta, policy, scheme, max_floors)
    return ddf.map_partitions(
        _partition_frame, policy, scheme, max_floors, meta=meta, align_dataframes=False
    )


def _partition_frame(part: pd.DataFrame, policy, scheme, max_floors: int) -> pd.DataFrame:
    out, q, g = run_partition(part, policy, scheme, max_floors=max_floors)
    out = out.drop(columns=["problem"]).assign(
        problem=[None if p is None else p.key for p in out["problem"]]
    )
    for f in range(max_floors):
        out[f"q{f + 1}"] = q[:, f]
        out[f"g{f + 1}"] = g[:, f]
    out.index = part.index
    return out
