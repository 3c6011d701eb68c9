"""Where the packaged data lives, and the source checkout when there is one."""

from __future__ import annotations

import os
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
DATA = PACKAGE / "data"  # rules, formulas, policies: installed with the package
CHECKOUT = PACKAGE.parent  # the repository root when run from a source checkout


def data_file(*parts: str) -> Path:
    return DATA.joinpath(*parts)


# a policy is named, never given as a path: lower-case letters, digits, "_" and "-"
POLICY_NAME = re.compile(r"[a-z][a-z0-9_-]{0,63}")


def policies_dir() -> Path:
    """ELEVATOR_POLICIES (set by whoever runs the app), else the packaged policy files."""
    env = os.environ.get("ELEVATOR_POLICIES")
    return Path(env) if env else data_file("policies")


def policy_names() -> list[str]:
    """The registry: the names of the policy files (no path is ever a policy)."""
    return sorted(p.stem for p in policies_dir().glob("*.yaml") if POLICY_NAME.fullmatch(p.stem))
