"""The one CJK font for charts and PDFs: Noto Sans CJK SC, shipped by mplfonts (OFL).

No system font is needed and nothing is written into matplotlib's install (we
never run `mplfonts init`): the file is registered with matplotlib's font
manager in this process, and fpdf2 embeds a subset of it in each PDF.
`ELEVATOR_CJK_FONT` may point at another OTF/TTF with the same coverage.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from elevator.core.text import both

FONT_FILE = "NotoSansCJKsc-Regular.otf"
FAMILY = "Noto Sans CJK SC"  # the family name inside the file, for matplotlib
PDF_FAMILY = "NotoSC"  # the name fpdf2 documents use


class FontMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def font_path() -> Path:
    """Path of the CJK font file (found without importing mplfonts, which is slow)."""
    override = os.environ.get("ELEVATOR_CJK_FONT")
    if override:
        p = Path(override)
        if not p.is_file():
            raise FontMissing(f"ELEVATOR_CJK_FONT={override} {both('doc.font.no_file')}")
        return p
    spec = importlib.util.find_spec("mplfonts")
    for base in (spec.submodule_search_locations or []) if spec else []:
        p = Path(base) / "fonts" / FONT_FILE
        if p.is_file():
            return p
    raise FontMissing(both("doc.font.missing", font=FONT_FILE))


_matplotlib_ready = False


def setup_matplotlib() -> None:
    """Register the font with matplotlib once per process and make it the default."""
    global _matplotlib_ready
    if _matplotlib_ready:
        return
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    matplotlib.rcParams["font.family"] = [FAMILY]
    matplotlib.rcParams["axes.unicode_minus"] = False  # U+2212 is fine, but keep ASCII '-'
    matplotlib.rcParams["svg.fonttype"] = "none"
    _matplotlib_ready = True


# --- a smaller copy of the font for PDFs --------------------------------------------
#
# fpdf2 parses the whole 16 MB font (65k glyphs) for every document and subsets it
# again on output; that is most of `elevator print`'s time.  A copy cut down to
# GB2312 (6,763 hanzi) plus Latin, punctuation and symbols is built once into the
# user's cache and used whenever it covers the document; `printing` renders again
# with the full font when a character (a rare name, say) is missing.

CACHE_VERSION = 1


def cache_dir() -> Path:
    if os.environ.get("ELEVATOR_CACHE"):
        return Path(os.environ["ELEVATOR_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "elevator"


def common_codepoints() -> set[int]:
    """GB2312 (every valid two-byte code) plus Latin, punctuation, symbols, CJK punctuation."""
    out: set[int] = set()
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                out.add(ord(bytes((b1, b2)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    for lo, hi in ((0x20, 0x250), (0x2000, 0x2C00), (0x3000, 0x3040), (0xFF00, 0xFFF0)):
        out.update(range(lo, hi))
    return out


def reduced_font_path(create: bool = True) -> Path | None:
    """The cut-down copy (built on first use, ~10 s once); None when unavailable or
    switched off with ELEVATOR_FONT_CACHE=0."""
    if os.environ.get("ELEVATOR_FONT_CACHE") == "0":
        return None
    src = font_path()
    target = cache_dir() / f"{src.stem}-common-v{CACHE_VERSION}-{src.stat().st_size}.otf"
    if target.is_file():
        return target
    if not create:
        return None
    try:
        _build_reduced(src, target)
    except OSError as e:  # read-only home, full disk: the full font still works
        import logging

        logging.getLogger(__name__).warning("font cache not written: %s", e)
        return None
    return target


def _build_reduced(src: Path, target: Path) -> None:
    import tempfile

    from fontTools import subset
    from fontTools.ttLib import TTFont

    target.parent.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.name_IDs = ["*"]  # keep the copyright and licence (OFL) records
    options.name_languages = ["*"]
    options.layout_features = []  # fpdf2 does not shape CJK text; the tables are large
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    options.desubroutinize = True  # cheaper subsetting per document
    font = TTFont(str(src))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=common_codepoints())
    subsetter.subset(font)
    # write next to the target and rename: two processes may build it at once
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as tmp:
        font.save(tmp)
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, target)


def add_pdf_font(pdf, full: bool = False) -> str:
    """Register the font with an fpdf2 document; returns the family name to use.

    `full=False` takes the cut-down copy when it exists (see above).  Only the
    regular face exists: tables pass `headings_style=FontFace(emphasis=None)`
    (fpdf2's default bold headings would need a bold file).
    """
    if PDF_FAMILY.lower() not in pdf.fonts:
        path = None if full else reduced_font_path()
        pdf.add_font(PDF_FAMILY, "", str(path or font_path()))
        font = pdf.fonts[PDF_FAMILY.lower()]
        # fpdf2 saves the subset with fontTools, which by default redraws every glyph
        # to recompute bounding boxes (half the output time); the full font's boxes
        # still enclose the subset, so keep them.
        font.ttfont.recalcBBoxes = False
        pdf.cjk_reduced = path is not None  # printing re-renders with the full font if needed
    return PDF_FAMILY


if __name__ == "__main__":  # python -m elevator.documents.fonts: build the cache ahead of time
    print(reduced_font_path() or "font cache disabled or not writable")
