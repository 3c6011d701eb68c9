"""What every command shares for its output: writing to a file or the screen, and the
words of option help and column headings."""

from __future__ import annotations

import sys
from typing import Any

from elevator.core.text import t


def write(text: str | bytes, output: str | None) -> None:
    """Text or bytes to the file `output`, or to the screen when there is none."""
    if output:
        mode = "wb" if isinstance(text, bytes) else "w"
        with open(output, mode, **({} if isinstance(text, bytes) else {"encoding": "utf-8"})) as fh:
            fh.write(text)
    else:
        sys.stdout.write(text if isinstance(text, str) else text.decode())


def side_by_side(key: str, /, **params: Any) -> str:
    """ "通过 passed": the Chinese and the English words next to each other (short
    labels and headings of output read in either language)."""
    return f"{t(key, 'zh', **params)} {t(key, 'en', **params)}"


def option_help(key: str, /) -> str:
    """An option's help text (in English, as the options themselves are; a command's own
    help is in both languages, rendered with both()).  argparse reads "%" as a
    format, so a literal one is doubled."""
    return t(key, "en").replace("%", "%%")
