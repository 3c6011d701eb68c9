"""Golden outputs: what the CLI prints for every sample project, in both languages.

`python -m tests.golden_outputs` rewrites tests/golden/ (review the diff before
committing); tests/test_golden.py fails when any output changes.  Today's date is
replaced by <today> so the files do not age; consent runs with a fixed --today.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
PROJECTS = sorted((ROOT / "cases" / "projects").glob("*.yaml"))
COMMUNITIES = [ROOT / "cases" / "communities" / "xingfa" / "community.yaml"]
CONSENT_TODAY = "2026-01-15"


def _run(argv: list[str]) -> str:
    from elevator.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:
            code = e.code
    return f"exit {code}\n--- stdout\n{out.getvalue()}--- stderr\n{err.getvalue()}"


def _print(argv: list[str]) -> str:
    from tests.pdftext import page_parts

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "out.pdf"
        head = _run([*argv, "-o", str(target)])
        if not target.exists():
            return head
        parts = page_parts(target.read_bytes())
    body = "".join(f"--- page {i + 1}\n" + "\n".join(p) + "\n" for i, p in enumerate(parts))
    return head.split("--- stderr")[0] + body


def cases() -> dict[str, callable]:
    """golden file name → a function that renders it."""
    out: dict[str, callable] = {}
    for path in PROJECTS:
        rel = str(path.relative_to(ROOT))
        stem = path.stem
        out[f"{stem}/share.json.txt"] = lambda r=rel: _run(["share", r, "--format", "json"])
        out[f"{stem}/check.json.txt"] = lambda r=rel: _run(["check", r, "--format", "json"])
        out[f"{stem}/consent.json.txt"] = lambda r=rel: _run(
            ["consent", r, "--format", "json", "--today", CONSENT_TODAY]
        )
        for lang in ("zh", "en"):
            out[f"{stem}/share.{lang}.txt"] = lambda r=rel, l=lang: _run(["share", r, "--lang", l])
            out[f"{stem}/compare.{lang}.txt"] = lambda r=rel, l=lang: _run(
                ["compare", r, "--schemes", "all", "--lang", l]
            )
            out[f"{stem}/check.{lang}.txt"] = lambda r=rel, l=lang: _run(["check", r, "--lang", l])
            out[f"{stem}/consent.{lang}.txt"] = lambda r=rel, l=lang: _run(
                ["consent", r, "--lang", l, "--today", CONSENT_TODAY]
            )
            out[f"{stem}/print.{lang}.txt"] = lambda r=rel, l=lang: _print(
                ["print", r, "--lang", l]
            )
    for path in COMMUNITIES:
        rel = str(path.relative_to(ROOT))
        name = path.parent.name
        out[f"community-{name}/check.json.txt"] = lambda r=rel: _run(
            ["check", r, "--format", "json"]
        )
        for lang in ("zh", "en"):
            out[f"community-{name}/check.{lang}.txt"] = lambda r=rel, l=lang: _run(
                ["check", r, "--lang", l]
            )
    return out


def render(name: str) -> str:
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)  # paths in the outputs are relative to the repository
    try:
        text = cases()[name]()
    finally:
        os.chdir(cwd)
    return text.replace(dt.date.today().isoformat(), "<today>")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    names = sys.argv[1:] or list(cases())
    for name in names:
        target = GOLDEN / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(name), encoding="utf-8")
    print(f"wrote {len(names)} golden files under {GOLDEN}")
