"""Plan versions: a short hash of what the households are asked to accept, so that a
changed plan makes older decisions stale (shown, never counted)."""

from __future__ import annotations

import hashlib
import json

from elevator.sharing.engine import ShareResult

# sharing fields added later: left out while at their default, so that the versions of
# plans written before them (and the decisions recorded on them) stay valid
_LATER_DEFAULTS = {"fixed": [], "area_rounding": "none", "area_rounding_mode": "half_up"}


def _sharing(result: "ShareResult") -> dict:
    out = result.sharing.model_dump(mode="json")
    for key, default in _LATER_DEFAULTS.items():
        if out.get(key) == default:
            del out[key]
    return out


def plan_fingerprint(result: "ShareResult") -> dict:
    """What the households are asked to accept, in a canonical form."""
    return {
        "scheme": result.scheme.name,
        "sharing": _sharing(result),
        "construction_cost": str(result.construction_cost),
        "funding": [[l.kind, l.name, str(l.amount)] for l in result.funding],
        "to_share": str(result.to_share),
        "households": [
            [
                h.id,
                h.floor,
                str(h.area_m2),
                h.participates,
                h.payer,
                str(h.compensation),
                str(h.exact),
                str(h.share),
            ]
            for h in result.households
        ],
    }


def plan_version(result: "ShareResult") -> str:
    """16 hex digits of SHA-256 over the canonical plan; equal plans give equal versions."""
    text = json.dumps(
        plan_fingerprint(result), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
