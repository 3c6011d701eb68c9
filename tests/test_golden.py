"""Every sample project's CLI output stays as recorded in tests/golden/ (both languages).

A deliberate change: run `python -m tests.golden_outputs`, review `git diff tests/golden`,
and say in the commit message which outputs changed and why."""

from __future__ import annotations

import pytest

from tests.golden_outputs import GOLDEN, cases, render


@pytest.mark.parametrize("name", sorted(cases()))
def test_output_is_unchanged(name):
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert render(name) == expected
