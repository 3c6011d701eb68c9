"""The formula residents read (`human`) is the formula computed (`text`): each human form
is read back into sympy and must equal the derived expression; and every formula has
its legend in both languages."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from elevator.core.text import t
from elevator.sharing.formulas import load

_SYMBOLS = {"n(f)": "n_f", "a(h)": "a_h", "S(f)": "S_f", "β": "beta", "η": "eta"}
_OPS = {"×": "*", "÷": "/", "−": "-", "…": ",", "^": "**"}


def _operand_end(s: str, start: int) -> int:
    """End of the operand that starts at `start`: a bracketed group or a name(...)."""
    k = start
    while k < len(s) and (s[k].isalnum() or s[k] == "_"):
        k += 1
    if k < len(s) and s[k] == "(":
        depth = 0
        for k in range(k, len(s)):
            depth += {"(": 1, ")": -1}.get(s[k], 0)
            if depth == 0:
                return k + 1
    return k


def _sums(s: str) -> str:
    """Σ[j=1,n] body → Sum(body, (j, 1, n)), innermost (rightmost) first."""
    while (k := s.rfind("Σ[")) >= 0:
        close = s.index("]", k)
        var, bounds = s[k + 2 : close].split("=", 1)
        start = close + 2
        end = _operand_end(s, start)
        s = f"{s[:k]}Sum({s[start:end]}, ({var}, {bounds})){s[end:]}"
    return s


def _indexed(s: str) -> str:
    """a(i) → a[i] for every name that is not a function."""
    pos = 0
    while m := re.compile(r"\b([A-Za-z]\w*)\(").search(s, pos):
        if m.group(1) in ("Sum", "Max"):
            pos = m.end()
            continue
        end = _operand_end(s, m.start())
        s = f"{s[: m.end() - 1]}[{s[m.end() : end - 1]}]{s[end:]}"
        pos = m.start()
    return s


def read_human(text: str) -> str:
    for human, code in {**_SYMBOLS, **_OPS}.items():
        text = text.replace(human, code)
    return _indexed(_sums(text.replace("max(", "Max(")))


def _sympy(text: str):
    names = set(re.findall(r"[A-Za-z_]\w*", text)) - {"Sum", "Max"}
    local = {n: sp.IndexedBase(n) if re.search(rf"\b{n}\[", text) else sp.Symbol(n) for n in names}
    return sp.sympify(text, locals={**local, "Sum": sp.Sum, "Max": sp.Max})


READABLE = {k: f for k, f in load().items() if "min[" not in f["human"] and "∫" not in f["human"]}


def test_every_formula_has_a_human_form_and_a_legend():
    for name, f in load().items():
        assert f["human"], name
        assert "*" not in f["human"] and "[i]" not in f["human"], (name, f["human"])
        assert f["legend_keys"], name
        for key in f["legend_keys"]:
            assert t(key, "zh") and t(key, "en"), key


def test_the_readback_parser_reads():
    assert read_human("A × a(i) ÷ Σ[j=1…n] a(j)") == "A * a[i] / Sum(a[j], (j, 1,n))"
    # a misplaced bracket reads as a different formula, so the comparison below can fail
    right = _sympy(read_human("A × (c(k) − c(k − 1)) ÷ (n + 1 − k)"))
    wrong = _sympy(read_human("A × c(k) − c(k − 1) ÷ (n + 1 − k)"))
    assert sp.simplify(right - wrong) != 0


@pytest.mark.parametrize("name", sorted(READABLE))
def test_human_form_equals_the_computed_formula(name):
    f = READABLE[name]
    shown, computed = _sympy(read_human(f["human"])), _sympy(f["text"])
    assert shown == computed or sp.simplify(shown - computed) == 0, (name, f["human"])
