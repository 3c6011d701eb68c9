"""A deal laid out: the shares, the outcome in words, the JSON contract of `elevator deal`.

Private limits appear only in the JSON the mediator asks for with the limits file in
hand; the text table shows shares and the outcome, never a household's limit.
"""

from __future__ import annotations

from fractions import Fraction

from elevator.core.money import money_str, number_str
from elevator.core.text import t
from elevator.documents.tables import text_table
from elevator.plan.deal import Deal, deal_words


def deal_json(deal: Deal) -> dict:
    """found, extra_needed ("0.00" when found; null when no split can meet the consent
    rule), households [{id, floor, share, limit}], binding, and the detail."""
    words = deal_words(deal, named=True)
    result = deal.result
    households = []
    if result is not None:
        for h in result.households:
            limit = deal.limits.get(h.id)
            households.append(
                {
                    "id": h.id,
                    "floor": h.floor,
                    "share": money_str(h.share),
                    "limit": None if limit is None else money_str(limit),
                    "leaves": h.id in deal.leaving,
                }
            )
    return {
        "found": deal.found,
        "extra_needed": None if deal.extra_needed is None else money_str(deal.extra_needed),
        "extra_exact": None if deal.extra_exact is None else number_str(deal.extra_exact),
        "consent_reachable": deal.consent_reachable,
        "amount_to_share": None if result is None else money_str(result.to_share),
        "households": households,
        "binding": list(deal.binding),
        "moves": [
            {
                "id": m.household,
                "floor": m.floor,
                "limit_to": None if m.limit_to is None else money_str(m.limit_to),
            }
            for m in deal.moves
        ],
        "leaving": list(deal.leaving),
        "min_slack": None if deal.min_slack is None else number_str(deal.min_slack),
        "sharing": {
            "scheme": "floor_coefficients",
            "coefficients": {str(f): number_str(c) for f, c in deal.coefficients.items()},
            "by_area": deal.by_area,
        },
        "words": {"zh": words.zh, "en": words.en},
    }


def deal_text(deal: Deal, lang: str = "zh") -> str:
    """The outcome in words and the shares (with the extra, when one is missing)."""
    lines = [deal_words(deal, named=True).text(lang)]
    result = deal.result
    if result is None:
        return "\n".join(lines) + "\n"
    if not deal.found:
        lines.append(t("deal.table.with_extra", lang, amount=money_str(deal.extra_needed)))
    if deal.leaving:
        lines.append(t("deal.table.leaving", lang, households=", ".join(deal.leaving)))
    lines.append("")
    headers = [t("label.room", lang), t("label.floor", lang), t("label.net", lang)]
    rows = []
    for h in result.households:
        share = money_str(h.share)
        if h.id in deal.leaving:
            share = f"{share} {t('label.opted_out', lang)}"
        rows.append([h.id, str(h.floor), share])
    total = sum((h.share for h in result.households), Fraction(0))
    rows.append([t("label.total", lang), "", money_str(total)])
    lines.append(text_table(headers, rows))
    coefficients = ", ".join(f"{f}: {number_str(c)}" for f, c in deal.coefficients.items())
    lines.append(f"{t('label.scheme', lang)}: floor_coefficients {{{coefficients}}}")
    return "\n".join(lines) + "\n"
