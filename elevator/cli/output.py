"""What every command shares for its output: writing to a file or the screen, and the
words of option help and column headings."""

from __future__ import annotations

import sys
from typing import Any

from elevator.core.text import t


def write(text: str | bytes, output: str | None) -> None:
    """Text or bytes to the file `output`, or to the screen when there is none."""
    if output:
        write_file(output, text.encode("utf-8") if isinstance(text, str) else text)
    else:
        sys.stdout.write(text if isinstance(text, str) else text.decode())


def write_file(output: str, data: bytes) -> None:
    """`data` to `output` atomically: written to a temporary file beside it and renamed,
    so a failed write never leaves half a file (or destroys the old one).  Every failure
    is a bilingual problem on --output, never a traceback."""
    import errno
    import os
    import tempfile
    from pathlib import Path

    from elevator.core.errors import problem

    target = Path(output)
    folder = target.parent
    if target.is_dir():
        raise problem("--output", "cli.output.is_directory", path=output)
    if not folder.is_dir():
        raise problem("--output", "cli.output.no_folder", folder=str(folder))
    tmp = None
    try:
        if target.exists() and not target.is_file():  # /dev/stdout, a pipe: never replaced
            with open(target, "wb") as fh:
                fh.write(data)
            return
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name[:40]}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode(target))  # mkstemp's 0600 would hide the file from others
        os.replace(tmp, target)
        tmp = None
    except PermissionError:
        raise problem("--output", "cli.output.not_allowed", path=output) from None
    except OSError as e:
        key = (
            "cli.output.disk_full"
            if e.errno in (errno.ENOSPC, errno.EDQUOT)
            else "cli.output.failed"
        )
        raise problem("--output", key, path=output, reason=e.strerror or str(e)) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _mode(target) -> int:
    """The permissions the file keeps (when replaced) or gets under the umask."""
    import os

    if target.exists():
        return target.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def refuse_output_onto_input(output: str | None, inputs: list[str | None]) -> None:
    """-o must never name a file the command reads: it would destroy the project."""
    if not output:
        return
    import os
    from pathlib import Path

    from elevator.core.errors import problem

    out = Path(output)
    if out.exists() and not out.is_file() and not out.is_dir():
        return  # /dev/stdout, a pipe: written to, never replaced
    for name in inputs:
        if not name:
            continue
        src = Path(name)
        if src.is_dir() and src.resolve() in out.resolve().parents:
            # a folder of stairwells: every file in it is read, now or next time
            raise problem("--output", "cli.output.in_input_folder", path=output, folder=name)
        same = out.resolve() == src.resolve()
        if not same and out.exists() and src.exists():
            same = os.path.samefile(out, src)  # a link or another spelling of the path
        if same:
            raise problem("--output", "cli.output.is_input", path=output)


def side_by_side(key: str, /, **params: Any) -> str:
    """ "通过 passed": the Chinese and the English words next to each other (short
    labels and headings of output read in either language)."""
    return f"{t(key, 'zh', **params)} {t(key, 'en', **params)}"


def option_help(key: str, /) -> str:
    """An option's help text (in English, as the options themselves are; a command's own
    help is in both languages, rendered with both()).  argparse reads "%" as a
    format, so a literal one is doubled."""
    return t(key, "en").replace("%", "%%")
