"""A wheel built from the project works on first use, outside the repository.

The wheel is built and installed into a fresh virtual environment in a temporary folder;
its dependencies are lent from the test environment's site-packages through a .pth line
(which does not run the editable install's import hook), so `elevator` and `ui` can only
come from the wheel.  Then share, check, consent, print, schemes and the app run from a
folder that holds nothing but one project file.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "cases" / "projects" / "xingshan-xingfa-3-1.yaml"
MUST = [
    "elevator/data/formulas.json",
    "elevator/data/feasibility_rules.yaml",
    "elevator/data/consent_rules.yaml",
    "elevator/data/policies/national.yaml",
    "elevator/data/policies/xingshan.yaml",
    "elevator/locale/zh/LC_MESSAGES/elevator.mo",
    "elevator/locale/en/LC_MESSAGES/elevator.mo",
    "ui/main.py",
    "ui/pages/resident.py",
]


def _outside_env() -> dict[str, str]:
    """The environment without what points Python at the checkout (PYTHONPATH) or
    configures this run (ELEVATOR_*, PYTEST*): the installed package must stand alone."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("ELEVATOR_", "PYTEST"))}
    keep.pop("PYTHONPATH", None)
    return keep


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("env", _outside_env())
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600, **kw)
    assert r.returncode == 0, f"{cmd}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    build = tmp / "src"
    # a copy of the sources, so the build leaves nothing behind in the repository
    shutil.copytree(
        ROOT,
        build,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "*.egg-info",
            "build",
            "dist",
            "__pycache__",
            ".pytest_cache",
            "tests",
            "test-output",
            "*.sqlite3",
        ),
    )
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            tmp / "dist",
            build,
        ]
    )
    wheel = next((tmp / "dist").glob("elevator-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    py = venv / "bin" / "python"
    purelib = _run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    new_site = Path(purelib.stdout.strip())
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        z.extractall(new_site)  # what `pip install` of a pure wheel puts there
    (new_site / "lent-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp / "work"
    work.mkdir()
    shutil.copy(SAMPLE, work / "project.yaml")
    return {"py": py, "work": work, "names": names, "site": new_site}


def _elevator(env, *args) -> subprocess.CompletedProcess:
    return _run([env["py"], "-m", "elevator", *args], cwd=env["work"])


def test_the_wheel_holds_the_data_the_catalogue_and_the_app(installed):
    missing = [m for m in MUST if m not in installed["names"]]
    assert not missing, missing


def test_the_installed_package_is_the_wheel(installed):
    r = _run(
        [installed["py"], "-c", "import elevator, ui; print(elevator.__file__, ui.__file__)"],
        cwd=installed["work"],
    )
    assert all(p.startswith(str(installed["site"])) for p in r.stdout.split()), r.stdout


@pytest.mark.parametrize(
    "args, expect",
    [
        (["share", "project.yaml", "--format", "json"], '"to_share"'),
        (["share", "project.yaml", "--lang", "en"], "Net to pay"),
        (["check", "project.yaml"], "结论"),
        (["consent", "project.yaml"], "表决规则"),
        (["schemes"], "shapley"),
        (["validate", "project.yaml"], "project.yaml"),
    ],
)
def test_commands_run_from_the_wheel(installed, args, expect):
    assert expect in _elevator(installed, *args).stdout


def test_print_from_the_wheel(installed):
    _elevator(installed, "print", "project.yaml", "-o", "table.pdf")
    assert (installed["work"] / "table.pdf").read_bytes()[:5] == b"%PDF-"


def test_app_from_the_wheel(installed):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # as a user starts it: not inside pytest (NiceGUI reads PYTEST_* to pick its test mode)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("ELEVATOR_", "PYTEST", "NICEGUI"))
    }
    proc = subprocess.Popen(
        [
            installed["py"],
            "-m",
            "elevator",
            "app",
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--db",
            "app.sqlite3",
        ],
        cwd=installed["work"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120  # generous: CI machines are busy
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode(errors="replace")[-3000:]
                assert time.monotonic() < deadline, "the app did not answer"
                time.sleep(0.5)
        assert (installed["work"] / "app.sqlite3").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
