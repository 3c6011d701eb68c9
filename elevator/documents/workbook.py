"""Excel/WPS workbooks a mediator can follow: live formulas next to the library's numbers.

Sheet 1 (分摊表 / Shares): one row per household with its weight, the share as a
live formula  amount × weight / SUM(weights),  the compensation, the hardship aid,
the exact net as a formula (share − compensation − aid, the engine's arithmetic),
and the library's rounded net (a value: the largest-remainder rounding is not a
spreadsheet formula), so the difference column holds only rounding.  The totals
row is live SUMs; the amount shared is a formula on the inputs sheet (cost −
subsidies − contributions + compensation, hardship aid not subtracted: it is
given back to the named households only).  Excel shows floats; the rounded
column is exact to the fen because it holds the library's numbers.  User text
(rooms, names) is always written as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from elevator.core.money import money_str
from elevator.core.text import t
from elevator.core.types import confidence_mark
from elevator.documents.tables import scheme_label, scheme_words, weight_str
from elevator.documents.words import policy_name
from elevator.model.project import Project
from elevator.sharing.engine import FundingLine, HouseholdShare, ShareResult

MONEY = "#,##0.00"
HEAD_FILL = PatternFill("solid", fgColor="DDDDDD")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def number(value: Fraction) -> float | int:
    """A cell value: int when whole, else float (display only; exact values are text)."""
    return int(value) if value.denominator == 1 else float(value)


def weight_cell(value: Fraction) -> float | int | str:
    """Weights that are not short decimals become a formula (=2/3) Excel evaluates."""
    if (value * 10000).denominator == 1:
        return number(value)
    return f"={value.numerator}/{value.denominator}"


def _head(ws, row: int, headers: Sequence[str]) -> None:
    for col, text in enumerate(headers, start=1):
        c = ws.cell(row=row, column=col, value=text)
        c.fill, c.border, c.font = HEAD_FILL, BOX, Font(bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _widths(ws, widths: Sequence[float]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


# A cell that starts with one of these is read as a formula (or a DDE call) by Excel,
# WPS or LibreOffice when typed or imported: user text never may.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(cell, value: object):
    """Put user text (a room, a name, a note) into `cell` as text, never as a formula:
    openpyxl would store "=HYPERLINK(…)" as a live formula; the quote prefix keeps the
    text a text when someone edits the cell."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def is_aid(line: FundingLine) -> bool:
    """A hardship-aid line: it lowers named households' nets, not the amount shared."""
    return line.basis.key == "sharing.basis.hardship_aid"


def _inputs(wb: Workbook, result: ShareResult, lang: str, with_aid: bool = True) -> str:
    """The inputs sheet; returns the absolute reference of the 'amount shared' cell.

    amount shared = cost − subsidies − contributions + compensation, where the subsidies
    here leave out hardship aid (the engine shares the amount before aid, then takes
    each household's aid off its own net: the aid column of the shares sheet).  With
    `with_aid` the aid lines follow, and the residents' outlay after them."""
    zh = lang == "zh"
    ws = wb.create_sheet(t("workbook.sheet.inputs", lang))
    text_cell(ws["A1"], result.project)
    ws["A1"].font = Font(bold=True, size=13)
    _head(
        ws,
        3,
        [
            t("label.item", lang),
            t("label.amount", lang),
            t("label.basis", lang),
            t("label.source", lang),
        ],
    )
    r = 4
    ws.cell(r, 1, t("label.construction_cost", lang))
    ws.cell(r, 2, number(result.construction_cost)).number_format = MONEY
    text_cell(ws.cell(r, 3), result.cost_basis_zh if zh else result.cost_basis_en)
    cost_row = r
    for name, amount in result.cost_items:
        r += 1
        text_cell(ws.cell(r, 1), f"  · {name}")
        ws.cell(r, 2, number(amount)).number_format = MONEY
    aid_lines = [line for line in result.funding if is_aid(line)]
    first_funding = r + 1
    for line in result.funding:
        if not is_aid(line):
            r += 1
            _funding_row(ws, r, line, lang)
    last_funding = r
    r += 1
    ws.cell(r, 1, t("workbook.before_aid" if aid_lines else "label.to_share", lang))
    funding = f"SUM(B{first_funding}:B{last_funding})" if last_funding >= first_funding else "0"
    ws.cell(r, 2, f"=B{cost_row}-{funding}").number_format = MONEY
    text_cell(ws.cell(r, 3), t("workbook.to_share_formula", lang))
    before_aid_row = r
    r += 1
    ws.cell(r, 1, t("workbook.compensation_total", lang))
    ws.cell(r, 2, number(result.compensation)).number_format = MONEY
    comp_row = r
    r += 1
    ws.cell(r, 1, t("label.amount_shared", lang))
    ws.cell(r, 2, f"=B{before_aid_row}+B{comp_row}").number_format = MONEY
    amount_row = r
    totals = [before_aid_row, amount_row]
    if aid_lines and with_aid:
        first_aid = r + 1
        for line in aid_lines:
            r += 1
            _funding_row(ws, r, line, lang)
        r += 1
        ws.cell(r, 1, t("label.to_share", lang))
        ws.cell(r, 2, f"=B{before_aid_row}-SUM(B{first_aid}:B{r - 1})").number_format = MONEY
        text_cell(ws.cell(r, 3), t("workbook.after_aid_formula", lang))
        totals.append(r)
    for row in ws.iter_rows(min_row=4, max_row=r, max_col=4):
        for c in row:
            c.border = BOX
    for rr in totals:
        for c in ws[rr][:4]:
            c.fill = TOTAL_FILL
    r = _facts(ws, r + 2, result, lang)
    _widths(ws, (34, 16, 36, 44))
    title = ws.title.replace("'", "''")
    return f"'{title}'!$B${amount_row}"


def _facts(ws, r: int, result: ShareResult, lang: str) -> int:
    """Scheme, its words, the policy and the rounding below the inputs, in words (the
    policy by its own name, never its file key); returns the next free row."""
    facts = [
        (t("label.scheme", lang), scheme_label(result.scheme, lang)),
        (t("label.formula_words", lang), scheme_words(result.scheme, lang)),
        (t("label.policy", lang), policy_name(result.policy, lang)),
        (t("label.rounding", lang), result.rounding.text(lang)),
    ]
    for label, value in facts:
        ws.cell(r, 1, label).font = Font(bold=True)
        text_cell(ws.cell(r, 2), value).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
        r += 1
    return r


def _funding_row(ws, r: int, line: FundingLine, lang: str) -> None:
    zh = lang == "zh"
    label = t("label.subsidy" if line.kind == "subsidy" else "label.contribution", lang)
    text_cell(ws.cell(r, 1), f"{label}{t('doc.sep.colon', lang)}{line.name}")
    ws.cell(r, 2, number(line.amount)).number_format = MONEY
    text_cell(ws.cell(r, 3), line.basis_zh if zh else line.basis_en)
    source = (confidence_mark(line.confidence), line.reference or "", line.href or "")
    text_cell(ws.cell(r, 4), " ".join(x for x in source if x))


# the household table's columns, in order (1-based: A = 1)
COLUMNS = (
    "room",
    "floor",
    "area",
    "payer",
    "weight",
    "gross",
    "compensation",
    "aid",
    "exact",
    "rounded",
    "difference",
    "weight_value",
)
COL = {name: get_column_letter(i) for i, name in enumerate(COLUMNS, start=1)}


def _payer_words(h: HouseholdShare, lang: str) -> str:
    if h.payer:
        return t("workbook.yes", lang)
    return t("label.opted_out" if not h.participates else "label.exempt", lang)


def _household_row(ws, r: int, h: HouseholdShare, lang: str, weights: str) -> None:
    """One household: gross = amount × weight / Σ weights; net = gross − compensation −
    aid (exactly the engine's arithmetic); the rounded net is the library's value."""
    c = COL
    values = {
        "room": h.id,
        "floor": h.floor,
        "area": number(h.area_m2),
        "payer": _payer_words(h, lang),
        "weight": weight_cell(h.weight),
        # a fixed amount is paid as agreed; the formula shares only the rest ($C$3)
        "gross": number(h.fixed)
        if h.fixed is not None
        else f"=$C$3*{c['weight']}{r}/SUM({weights})",
        "compensation": number(h.compensation),
        "aid": number(h.aid),
        "exact": f"={c['gross']}{r}-{c['compensation']}{r}-{c['aid']}{r}",
        "rounded": number(h.share),
        "difference": f"={c['rounded']}{r}-{c['exact']}{r}",
        "weight_value": weight_str(h.weight),
    }
    formats = {"area": "0.00", "difference": "0.0000"}
    for col, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(r, col, values[name])
        if name in ("room", "payer", "weight_value"):
            text_cell(cell, values[name])
        elif name in ("gross", "compensation", "aid", "exact", "rounded"):
            cell.number_format = MONEY
        elif name in formats:
            cell.number_format = formats[name]


def _shares(ws, result: ShareResult, lang: str, amount_ref: str) -> None:
    ws["A1"] = f"{t('label.doc_cost_table', lang)} — {result.project}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = (
        f"{t('label.scheme', lang)}: {scheme_label(result.scheme, lang)} — "
        f"{scheme_words(result.scheme, lang)}"
    )
    ws["A3"] = t("label.amount_shared", lang)
    fixed_total = sum((h.fixed for h in result.households if h.fixed is not None), Fraction(0))
    # fixed amounts are paid as agreed; the formula shares only the rest
    ws["C3"] = f"={amount_ref}-{number(fixed_total)}" if fixed_total else f"={amount_ref}"
    ws["C3"].number_format = MONEY
    ws["D3"] = t("workbook.formula_share", lang)
    headers = [
        t("label.room", lang),
        t("label.floor", lang),
        t("label.area", lang),
        t("workbook.payer", lang),
        t("label.weight", lang),
        t("label.gross_share", lang),
        t("label.compensation", lang),
        t("label.aid", lang),
        t("label.exact_share", lang),
        t("workbook.rounded", lang),
        t("workbook.difference", lang),
        t("workbook.weight_value", lang),
    ]
    head_row = 5
    _head(ws, head_row, headers)
    first = head_row + 1
    last = first + len(result.households) - 1
    weights = f"$E${first}:$E${last}"
    for i, h in enumerate(result.households):
        _household_row(ws, first + i, h, lang, weights)
    total = last + 1
    ws.cell(total, 1, t("label.total", lang))
    for name in ("area", "weight", "gross", "compensation", "aid", "exact", "rounded"):
        letter = COL[name]
        c = ws[f"{letter}{total}"]
        c.value = f"=SUM({letter}{first}:{letter}{last})"
        c.number_format = "General" if name == "weight" else MONEY
    diff = ws[f"{COL['difference']}{total}"]
    diff.value = f"=SUM({COL['difference']}{first}:{COL['difference']}{last})"
    diff.number_format = "0.0000"
    for row in ws.iter_rows(min_row=first, max_row=total, max_col=len(headers)):
        for c in row:
            c.border = BOX
    for c in ws[total][: len(headers)]:
        c.fill = TOTAL_FILL
    # rounded total − residents' outlay (amount shared − compensation − aid): 0
    ws.cell(total + 1, 1, t("workbook.check", lang))
    g, a, j = COL["compensation"], COL["aid"], COL["rounded"]
    check = ws[f"{j}{total + 1}"]
    fixed = f"+{number(fixed_total)}" if fixed_total else ""  # $C$3 is the rest after them
    check.value = f"={j}{total}-($C$3{fixed}-{g}{total}-{a}{total})"
    check.number_format = MONEY
    text_cell(ws.cell(total + 3, 1), result.rounding.text(lang))
    ws.freeze_panes = ws.cell(first, 2)
    ws.print_title_rows = f"{head_row}:{head_row}"  # header on every printed page
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    _widths(ws, (9, 7, 10, 8, 10, 14, 12, 12, 14, 16, 10, 22))


def _running_sheet(wb: Workbook, result: ShareResult, lang: str) -> None:
    r = result.running
    if r is None:
        return
    ws = wb.create_sheet(t("workbook.sheet.running", lang))
    _head(
        ws,
        1,
        [
            t("label.room", lang),
            t("label.annual", lang),
            t("label.years_total", lang, years=r.years),
        ],
    )
    for i, h in enumerate(r.households, start=2):
        text_cell(ws.cell(i, 1), h.id)
        ws.cell(i, 2, number(h.annual)).number_format = MONEY
        ws.cell(i, 3, f"=B{i}*{r.years}").number_format = MONEY
    last = len(r.households) + 1
    ws.cell(last + 1, 1, t("label.total", lang))
    ws.cell(last + 1, 2, f"=SUM(B2:B{last})").number_format = MONEY
    ws.cell(last + 1, 3, f"=SUM(C2:C{last})").number_format = MONEY
    text_cell(ws.cell(last + 3, 1), "; ".join(f"{n} {money_str(a)}" for n, a in r.items))
    _widths(ws, (10, 16, 18))


def _schedule_sheet(wb: Workbook, project: Project, result: ShareResult, lang: str) -> None:
    from elevator.documents.tables import schedule_rows
    from elevator.sharing.schedule import payment_schedule

    schedule = payment_schedule(project, result)
    if schedule is None:
        return
    ws = wb.create_sheet(t("workbook.sheet.schedule", lang))
    headers, _ = schedule_rows(schedule, lang)
    _head(ws, 1, headers)
    n = len(schedule.instalments)
    for i, hid in enumerate(schedule.ids, start=2):
        text_cell(ws.cell(i, 1), hid)
        for j, amount in enumerate(schedule.cells[hid], start=2):
            ws.cell(i, j, number(amount)).number_format = MONEY
        ws.cell(i, n + 2, f"=SUM(B{i}:{get_column_letter(n + 1)}{i})").number_format = MONEY
    last = len(schedule.ids) + 1
    ws.cell(last + 1, 1, t("label.total", lang))
    for j in range(2, n + 3):
        letter = get_column_letter(j)
        ws.cell(last + 1, j, f"=SUM({letter}2:{letter}{last})").number_format = MONEY
    _widths(ws, (10,) + (16,) * (n + 1))


def share_workbook(
    result: ShareResult, lang: str = "zh", project: Project | None = None
) -> Workbook:
    """The household table (live formulas), the inputs, running costs, and the
    payment schedule when `project` is given and has one."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("workbook.sheet.shares", lang)
    amount_ref = _inputs(wb, result, lang)
    _shares(ws, result, lang, amount_ref)
    _running_sheet(wb, result, lang)
    if project is not None:
        _schedule_sheet(wb, project, result, lang)
    return wb


def compare_workbook(
    project: Project, results: Sequence[ShareResult], lang: str = "zh"
) -> Workbook:
    """Schemes side by side (the library's rounded nets) with live column totals."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("workbook.sheet.compare", lang)
    ws["A1"] = f"{t('label.doc_compare', lang)} — {project.name}"
    ws["A1"].font = Font(bold=True, size=13)
    headers = [t("label.room", lang), t("label.floor", lang)] + [
        f"{scheme_label(r.scheme, lang)} ({r.scheme.name})" for r in results
    ]
    _head(ws, 3, headers)
    for i, h in enumerate(project.building.households, start=4):
        text_cell(ws.cell(i, 1), h.id)
        ws.cell(i, 2, h.floor)
        for j, r in enumerate(results, start=3):
            ws.cell(i, j, number(r.households[i - 4].share)).number_format = MONEY
    last = 3 + len(project.building.households)
    ws.cell(last + 1, 1, t("label.total", lang))
    for j in range(3, 3 + len(results)):
        letter = get_column_letter(j)
        ws.cell(last + 1, j, f"=SUM({letter}4:{letter}{last})").number_format = MONEY
    for k, r in enumerate(results):
        ws.cell(last + 3 + k, 1, f"{scheme_label(r.scheme, lang)} ({r.scheme.name})")
        ws.cell(last + 3 + k, 3, scheme_words(r.scheme, lang))
    _widths(ws, (10, 7) + (18,) * len(results))
    # each scheme's full table on its own sheet, for the mediator who wants the formulas;
    # the schemes share one inputs sheet (same cost and funding), placed last
    # hardship aid depends on each scheme's shares: it is in each scheme's aid column
    amount_ref = _inputs(wb, results[0], lang, with_aid=False)
    inputs = wb.worksheets[-1]
    for r in results:
        _shares(wb.create_sheet(r.scheme.name[:31]), r, lang, amount_ref)
    wb.move_sheet(inputs, offset=len(wb.worksheets) - 1 - wb.index(inputs))
    return wb


def project_workbook(project: Project, lang: str = "zh") -> bytes:
    """The share workbook of a project under its own scheme, as XLSX bytes (for the app)."""
    import io

    from elevator.plan.compose import shares as compute_shares

    buf = io.BytesIO()
    share_workbook(compute_shares(project), lang, project=project).save(buf)
    return buf.getvalue()
