"""A plain exact linear programme: minimise a linear objective over the rationals.

    lp_min(objective, rows, free) -> (value, point) | None

`objective` maps variable names to coefficients; each row is (coefficients, "<=" | ">=" |
"==", right-hand side).  Variables are ≥ 0 unless named in `free`.  The answer is exact
(Fractions): a two-phase simplex with Bland's rule, which cannot cycle.  None means no
point meets every row; an objective without a lower bound raises `Unbounded`.

(sympy 1.14's own lpmin oscillates or returns an infeasible point on degenerate
programmes such as the negotiation solver's — sympy issue #28089, fixed after 1.14 — so
the pivoting is done here.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

Row = tuple[Mapping[str, Fraction], str, Fraction]


class Unbounded(ArithmeticError):
    """The objective has no lower bound on the feasible set."""


class _Tableau:
    """The simplex tableau: one row per constraint, columns for the variables (a free
    variable twice, as v⁺ − v⁻), one slack per inequality and one artificial per row;
    the last column is the right-hand side."""

    def __init__(self, names: list[str], rows: Sequence[Row], free: set[str]) -> None:
        self.cols: list[tuple[str, int]] = []  # (variable, sign)
        for v in names:
            self.cols.append((v, 1))
            if v in free:
                self.cols.append((v, -1))
        slack = len(self.cols)  # each inequality's slack column, in row order
        slacks: list[int | None] = []
        for _, op, _ in rows:
            slacks.append(None if op == "==" else slack)
            slack += op != "=="
        self.n_real = slack  # variables and slacks; the artificials follow
        self.width = self.n_real + len(rows)
        self.T = [self._row(i, row, slacks[i]) for i, row in enumerate(rows)]
        self.basis = [self.n_real + i for i in range(len(rows))]
        self.artificial = set(self.basis)

    def _row(self, i: int, row: Row, slack: int | None) -> list[Fraction]:
        coeffs, op, rhs = row
        out = [Fraction(0)] * (self.width + 1)
        for j, (v, sign) in enumerate(self.cols):
            out[j] = sign * coeffs.get(v, Fraction(0))
        if slack is not None:
            out[slack] = Fraction(1) if op == "<=" else Fraction(-1)
        out[-1] = rhs
        if rhs < 0:
            out = [-x for x in out]
        out[self.n_real + i] = Fraction(1)  # the row's artificial
        return out

    def pivot(self, r: int, c: int) -> None:
        T = self.T
        p = T[r][c]
        T[r] = [x / p for x in T[r]]
        for i in range(len(T)):
            if i != r and T[i][c]:
                f = T[i][c]
                T[i] = [a - f * b for a, b in zip(T[i], T[r])]
        self.basis[r] = c

    def run(self, cost: list[Fraction], allowed: list[bool]) -> bool:
        """Pivot until no allowed column lowers the cost (Bland's rule); False when the
        cost is unbounded below."""
        T, basis = self.T, self.basis
        while True:
            reduced = [
                cost[j] - sum((cost[basis[i]] * T[i][j] for i in range(len(T))), Fraction(0))
                for j in range(self.width)
            ]
            enter = next((j for j in range(self.width) if allowed[j] and reduced[j] < 0), None)
            if enter is None:
                return True
            candidates = [
                (T[i][-1] / T[i][enter], basis[i], i) for i in range(len(T)) if T[i][enter] > 0
            ]
            if not candidates:
                return False
            self.pivot(min(candidates)[2], enter)

    def feasible(self) -> bool:
        """Phase one: minimise the artificials; feasible when they all reach 0, after which
        they leave the basis (or their row goes, when it is redundant)."""
        m = len(self.T)
        self.run([Fraction(0)] * self.n_real + [Fraction(1)] * m, [True] * self.width)
        left = sum((r[-1] for r, b in zip(self.T, self.basis) if b in self.artificial), Fraction(0))
        if left > 0:
            return False
        for i in reversed(range(len(self.T))):
            if self.basis[i] in self.artificial:
                j = next((j for j in range(self.n_real) if self.T[i][j] != 0), None)
                if j is None:
                    del self.T[i], self.basis[i]  # a redundant row
                else:
                    self.pivot(i, j)
        return True

    def minimise(self, objective: Mapping[str, Fraction]) -> None:
        """Phase two: the objective over the real columns only."""
        cost = [Fraction(0)] * self.width
        for j, (v, sign) in enumerate(self.cols):
            cost[j] = sign * objective.get(v, Fraction(0))
        if not self.run(cost, [j < self.n_real for j in range(self.width)]):
            raise Unbounded("the objective has no lower bound")

    def point(self, names: list[str]) -> dict[str, Fraction]:
        value = {v: Fraction(0) for v in names}
        for i, b in enumerate(self.basis):
            if b < len(self.cols):
                v, sign = self.cols[b]
                value[v] += sign * self.T[i][-1]
        return value


def lp_min(
    objective: Mapping[str, Fraction],
    rows: Sequence[Row],
    free: set[str] = frozenset(),
) -> tuple[Fraction, dict[str, Fraction]] | None:
    """Minimise a linear objective exactly: two-phase simplex over Fractions, Bland's rule.

    Variables are ≥ 0 unless named in `free`.  Returns (value, point), or None when
    infeasible; raises `Unbounded` when the objective has no lower bound.
    """
    names = sorted({v for coeffs, _, _ in rows for v in coeffs} | set(objective))
    tableau = _Tableau(names, rows, set(free))
    if not tableau.feasible():
        return None
    tableau.minimise(objective)
    value = tableau.point(names)
    return sum((c * value[v] for v, c in objective.items()), Fraction(0)), value
