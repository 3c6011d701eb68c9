"""Plain rows and JSON for a ShareResult: the one place that says what a cost table holds.

The CLI's text/CSV output, the PDF, the workbook and the app all take their
columns from here: plain lists of strings, so `elevator share` starts without pandas.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from elevator.core.money import fraction_str, money_str, number_str
from elevator.core.text import Msg, t
from elevator.core.types import confidence_mark
from elevator.documents.words import citation, name_in
from elevator.sharing.engine import ShareResult
from elevator.sharing.formulas import formula_for_result
from elevator.sharing.schedule import Schedule


def weight_str(w: Fraction) -> str:
    """A weight for people: decimal when short and exact, else the rational."""
    if (w * 10000).denominator == 1:
        text = money_str(w, 4).rstrip("0").rstrip(".")
        return text or "0"
    return f"{fraction_str(w)} ≈ {float(w):.4f}"


def share_json(result: ShareResult, project: Any = None) -> dict[str, Any]:
    """The documented JSON contract of `elevator share --format json`.

    With the project, adds `checks`: the fairness checks of `elevator.fairness`."""
    formula = formula_for_result(result)
    out: dict[str, Any] = {
        "project": result.project,
        "policy": result.policy,
        "scheme": result.scheme.name,
        "scheme_label": {"zh": result.scheme.zh, "en": result.scheme.en},
        "construction_cost": money_str(result.construction_cost),
        "cost_basis": {"zh": result.cost_basis_zh, "en": result.cost_basis_en},
        "cost_items": [
            {"name": n, "amount": money_str(a), "source": result.cost_item_sources.get(n)}
            for n, a in result.cost_items
        ],
        "subsidies": money_str(result.subsidies),
        "contributions": money_str(result.contributions),
        "funding": [_line_json(l) for l in result.funding],
        "compensation": money_str(result.compensation),
        "to_share": money_str(result.to_share),
        "amount_shared": money_str(result.amount_shared),
        "rounding": {
            "unit": result.rounding.unit_name,
            "method": "largest_remainder",
            "note": {"zh": result.rounding.text("zh"), "en": result.rounding.text("en")},
            "odd_amount": money_str(result.rounding.odd_amount),
            "odd_to": result.rounding.odd_to,
        },
        "formula": {
            "text": formula["text"],
            "latex": formula["latex"],
            "legend": formula["legend"],
            "words": {"zh": result.scheme.words_zh, "en": result.scheme.words_en},
        },
        "households": [_household_json(h) for h in result.households],
    }
    _shape_json(result, out)
    if result.running:
        out["running_costs"] = _running_json(result.running)
    if result.warnings:
        out["warnings"] = [{"zh": w.zh, "en": w.en} for w in result.warnings]
    if project is not None:
        from elevator.sharing.fairness import check

        out["checks"] = check(result, project).as_dict()
    return out


def _household_json(h: Any) -> dict[str, Any]:
    return {
        "id": h.id,
        "floor": h.floor,
        "area_m2": money_str(h.area_m2),
        "participates": h.participates,
        "payer": h.payer,
        "weight": fraction_str(h.weight),
        "gross": money_str(h.rounded_gross),
        "gross_exact": fraction_str(h.gross),
        "compensation": money_str(h.compensation),
        "aid": money_str(h.aid),
        "share": money_str(h.share),
        "exact": fraction_str(h.exact),
    }


def _running_json(r: Any) -> dict[str, Any]:
    out = {
        "scheme": r.scheme,
        "annual_total": money_str(r.annual_total),
        "years": r.years,
        "items": [{"name": n, "amount": money_str(a)} for n, a in r.items],
        "households": [
            {
                "id": h.id,
                "annual": money_str(h.annual),
                "exact": fraction_str(h.exact),
                "total": money_str(h.total),
            }
            for h in r.households
        ],
    }
    if r.grants:  # running-cost grants: what is left to pay after them
        out["gross_annual"] = money_str(r.gross_annual)
        out["grants"] = [_line_json(l) for l in r.grants]
        out["period_total"] = money_str(r.period_total)
    return out


def _line_json(l: Any) -> dict[str, Any]:
    return {
        "kind": l.kind,
        "name": l.name,
        "amount": money_str(l.amount),
        "basis": {"zh": l.basis_zh, "en": l.basis_en},
        "reference": l.reference,
        "href": l.href,
        "confidence": l.confidence,
    }


def _shape_json(result: ShareResult, out: dict[str, Any]) -> None:
    """Fixed amounts and area rounding, only where the project uses them."""
    if result.fixed_lines:
        out["fixed"] = [_line_json(l) for l in result.fixed_lines]
        out["gap"] = money_str(result.gap)
    if result.sharing.area_rounding != "none":
        out["area_rounding"] = {
            "unit": result.sharing.area_rounding,
            "mode": result.sharing.area_rounding_mode,
        }
    for row, h in zip(out["households"], result.households):
        if h.fixed is not None:
            row["fixed"] = money_str(h.fixed)
        if h.area_registered is not None:
            row["area_registered"] = number_str(h.area_registered)


def area_rounding_note(result: ShareResult, lang: str = "zh") -> str | None:
    """How areas were rounded before weighting, printed under the table."""
    s = result.sharing
    if s.area_rounding == "none":
        return None
    return t(
        "doc.area_rounding.note",
        lang,
        unit=t(f"doc.area_rounding.unit.{s.area_rounding}", lang),
        mode=t(f"doc.area_rounding.mode.{s.area_rounding_mode}", lang),
    )


def shape_lines(result: ShareResult, lang: str = "zh") -> list[str]:
    """Lines printed under the household table: area rounding and any warning."""
    out = []
    note = area_rounding_note(result, lang)
    if note:
        out.append(note)
    out += [f"{t('label.warning', lang)}: {w.text(lang)}" for w in result.warnings]
    return out


def check_lines(result: ShareResult, project: Any, lang: str = "zh") -> list[str]:
    """The fairness checks as text lines: a heading, each property, each violation."""
    from elevator.sharing.fairness import check

    return [t("doc.checks.heading", lang), *check(result, project).lines(lang)]


def household_rows(result: ShareResult, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """The household table: room, floor, area, weight, exact, rounded, compensation, net."""
    headers = [
        t(f"label.{k}", lang)
        for k in (
            "room",
            "floor",
            "area",
            "weight",
            "exact_share",
            "gross_share",
            "compensation",
            "net",
        )
    ]
    with_aid = bool(result.aid)  # the hardship-aid column only when someone gets aid
    if with_aid:
        headers.insert(7, t("label.aid", lang))
    rows = []
    for h in result.households:
        status = (
            ""
            if h.payer
            else (t("label.opted_out", lang) if not h.participates else t("label.exempt", lang))
        )
        weight = weight_str(h.weight) + (f" {status}" if status else "")
        if h.fixed is not None:  # paid as agreed, outside the scheme's weights
            weight = t("label.fixed", lang)
        rows.append(
            [
                h.id,
                str(h.floor),
                money_str(h.area_m2),
                weight,
                fraction_str(h.exact),
                money_str(h.rounded_gross),
                money_str(h.compensation),
            ]
            + ([money_str(h.aid)] if with_aid else [])
            + [money_str(h.share)]
        )
    total_area = sum((h.area_m2 for h in result.households), Fraction(0))
    rows.append(
        [
            t("label.total", lang),
            "",
            money_str(total_area),
            "",
            fraction_str(sum((h.exact for h in result.households), Fraction(0))),
            money_str(sum((h.rounded_gross for h in result.households), Fraction(0))),
            money_str(result.compensation),
        ]
        + ([money_str(result.aid)] if with_aid else [])
        + [money_str(sum((h.share for h in result.households), Fraction(0)))]
    )
    return headers, rows


def funding_rows(result: ShareResult, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """The funding waterfall: cost → each subsidy and contribution → compensation → to share."""
    zh = lang == "zh"
    colon = t("doc.sep.colon", lang)
    headers = [
        t("label.item", lang),
        t("label.amount", lang),
        t("label.basis", lang),
        t("label.source", lang),
    ]
    rows = [
        [
            t("label.construction_cost", lang),
            money_str(result.construction_cost),
            result.cost_basis_zh if zh else result.cost_basis_en,
            "",
        ]
    ]
    for name, amount in result.cost_items:
        source = citation(result.cost_item_sources.get(name, ""))
        rows.append([f"  · {name}", money_str(amount), "", source])
    for l in result.funding:
        label = t("label.subsidy" if l.kind == "subsidy" else "label.contribution", lang)
        src = " ".join(x for x in (confidence_mark(l.confidence), citation(l.reference)) if x)
        rows.append(
            [
                f"− {label}{colon}{name_in(l.name, lang)}",
                "-" + money_str(l.amount),
                l.basis_zh if zh else l.basis_en,
                src,
            ]
        )
    rows.append([t("label.to_share", lang), money_str(result.to_share), "", ""])
    if result.compensation:
        rows.append([t("label.plus_compensation", lang), money_str(result.compensation), "", ""])
        for l in result.compensation_lines:
            src = " ".join(x for x in (confidence_mark(l.confidence), citation(l.reference)) if x)
            rows.append(
                [f"  · {l.name}", money_str(l.amount), l.basis_zh if zh else l.basis_en, src]
            )
        rows.append([t("label.amount_shared", lang), money_str(result.amount_shared), "", ""])
    if result.fixed_lines:
        fixed_total = sum((l.amount for l in result.fixed_lines), Fraction(0))
        rows.append([t("label.fixed_amounts", lang), money_str(fixed_total), "", ""])
        for l in result.fixed_lines:
            src = " ".join(x for x in (confidence_mark(l.confidence), l.reference or "") if x)
            rows.append(
                [f"  · {l.name}", money_str(l.amount), l.basis_zh if zh else l.basis_en, src]
            )
        if result.gap:  # every payer fixed: nothing is shared by the scheme
            rows.append([t("label.fixed_gap", lang), money_str(result.gap), "", ""])
        else:
            rest = result.amount_shared - fixed_total
            rows.append([t("label.scheme_rest", lang), money_str(rest), "", ""])
    return headers, rows


def running_rows(result: ShareResult, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    r = result.running
    assert r is not None
    headers = [
        t("label.room", lang),
        t("label.annual", lang),
        t("label.years_total", lang, years=r.years),
    ]
    rows = [[h.id, money_str(h.annual), money_str(h.total)] for h in r.households]
    rows.append([t("label.total", lang), money_str(r.annual_total), money_str(r.period_total)])
    return headers, rows


def running_grant_rows(result: ShareResult, lang: str = "zh") -> list[str]:
    """Running costs before grants and each grant (they lower running costs only)."""
    r = result.running
    if r is None or not r.grants:
        return []
    zh = lang == "zh"
    out = [f"{t('label.running_gross', lang)}: {money_str(r.gross_annual)}"]
    for l in r.grants:
        src = " ".join(x for x in (confidence_mark(l.confidence), l.reference or "") if x)
        basis = l.basis_zh if zh else l.basis_en
        out.append(
            f"− {t('label.running_grant', lang)}: {l.name} {money_str(l.amount)} ({basis}) {src}"
        )
    return out


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Monospace table that keeps columns aligned with Chinese characters."""
    widths = [max(_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(c) + " " * (w - _width(str(c))) for c, w in zip(cells, widths)
        ).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])


def scheme_label(scheme: Any, lang: str = "zh") -> str:
    """A scheme's name in the reader's language (the scheme object renders its words)."""
    return scheme.zh if lang == "zh" else scheme.en


def _scheme_name(name: str, lang: str) -> str:
    """A scheme's name from its key (running costs name their scheme by key)."""
    from elevator.sharing.schemes import SCHEMES  # noqa: PLC0415

    return scheme_label(SCHEMES[name], lang) if name in SCHEMES else name


def scheme_words(scheme: Any, lang: str = "zh") -> str:
    """How a scheme computes, in the reader's language."""
    return scheme.words_zh if lang == "zh" else scheme.words_en


def formula_line(formula: dict[str, Any], lang: str = "zh") -> str:
    """ "本户份额 S(i) ＝ A × c(f(i)) ÷ Σ[j=1…n] c(f(j))": the formula as residents read
    it (`human`, from `elevator.sharing.formulas`), empty when the scheme has none."""
    return t("doc.formula.line", lang, formula=formula["human"]) if formula.get("human") else ""


def formula_legend(formula: dict[str, Any], lang: str = "zh") -> str:
    """What the formula's letters mean, in the reader's language (catalogue)."""
    return t("doc.sep.list", lang).join(t(k, lang) for k in formula.get("legend_keys", []))


def share_text(result: ShareResult, lang: str = "zh", project: Any = None) -> str:
    scheme = scheme_label(result.scheme, lang)
    words = scheme_words(result.scheme, lang)
    formula = formula_for_result(result)
    parts = [
        f"{result.project}",
        f"{t('label.scheme', lang)}: {scheme} — {words}",
        formula_line(formula, lang),
        formula_legend(formula, lang),
        "",
        text_table(*funding_rows(result, lang)),
        "",
        text_table(*household_rows(result, lang)),
        "",
        result.rounding.text(lang),
        *shape_lines(result, lang),
    ]
    if result.running:
        r = result.running
        parts += [
            "",
            t(
                "doc.aside",
                lang,
                text=Msg("label.running_costs"),
                aside=_scheme_name(r.scheme, lang),
            ),
            *running_grant_rows(result, lang),
            text_table(*running_rows(result, lang)),
        ]
    if project is not None:
        parts += ["", *check_lines(result, project, lang)]
    return "\n".join(parts) + "\n"


def stairwell_cost_rows(
    named: Sequence[tuple[str, ShareResult]], lang: str = "zh"
) -> tuple[list[str], list[list[str]]]:
    """One row per stairwell of a community: cost, subsidies, contributions, residents'
    outlay and scheme, with the totals."""
    headers = [
        t("doc.stairwells.stairwell", lang),
        t("label.construction_cost", lang),
        t("doc.stairwells.subsidies", lang),
        t("doc.stairwells.contributions", lang),
        t("label.to_share", lang),
        t("label.scheme", lang),
    ]
    keys = ("construction_cost", "subsidies", "contributions", "to_share")
    rows = [
        [name, *(money_str(getattr(r, k)) for k in keys), scheme_label(r.scheme, lang)]
        for name, r in named
    ]
    rows.append(
        [
            t("label.total", lang),
            *(money_str(sum((getattr(r, k) for _, r in named), Fraction(0))) for k in keys),
            "",
        ]
    )
    return headers, rows


def schedule_rows(schedule: Schedule, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """Room, one column per instalment ("签约 30%"), and the household's total."""
    heads = []
    for i in schedule.instalments:
        due = f" ({i.due})" if i.due else ""
        heads.append(f"{i.name} {weight_str(i.percent)}%{due}")
    headers = [t("label.room", lang), *heads, t("label.net", lang)]
    rows = [
        [hid, *(money_str(a) for a in schedule.cells[hid]), money_str(schedule.row_total(hid))]
        for hid in schedule.ids
    ]
    rows.append(
        [
            t("label.total", lang),
            *(money_str(a) for a in schedule.column_totals),
            money_str(schedule.total),
        ]
    )
    return headers, rows


def schedule_note(lang: str = "zh") -> str:
    return t("doc.schedule.note", lang)
