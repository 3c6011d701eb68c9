"""Each scheme's share formula, derived with sympy, shown as text, LaTeX and in a form
residents read ("human": one line, × ÷ Σ, indices in brackets: a(i), c(f(i))).

sympy takes ~0.5 s to import, too slow for every `elevator share`; so the
derived formulas are stored in `data/formulas.json` and a test re-derives them
and fails if the file is stale.  Regenerate with `python -m elevator.sharing.formulas`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from elevator.core.paths import data_file

FORMULAS_FILE = data_file("formulas.json")
EMPTY: dict[str, Any] = {"text": "", "latex": "", "legend": "", "human": "", "legend_keys": []}


def derive() -> dict[str, dict[str, Any]]:
    """Build every scheme's formula for household i's share S_i (sympy)."""
    import sympy as sp

    A, F, v, n = sp.symbols("A F v n", positive=True)  # A = to_share + compensation
    i, j, h, K = sp.symbols("i j h K", integer=True, positive=True)
    a, f, c, N = (sp.IndexedBase(x) for x in ("a", "f", "c", "N"))
    k = sp.IndexedBase("k")  # k_i = f_i - 1
    fl, nf = sp.symbols("f n_f", positive=True)  # a floor and its payers
    out: dict[str, sp.Expr] = {}
    out["equal"] = A / n
    out["area"] = A * a[i] / sp.Sum(a[j], (j, 1, n))
    out["floor_coefficients"] = A * c[f[i]] / sp.Sum(c[f[j]], (j, 1, n))
    out["floor_coefficients_by_area"] = A * c[f[i]] * a[i] / sp.Sum(c[f[j]] * a[j], (j, 1, n))
    out["floors_travelled"] = A * (f[i] - 1) / sp.Sum(f[j] - 1, (j, 1, n))
    out["floors_travelled_by_area"] = A * (f[i] - 1) * a[i] / sp.Sum((f[j] - 1) * a[j], (j, 1, n))
    # elevator rule: floor weight 1 at floor 2, +1/2 per floor; sympy simplifies it to f/2
    w = sp.simplify(1 + (fl - 2) / 2)
    G, m = sp.IndexedBase("G"), sp.Symbol("m", integer=True, positive=True)  # paying floors
    out["elevator_rule"] = A * w / sp.Sum(w.subs(fl, G[j]), (j, 1, m)) / nf
    a_h, S_f = sp.symbols("a_h S_f", positive=True)  # my area; the payers' area on my floor
    out["elevator_rule_area_within"] = A * w / sp.Sum(w.subs(fl, G[j]), (j, 1, m)) * a_h / S_f
    # Shapley value of c(S) = F + v max k: F split by all n, the segment below height h
    # split by the N_h payers who reach it; then scaled so the payments add up to A.
    shap = F / n + v * sp.Sum(1 / N[h], (h, 1, k[i]))
    out["shapley"] = A * shap / (F + v * K)
    saving = sp.Sum(F + v * k[j], (j, 1, n)) - (F + v * K)
    out["equal_benefit"] = A * (F + v * k[i] - saving / n) / (F + v * K)
    out["italian_1124"] = A * (
        a[i] / (2 * sp.Sum(a[j], (j, 1, n))) + k[i] / (2 * sp.Sum(k[j], (j, 1, n)))
    )
    legend = (  # describes `text`; documents show `human` with the catalogue's legend
        "A = to_share + compensation + hardship aid; a_i area; f_i floor; k_i = f_i − 1; n payers; "
        "c_f coefficient; F fixed; v per floor; K highest k among payers; N_h payers "
        "with k ≥ h; n_f payers on floor f; G_1…G_m the floors that have payers"
    )
    table = {name: _entry(sp, expr, legend, LEGENDS["linear"]) for name, expr in out.items()}
    table.update(_airport_formulas(sp))
    return table


# catalogue keys of the legends of the `human` forms (the documents join them)
LEGENDS = {
    "linear": ["formula.legend.linear"],
    "airport": ["formula.legend.airport"],
    "floor_units": ["formula.legend.airport", "formula.legend.floor_units"],
}


def _entry(sp, expr, legend: str, legend_keys: list[str]) -> dict[str, Any]:
    """`text` (sympy's, read back by tests), `latex`, the English `legend` of `text`,
    `human` (for people) and the catalogue keys of its legend."""
    return {
        "text": sp.sstr(expr),
        "latex": sp.latex(expr),
        "legend": legend,
        "human": human(sp, expr),
        "legend_keys": legend_keys,
    }


def _unevaluated(sp):
    """sympy functions shown as their definitions: a minimum over a range, an integral."""

    class MinOver(sp.Function):
        """min over r = lo … hi of expr (left unevaluated)."""

        @classmethod
        def eval(cls, *args):
            return None

        def _latex(self, printer):
            expr, r, lo, hi = self.args
            return (
                rf"\min_{{{printer._print(lo)} \le {printer._print(r)} \le "
                rf"{printer._print(hi)}}} \left({printer._print(expr)}\right)"
            )

    class IntOver(sp.Function):
        """∫ over a region of expr dx (left unevaluated)."""

        @classmethod
        def eval(cls, *args):
            return None

        def _latex(self, printer):
            expr, region = self.args
            return rf"\int_{{{printer._print(region)}}} {printer._print(expr)}\, dx"

    return MinOver, IntOver


def _airport_formulas(sp) -> dict[str, dict[str, Any]]:
    """The airport-problem rules (elevator.airport): S_i = A · x_i / c_n, x from the rule.

    `{rule}_by_area` is the area-weighted version (sharing.weights: area);
    `equal_benefit_costs` is equal benefit over sorted stand-alone costs (a ladder, or
    floors as units).  With floors as units (sharing.unions: floors) a rule's value goes
    to the floor, then to its payers equally (`<rule>_floors`, × 1/n_f) or by area
    (`<rule>_floors_area`, × a_h/S_f).  Rules
    defined by a minimum over a range, or by an integral over the no-subsidy set,
    are shown with an unevaluated min / integral: their definitions, not closed forms.
    """

    MinOver, IntOver = _unevaluated(sp)
    A, n, beta = sp.symbols("A n beta", positive=True)
    i, j, k, l, r, J = sp.symbols("i j k l r J", integer=True, positive=True)
    c, X, w, d, eta, W = (sp.IndexedBase(s) for s in ("c", "X", "w", "d", "eta", "W"))
    x, NS = sp.IndexedBase("x"), sp.Symbol("NS(c)")
    scale = A / c[n]
    out = {
        "sfc": scale * (d[j] - d[j - 1]) / eta[j],
        "sfc_by_area": scale * (d[j] - d[j - 1]) * w[i] / W[j],
        "sec": scale * sp.Sum((c[k] - c[k - 1]) / (n - k + 1), (k, 1, i)),
        "sec_by_area": scale
        * w[i]
        * sp.Sum((c[k] - c[k - 1]) / sp.Sum(w[l], (l, k, n)), (k, 1, i)),
        "cec": scale * MinOver((c[r] - X[i - 1]) / (r - i + 1), r, i, n),
        "cec_by_area": scale
        * w[i]
        * MinOver((c[r] - X[J]) / sp.Sum(w[l], (l, J + 1, r)), r, J + 1, n),
        "ceb": scale * sp.Max(c[i] - beta, 0),
        "ceb_by_area": scale * sp.Max(c[i] - beta * w[i], 0),
        "cp": scale * c[i] * MinOver((c[r] - X[J]) / sp.Sum(c[l], (l, J + 1, r)), r, J + 1, n),
        "cp_by_area": scale
        * w[i]
        * c[i]
        * MinOver((c[r] - X[J]) / sp.Sum(w[l] * c[l], (l, J + 1, r)), r, J + 1, n),
        "sm": scale * MinOver((c[r] - X[i - 1]) / (r - i + 2), r, i, n - 1),
        "cc": scale * IntOver(x[i], NS) / IntOver(sp.Integer(1), NS),
        "equal_benefit_costs": scale * (c[i] - (sp.Sum(c[j], (j, 1, n)) - c[n]) / n),
    }
    legend = (
        "A = amount shared; households sorted by cost c_1 ≤ … ≤ c_n (c_f of their floor; "
        "c_n the cost of serving the highest payer); X_i = x_1 + … + x_i; d_j the j-th "
        "distinct cost, j the level of household i, η_j households and W_j their weight at "
        "level j; w_i weight (area); J the last household of the previous block "
        "(constrained rules repeat the minimum block by block, x_n = c_n − X_{n−1} for sm); "
        "β chosen so that Σx = c_n; NS(c) = {x ≥ 0, Σx = c_n, X_k ≤ c_k} "
        "(docs/fair-division.md)"
    )
    table = {name: _entry(sp, expr, legend, LEGENDS["airport"]) for name, expr in out.items()}
    table.update(_as_floor_units(sp, out, legend))
    return table


def _as_floor_units(sp, out: dict, legend: str) -> dict[str, dict[str, Any]]:
    """Floors as units: the floor's value shared equally (× 1/n_f) or by area (× a_h/S_f)."""
    table = {}
    n_f, a_h, S_f = sp.symbols("n_f a_h S_f", positive=True)
    units_legend = legend + (
        "; floors as units (sharing.unions: floors): i is my floor's place, c_i its cost, "
        "its value shared by its n_f payers, or by area: a_h mine, S_f the floor's payers'"
    )
    for name, expr in out.items():
        for suffix, factor in (("_floors", 1 / n_f), ("_floors_area", a_h / S_f)):
            table[name + suffix] = _entry(sp, expr * factor, units_legend, LEGENDS["floor_units"])
    return table


# symbols with a subscript or a Latin name, as residents read them (no subscript
# glyphs in the CJK font: indices go in brackets)
_NAMES = {"n_f": "n(f)", "a_h": "a(h)", "S_f": "S(f)", "beta": "β", "eta": "η"}


def human(sp, expr) -> str:
    """One line for people: "S(i) = A × c(f(i)) ÷ Σ[j=1…n] c(f(j))" (the right side)."""
    return _h(sp, expr)


def _h(sp, e) -> str:
    if e.is_Add:
        return _sum_terms(sp, e)
    if e.is_Mul or (e.is_Pow and e.exp.is_negative) or (e.is_Rational and not e.is_Integer):
        return _product(sp, e)
    if e.is_Pow:
        return f"{_wrapped(sp, e.base)}^{_h(sp, e.exp)}"
    if isinstance(e, sp.Indexed):
        return f"{_NAMES.get(str(e.base), str(e.base))}({', '.join(_h(sp, i) for i in e.indices)})"
    if isinstance(e, sp.Sum):
        (var, lo, hi), body = e.limits[0], e.function
        return f"Σ[{_h(sp, var)}={_h(sp, lo)}…{_h(sp, hi)}] {_wrapped(sp, body)}"
    if isinstance(e, sp.Max):
        return f"max({', '.join(_h(sp, a) for a in e.args)})"
    if type(e).__name__ == "MinOver":
        body, r, lo, hi = e.args
        return f"min[{_h(sp, r)}={_h(sp, lo)}…{_h(sp, hi)}] ({_h(sp, body)})"
    if type(e).__name__ == "IntOver":
        body, region = e.args
        return f"∫[{_h(sp, region)}] {_wrapped(sp, body)} dx"
    if e.is_Integer and e < 0:
        return f"−{-e}"
    return _NAMES.get(str(e), str(e))


def _atomic(sp, e) -> bool:
    return bool(e.is_Atom or isinstance(e, (sp.Indexed, sp.Max)) or e.is_Function)


def _wrapped(sp, e) -> str:
    return _h(sp, e) if _atomic(sp, e) else f"({_h(sp, e)})"


def _sum_terms(sp, e) -> str:
    out = ""
    terms = sorted(e.as_ordered_terms(), key=lambda x: x.could_extract_minus_sign())
    for k, term in enumerate(terms):  # added terms first: "d(j) − d(j − 1)"
        negative = term.could_extract_minus_sign()
        text = _h(sp, -term if negative else term)
        if k == 0:
            out = ("−" if negative else "") + text
        else:
            out += (" − " if negative else " + ") + text
    return out


def _product(sp, e) -> str:
    num, den = sp.fraction(e)
    if not num.is_Add and num.could_extract_minus_sign():
        return "−" + _product(sp, -e)
    if den == 1:
        return _factors(sp, num)
    top = f"({_h(sp, num)})" if num.is_Add else _factors(sp, num, divided=True)
    bottom = _factors(sp, den)
    return f"{top} ÷ {bottom if _atomic(sp, den) or isinstance(den, sp.Sum) else f'({bottom})'}"


def _factors(sp, e, divided: bool = False) -> str:
    """Factors joined by ×; sums and Σ inside a product are bracketed (Σ only when
    something follows it: a factor, or ÷ when the product is `divided`)."""
    factors = e.as_ordered_factors() if e.is_Mul else [e]
    parts = []
    for k, f in enumerate(factors):
        last = k == len(factors) - 1 and not divided
        sigma = isinstance(f, sp.Sum)
        bare = _atomic(sp, f) or (sigma and last) or (len(factors) == 1 and not sigma)
        parts.append(_h(sp, f) if bare else f"({_h(sp, f)})")
    return " × ".join(parts)


@lru_cache(maxsize=1)
def load() -> dict[str, dict[str, Any]]:
    return json.loads(FORMULAS_FILE.read_text(encoding="utf-8"))


def formula_for(scheme: str, by_area: bool = False) -> dict[str, Any]:
    table = load()
    if by_area and f"{scheme}_by_area" in table:
        return table[f"{scheme}_by_area"]
    return table.get(scheme, EMPTY)


def formula_key(scheme: str, sharing, ladder: bool) -> str:
    """The formula that computes `scheme` under this sharing section and cost shape.

    Shapley and equal benefit have the F + v·k form only for households as units with
    linear costs; otherwise they are the airport forms over sorted costs (sec and
    equal_benefit_costs).  Floors as units add the split within the floor."""
    from elevator.sharing.airport import RULES

    name = scheme
    if name == "elevator_rule":
        return name + ("_area_within" if sharing.within_floor == "area" else "")
    if name in ("shapley", "equal_benefit"):
        if sharing.unions != "floors" and not ladder:
            return name
        name = "sec" if name == "shapley" else "equal_benefit_costs"
    elif name in RULES:
        name += "_by_area" if sharing.weights == "area" else ""
    elif sharing.by_area and f"{name}_by_area" in load():
        return f"{name}_by_area"
    else:
        return name
    if sharing.unions == "floors":
        name += "_floors_area" if sharing.within_floor == "area" else "_floors"
    return name


def formula_for_result(result) -> dict[str, Any]:
    """The formula of a ShareResult (see `formula_key`)."""
    key = formula_key(result.scheme.name, result.sharing, result.cost_ladder)
    return load().get(key, EMPTY)


if __name__ == "__main__":
    FORMULAS_FILE.parent.mkdir(exist_ok=True)
    FORMULAS_FILE.write_text(
        json.dumps(derive(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {FORMULAS_FILE}")
