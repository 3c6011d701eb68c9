"""Where the packaged data lives, and the source checkout when there is one."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
DATA = PACKAGE / "data"  # rules, formulas, policies: installed with the package
CHECKOUT = PACKAGE.parent  # the repository root when run from a source checkout


def data_file(*parts: str) -> Path:
    return DATA.joinpath(*parts)
