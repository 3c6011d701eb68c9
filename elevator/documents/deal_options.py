"""Caps, the benefit split and the financing options laid out: rows, text tables, a chart.

The caps table shows the caps the mediator entered for this table (caps are not the
private limits of `elevator deal`, which no document shows)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from elevator.core.money import fraction_str, money_str, number_str
from elevator.core.text import t
from elevator.core.types import confidence_mark
from elevator.documents.tables import text_table
from elevator.plan.benefit import BenefitResult
from elevator.plan.caps import CapResult
from elevator.plan.financing import FinancingComparison

# how an amount is written: plain decimal strings in the text and JSON outputs; the app
# passes format_yuan (thousands separators), its "—" for what is not there, its list
# separator and its floor words
Yuan = Callable[[Fraction], str]


def caps_rows(
    r: CapResult, lang: str = "zh", *, yuan: Yuan = money_str, missing: str = ""
) -> tuple[list[str], list[list[str]]]:
    """Each household: the plan's share, its cap, its share under the caps."""
    headers = [t("label.room", lang), t("doc.caps.before", lang), t("doc.caps.cap", lang)]
    headers.append(t("label.net", lang))
    rows = [
        [
            k,
            yuan(before),
            yuan(r.caps[k]) if k in r.caps else missing,
            yuan(r.shares[k]) if r.possible else missing,
        ]
        for k, before in r.before.items()
    ]
    return headers, rows


def caps_lines(
    r: CapResult, lang: str = "zh", *, yuan: Yuan = money_str, sep: str = ", "
) -> list[str]:
    """Each round (who was held at the cap, the excess passed on), or the shortfall."""
    if not r.possible:
        return [t("doc.caps.impossible", lang, amount=yuan(r.shortfall))]
    return [
        t("doc.caps.round", lang, n=i, households=sep.join(rnd.capped), excess=yuan(rnd.excess))
        for i, rnd in enumerate(r.rounds, 1)
    ]


def caps_text(r: CapResult, lang: str = "zh") -> str:
    return text_table(*caps_rows(r, lang)) + "\n" + "\n".join(caps_lines(r, lang)) + "\n"


def benefit_rows(
    r: BenefitResult, lang: str = "zh", *, yuan: Yuan = money_str
) -> tuple[list[str], list[list[str]]]:
    headers = [t("label.room", lang), t("doc.benefit.benefit", lang), t("label.net", lang)]
    rows = [[k, yuan(Fraction(r.benefit.get(k, 0))), yuan(v)] for k, v in r.shares.items()]
    return headers, rows


def benefit_text(r: BenefitResult, lang: str = "zh") -> str:
    lines = [text_table(*benefit_rows(r, lang))]
    if r.reference:
        lines.append(
            t("doc.benefit.source", lang, reference=r.reference, mark=confidence_mark(r.confidence))
        )
    if r.above_benefit:
        lines.append(t("doc.benefit.above", lang, households=", ".join(r.above_benefit)))
    return "\n".join(lines) + "\n"


def option_name(option: str, lang: str = "zh") -> str:
    return t(f"financing.option.{option}", lang)


def financing_rows(
    c: FinancingComparison,
    lang: str = "zh",
    *,
    yuan: Yuan = money_str,
    floor: Callable[[int], str] = str,
) -> tuple[list[str], list[list[str]]]:
    """Each household's present cost under each option, and its cheapest option."""
    headers = [t("label.room", lang), t("label.floor", lang), t("label.net", lang)]
    headers += [option_name(o.option, lang) for o in c.options]
    headers.append(t("doc.financing.cheapest", lang))
    rows = [
        [hid, floor(f), yuan(c.shares[hid])]
        + [yuan(o.present[hid]) for o in c.options]
        + [option_name(c.cheapest[hid], lang)]
        for hid, f in c.households
    ]
    return headers, rows


def financing_lines(
    c: FinancingComparison, lang: str = "zh", *, yuan: Yuan = money_str
) -> list[str]:
    """The terms compared, and who pre-finances how much when instalments are offered."""
    terms = c.terms
    lines = [
        t("doc.financing.terms", lang, years=terms.life_years, rate=number_str(terms.discount_rate))
    ]
    if terms.instalment_years is not None:
        who = terms.financier or t("doc.financing.lender", lang)
        lines.append(
            t(
                "doc.financing.prefinanced",
                lang,
                who=who,
                amount=yuan(c.prefinanced),
                years=terms.instalment_years,
                rate=number_str(terms.instalment_rate),
            )
        )
    return lines


def financing_text(c: FinancingComparison, lang: str = "zh") -> str:
    first, *rest = financing_lines(c, lang)
    return "\n".join([first, text_table(*financing_rows(c, lang)), *rest]) + "\n"


def financing_png(c: FinancingComparison, lang: str = "zh") -> bytes:
    """Grouped bars: one group per household, one bar per option (present cost)."""
    from elevator.documents.charts import _figure, _money_axis, _png  # noqa: PLC0415

    fig, ax = _figure(width=min(10.0, max(7.0, 0.6 * len(c.households))))
    n = len(c.options)
    width = 0.8 / n
    for i, o in enumerate(c.options):
        xs = [k + (i - (n - 1) / 2) * width for k in range(len(c.households))]
        values = [float(o.present[hid]) for hid, _ in c.households]
        ax.bar(xs, values, width, label=option_name(o.option, lang))
    ax.set_xticks(range(len(c.households)), [hid for hid, _ in c.households])
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.set_title(t("doc.financing.chart_title", lang, years=c.terms.life_years))
    ax.legend(fontsize=8, frameon=False)
    _money_axis(ax, lang)
    return _png(fig)


# --- JSON (money as decimal strings, exact values as fractions) -------------------


def caps_json(r: CapResult) -> dict:
    return {
        "possible": r.possible,
        "shortfall": money_str(r.shortfall),
        "caps": {k: money_str(v) for k, v in r.caps.items()},
        "households": [
            {
                "id": k,
                "before": money_str(before),
                "cap": money_str(r.caps[k]) if k in r.caps else None,
                "share": money_str(r.shares[k]) if r.possible else None,
                "exact": fraction_str(r.exact[k]) if r.possible else None,
            }
            for k, before in r.before.items()
        ],
        "rounds": [
            {"capped": list(rnd.capped), "excess": money_str(rnd.excess)} for rnd in r.rounds
        ],
    }


def benefit_json(r: BenefitResult) -> dict:
    return {
        "amount": money_str(r.amount),
        "households": [
            {
                "id": k,
                "benefit": money_str(r.benefit.get(k, 0)),
                "compensation": money_str(r.compensation.get(k, 0)),
                "share": money_str(v),
                "exact": fraction_str(r.exact[k]),
            }
            for k, v in r.shares.items()
        ],
        "above_benefit": list(r.above_benefit),
        "reference": r.reference,
        "confidence": r.confidence,
        "mark": confidence_mark(r.confidence),
    }


def financing_json(c: FinancingComparison) -> dict:
    return {
        "life_years": c.terms.life_years,
        "discount_rate": number_str(c.terms.discount_rate),
        "prefinanced": money_str(c.prefinanced),
        "options": [o.option for o in c.options],
        "households": [
            {
                "id": hid,
                "floor": floor,
                "share": money_str(c.shares[hid]),
                "present": {o.option: money_str(o.present[hid]) for o in c.options},
                "paid": {o.option: money_str(o.paid[hid]) for o in c.options},
                "monthly": {o.option: money_str(o.monthly[hid]) for o in c.options},
                "cheapest": c.cheapest[hid],
            }
            for hid, floor in c.households
        ],
    }
