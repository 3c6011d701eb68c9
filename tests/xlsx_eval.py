"""A small evaluator for the formulas the workbooks write (openpyxl stores formulas but
does not compute them): numbers, cell references (with a sheet, quoted or not, and $),
ranges inside SUM(…), + − × ÷, unary minus and parentheses, computed exactly with
Fractions.  Anything else is an error, so a new kind of formula cannot pass unseen."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from openpyxl.utils import column_index_from_string, get_column_letter

TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<ref>(?:'(?:[^']|'')+'!|[^\s'!()+\-*/:,=$]+!)?\$?[A-Z]{1,3}\$?\d+)"
    r"|(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<func>[A-Z]+)\("
    r"|(?P<op>[-+*/():,]))"
)


def tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read formula at {text[pos:]!r}")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def split_ref(ref: str, sheet: str) -> tuple[str, int, int]:
    if "!" in ref:
        name, _, cell = ref.rpartition("!")
        sheet = name[1:-1].replace("''", "'") if name.startswith("'") else name
    else:
        cell = ref
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", cell)
    return sheet, column_index_from_string(m.group(1)), int(m.group(2))


class Evaluator:
    def __init__(self, wb):
        self.wb = wb
        self.seen: dict[tuple[str, str], Fraction] = {}

    def cell(self, sheet: str, ref: str) -> Fraction:
        key = (sheet, ref)
        if key not in self.seen:
            value = self.wb[sheet][ref].value
            if value is None:
                result = Fraction(0)
            elif isinstance(value, str) and value.startswith("="):
                result = self.formula(sheet, value[1:])
            elif isinstance(value, bool):
                raise AssertionError(f"{sheet}!{ref} is a yes/no value")
            elif isinstance(value, (int, float)):
                result = Fraction(Decimal(repr(value)))  # the decimal the library wrote
            else:
                raise AssertionError(f"{sheet}!{ref} is text: {value!r}")
            self.seen[key] = result
        return self.seen[key]

    def formula(self, sheet: str, text: str) -> Fraction:
        return _Parser(self, sheet, text).value()


class _Parser:
    """One formula being read (a referenced cell's formula gets its own parser)."""

    def __init__(self, ev: Evaluator, sheet: str, text: str) -> None:
        self.cell = ev.cell
        self._toks, self._i, self._sheet, self._text = tokens(text), 0, sheet, text

    def value(self) -> Fraction:
        value = self._sum()
        if self._i != len(self._toks):
            raise ValueError(f"unexpected {self._toks[self._i]} in {self._text!r}")
        return value

    # grammar: sum := term (("+"|"-") term)*; term := unary (("*"|"/") unary)*;
    # unary := "-" unary | atom; atom := num | ref | SUM(range, …) | "(" sum ")"
    def _peek(self) -> tuple[str, str] | None:
        return self._toks[self._i] if self._i < len(self._toks) else None

    def _take(self) -> tuple[str, str]:
        tok = self._toks[self._i]
        self._i += 1
        return tok

    def _sum(self) -> Fraction:
        value = self._term()
        while self._peek() in (("op", "+"), ("op", "-")):
            op = self._take()[1]
            rhs = self._term()
            value = value + rhs if op == "+" else value - rhs
        return value

    def _term(self) -> Fraction:
        value = self._unary()
        while self._peek() in (("op", "*"), ("op", "/")):
            op = self._take()[1]
            rhs = self._unary()
            value = value * rhs if op == "*" else value / rhs
        return value

    def _unary(self) -> Fraction:
        if self._peek() == ("op", "-"):
            self._take()
            return -self._unary()
        return self._atom()

    def _atom(self) -> Fraction:
        kind, text = self._take()
        if kind == "num":
            return Fraction(Decimal(text))
        if kind == "ref":
            if self._peek() == ("op", ":"):
                raise ValueError("a range outside SUM")
            sheet, col, row = split_ref(text, self._sheet)
            return self.cell(sheet, f"{get_column_letter(col)}{row}")
        if kind == "func":
            if text != "SUM":
                raise ValueError(f"function {text} is not one the workbook uses")
            total = Fraction(0)
            while True:
                total += self._sum_argument()
                sep = self._take()
                if sep == ("op", ")"):
                    return total
                if sep != ("op", ","):
                    raise ValueError(f"unexpected {sep} in SUM")
        if (kind, text) == ("op", "("):
            value = self._sum()
            if self._take() != ("op", ")"):
                raise ValueError("missing )")
            return value
        raise ValueError(f"unexpected {text!r}")

    def _sum_argument(self) -> Fraction:
        kind, text = self._peek()
        if kind == "ref" and self._toks[self._i + 1 : self._i + 2] == [("op", ":")]:
            self._take()
            self._take()
            _, end = self._take()
            sheet, c1, r1 = split_ref(text, self._sheet)
            _, c2, r2 = split_ref(end, sheet)
            return sum(
                (
                    self.cell(sheet, f"{get_column_letter(c)}{r}")
                    for r in range(min(r1, r2), max(r1, r2) + 1)
                    for c in range(min(c1, c2), max(c1, c2) + 1)
                ),
                Fraction(0),
            )
        return self._sum()
