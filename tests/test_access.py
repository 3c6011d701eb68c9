"""Resident link tokens and the mediator passcode."""

from __future__ import annotations

import pytest

from elevator.core.errors import ProjectError
from elevator.store.access import (
    TOKEN_CHARS,
    hash_passcode,
    household_for_token,
    new_secret,
    resident_token,
    verify_passcode,
)

HOUSEHOLDS = ["101", "102", "201", "202"]


def test_token_opens_exactly_one_household_of_one_project():
    secret = new_secret()
    token = resident_token(secret, "proj-a", "201")
    assert len(token) == TOKEN_CHARS
    assert household_for_token(secret, "proj-a", token, HOUSEHOLDS) == "201"
    # the same household id in another project: not reachable
    assert household_for_token(secret, "proj-b", token, HOUSEHOLDS) is None
    # every other household's token differs and maps to that household only
    tokens = {h: resident_token(secret, "proj-a", h) for h in HOUSEHOLDS}
    assert len(set(tokens.values())) == len(HOUSEHOLDS)
    for h, t in tokens.items():
        assert household_for_token(secret, "proj-a", t, HOUSEHOLDS) == h
    # another server secret, a changed character, a wrong length: nothing
    assert household_for_token(new_secret(), "proj-a", token, HOUSEHOLDS) is None
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert household_for_token(secret, "proj-a", flipped, HOUSEHOLDS) is None
    assert household_for_token(secret, "proj-a", token[:-1], HOUSEHOLDS) is None
    assert household_for_token(secret, "proj-a", "201", HOUSEHOLDS) is None


def test_raising_the_epoch_revokes_a_link():
    secret = new_secret()
    old = resident_token(secret, "p", "101")
    new = resident_token(secret, "p", "101", epoch=1)
    assert old != new
    assert household_for_token(secret, "p", old, HOUSEHOLDS, {"101": 1}) is None
    assert household_for_token(secret, "p", new, HOUSEHOLDS, {"101": 1}) == "101"


def test_short_secret_refused():
    with pytest.raises(ProjectError):
        resident_token("short", "p", "101")


def test_passcode_hash_and_verify():
    stored = hash_passcode("电梯-2026-3栋")
    assert stored.startswith("scrypt$") and "电梯" not in stored
    assert verify_passcode("电梯-2026-3栋", stored)
    assert not verify_passcode("电梯-2026-3栋 ", stored)
    assert not verify_passcode("wrong-pass", stored)
    assert hash_passcode("abcdef") != hash_passcode("abcdef")  # salted
    assert not verify_passcode("abcdef", "garbage")
    with pytest.raises(ProjectError):
        hash_passcode("12345")
