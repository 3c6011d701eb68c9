"""Printed documents (fpdf2, A4): the cost table, the signature sheet, the scheme
comparison and the feasibility report.

The columns come from `elevator.report` (the same rows as the CLI and the app);
this module only lays them out.  Tables never split a row across pages and
repeat their header row on every page (fpdf2's table does both).  The CJK font
is embedded (subset) so no system font is needed; a character the font lacks
raises the same "Glyph … missing from font" warning as matplotlib, which the
test suite turns into a failure.

The cost table's chart is drawn with fpdf2's own vector primitives rather than
a matplotlib image: it photocopies crisply and keeps `elevator print` under its
start-up budget (importing matplotlib alone takes ~0.7 s).  The comparison
document embeds the matplotlib charts from `elevator.charts`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING

from fpdf import FPDF

from elevator.core.money import money_str
from elevator.core.text import Msg, t
from elevator.documents.fonts import FAMILY, add_pdf_font
from elevator.documents.tables import (
    formula_legend,
    formula_line,
    funding_rows,
    household_rows,
    running_grant_rows,
    running_rows,
    schedule_note,
    schedule_rows,
    scheme_label,
    scheme_words,
    shape_lines,
)
from elevator.documents.words import citation, policy_name
from elevator.model.project import Project
from elevator.sharing.engine import ShareResult
from elevator.sharing.schedule import payment_schedule

if TYPE_CHECKING:
    from elevator.plan.compare import Comparison

GREY = (225, 225, 225)
LIGHT = (244, 244, 244)
INK = (30, 30, 30)
BAR = (59, 110, 168)
NEG = (168, 80, 59)


class Document(FPDF):
    """A4 portrait, CJK font, footer with the project and page x of y."""

    def __init__(self, lang: str, footer_text: str, full_font: bool = False):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.lang = lang
        self.footer_text = footer_text
        self.family = add_pdf_font(self, full=full_font)
        self.set_margins(14, 14, 14)
        self.set_auto_page_break(True, margin=16)
        self.set_creator("elevator")
        self.alias_nb_pages("{nb}")
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(self.family, size=7.5)
        self.set_text_color(110, 110, 110)
        page = t("label.page", self.lang).format(page=self.page_no(), pages="{nb}")
        self.cell(
            0, 5, f"{self.footer_text}    {page}    {t('label.generated_by', self.lang)}", align="C"
        )
        self.set_text_color(*INK)


def _new_document(project_name: str, title: str, lang: str, full_font: bool) -> Document:
    pdf = Document(lang, project_name, full_font)
    pdf.set_title(f"{title} {project_name}")
    pdf.add_page()
    pdf.set_font(pdf.family, size=16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    return pdf


def _heading(pdf: Document, text: str, space: float = 18) -> None:
    """Section heading; starts a new page when the heading would sit alone at the bottom."""
    if pdf.y + space > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(2.5)
    pdf.set_font(pdf.family, size=11.5)
    pdf.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(150, 150, 150)
    pdf.line(pdf.l_margin, pdf.y, pdf.w - pdf.r_margin, pdf.y)
    pdf.ln(1.5)


def _paragraph(pdf: Document, text: str, size: float = 8.5, height: float = 4.4) -> None:
    pdf.set_font(pdf.family, size=size)
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _facts(pdf: Document, pairs: Sequence[tuple[str, str]]) -> None:
    """Label: value lines for a document header."""
    pdf.set_font(pdf.family, size=9)
    for label, value in pairs:
        if not value:
            continue
        pdf.set_font(pdf.family, size=9)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(26, 5, label)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")


@dataclass(frozen=True, kw_only=True)
class _Grid:
    """How a table's cells are measured: column widths (mm), alignment, font size."""

    widths: list[float]
    aligns: list[str]
    size: float
    line_h: float
    min_height: float | None
    pad_x: float = 1.2
    pad_y: float = 0.9


def _grid(
    pdf: Document,
    widths: Sequence[float],
    align: Sequence[str],
    size: float,
    min_height: float | None,
) -> _Grid:
    scale = pdf.epw / sum(widths)
    return _Grid(
        widths=[w * scale for w in widths],
        aligns=[{"LEFT": "L", "RIGHT": "R", "CENTER": "C"}.get(a, "L") for a in align],
        size=size,
        line_h=size * 0.3528 * 1.4,  # pt → mm, with leading
        min_height=min_height,
    )


def _layout_row(pdf: Document, grid: _Grid, cells: Sequence[str]) -> tuple[list[list[str]], float]:
    """Each cell's lines and the row's height (single-line cells skip the line breaking)."""
    lines = []
    for text, w in zip(cells, grid.widths):
        text = str(text)
        inner = w - 2 * grid.pad_x
        if "\n" not in text and pdf.get_string_width(text) <= inner:
            lines.append([text])
        else:
            lines.append(
                pdf.multi_cell(inner, grid.line_h, text, dry_run=True, output="LINES") or [""]
            )
    height = max(len(x) for x in lines) * grid.line_h + 2 * grid.pad_y
    return lines, max(height, grid.min_height or 0)


def _draw_row(
    pdf: Document,
    grid: _Grid,
    lines: list[list[str]],
    height: float,
    fill: tuple | None,
    centre: bool,
) -> None:
    """One row of bordered cells at the cursor; the cursor moves below it."""
    x, y = pdf.l_margin, pdf.y
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.2)
    for i, (cell_lines, w) in enumerate(zip(lines, grid.widths)):
        if fill:
            pdf.set_fill_color(*fill)
        pdf.rect(x, y, w, height, style="DF" if fill else "D")
        box = cell_lines == ["□"]  # tick boxes print larger so a pen mark fits
        if box:
            pdf.set_font(pdf.family, size=16)
        lh = 16 * 0.3528 * 1.2 if box else grid.line_h
        top = y + (height - len(cell_lines) * lh) / 2
        for k, text in enumerate(cell_lines):
            pdf.set_xy(x + grid.pad_x, top + k * lh)
            pdf.cell(w - 2 * grid.pad_x, lh, text, align="C" if centre else grid.aligns[i])
        if box:
            pdf.set_font(pdf.family, size=grid.size)
        x += w
    pdf.set_xy(pdf.l_margin, y + height)


def _table(
    pdf: Document,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    align: Sequence[str],
    size: float = 8,
    total_rows: int = 1,
    min_height: float | None = None,
    shaded: set[int] | None = None,
) -> None:
    """A bordered table; the last `total_rows` rows (or the rows in `shaded`) are
    shaded as totals.

    A row is never split: when it does not fit, it starts the next page, which gets the
    header row again.  (Drawn with cell() rather than fpdf2's table(): single-line
    cells skip the line-breaking machinery, which was a third of `elevator print`.)
    """
    pdf.set_font(pdf.family, size=size)
    grid = _grid(pdf, widths, align, size, min_height)
    head_lines, head_h = _layout_row(pdf, grid, headers)
    laid = [_layout_row(pdf, grid, r) for r in rows]
    first_h = laid[0][1] if laid else 0
    if pdf.y + head_h + first_h > pdf.page_break_trigger:  # no header alone at the bottom
        pdf.add_page()
        pdf.set_font(pdf.family, size=size)
    _draw_row(pdf, grid, head_lines, head_h, GREY, True)
    for i, (lines, height) in enumerate(laid):
        if pdf.y + height > pdf.page_break_trigger:
            pdf.add_page()
            pdf.set_font(pdf.family, size=size)
            _draw_row(pdf, grid, head_lines, head_h, GREY, True)
        total = i in shaded if shaded is not None else i >= len(laid) - total_rows
        _draw_row(pdf, grid, lines, height, LIGHT if total else None, False)
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(1.5)


def _nice_step(span: float, target: int = 5) -> float:
    raw = span / target if span > 0 else 1
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def bar_chart(
    pdf: Document,
    title: str,
    labels: Sequence[str],
    values: Sequence[Fraction],
    note: str = "",
    height: float = 58,
) -> None:
    """A vector bar chart with value labels; negative bars hang below the zero line."""
    if pdf.y + height + 14 > pdf.page_break_trigger:
        pdf.add_page()
    _heading(pdf, title, space=height + 14)
    fv = [float(v) for v in values]
    top_v, low_v = max([0.0, *fv]), min([0.0, *fv])
    step = _nice_step(top_v - low_v)
    top_v = math.ceil(top_v / step) * step if top_v > 0 else 0.0
    low_v = math.floor(low_v / step) * step if low_v < 0 else 0.0
    span = (top_v - low_v) or 1.0
    left, right = pdf.l_margin + 20, pdf.w - pdf.r_margin
    y_top, plot_h = pdf.y + 5, height - 14
    y_of = lambda v: y_top + (top_v - v) / span * plot_h  # noqa: E731
    pdf.set_font(pdf.family, size=7)
    pdf.set_draw_color(215, 215, 215)
    pdf.set_line_width(0.2)
    tick = low_v
    while tick <= top_v + step / 1000:
        y = y_of(tick)
        pdf.line(left, y, right, y)
        pdf.set_xy(pdf.l_margin, y - 2)
        pdf.cell(18, 4, f"{tick:,.0f}", align="R")
        tick += step
    pdf.set_draw_color(60, 60, 60)
    pdf.line(left, y_of(0), right, y_of(0))
    slot = (right - left) / max(1, len(fv))
    bw = min(slot * 0.6, 22)
    for i, (label, v) in enumerate(zip(labels, fv)):
        x = left + slot * i + (slot - bw) / 2
        y0, y1 = sorted((y_of(v), y_of(0)))
        pdf.set_fill_color(*(BAR if v >= 0 else NEG))
        if y1 - y0 > 0.05:
            pdf.rect(x, y0, bw, y1 - y0, style="F")
        pdf.set_xy(x - 6, (y0 - 4) if v >= 0 else (y1 + 0.3))
        pdf.cell(bw + 12, 4, f"{v:,.2f}", align="C")
        pdf.set_xy(x - 6, y_top + plot_h + 1.5)
        pdf.cell(bw + 12, 4, label, align="C")
    pdf.set_y(y_top + plot_h + 7)
    if note:
        _paragraph(pdf, note, size=7.5, height=4)


def _image(pdf: Document, png: bytes, width: float | None = None) -> None:
    width = width or pdf.epw
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        height = width * im.height / im.width
    if pdf.y + height > pdf.page_break_trigger:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width)
    pdf.ln(2)


def _missing(pdf: Document) -> list[int]:
    return [c for font in pdf.fonts.values() for c in getattr(font, "missing_glyphs", [])]


def render(build: Callable[[bool], Document]) -> bytes:
    """Build with the cut-down font; when it lacks a character, build again with the
    full font.  A character missing even there is reported as a warning."""
    pdf = build(False)
    if getattr(pdf, "cjk_reduced", False) and _missing(pdf):
        pdf = build(True)
    data = bytes(pdf.output())
    for code in _missing(pdf):
        warnings.warn(
            f"Glyph {code} ({chr(code)}) missing from font(s) {FAMILY}.", UserWarning, stacklevel=2
        )
    return data


# --- the cost table -------------------------------------------------------------------


def _policy_label(key: str | None, lang: str) -> str:
    """The policy file's own name (湖北省兴山县), never its key."""
    return policy_name(key, lang)


def _building(project: Project, lang: str) -> str:
    """ "3栋 · 6 层，12 户": the building's name, floors and households."""
    b = project.building
    size = t("pdf.building", lang, floors=b.floors, households=len(b.households))
    return " · ".join(x for x in (b.name or "", size) if x)


def _header(pdf: Document, project: Project, result: ShareResult, lang: str) -> None:
    from elevator.sharing.formulas import formula_for_result

    formula = formula_for_result(result)
    _facts(
        pdf,
        [
            (t("label.project", lang), project.name),
            (t("label.community", lang), project.community or ""),
            (t("label.building", lang), _building(project, lang)),
            (t("label.date", lang), (project.date or dt.date.today()).isoformat()),
            (t("label.policy", lang), _policy_label(project.policy, lang)),
            (t("label.scheme", lang), scheme_label(result.scheme, lang)),
            (t("label.formula_words", lang), scheme_words(result.scheme, lang)),
            (t("label.formula", lang), formula_line(formula, lang)),
        ],
    )
    if formula.get("legend_keys"):
        pdf.set_text_color(100, 100, 100)
        _paragraph(pdf, formula_legend(formula, lang), size=7, height=3.6)
        pdf.set_text_color(*INK)


def _funding(pdf: Document, result: ShareResult, lang: str) -> None:
    _heading(pdf, t("label.funding_waterfall", lang))
    headers, rows = funding_rows(result, lang)
    # the waterfall's results: what residents carry, and what the scheme shares
    results = {t("label.to_share", lang), t("label.amount_shared", lang)}
    _table(
        pdf,
        headers,
        rows,
        (34, 16, 25, 25),
        ("LEFT", "RIGHT", "LEFT", "LEFT"),
        shaded={i for i, r in enumerate(rows) if r[0] in results},
    )


def _households(pdf: Document, result: ShareResult, lang: str) -> None:
    _heading(pdf, t("label.household_table", lang))
    headers, rows = household_rows(result, lang)
    _table(
        pdf,
        headers,
        rows,
        (9, 7, 10, 16, 21, 14, 12, 14),
        ("LEFT", "CENTER", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
    )
    colon = t("doc.sep.colon", lang)
    _paragraph(pdf, f"{t('label.rounding', lang)}{colon}{result.rounding.text(lang)}", size=8)
    for line in shape_lines(result, lang):  # area rounding, a fixed table that does not close
        _paragraph(pdf, line, size=8)


def _checks(pdf: Document, project: Project, result: ShareResult, lang: str) -> None:
    """Fairness checks (no subsidy, stand-alone, equal treatment, monotone) in words."""
    from elevator.documents.tables import check_lines

    heading, *lines = check_lines(result, project, lang)
    _heading(pdf, heading)
    for line in lines:
        _paragraph(pdf, line, size=8)


def _running(pdf: Document, result: ShareResult, lang: str) -> None:
    r = result.running
    if r is None:
        return
    from elevator.sharing.schemes import SCHEMES

    scheme = SCHEMES.get(r.scheme)
    label = scheme_label(scheme, lang) if scheme else r.scheme
    _heading(pdf, t("doc.aside", lang, text=Msg("label.running_costs"), aside=label))
    items = t("doc.sep.list", lang).join(f"{n} {money_str(a)}" for n, a in r.items)
    _paragraph(pdf, f"{t('label.running_items', lang)}{t('doc.sep.colon', lang)}{items}")
    for line in running_grant_rows(result, lang):
        _paragraph(pdf, line, size=8)
    headers, rows = running_rows(result, lang)
    _table(pdf, headers, rows, (1, 1, 1), ("LEFT", "RIGHT", "RIGHT"))
    _paragraph(pdf, r.rounding.text(lang), size=7.5, height=4)


def _schedule(pdf: Document, project: Project, result: ShareResult, lang: str) -> None:
    schedule = payment_schedule(project, result)
    if schedule is None:
        return
    _heading(pdf, t("label.payment_schedule", lang))
    headers, rows = schedule_rows(schedule, lang)
    n = len(schedule.instalments)
    _table(pdf, headers, rows, (1,) + (1.2,) * n + (1.2,), ("LEFT",) + ("RIGHT",) * (n + 1))
    _paragraph(pdf, schedule_note(lang), size=7.5, height=4)


def _floor_chart(pdf: Document, result: ShareResult, lang: str) -> None:
    from elevator.documents.charts import (  # light: matplotlib is imported lazily there
        floor_label,
        floor_values,
    )

    values = floor_values(result)
    scheme = scheme_label(result.scheme, lang)
    title = t("doc.aside", lang, text=Msg("label.share_chart"), aside=scheme)
    bar_chart(
        pdf,
        title,
        [floor_label(f, lang) for f in values],
        list(values.values()),
        note=t("label.per_household_note", lang),
    )


def _signature_rows(result: ShareResult, lang: str) -> tuple[list[str], list[list[str]]]:
    """One row per household with empty agree / oppose / abstain boxes, then the total."""
    headers = [
        t("label.room", lang),
        t("label.floor", lang),
        t("label.net", lang),
        t("decision.agree", lang),
        t("decision.oppose", lang),
        t("decision.abstain", lang),
        t("label.signature", lang),
        t("label.sign_date", lang),
    ]
    rows = []
    for h in result.households:
        status = (
            ""
            if h.payer
            else (t("label.opted_out", lang) if not h.participates else t("label.exempt", lang))
        )
        share = money_str(h.share) + (f"\n{status}" if status else "")
        rows.append([h.id, str(h.floor), share, "□", "□", "□", "", ""])
    total = money_str(sum((h.share for h in result.households), Fraction(0)))
    rows.append([t("label.total", lang), "", total, "", "", "", "", ""])
    return headers, rows


def _signature_pages(pdf: Document, project: Project, result: ShareResult, lang: str) -> None:
    """Who signs what: the plan version (decisions on another version do not count),
    one row per household with agree / oppose / abstain boxes."""
    from elevator.plan.versions import plan_version

    pdf.set_font(pdf.family, size=15)
    pdf.multi_cell(0, 8, t("label.doc_signatures", lang), new_x="LMARGIN", new_y="NEXT")
    _facts(
        pdf,
        [
            (t("label.project", lang), project.name),
            (t("label.scheme", lang), scheme_label(result.scheme, lang)),
            (t("label.to_share", lang), t("doc.yuan", lang, amount=money_str(result.to_share))),
            (t("doc.consent.version", lang), plan_version(result)),
        ],
    )
    pdf.ln(1)
    _paragraph(pdf, t("doc.sign.intro", lang), size=9, height=5)
    pdf.ln(1)
    headers, rows = _signature_rows(result, lang)
    _table(
        pdf,
        headers,
        rows,
        (11, 8, 17, 9, 9, 9, 27, 15),
        ("CENTER", "CENTER", "RIGHT", "CENTER", "CENTER", "CENTER", "LEFT", "LEFT"),
        size=9.5,
        min_height=11,
    )
    pdf.ln(5)
    if pdf.y + 12 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font(pdf.family, size=9.5)
    pdf.cell(
        0,
        6,
        f"{t('label.mediator', lang)} ______________________    "
        f"{t('label.sign_date', lang)}{t('doc.sep.colon', lang)}______________",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def cost_table_pdf(
    project: Project, result: ShareResult, lang: str = "zh", signatures: bool = True
) -> bytes:
    """The mediator's cost table: header, funding, households, rounding, running costs,
    payment schedule, chart, and (on a new page) the signature sheet."""

    def build(full_font: bool) -> Document:
        pdf = _new_document(project.name, t("label.doc_cost_table", lang), lang, full_font)
        _header(pdf, project, result, lang)
        _funding(pdf, result, lang)
        _households(pdf, result, lang)
        _checks(pdf, project, result, lang)
        _running(pdf, result, lang)
        _schedule(pdf, project, result, lang)
        _floor_chart(pdf, result, lang)
        if signatures:
            pdf.add_page()
            _signature_pages(pdf, project, result, lang)
        return pdf

    return render(build)


def signature_sheet_pdf(project: Project, result: ShareResult, lang: str = "zh") -> bytes:
    """The signature sheet alone: the plan version, one row per household, agree /
    oppose / abstain boxes."""

    def build(full_font: bool) -> Document:
        pdf = Document(lang, project.name, full_font)
        pdf.set_title(f"{t('label.doc_signatures', lang)} {project.name}")
        pdf.add_page()
        _signature_pages(pdf, project, result, lang)
        return pdf

    return render(build)


# --- schemes side by side ----------------------------------------------------------


def compare_pdf(c: "Comparison", lang: str = "zh") -> bytes:
    """Schemes side by side: the rounded net per household with each scheme's fairness
    properties, each scheme's words, and the grouped bar chart per floor; then how the
    shares move with the subsidy."""
    from elevator.documents import charts

    # the what-if chart follows the project's own scheme (the one it would sign)
    images = (charts.compare_png(list(c.results), lang), charts.subsidy_whatif_png(c.project, lang))
    return render(lambda full: _compare(c, lang, images, full))


def _compare(c: "Comparison", lang: str, images: tuple[bytes, bytes], full_font: bool) -> Document:
    from elevator.documents.comparison import property_rows, share_rows, skipped_lines

    project, results = c.project, c.results
    first = results[0]
    pdf = _new_document(project.name, t("label.doc_compare", lang), lang, full_font)
    _facts(
        pdf,
        [
            (t("label.project", lang), project.name),
            (t("label.date", lang), (project.date or dt.date.today()).isoformat()),
            (t("label.policy", lang), _policy_label(project.policy, lang)),
            (t("label.to_share", lang), t("doc.yuan", lang, amount=money_str(first.to_share))),
        ],
    )
    _heading(pdf, t("label.net", lang))
    # at most six schemes side by side: wider comparisons continue in further tables
    for start in range(0, len(results), 6):
        chunk = replace(c, results=results[start : start + 6], reports=c.reports[start : start + 6])
        headers, rows = share_rows(chunk, lang)
        n = len(chunk.results)
        _table(
            pdf,
            headers,
            rows + property_rows(chunk, lang),
            (1.1, 0.8) + (1.6,) * n,
            ("LEFT", "CENTER") + ("RIGHT",) * n,
        )
    _paragraph(pdf, t("doc.compare.marks", lang), size=7.5, height=4)
    for r in results:
        line = t(
            "doc.compare.scheme_line",
            lang,
            scheme=scheme_label(r.scheme, lang),
            words=scheme_words(r.scheme, lang),
        )
        _paragraph(pdf, line, size=7.5, height=4)
    for line in skipped_lines(c, lang):
        _paragraph(pdf, line, size=7.5, height=4)
    _paragraph(pdf, first.rounding.text(lang), size=7.5, height=4)
    _heading(pdf, t("label.share_chart", lang), space=90)
    _image(pdf, images[0])
    _paragraph(pdf, t("label.per_household_note", lang), size=7.5, height=4)
    _image(pdf, images[1], width=pdf.epw * 0.8)
    return pdf


def whatif_pdf(project: Project, lang: str = "zh", scheme: str | None = None) -> bytes:
    """One page: how each floor's share moves as the subsidy goes from 0 to the cost."""
    from elevator.documents import charts

    png = charts.subsidy_whatif_png(project, lang, scheme)

    def build(full_font: bool) -> Document:
        pdf = _new_document(project.name, t("label.doc_compare", lang), lang, full_font)
        _image(pdf, png, width=pdf.epw * 0.9)
        _paragraph(pdf, t("label.per_household_note", lang), size=7.5, height=4)
        return pdf

    return render(build)


# --- the feasibility report -----------------------------------------------------------


def _verdict_line(pdf: Document, label: str, verdict: str, lang: str) -> None:
    colours = {
        "feasible": (40, 120, 60),
        "conditional": (170, 120, 20),
        "infeasible": (170, 40, 40),
        "incomplete": (90, 90, 90),
    }
    pdf.ln(1)
    pdf.set_font(pdf.family, size=13)
    pdf.set_text_color(*colours.get(verdict, INK))
    text = f"{t('pdf.report.verdict', lang)}{t('doc.sep.colon', lang)}{label}"
    pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)


def _assessment_sections(pdf: Document, a, lang: str, project=None) -> None:
    from elevator.documents.feasibility import marks_legend

    _findings_section(pdf, a, lang)
    if a.conditions:
        _conditions_section(pdf, a, lang)
    _open_facts_sections(pdf, a, lang)
    if project is not None:
        _signoff(pdf, project, a, lang)
    _heading(pdf, t("doc.check.sources", lang))
    for s in sorted({citation(f.source) for f in a.findings if f.source}):
        _paragraph(pdf, f"· {s}", size=7.5, height=4)
    _paragraph(pdf, marks_legend(lang), size=7.5, height=4)


def _findings_section(pdf: Document, a, lang: str) -> None:
    """The findings by area, each with its question, result, explanation and source."""
    zh = lang == "zh"
    _heading(pdf, t("pdf.report.findings", lang))
    for area, findings in a.by_area().items():
        if not findings:
            continue
        pdf.set_font(pdf.family, size=10)
        if pdf.y + 16 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.multi_cell(0, 6, t(f"area.{area}", lang), new_x="LMARGIN", new_y="NEXT")
        rows = []
        for f in findings:
            message = f.message_zh if zh else f.message_en
            remedy = f.remedy_zh if zh else f.remedy_en
            if remedy:
                message += f"\n{t('pdf.report.remedy', lang)}{t('doc.sep.colon', lang)}{remedy}"
            question = f.question_zh if zh else f.question_en
            rows.append([question, t(f"result.{f.result}", lang), message, citation(f.source)])
        _table(
            pdf,
            [
                t("pdf.report.item", lang),
                t("pdf.report.result", lang),
                t("pdf.report.explanation", lang),
                t("label.source", lang),
            ],
            rows,
            (30, 10, 34, 26),
            ("LEFT", "CENTER", "LEFT", "LEFT"),
            size=7.5,
            total_rows=0,
        )


def _conditions_section(pdf: Document, a, lang: str) -> None:
    """The conditions and their cost (each cost key counted once), with the total."""
    from elevator.documents.feasibility import uncosted_words

    _heading(pdf, t("pdf.report.conditions", lang))
    rows, seen = [], set()
    for c in a.conditions:
        if c.cost is None:
            amount = t("doc.check.to_quote", lang)
        elif c.cost_key in seen:
            amount = f"({t('doc.check.counted', lang)})"
        else:
            amount = money_str(c.cost)
        seen.add(c.cost_key)
        rows.append([c.text_zh if lang == "zh" else c.text_en, amount, citation(c.cost_source)])
    total = money_str(a.condition_cost)
    if a.uncosted:
        total += f" + {t('doc.check.to_quote', lang)}"
    rows.append([t("label.total", lang), total, uncosted_words(a, lang)])
    _table(
        pdf,
        [
            t("pdf.report.condition", lang),
            t("pdf.report.cost", lang),
            t("pdf.report.cost_source", lang),
        ],
        rows,
        (50, 18, 32),
        ("LEFT", "RIGHT", "LEFT"),
        size=8,
    )


def _open_facts_sections(pdf: Document, a, lang: str) -> None:
    """Facts still needed, optional facts not given, and the fallbacks."""
    from elevator.documents.feasibility import fact_label, item_words

    zh = lang == "zh"
    if a.missing:
        _heading(pdf, t("pdf.report.missing", lang))
        rows = [[fact_label(m, lang)] for m in a.missing]
        _table(pdf, [t("pdf.report.fact", lang)], rows, (1,), ("LEFT",), size=8, total_rows=0)
    if a.not_checked:
        _heading(pdf, t("doc.check.not_checked", lang))
        for item in item_words(a, a.not_checked, lang):
            _paragraph(pdf, f"· {item}")
    if a.fallbacks:
        _heading(pdf, t("pdf.report.fallbacks", lang))
        rows = [
            [b.name_zh if zh else b.name_en, b.note_zh if zh else b.note_en, citation(b.source)]
            for b in a.fallbacks
        ]
        _table(
            pdf,
            [
                t("pdf.report.item", lang),
                t("pdf.report.explanation", lang),
                t("label.source", lang),
            ],
            rows,
            (25, 50, 25),
            ("LEFT", "LEFT", "LEFT"),
            size=8,
            total_rows=0,
        )


def _signoff(pdf: Document, project, a, lang: str) -> None:
    """Each reached stage: its items, the checklist result, the latest sign-off, and an
    empty signature cell for signing on paper."""
    from elevator.feasibility.workflow import workflow_status

    i = 0 if lang == "zh" else 1
    questions = {f.rule: (f.question_zh, f.question_en) for f in a.findings}
    _heading(pdf, t("pdf.report.signoff", lang))
    ev = project.evaluation
    if ev is not None:
        _facts(
            pdf,
            [
                (t("pdf.report.project_manager", lang), ev.project_manager or ""),
                (t("pdf.report.supervising_engineer", lang), ev.supervising_engineer or ""),
            ],
        )
    headers = [
        t("pdf.report.item", lang),
        t("pdf.report.checklist", lang),
        t("pdf.report.signed_by", lang),
        t("label.sign_date", lang),
        t("pdf.report.sign_result", lang),
        t("pdf.report.note", lang),
        t("label.signature", lang),
    ]
    for stage in workflow_status(project, a):
        if not stage["reached"]:
            continue
        pdf.set_font(pdf.family, size=10)
        if pdf.y + 20 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.multi_cell(0, 6, stage["zh"] if i == 0 else stage["en"], new_x="LMARGIN", new_y="NEXT")
        rows = []
        for item in stage["items"]:
            s = item["signoff"]
            check = t(f"result.{item['checklist']}", lang) if item.get("checklist") else ""
            # the checklist's own question has the policy's threshold filled in
            text = questions.get(item["id"], (item["zh"], item["en"]))[i]
            rows.append(
                [
                    text.replace("{threshold}", "…"),
                    check,
                    s["name"] if s else "",
                    s["date"] if s else "",
                    t(f"signoff.{s['result']}", lang) if s else "",
                    (s["note"] or "") if s else "",
                    "",
                ]
            )
        _table(
            pdf,
            headers,
            rows,
            (34, 11, 14, 14, 11, 20, 16),
            ("LEFT", "CENTER", "LEFT", "CENTER", "CENTER", "LEFT", "LEFT"),
            size=7.5,
            total_rows=0,
            min_height=8,
        )


def feasibility_pdf(project, assessment=None, lang: str = "zh") -> bytes:
    """The feasibility report of one stairwell: verdict, findings by area with their
    sources, conditions and their cost, missing facts, fallbacks, sign-off table."""
    from elevator.feasibility.checklist import assess

    a = assessment if assessment is not None else assess(project)

    def build(full_font: bool) -> Document:
        pdf = _new_document(project.name, t("label.doc_feasibility", lang), lang, full_font)
        _facts(
            pdf,
            [
                (t("label.project", lang), project.name),
                (t("label.community", lang), project.community or ""),
                (t("label.building", lang), _building(project, lang)),
                (t("label.policy", lang), _policy_label(a.policy, lang)),
                (t("label.date", lang), a.date.isoformat()),
            ],
        )
        _verdict_line(pdf, t(f"verdict.{a.verdict}", lang), a.verdict, lang)
        _assessment_sections(pdf, a, lang, project)
        return pdf

    return render(build)


def community_feasibility_pdf(result, lang: str = "zh") -> bytes:
    """A community's checklist: one row per stairwell, the counts, the costs."""
    from elevator.documents.community import summary_rows

    def build(full_font: bool) -> Document:
        pdf = _new_document(result.name, t("label.doc_feasibility", lang), lang, full_font)
        counts = "  ".join(f"{t(f'verdict.{v}', lang)} {n}" for v, n in result.counts.items())
        _facts(
            pdf,
            [
                (t("label.community", lang), result.name),
                (t("doc.community.counts", lang), counts),
            ],
        )
        if result.illustrative:
            _paragraph(pdf, t("doc.community.illustrative", lang), size=9)
        if result.note:
            _paragraph(pdf, result.note.strip(), size=7.5, height=4)
        _heading(pdf, t("pdf.report.community", lang))
        headers, rows = summary_rows(result, lang)
        _table(
            pdf,
            headers,
            rows,
            (9, 8, 6, 7, 10, 26, 11, 11, 12),
            ("LEFT", "LEFT", "CENTER", "CENTER", "CENTER", "LEFT", "RIGHT", "RIGHT", "LEFT"),
            size=7,
            total_rows=0,
        )
        return pdf

    return render(build)


def feasibility_report_pdf(first, second=None, lang: str = "zh", project=None) -> bytes:
    """The feasibility report as PDF bytes.

    Accepts `(project, assessment)` (the issue's order), `(assessment, path, project=…)`
    as `elevator check -o` calls it (the path is not written here: the caller writes
    the bytes), or a community result for a whole community.
    """
    from elevator.model.project import Project as _Project

    if isinstance(first, _Project):
        return feasibility_pdf(first, second, lang)
    if hasattr(first, "rows") and hasattr(first, "counts"):
        return community_feasibility_pdf(first, lang)
    if project is None:
        from elevator.core.errors import problem

        raise problem("project", "pdf.error.needs_project")
    return feasibility_pdf(project, first, lang)
