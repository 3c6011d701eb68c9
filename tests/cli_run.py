"""Run `elevator …` in process (tests): exit status, output, and no traceback."""

from __future__ import annotations

import contextlib
import io
import signal

from elevator import cli

SECONDS = 20  # far above any command on a stairwell; a hang is what this catches


class Hang(Exception):
    pass


def run(*argv: str, allowed: tuple[int, ...] = (0, 2)) -> tuple[int, str, str]:
    """`elevator ARGV` in process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()

    def hang(*_):
        raise Hang(f"elevator {' '.join(argv)} ran longer than {SECONDS} s")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(argv))
            except SystemExit as e:  # argparse's own usage errors
                code = e.code if isinstance(e.code, int) else 2
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert code in allowed, (argv, code, err.getvalue()[-2000:])
    assert "Traceback" not in err.getvalue()
    if code == 2:
        assert err.getvalue().strip(), "exit 2 says why"
    return code, out.getvalue(), err.getvalue()
