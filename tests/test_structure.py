"""Structure and style are checked by tools, inside the test command: the import-linter
layers contract (a wrong-way import fails here), ruff's lint and ruff's format check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_layers_contract_holds():
    r = _run(str(BIN / "lint-imports"), "--no-cache")
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "BROKEN" not in r.stdout


def test_ruff_lint():
    r = _run(str(BIN / "ruff"), "check", "elevator", "ui", "tests")
    assert r.returncode == 0, r.stdout[-4000:]


def test_ruff_format():
    r = _run(str(BIN / "ruff"), "format", "--check", "elevator", "ui", "tests")
    assert r.returncode == 0, r.stdout[-4000:]


def test_no_import_cycle_anywhere():
    """Not even inside a package, and not through imports made only for type hints."""
    import grimp

    graph = grimp.build_graph("elevator", "ui", cache_dir=None)
    cycles = sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.find_shortest_chain(importer=imported, imported=importer)
    )
    assert not cycles, cycles
