"""Late joiners and leavers: refunds close exactly on the recomputed split."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from elevator.cli import main
from elevator.core.errors import ProjectError
from elevator.model.io import load_project
from elevator.plan.join import late_join, leave, with_participation
from elevator.sharing.engine import compute_shares

from .helpers import SAMPLE, project


@pytest.mark.parametrize("scheme", ["floor_coefficients", "area", "floors_travelled", "shapley"])
def test_refunds_bring_every_payer_to_the_recomputed_share(scheme):
    p = load_project(SAMPLE)
    p = p.model_copy(update={"sharing": p.sharing.model_copy(update={"scheme": scheme})})
    r = late_join(p, "602")
    recomputed = compute_shares(with_participation(p, "602", True)).by_id()
    paid = compute_shares(p).by_id()
    assert sum(r.refunds.values()) == r.buy_in == recomputed["602"].share
    for hid, final in r.final.items():
        assert final == recomputed[hid].share, hid
        if hid != "602":
            assert paid[hid].share - r.refunds[hid] == final


def test_indexed_buy_in():
    p = load_project(SAMPLE)
    r = late_join(p, "602", rate="3%", years=2)
    assert r.factor == Fraction(10609, 10000)
    exact = r.buy_in * r.factor
    assert abs(r.buy_in_indexed - exact) <= Fraction(1, 200)
    assert (r.buy_in_indexed * 100).denominator == 1
    assert sum(r.refunds.values()) == r.buy_in_indexed
    assert all((v * 100).denominator == 1 for v in r.refunds.values())


def test_join_checks():
    p = load_project(SAMPLE)
    with pytest.raises(ProjectError):
        late_join(p, "501")  # already pays
    with pytest.raises(ProjectError):
        late_join(p, "999")
    with pytest.raises(ProjectError):
        late_join(p, "602", rate="3%")  # rate without years
    with pytest.raises(ProjectError):
        late_join(p, "602", rate="abc", years=1)


def test_leaving_redistributes_under_the_same_scheme():
    p = project(
        sharing={
            "scheme": "floor_coefficients",
            "coefficients": {1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5},
        }
    )
    r = leave(p, "501")
    after = compute_shares(with_participation(p, "501", False)).by_id()
    assert sum(r.extra.values()) == r.released
    assert r.new.by_id()["501"].share == 0
    for hid, extra in r.extra.items():
        assert r.old.by_id()[hid].share + extra == after[hid].share
    assert r.extra["502"] > r.extra["201"] > 0  # higher floors carry more of it
    with pytest.raises(ProjectError):
        leave(load_project(SAMPLE), "602")  # never took part


def test_cli(capsys):
    assert main(["join", str(SAMPLE), "--household", "602", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["buy_in"] == "68571.43"
    finals = sum(Fraction(h["final"]) for h in out["households"])
    assert finals == 410000
    assert main(["leave", str(SAMPLE), "--household", "501"]) == 0
    assert main(["join", str(SAMPLE), "--household", "501"]) == 2


def test_join_is_refused_when_hardship_aid_changes_the_residents_total():
    from elevator.core.errors import ProjectError
    from elevator.model.io import parse_project
    from elevator.plan.join import late_join

    p = parse_project(
        {
            "name": "t",
            "building": {
                "floors": 3,
                "households": [
                    {"id": "2", "floor": 2, "area_m2": 50},
                    {"id": "3", "floor": 3, "area_m2": 50},
                    {"id": "3b", "floor": 3, "area_m2": 50, "participates": False},
                ],
            },
            "costs": {"total": 300},
            "sharing": {"scheme": "equal"},
            "funding": {"subsidies": [{"name": "aid", "per_household": 120, "households": ["2"]}]},
        }
    )
    # before: 150 each, aid 120 to "2"; after: 100 each, aid capped at 100 -> totals differ
    with pytest.raises(ProjectError) as e:
        late_join(p, "3b")
    assert e.value.problems[0].field == "funding.subsidies"
