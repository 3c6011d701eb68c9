"""Printed documents, read back with pypdf: the numbers are the library's, the Chinese is
there, the font is embedded, large tables repeat their header and never split a row."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from elevator import cli
from elevator.core.errors import Problem
from elevator.core.money import money_str
from elevator.documents.comparison import property_rows
from elevator.documents.pdf import compare_pdf, cost_table_pdf, signature_sheet_pdf
from elevator.documents.tables import check_lines, funding_rows, household_rows, schedule_rows
from elevator.model.io import load_project, parse_project
from elevator.plan.compare import compare
from elevator.sharing.engine import compute_shares
from elevator.sharing.schedule import payment_schedule
from tests.helpers import SAMPLE, stairwell
from tests.pdftext import pages, squeeze


def row_text(row) -> str:
    return squeeze("".join(row))


def embedded_fonts(data: bytes) -> list[tuple[str, int]]:
    """(font name, bytes of its embedded font file) for every font any page uses."""
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            for d in [x.get_object() for x in font.get("/DescendantFonts", [])] or [font]:
                fd = d["/FontDescriptor"].get_object()
                files = [
                    fd[k].get_object().get_data()
                    for k in ("/FontFile", "/FontFile2", "/FontFile3")
                    if k in fd
                ]
                out.append((str(font["/BaseFont"]), sum(len(f) for f in files)))
    return out


@pytest.fixture(scope="module")
def sample():
    project = load_project(SAMPLE)
    return project, compute_shares(project)


@pytest.fixture(scope="module")
def zh_pdf(sample):
    return cost_table_pdf(*sample, "zh")


def test_cost_table_has_every_household_and_the_library_totals(sample, zh_pdf):
    project, result = sample
    text = "".join(pages(zh_pdf))
    headers, rows = household_rows(result, "zh")
    assert row_text(headers) in text
    for row in rows:  # each row, cell by cell, in order
        assert row_text(row) in text, row
    total = rows[-1]
    assert total[-1] == money_str(result.to_share) == "410000.00"
    assert sum(h.share for h in result.households) == result.to_share
    for row in funding_rows(result, "zh")[1]:
        assert squeeze(row[0] + row[1]) in text
    assert squeeze(result.rounding.text("zh")) in text
    for line in check_lines(result, project, "zh"):  # fairness checks, each in words
        assert squeeze(line) in text, line


def test_cost_table_sections_in_chinese(zh_pdf):
    text = "".join(pages(zh_pdf))
    for heading in (
        "加装电梯费用分摊表",
        "资金来源与应分摊金额",
        "各户分摊",
        "舍入说明",
        "运行费用",
        "付款计划",
        "各楼层户均应付净额",
        "加装电梯住户意见签字表",
        "同意",
        "反对",
        "弃权",
        "签字",
        "楼层系数",
        "兴发小区3栋1单元",
        "湖北省兴山县",
    ):
        assert heading in text, heading
    assert "\ufffd" not in text  # every drawn code maps back to text


def test_payment_schedule_printed_and_closing(sample, zh_pdf):
    project, result = sample
    text = "".join(pages(zh_pdf))
    headers, rows = schedule_rows(payment_schedule(project, result), "zh")
    for row in [headers, *rows]:
        assert row_text(row) in text


def test_signature_sheet_rows(sample):
    project, result = sample
    data = signature_sheet_pdf(project, result, "zh")
    text = "".join(pages(data))
    assert "加装电梯住户意见签字表" in text
    for h in result.households:
        assert squeeze(f"{h.id}{h.floor}{money_str(h.share)}") in text
    # agree, oppose and abstain per household (the intro line has boxes too)
    assert text.count("□") >= 3 * len(result.households)
    assert squeeze(f"合计{money_str(result.to_share)}") in text
    from elevator.core.text import t
    from elevator.plan.versions import plan_version

    header = squeeze("".join(t(f"decision.{d}", "zh") for d in ("agree", "oppose", "abstain")))
    assert header in text
    assert squeeze(f"{t('doc.consent.version', 'zh')}{plan_version(result)}") in text


def test_font_is_embedded(zh_pdf):
    fonts = embedded_fonts(zh_pdf)
    assert fonts, "no font resources"
    for name, size in fonts:
        assert "NotoSansCJK" in name
        assert size > 10_000, f"{name} is not embedded"


def test_english_document(sample):
    project, result = sample
    data = cost_table_pdf(project, result, "en")
    text = "".join(pages(data))
    for heading in (
        "Elevator retrofit: cost-sharing table",
        "Funding and the amount to share",
        "Household shares",
        "Payment schedule",
        "Running costs",
        "agree",
        "oppose",
        "abstain",
        "Signature",
        "floor coefficients",
    ):
        assert squeeze(heading) in text, heading
    for label in ("各户分摊", "付款计划", "弃权"):
        assert label not in text
    headers, rows = household_rows(result, "en")
    for row in [headers, *rows]:
        assert row_text(row) in text
    assert embedded_fonts(data)


def big_project(floors: int = 8, per_floor: int = 6):
    return parse_project(
        stairwell(
            floors=floors,
            per_floor_units=per_floor,
            areas=(88.1, 61.3, 75.0),
            funding={"subsidies": [{"name": "区补贴", "per_elevator": 150000}]},
            compensation=[{"floor": 1, "per_household": 2000}],
            payment_schedule=[
                {"name": "签约", "percent": 30},
                {"name": "安装", "percent": 50},
                {"name": "验收", "percent": 20},
            ],
            sharing={"scheme": "floors_travelled"},
        )
    )


def test_large_table_repeats_header_and_keeps_rows_whole():
    project = big_project()
    result = compute_shares(project)
    assert len(result.households) == 48
    texts = pages(cost_table_pdf(project, result, "zh"))
    headers, rows = household_rows(result, "zh")
    head = row_text(headers)
    holding = [i for i, page in enumerate(texts) if any(row_text(r) in page for r in rows[:-1])]
    assert len(holding) >= 2, "48 households should need more than one page"
    for i in holding:  # every page with household rows starts them with the header
        assert head in texts[i]
    for row in rows:  # no row is split: each appears whole on some page
        assert any(row_text(row) in page for page in texts), row
    sig_head = squeeze("户号楼层应付净额同意反对弃权签字日期")
    sig_pages = [p for p in texts if "□" in p]
    assert len(sig_pages) >= 2 and all(sig_head in p for p in sig_pages)


def test_rare_character_falls_back_to_the_full_font():
    # 堃 and 喆 are not in GB2312, the cut-down font's range
    project = parse_project(stairwell(**{"name": "堃喆家园 1单元"}))
    data = cost_table_pdf(project, compute_shares(project), "zh")
    assert "堃喆家园1单元" in "".join(pages(data))


def test_missing_glyph_is_reported():
    # a cuneiform sign is in no CJK font: the same warning pytest turns into an error
    project = parse_project(stairwell(**{"name": "\U00012000 小区"}))
    with pytest.warns(UserWarning, match="Glyph .* missing from font"):
        cost_table_pdf(project, compute_shares(project), "zh")


def test_compare_pdf(sample):
    project, _ = sample
    c = compare(project, ["area", "floor_coefficients", "elevator_rule"])
    c = replace(c, skipped=(("shapley", Problem("costs", "需要 fixed 与 per_floor", "needs")),))
    results = c.results
    data = compare_pdf(c, "zh")
    text = "".join(pages(data))
    for row in property_rows(c, "zh"):  # fairness marks under the shares
        assert squeeze("".join(row)) in text, row
    for r in results:
        assert r.scheme.zh in text
        assert squeeze("合计") in text
    for i, h in enumerate(project.building.households):
        assert (
            squeeze(
                h.id + str(h.floor) + "".join(money_str(r.households[i].share) for r in results)
            )
            in text
        )
    assert "未计算" in text
    assert embedded_fonts(data)


def test_cli_print(tmp_path, capsys):
    out = tmp_path / "表.pdf"
    assert cli.main(["print", str(SAMPLE), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    sig = tmp_path / "sig.pdf"
    assert (
        cli.main(["print", str(SAMPLE), "--what", "signatures", "--lang", "en", "-o", str(sig)])
        == 0
    )
    assert "Signature" in "".join(pages(sig.read_bytes()))
    other = tmp_path / "area.pdf"
    assert cli.main(["print", str(SAMPLE), "--scheme", "area", "-o", str(other)]) == 0
    assert "按面积分摊" in "".join(pages(other.read_bytes()))
    assert cli.main(["print", str(SAMPLE), "--scheme", "nonsense", "-o", str(other)]) == 2
    assert "nonsense" in capsys.readouterr().err


def test_cli_compare_outputs(tmp_path):
    for suffix, magic in (("pdf", b"%PDF"), ("xlsx", b"PK"), ("png", b"\x89PNG")):
        out = tmp_path / f"cmp.{suffix}"
        assert (
            cli.main(
                ["compare", str(SAMPLE), "--schemes", "area,floor_coefficients", "-o", str(out)]
            )
            == 0
        )
        assert out.read_bytes().startswith(magic)


# --- the feasibility report ------------------------------------------------------------

SITE = {
    "year_built": 1995,
    "structure_rating": "B",
    "inside_red_line": True,
    "demolition_planned_within_5y": False,
    "spacing_to_nearest_building_m": 5,
    "fire_lane_width_after_m": 4.5,
    "fire_lane_headroom_after_m": 5.0,
    "min_stair_width_m": 1.1,
    "min_exit_door_width_m": 0.9,
    "shaft_blocks_exit": False,
    "pipelines_in_footprint": ["gas", "water"],
    "barrier_free_route": True,
    "rated_load_kg": 450,
    "car_door_width_m": 0.8,
    "entry": "half_landing",
}


def assessed_project(**site):
    import yaml

    from elevator.feasibility.checklist import assess

    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["site"] = {**SITE, **site}
    data["evaluation"] = {
        "stage": "safety_argument",
        "project_manager": "王建国",
        "supervising_engineer": "李卫东",
        "signoffs": [
            {
                "stage": "feasibility_assessment",
                "item": "planning.spacing",
                "name": "张三丰",
                "date": "2024-05-01",
                "result": "conditional",
                "note": "需日照分析",
            }
        ],
    }
    project = parse_project(data)
    return project, assess(project)


def test_feasibility_report_contents():
    from elevator.documents.pdf import feasibility_report_pdf
    from elevator.documents.words import citation
    from elevator.feasibility.checklist import AREA_LABELS, RESULT_LABELS, VERDICT_LABELS

    project, a = assessed_project()
    assert a.verdict == "conditional"
    data = feasibility_report_pdf(project, a, "zh")
    text = "".join(pages(data))
    assert "加装电梯可行性评估报告" in text
    assert squeeze(f"结论：{VERDICT_LABELS[a.verdict][0]}") in text
    for area, findings in a.by_area().items():
        if findings:
            assert AREA_LABELS[area][0] in text
        for f in findings:  # each finding by its question (not its id), result and source
            assert squeeze(f.question_zh + RESULT_LABELS[f.result][0]) in text, f.rule
            assert squeeze(citation(f.source)) in text
            assert f.rule not in text
    for c in a.conditions:
        assert squeeze(c.text_zh) in text
    assert squeeze(f"合计{money_str(a.condition_cost)}") in text
    for heading in (
        "附加条件及其费用",
        "评估人员签核",
        "房屋安全性技术论证",
        "王建国",
        "张三丰",
        "需日照分析",
        "[S]有出处",
    ):
        assert squeeze(heading) in text, heading
    assert "{threshold}" not in text
    assert embedded_fonts(data)


def test_feasibility_report_blocking_lists_fallbacks_and_missing():
    from elevator.documents.pdf import feasibility_pdf

    project, a = assessed_project(fire_lane_width_after_m=3.5, year_built=None)
    assert a.verdict == "infeasible" and a.fallbacks and a.missing
    text = "".join(pages(feasibility_pdf(project, a, "en")))
    assert "Verdict:infeasible" in text
    for b in a.fallbacks:
        assert squeeze(b.name_en) in text
    # facts by their names, not their keys
    assert "Factsstillneeded" in text and "yearbuilt" in text and "year_built" not in text


def test_check_writes_the_report(tmp_path):
    out = tmp_path / "report.pdf"
    assert cli.main(["check", str(SAMPLE), "-o", str(out)]) == 0
    text = "".join(pages(out.read_bytes()))
    assert "加装电梯可行性评估报告" in text and "仍需补充的资料" in text
    community = tmp_path / "community.pdf"
    xingfa = SAMPLE.parents[1] / "communities" / "xingfa" / "community.yaml"
    assert cli.main(["check", str(xingfa), "--lang", "en", "-o", str(community)]) == 0
    text = "".join(pages(community.read_bytes()))
    assert "Verdictperstairwell" in text and "27栋" in text


def test_a_failed_fairness_check_prints_with_a_glyph_the_font_has(sample):
    project, _ = sample
    coeffs = dict(project.sharing.coefficients)
    coeffs[5] = 3  # 5F above 6F: shares fall with the floor
    bent = project.model_copy(
        update={"sharing": project.sharing.model_copy(update={"coefficients": coeffs})}
    )
    result = compute_shares(bent)
    lines = check_lines(result, bent, "zh")
    assert any(line.startswith("× ") for line in lines)
    text = "".join(pages(cost_table_pdf(bent, result, "zh", signatures=False)))
    for line in lines:
        assert squeeze(line) in text, line
