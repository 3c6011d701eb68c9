"""What the caps, benefit and financing page shows, without NiceGUI: the form's text as the
file `elevator caps|benefit|financing PROJECT FILE` reads (elevator/plan/options_file.py),
the library's problems on the page's fields, and the library's results as table rows,
lines and the financing chart.  Every number comes from the library; this module only
lays it out (money with thousands separators)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from elevator.core.errors import Problem
from elevator.core.money_text import format_yuan
from elevator.core.text import Msg, t
from elevator.core.types import CONFIDENCE_MARK, confidence_mark
from elevator.documents.deal_options import benefit_rows, caps_rows, financing_rows, option_name
from elevator.documents.deal_options import caps_lines as doc_caps_lines
from elevator.documents.deal_options import financing_lines as doc_financing_lines
from elevator.plan.benefit import BenefitResult
from elevator.plan.caps import CapResult
from elevator.plan.financing import FinancingComparison
from ui.views import table

KINDS = ("caps", "benefit", "financing")
CAP_FIELDS = ("amount", "months", "monthly_income")
# the financing terms typed as one field each (the per-floor ones are separate)
FINANCING_FIELDS = (
    "life_years",
    "discount_rate",
    "instalment_years",
    "instalment_rate",
    "down_payment_percent",
    "financier",
    "ride_fee",
)
PER_FLOOR = {"benefit": ("per_floor",), "financing": ("lease_monthly", "rides_per_month")}
# library messages that name a file's key: on the page the field's own words say it
PAGE_WORDS = {
    "options.error.ride_fee": "ui.options.error.ride_fee",
    "benefit.error.confidence": "ui.options.error.confidence",
}


def blank_form(floors: int, households: list[str], life_years: int | None = None) -> dict:
    """The form's fields, all text (what the user typed stays as typed)."""
    per_floor = {str(f): "" for f in range(1, floors + 1)}
    financing: dict[str, Any] = {k: "" for k in FINANCING_FIELDS}
    financing["life_years"] = str(life_years) if life_years else ""
    financing |= {k: dict(per_floor) for k in PER_FLOOR["financing"]}
    return {
        "caps": {h: {k: "" for k in CAP_FIELDS} for h in households},
        "benefit": {"per_floor": dict(per_floor), "per_m2": False, "reference": ""}
        | {"confidence": None},
        "financing": financing,
    }


def _filled(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() for k, v in values.items() if isinstance(v, str) and v.strip()}


def caps_data(form: dict) -> tuple[dict, list[Problem]]:
    """The caps as the file writes them: an amount, or months × monthly income."""
    caps: dict[str, Any] = {}
    problems = []
    for hid, row in form["caps"].items():
        given = _filled(row)
        if not given:
            continue
        if "amount" in given and len(given) > 1:
            problems.append(Problem(f"caps.{hid}", Msg("caps.error.shape")))
        elif "amount" in given:
            caps[hid] = given["amount"]
        else:
            caps[hid] = given
    if not caps and not problems:
        problems.append(Problem("caps", Msg("ui.options.caps.none")))
    return {"caps": caps}, problems


def benefit_data(form: dict) -> tuple[dict, list[Problem]]:
    b = form["benefit"]
    data: dict[str, Any] = {"per_floor": _filled(b["per_floor"]), "per_m2": bool(b["per_m2"])}
    if (b.get("reference") or "").strip():
        data["reference"] = b["reference"].strip()
    if b.get("confidence"):
        data["confidence"] = b["confidence"]
    return {"benefit": data}, []


def financing_data(form: dict) -> tuple[dict, list[Problem]]:
    f = form["financing"]
    data: dict[str, Any] = _filled({k: f[k] for k in FINANCING_FIELDS})
    for name in PER_FLOOR["financing"]:
        data[name] = _filled(f[name])
    return {"financing": data}, []


FORM_DATA = {"caps": caps_data, "benefit": benefit_data, "financing": financing_data}


def on_page(kind: str, problems: list[Problem], form: dict) -> list[Problem]:
    """The library's problems on the page's fields: "caps:caps.601.months" (the file's
    name first) → "caps.601.months"; a cap typed as an amount → its amount field; a
    problem of the project itself → the section."""
    out = []
    for p in problems:
        field = p.field.split(":", 1)[1] if ":" in p.field else p.field
        head = field.split(".")
        if kind == "caps" and len(head) == 2 and _filled(form["caps"].get(head[1], {})):
            given = _filled(form["caps"][head[1]])
            field += ".amount" if list(given) == ["amount"] else ""
        if head[0] != kind:
            field = kind
        message = p.message
        key = getattr(message, "key", None)
        if key in PAGE_WORDS:
            message = Msg(PAGE_WORDS[key])
        out.append(Problem(field, message))
    return out


# --- results ------------------------------------------------------------------------


def _yuan(amount: Fraction | int) -> str:
    return format_yuan(Fraction(amount))


def caps_table(r: CapResult, lg: str) -> tuple[list[dict], list[dict]]:
    """Each household: the plan's share, its cap, its share under the caps."""
    return table(*caps_rows(r, lg, yuan=_yuan, missing="—"))


def caps_lines(r: CapResult, lg: str) -> list[str]:
    """Each round (who was held at the cap, the excess passed on), or the shortfall."""
    lines = doc_caps_lines(r, lg, yuan=_yuan, sep=t("ui.sep.list", lg))
    return lines or [t("ui.options.caps.none_above", lg)]


def benefit_table(r: BenefitResult, lg: str) -> tuple[list[dict], list[dict]]:
    return table(*benefit_rows(r, lg, yuan=_yuan))


def confidence_words(confidence: str | None, lg: str) -> str:
    """ "[W] 弱来源，非官方": the mark and its words."""
    if confidence not in CONFIDENCE_MARK:
        return ""
    return f"{confidence_mark(confidence)} {t(f'confidence.{confidence}', lg)}"


def benefit_lines(r: BenefitResult, lg: str) -> list[str]:
    """What is shared, where the estimate comes from (with its mark), who pays more than
    it gains."""
    lines = [t("ui.options.benefit.amount", lg, amount=_yuan(r.amount))]
    if r.reference:
        mark = confidence_words(r.confidence, lg)
        lines.append(t("doc.benefit.source", lg, reference=r.reference, mark=mark))
    else:
        lines.append(t("ui.options.benefit.no_source", lg))
    if r.above_benefit:
        households = t("ui.sep.list", lg).join(r.above_benefit)
        lines.append(t("doc.benefit.above", lg, households=households))
    return lines


def financing_table(c: FinancingComparison, lg: str) -> tuple[list[dict], list[dict]]:
    """Each household's share, its present cost under each option, its cheapest option."""

    def floor_words(floor: int) -> str:
        return t("ui.sharing.floor", lg, floor=floor)

    return table(*financing_rows(c, lg, yuan=_yuan, floor=floor_words))


def financing_lines(c: FinancingComparison, lg: str) -> list[str]:
    return doc_financing_lines(c, lg, yuan=_yuan)


def financing_chart(c: FinancingComparison, lg: str) -> dict[str, Any]:
    """The chart `elevator financing --chart` draws (documents.deal_options.financing_png),
    for ui.echart: one group of bars per household, one bar per option's present cost."""
    return {
        "title": {
            "text": t("doc.financing.chart_title", lg, years=c.terms.life_years),
            "textStyle": {"fontSize": 13},
        },
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "textStyle": {"fontSize": 11}},
        "grid": {"left": 8, "right": 8, "top": 36, "bottom": 48, "containLabel": True},
        "xAxis": {"type": "category", "data": [hid for hid, _ in c.households]},
        "yAxis": {"type": "value", "name": t("ui.options.financing.axis", lg)},
        "series": [
            {
                "type": "bar",
                "name": option_name(o.option, lg),
                "data": [round(float(o.present[hid]), 2) for hid, _ in c.households],
            }
            for o in c.options
        ],
    }


__all__ = [
    "FORM_DATA",
    "KINDS",
    "benefit_lines",
    "benefit_table",
    "blank_form",
    "caps_lines",
    "caps_table",
    "confidence_words",
    "financing_chart",
    "financing_lines",
    "financing_table",
    "on_page",
]
