"""Text of a PDF made by elevator, decoded through the embedded fonts' ToUnicode maps.

pypdf's extract_text misreads fpdf2's two-byte codes above 0x00FF as two one-byte
codes, so the text is decoded here from the content stream: tests then check what a
reader's copy-and-paste gets, not pypdf's guess.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def squeeze(text: str) -> str:
    """Compare texts without any whitespace (cells, wrapped lines)."""
    return re.sub(r"\s+", "", text.replace("\x00", ""))


def to_unicode(font) -> dict[bytes, str]:
    """A Type0 font's ToUnicode CMap: two-byte code → text (bfchar and bfrange)."""
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    out: dict[bytes, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[bytes.fromhex(code)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, start in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            for i in range(int(hi, 16) - int(lo, 16) + 1):
                out[(int(lo, 16) + i).to_bytes(2, "big")] = chr(int(start, 16) + i)
    return out


def page_parts(data: bytes) -> list[list[str]]:
    """Each page's text pieces (one per Tj/TJ) in drawing order."""
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(data))
    out = []
    for page in reader.pages:
        maps = {
            name: to_unicode(f.get_object())
            for name, f in page["/Resources"].get("/Font", {}).items()
        }
        current: dict[bytes, str] = {}
        parts: list[str] = []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                current = maps[operands[0]]
            elif op in (b"Tj", b"TJ"):
                items = operands[0] if op == b"TJ" else [operands[0]]
                text = ""
                for item in items:
                    raw = getattr(item, "original_bytes", None)
                    if raw is None and isinstance(item, bytes):
                        raw = bytes(item)
                    if raw is None:
                        continue  # a TJ spacing number
                    text += "".join(
                        current.get(raw[i : i + 2], "\ufffd") for i in range(0, len(raw), 2)
                    )
                parts.append(text)
        out.append(parts)
    return out


def pages(data: bytes) -> list[str]:
    """Each page's text without whitespace."""
    return [squeeze("".join(parts)) for parts in page_parts(data)]
