"""Download file names: "<project or community name>-<document word>.<ext>".

One rule for every download (the app's documents page, the consultation's slips, the
community's exports; the CLI may use it too): the name people gave the project comes
first and stays readable (Chinese kept, single spaces kept), characters that file systems
or shells refuse are replaced, the result is short enough for any file system and never
has an empty stem.
"""

from __future__ import annotations

import re
import unicodedata

# characters Windows, macOS or Linux refuse in a file name, and every control character
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]+')
_SPACES = re.compile(r"\s+")  # tabs, line breaks, the ideographic space U+3000
_DASHES = re.compile(r"-{2,}")
_EXT = re.compile(r"[^A-Za-z0-9]+")
# names Windows reserves whatever the extension ("CON.pdf" cannot be saved)
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(10)}
SEPARATOR = "-"
# file systems allow 255 bytes; a CJK character is 3 bytes in UTF-8, and a browser may
# add " (1)" to a second download of the same name
MAX_BYTES = 180
WORD_CHARS = 40  # a document word is ours and short; cut anything longer
FALLBACK = "project"


def clean_part(text: str) -> str:
    """One part of a file name: unsafe characters become "-", invisible format characters
    (bidirectional overrides, zero-width joiners) go, runs of spaces become one space,
    and no dot, space or dash is left at either end (a leading dot hides the file)."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = _SPACES.sub(" ", text)  # before the controls: a tab is a space
    text = _UNSAFE.sub(SEPARATOR, text)
    text = _DASHES.sub(SEPARATOR, text)
    return text.strip(" .-")


def _cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, on a character boundary."""
    data = text.encode("utf-8")[: max(limit, 0)]
    return data.decode("utf-8", errors="ignore").rstrip(" .-")


def download_name(name: str, word: str = "", ext: str = "", *, fallback: str = FALLBACK) -> str:
    """ "兴发小区 3栋 1单元-分摊表.pdf" from ("兴发小区 3栋 1单元", "分摊表", "pdf").
    `ext` with or without its dot; `fallback` stands for a name with nothing usable left.
    The name is shortened (never the word or the extension) to keep the whole within
    MAX_BYTES."""
    suffix = _EXT.sub("", ext or "").lower()
    suffix = f".{suffix}" if suffix else ""
    tail = clean_part(word)[:WORD_CHARS].rstrip(" .-")
    tail = f"{SEPARATOR}{tail}" if tail else ""
    room = MAX_BYTES - len((tail + suffix).encode("utf-8"))
    stem = _cut(clean_part(name), room) or _cut(clean_part(fallback), room) or FALLBACK
    if stem.lower() in _RESERVED and not tail:
        stem += "_"
    return stem + tail + suffix
