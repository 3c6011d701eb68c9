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

FONT_FILE = "NotoSansCJKsc-Regular.otf"
FAMILY = "Noto Sans CJK SC"     # the family name inside the file, for matplotlib
PDF_FAMILY = "NotoSC"           # the name fpdf2 documents use


class FontMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def font_path() -> Path:
    """Path of the CJK font file (found without importing mplfonts, which is slow)."""
    override = os.environ.get("ELEVATOR_CJK_FONT")
    if override:
        p = Path(override)
        if not p.is_file():
            raise FontMissing(f"ELEVATOR_CJK_FONT={override} 不存在 / does not exist")
        return p
    spec = importlib.util.find_spec("mplfonts")
    for base in (spec.submodule_search_locations or []) if spec else []:
        p = Path(base) / "fonts" / FONT_FILE
        if p.is_file():
            return p
    raise FontMissing(f"找不到字体 {FONT_FILE}（请安装 mplfonts）/ font {FONT_FILE} not found "
                      "(install mplfonts)")


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
    matplotlib.rcParams["axes.unicode_minus"] = False    # U+2212 is fine, but keep ASCII '-'
    matplotlib.rcParams["svg.fonttype"] = "none"
    _matplotlib_ready = True


def add_pdf_font(pdf) -> str:
    """Register the font with an fpdf2 document; returns the family name to use.

    Only the regular face exists: tables pass `headings_style=FontFace(emphasis=None)`
    (fpdf2's default bold headings would need a bold file).
    """
    if PDF_FAMILY.lower() not in pdf.fonts:
        pdf.add_font(PDF_FAMILY, "", str(font_path()))
    return PDF_FAMILY
