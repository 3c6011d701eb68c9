"""`elevator deal` (JSON contract, table, bad input) and private limits kept out of every
printed or exported document."""

from __future__ import annotations

import io
import json
from fractions import Fraction

import openpyxl

from elevator.cli import main
from elevator.documents.deal import deal_text
from elevator.documents.pdf import cost_table_pdf
from elevator.documents.tables import share_json, share_text
from elevator.documents.workbook import project_workbook
from elevator.model.io import dump_project_json, dump_project_yaml, load_project
from elevator.plan.deal import find_deal

from .helpers import SAMPLE
from .pdftext import pages, squeeze

SHORT = {"201": 30000, "202": 30000, "301": 40000, "302": 40000, "401": 45000}
SHORT.update({"402": 45000, "501": 50000, "502": 50000, "601": "41200.5"})


def write_limits(tmp_path, limits) -> str:
    path = tmp_path / "limits.yaml"
    path.write_text(json.dumps({"limits": limits}), encoding="utf-8")
    return str(path)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_contract_short(capsys, tmp_path):
    code, out, _ = run(
        capsys, "deal", SAMPLE, "--limits", write_limits(tmp_path, SHORT), "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["found"] is False
    assert data["extra_needed"] == "73997.50"
    assert data["binding"] == ["601"]
    total = sum(Fraction(h["share"]) for h in data["households"])
    assert total == Fraction(data["amount_to_share"]) == 410000 - Fraction("73997.50")
    by_id = {h["id"]: h for h in data["households"]}
    assert by_id["601"]["limit"] == "41200.50" and by_id["101"]["limit"] is None
    assert set(by_id["601"]) >= {"id", "floor", "share", "limit"}


def test_json_contract_found(capsys, tmp_path):
    limits = {"601": 98765.43, "301": 87654.32}
    code, out, _ = run(
        capsys, "deal", SAMPLE, "--limits", write_limits(tmp_path, limits), "--format", "json"
    )
    data = json.loads(out)
    assert code == 0 and data["found"] is True and data["extra_needed"] == "0.00"
    total = sum(Fraction(h["share"]) for h in data["households"])
    assert total == Fraction(data["amount_to_share"]) == 410000
    for h in data["households"]:
        if h["limit"] is not None:
            assert Fraction(h["share"]) <= Fraction(h["limit"])


def test_table_and_bad_input(capsys, tmp_path):
    code, out, _ = run(capsys, "deal", SAMPLE, "--limits", write_limits(tmp_path, SHORT))
    assert code == 0
    assert out.startswith("还差 73997.50 元；若 601（6 楼）的上限提高到 90000.00 元即可成交")
    code, _, err = run(capsys, "deal", SAMPLE, "--limits", write_limits(tmp_path, {"999": 1}))
    assert code == 2 and "limits.999" in err and "Traceback" not in err
    code, _, err = run(capsys, "deal", SAMPLE, "--limits", write_limits(tmp_path, {"201": -1}))
    assert code == 2 and "limits.201" in err


def test_limits_never_printed_or_exported():
    """Odd limits that no share equals: none of them in any document of the deal."""
    project = load_project(SAMPLE)
    limits = {"601": Fraction("98765.43"), "301": Fraction("87654.32")}
    deal = find_deal(project, limits)
    assert deal.found
    secrets = ("98765.43", "98765", "87654.32", "87654")
    result, deal_project = deal.result, deal.project
    texts = [
        share_text(result, "zh", deal_project),
        share_text(result, "en", deal_project),
        json.dumps(share_json(result, deal_project), ensure_ascii=False),
        deal_text(deal, "zh"),
        deal_text(deal, "en"),
        dump_project_yaml(deal_project),
        dump_project_json(deal_project),
        squeeze("".join(pages(cost_table_pdf(deal_project, result, "zh")))),
    ]
    book = openpyxl.load_workbook(io.BytesIO(project_workbook(deal_project, "zh")))
    texts.append(" ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row))
    for text in texts:
        for secret in secrets:
            assert secret not in text
