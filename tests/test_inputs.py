"""Inputs that cannot corrupt a project (issue 13): each case of the hostile probe that
concerns files, numbers, ids, dates, output files and injection, as a regression test."""

from __future__ import annotations

import errno
import json
import os
import time
from pathlib import Path

import openpyxl
import pytest

from elevator.core.errors import ProjectError
from elevator.model.io import parse_project, parse_text
from tests.cli_run import run
from tests.helpers import stairwell

TWO = """name: t
building:
  floors: 2
  households:
    - {{id: {a}, floor: 2, area_m2: {area}}}
    - {{id: "B", floor: 2, area_m2: 50}}
costs: {{total: 1000}}
sharing: {{scheme: equal}}
"""


def problems(text: str, json_hint: bool = False) -> list[str]:
    with pytest.raises(ProjectError) as e:
        parse_project(parse_text(text, json_hint=json_hint))
    return [f"{p.field}: {p.en}" for p in e.value.problems]


def test_huge_and_tiny_exponents_are_refused_at_once():
    for area in ("1e10000000", "1e999999999", "1e-200000", '"1e10000000"', "1.0e10000000"):
        start = time.perf_counter()
        found = problems(TWO.format(a='"A"', area=area))
        assert time.perf_counter() - start < 1, area  # not an exact number of 10⁷ digits
        assert any("area_m2" in p for p in found), (area, found)
    found = problems(
        '{"name": "t", "building": {"floors": 2, "households": '
        '[{"id": "A", "floor": 2, "area_m2": 1e10000000}]}, "costs": {"total": 1}}',
        json_hint=True,
    )
    assert any("area_m2" in p and "range" in p for p in found), found


def test_a_decimal_comma_is_refused_not_read_as_725():
    found = problems(TWO.format(a='"A"', area='"72,5"'))
    assert found == [
        "building.households[0].area_m2: “72,5” has a comma: write numbers without thousands "
        "commas and with a decimal point (e.g. 72.5, 530000)"
    ]


def test_an_unquoted_yaml_id_0101_stays_0101():
    data = parse_text(TWO.format(a="0101", area=60))
    project = parse_project(data)
    assert project.building.households[0].id == "0101"  # YAML 1.1 would say 65
    for raw, kept in (("0x1F", "0x1F"), ("1_000", "1_000"), ("1:20", "1:20"), ("101", "101")):
        assert (
            parse_project(parse_text(TWO.format(a=raw, area=60))).building.households[0].id == kept
        )
    found = problems(TWO.format(a="yes", area=60))
    assert any("in quotes" in p for p in found), found


def test_duplicate_keys_are_refused():
    found = problems(TWO.format(a='"A"', area=60) + "costs: {total: 2000}\n")
    assert found == [": line 9: key “costs” appears twice (it may appear once)"]
    with pytest.raises(ProjectError) as e:
        parse_text('{"name": "a", "name": "b"}', json_hint=True)
    assert "“name” appears twice" in e.value.problems[0].en


def test_invisible_characters_and_look_alike_ids():
    for bad in ('"A\\u200b"', '"A\\0"', '"\\u202eA"', '"A\\t"'):
        found = problems(TWO.format(a=bad, area=60))
        assert any("invisible or control character" in p for p in found), (bad, found)
    # full-width "Ｂ" prints like "B": one household, refused as a repeat
    found = problems(TWO.format(a='"Ｂ"', area=60))
    assert any("households[1].id" in p for p in found), found
    # owners' names too; notes may hold line breaks but not NUL
    data = stairwell(floors=2)
    data["building"]["households"][0]["owner"] = "Wang\u200b"
    with pytest.raises(ProjectError):
        parse_project(data)
    data["building"]["households"][0]["owner"] = "王（二）"  # full-width brackets kept
    data["building"]["households"][0]["note"] = "line 1\nline 2"
    assert parse_project(data).building.households[0].owner == "王（二）"
    data["building"]["households"][0]["note"] = "a\x00b"
    with pytest.raises(ProjectError):
        parse_project(data)


def test_no_control_character_anywhere_in_the_file():
    # NUL in any text (a source's title, a note, even a key) would break the workbook later
    data = stairwell(floors=2, notes="bell\x07")
    data["costs"] = {"items": [{"name": "a", "amount": 1, "reference": {"title": "x\x00"}}]}
    with pytest.raises(ProjectError) as e:
        parse_project(data)
    assert sorted(p.field for p in e.value.problems) == [
        "costs.items[0].reference.title",
        "notes",
    ]
    data = stairwell(floors=2, notes="tabs\tand\nlines are text")
    assert parse_project(data).notes


def test_dates_are_bounded_everywhere(tmp_path):
    data = stairwell(floors=2)
    data["consent"] = {"publicity": {"start": "9999-12-30"}}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run("validate", str(path))
    assert code == 2 and "consent.publicity.start" in err and "2100-12-31" in err
    for field, value in (("date", "1900-01-01"), ("date", "2101-01-01")):
        bad = stairwell(floors=2, **{field: value})
        with pytest.raises(ProjectError):
            parse_project(bad)
    ok = stairwell(floors=2)
    ok["consent"] = {"publicity": {"start": "2024-05-06"}}
    path.write_text(json.dumps(ok), encoding="utf-8")
    assert run("consent", str(path), "--today", "2024-06-01")[0] == 0
    code, _, err = run("consent", str(path), "--today", "9999-12-30")
    assert code == 2 and "--today" in err
    # a YAML date no calendar holds is a message, not a traceback
    code, _, err = run(
        "validate", str(_write(tmp_path, "date: 2024-02-30\n" + TWO.format(a='"A"', area=60)))
    )
    assert code == 2


def _write(folder: Path, text: str, name: str = "p.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_output_never_onto_an_input(tmp_path):
    path = _write(tmp_path, TWO.format(a='"A"', area=60))
    before = path.read_bytes()
    for argv in (
        ["share", str(path), "-o", str(path)],
        ["share", str(path), "--format", "xlsx", "-o", str(tmp_path / "." / "p.yaml")],
        ["print", str(path), "-o", str(path)],
        ["check", str(path), "-o", str(path)],
        ["compare", str(path), "--schemes", "area", "-o", str(path)],
    ):
        code, _, err = run(*argv)
        assert code == 2 and "input" in err, argv
    assert path.read_bytes() == before
    code, _, err = run("check", str(tmp_path), "--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "inside the input folder" in err
    assert not (tmp_path / "x.csv").exists()
    link = tmp_path / "link.yaml"
    link.symlink_to(path)
    assert run("share", str(path), "-o", str(link))[0] == 2
    assert path.read_bytes() == before


def test_write_failures_are_messages(tmp_path, monkeypatch):
    path = _write(tmp_path, TWO.format(a='"A"', area=60))
    code, _, err = run("share", str(path), "-o", str(tmp_path / "missing" / "out.txt"))
    assert code == 2 and "does not exist" in err
    code, _, err = run("share", str(path), "-o", str(tmp_path))
    assert code == 2 and "is a folder" in err
    old = tmp_path / "old.txt"
    old.write_text("keep", encoding="utf-8")
    for exc, words in (
        (PermissionError(errno.EACCES, "Permission denied"), "no permission"),
        (OSError(errno.ENOSPC, "No space left on device"), "disk full"),
        (OSError(errno.EIO, "Input/output error"), "could not write"),
    ):

        def fail(*_a, exc=exc):
            raise exc

        monkeypatch.setattr(os, "replace", fail)
        code, _, err = run("share", str(path), "-o", str(old))
        assert code == 2 and words in err, (words, err)
        assert old.read_text(encoding="utf-8") == "keep"  # the old file is untouched
        assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
        monkeypatch.undo()
    if Path("/dev/full").exists():
        code, _, err = run("share", str(path), "-o", "/dev/full")
        assert code == 2 and "disk full" in err
        assert Path("/dev/full").is_char_device()  # a device is written to, never replaced


def test_a_written_file_is_complete_and_keeps_usual_permissions(tmp_path):
    path = _write(tmp_path, TWO.format(a='"A"', area=60))
    out = tmp_path / "out.json"
    assert run("share", str(path), "--format", "json", "-o", str(out))[0] == 0
    assert json.loads(out.read_text(encoding="utf-8"))["households"]
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_folder_or_a_deep_file_as_input(tmp_path):
    code, _, err = run("validate", str(tmp_path))
    assert code == 2 and "folder" in err
    if Path("/dev/zero").exists():  # endless input: read up to the limit, then refused
        code, _, err = run("validate", "/dev/zero")
        assert code == 2 and "too large" in err
    deep = _write(tmp_path, "[" * 10000 + "]" * 10000, "deep.json")
    code, _, err = run("share", str(deep))
    assert code == 2 and "nested too deeply" in err
    deep_yaml = _write(tmp_path, "a: " + "[" * 10000 + "]" * 10000, "deep.yaml")
    code, _, err = run("share", str(deep_yaml))
    assert code == 2 and "nested too deeply" in err
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{k}: &{k} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, k in zip("abcdefg", "bcdefgh")
    )
    code, _, err = run("share", str(_write(tmp_path, bomb, "bomb.yaml")))
    assert code == 2 and "too many values" in err


def test_join_years_are_bounded(tmp_path):
    data = stairwell(floors=2)
    data["building"]["households"][-1]["participates"] = False
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    late = data["building"]["households"][-1]["id"]
    start = time.perf_counter()
    code, _, err = run(
        "join", str(path), "--household", late, "--rate", "3%", "--years", "10000000"
    )
    assert code == 2 and "at most 100 years" in err
    assert time.perf_counter() - start < 5
    assert run("join", str(path), "--household", late, "--rate", "3%", "--years", "100")[0] == 0


def test_policy_is_a_name_never_a_path(tmp_path):
    for policy, words in (
        ("../../etc/passwd", "not a path"),
        ("/etc/x", "not a path"),
        ("nowhere", "no policy file"),
    ):
        data = stairwell(floors=2, policy=policy)
        path = tmp_path / "p.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        code, _, err = run("validate", str(path))
        assert code == 2 and words in err and "wuhan" in err, (policy, err)


def test_renamed_households_do_not_carry_decisions_silently():
    # decisions and objections are keyed by household id: a rename in the building
    # without the decisions is refused with the reason, never moved to another flat
    data = stairwell(floors=2)
    data["consent"] = {
        "decisions": [{"household": "201", "decision": "agree"}],
        "objections": [{"id": "O1", "household": "202", "reason": "noise"}],
    }
    parse_project(data)
    data["building"]["households"][2]["id"] = "2-01"
    with pytest.raises(ProjectError) as e:
        parse_project(data)
    assert [p.field for p in e.value.problems] == ["consent.decisions[0].household"]


def test_formula_text_is_never_live(tmp_path):
    data = stairwell(floors=2, name='=HYPERLINK("http://x","y")')
    data["building"]["households"][2]["id"] = "=cmd|' /C calc'!A0"
    data["building"]["households"][3]["id"] = "@SUM(1)"
    data["building"]["households"][1]["owner"] = "+1"
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    assert run("share", str(path), "--format", "xlsx", "-o", str(out))[0] == 0
    wb = openpyxl.load_workbook(out)
    texts = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    formulas = [c.value for c in texts if c.data_type == "f"]
    assert not [f for f in formulas if "HYPERLINK" in f or "cmd" in f or "@" in f]
    room = next(c for c in texts if c.value == "=cmd|' /C calc'!A0")
    assert room.data_type == "s" and room.quotePrefix
    code, csv_out, _ = run("share", str(path), "--format", "csv")
    lines = csv_out.splitlines()
    assert any(line.startswith("'=cmd|") for line in lines)
    assert any(line.startswith("'@SUM(1)") for line in lines)
    assert not any(line.startswith(("=", "@", "+")) for line in lines)
    # negative amounts stay numbers
    from elevator.documents.csvtext import csv_cell

    assert csv_cell("-12.50") == "-12.50" and csv_cell("-1+2") == "'-1+2"


def test_sm_refuses_past_its_limit():
    from elevator.sharing.airport import SM_MAX_HOUSEHOLDS, RuleNotApplicable, sm

    with pytest.raises(RuleNotApplicable):
        sm([1] * (SM_MAX_HOUSEHOLDS + 1))
    assert sum(sm([1, 2, 3])) == 3
