"""Resident links and the mediator's passcode (standard library only).

Resident link token: HMAC-SHA256 over (project id, household id, epoch) with a
secret the app keeps server-side (never in the project file), base64url, 32
characters (192 bits).  The token names nothing: the app finds the household by
recomputing each household's token of *that* project and comparing in constant
time, so a token opens exactly one household of one project.  Raising a
household's epoch revokes its old link.

Passcode: scrypt (n=2**14, r=8, p=1, 16-byte random salt), stored as
"scrypt$n$r$p$salt$hash"; verification recomputes and compares in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping

from elevator.core.errors import problem

TOKEN_CHARS = 32
MIN_PASSCODE = 6
_SCRYPT = (2**14, 8, 1)


def new_secret() -> str:
    """A fresh server secret (64 hex digits); keep it out of project files and logs."""
    return secrets.token_hex(32)


def _key(secret: str | bytes) -> bytes:
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    if len(key) < 16:
        raise problem("secret", "store.secret_short")
    return key


def resident_token(secret: str | bytes, project_id: str, household: str, epoch: int = 0) -> str:
    """The link token of one household of one project."""
    message = "\x00".join(["elevator-resident-v1", project_id, household, str(epoch)])
    digest = hmac.new(_key(secret), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:TOKEN_CHARS]


def household_for_token(
    secret: str | bytes,
    project_id: str,
    token: str,
    households: Iterable[str],
    epochs: Mapping[str, int] | None = None,
) -> str | None:
    """The household of `project_id` this token belongs to, or None.

    Every household is compared (no early exit), each in constant time.
    """
    if not isinstance(token, str) or len(token) != TOKEN_CHARS:
        return None
    found = None
    for h in households:
        expected = resident_token(secret, project_id, h, (epochs or {}).get(h, 0))
        if hmac.compare_digest(expected.encode("ascii"), token.encode("ascii", "replace")):
            found = h
    return found


def hash_passcode(passcode: str) -> str:
    if len(passcode) < MIN_PASSCODE:
        raise problem("passcode", "store.passcode_short", least=MIN_PASSCODE)
    n, r, p = _SCRYPT
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(passcode.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)
    b64 = lambda b: base64.urlsafe_b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${n}${r}${p}${b64(salt)}${b64(digest)}"


def verify_passcode(passcode: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.urlsafe_b64decode(digest)
        got = hashlib.scrypt(
            passcode.encode("utf-8"),
            salt=base64.urlsafe_b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)
