"""Private price limits: the most each household would pay, kept with their history.

A household states, changes or withdraws its limit through its own link (or the
mediator enters one from paper).  Every change is a new row of `private_limits`
(append-only: triggers refuse UPDATE and DELETE); the current limit is a household's
latest row, and a row without an amount is a withdrawal.  `shown_to_mediator` is the
household's choice whether the mediator may see the amount; the deal finder always uses
it, and no page but the household's own shows it.

The table lives in the app's SQLite file, created here on open (`CREATE … IF NOT
EXISTS`): nothing in elevator/store/db.py changes.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from elevator.core.errors import problem
from elevator.core.money import FEN, money_str, to_fraction

SCHEMA = """
CREATE TABLE IF NOT EXISTS private_limits (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL,
    household TEXT NOT NULL,
    amount TEXT,
    shown_to_mediator INTEGER NOT NULL CHECK (shown_to_mediator IN (0, 1)),
    via TEXT NOT NULL CHECK (via IN ('own_link', 'paper')),
    recorded_by TEXT,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS private_limits_project ON private_limits (project_id, seq);
CREATE TRIGGER IF NOT EXISTS private_limits_no_update BEFORE UPDATE ON private_limits
BEGIN SELECT RAISE(ABORT, 'private_limits is append-only'); END;
CREATE TRIGGER IF NOT EXISTS private_limits_no_delete BEFORE DELETE ON private_limits
BEGIN SELECT RAISE(ABORT, 'private_limits is append-only'); END;
"""

MOST = Fraction(100_000_000)  # a typed amount beyond this is a slip of the keyboard


@dataclass(frozen=True, kw_only=True)
class LimitRow:
    seq: int
    household: str
    amount: Fraction | None  # None: withdrawn
    shown_to_mediator: bool
    via: str
    recorded_by: str | None
    at: str

    @classmethod
    def of(cls, r: sqlite3.Row) -> "LimitRow":
        return cls(
            seq=r["seq"],
            household=r["household"],
            amount=None if r["amount"] is None else Fraction(r["amount"]),
            shown_to_mediator=bool(r["shown_to_mediator"]),
            via=r["via"],
            recorded_by=r["recorded_by"],
            at=r["at"],
        )


def read_amount(text: object) -> Fraction:
    """A typed limit: a non-negative amount in whole fen; bad input names the field."""
    try:
        value = to_fraction(text)
    except (TypeError, ValueError, ArithmeticError):
        raise problem("limit", "limits.error.number") from None
    if value < 0:
        raise problem("limit", "deal.error.negative")
    if (value / FEN).denominator != 1 or value > MOST:
        raise problem("limit", "limits.error.fen", most=money_str(MOST))
    return value


class PrivateLimits:
    """The limits of every project in one SQLite file (the app's store file)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    def _append(
        self,
        pid: int,
        household: str,
        amount: Fraction | None,
        shown: bool,
        via: str,
        recorded_by: str | None,
    ) -> LimitRow:
        if via not in ("own_link", "paper"):
            raise problem("via", "store.bad_decision", decision="limit", via=via)
        if via == "own_link" and recorded_by not in (None, household):
            raise problem("recorded_by", "store.own_link_only")
        at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        db = self._connect()
        try:
            cur = db.execute(
                "INSERT INTO private_limits (project_id, household, amount, shown_to_mediator, "
                "via, recorded_by, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    pid,
                    household,
                    None if amount is None else money_str(amount),
                    int(shown),
                    via,
                    recorded_by,
                    at,
                ),
            )
            row = db.execute("SELECT * FROM private_limits WHERE seq = ?", (cur.lastrowid,))
            return LimitRow.of(row.fetchone())
        finally:
            db.close()

    def set_limit(
        self,
        pid: int,
        household: str,
        amount: object,
        *,
        shown_to_mediator: bool = False,
        via: str = "own_link",
        recorded_by: str | None = None,
    ) -> LimitRow:
        value = read_amount(amount)
        return self._append(pid, household, value, shown_to_mediator, via, recorded_by)

    def withdraw(
        self, pid: int, household: str, via: str = "own_link", recorded_by: str | None = None
    ) -> LimitRow:
        return self._append(pid, household, None, False, via, recorded_by)

    def history(self, pid: int, household: str) -> list[LimitRow]:
        """One household's rows, oldest first (for that household's own page only)."""
        db = self._connect()
        try:
            rows = db.execute(
                "SELECT * FROM private_limits WHERE project_id = ? AND household = ? ORDER BY seq",
                (pid, household),
            ).fetchall()
        finally:
            db.close()
        return [LimitRow.of(r) for r in rows]

    def own(self, pid: int, household: str) -> LimitRow | None:
        """The household's current limit (None: never stated or withdrawn)."""
        rows = self.history(pid, household)
        return rows[-1] if rows and rows[-1].amount is not None else None

    def current(self, pid: int) -> dict[str, LimitRow]:
        """Every household's current limit (withdrawn ones left out): for the finder."""
        db = self._connect()
        try:
            rows = db.execute(
                "SELECT * FROM private_limits WHERE project_id = ? ORDER BY seq", (pid,)
            ).fetchall()
        finally:
            db.close()
        latest: dict[str, LimitRow] = {}
        for r in rows:
            latest[r["household"]] = LimitRow.of(r)
        return {k: v for k, v in latest.items() if v.amount is not None}

    def amounts(self, pid: int) -> dict[str, Fraction]:
        return {k: v.amount for k, v in self.current(pid).items()}
