"""Labels in Chinese (first) and English (second) for tables, documents and the app."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "room": ("户号", "Room"),
    "floor": ("楼层", "Floor"),
    "area": ("面积(m²)", "Area (m²)"),
    "weight": ("权重", "Weight"),
    "exact_share": ("精确净额", "Exact net"),
    "gross_share": ("分摊额", "Share"),
    "compensation": ("补偿", "Compensation"),
    "net": ("应付净额", "Net to pay"),
    "aid": ("困难补助", "Hardship aid"),
    "total": ("合计", "Total"),
    "opted_out": ("（退出）", "(opted out)"),
    "exempt": ("（免付）", "(exempt)"),
    "item": ("项目", "Item"),
    "amount": ("金额(元)", "Amount (yuan)"),
    "basis": ("计算依据", "Basis"),
    "source": ("来源", "Source"),
    "construction_cost": ("工程造价", "Construction cost"),
    "subsidy": ("补贴", "Subsidy"),
    "contribution": ("出资", "Contribution"),
    "to_share": ("居民共同承担", "Residents' combined outlay"),
    "plus_compensation": (
        "＋ 低层补偿（居民之间转移）",
        "+ low-floor compensation (between residents)",
    ),
    "amount_shared": ("按方案分摊的金额", "Amount shared by the scheme"),
    "annual": ("每年(元)", "Per year (yuan)"),
    "years_total": ("{years} 年合计(元)", "{years}-year total (yuan)"),
    "running_costs": ("运行费用", "Running costs"),
    "scheme": ("分摊方案", "Scheme"),
    # printed documents (elevator.printing, elevator.workbook)
    "doc_cost_table": ("加装电梯费用分摊表", "Elevator retrofit: cost-sharing table"),
    "doc_signatures": ("加装电梯住户意见签字表", "Elevator retrofit: household signature sheet"),
    "doc_compare": ("加装电梯分摊方案对比", "Elevator retrofit: sharing schemes compared"),
    "doc_feasibility": ("加装电梯可行性评估报告", "Elevator retrofit: feasibility report"),
    "project": ("项目", "Project"),
    "community": ("小区", "Community"),
    "building": ("楼栋", "Building"),
    "date": ("日期", "Date"),
    "policy": ("适用政策", "Policy"),
    "formula": ("公式", "Formula"),
    "formula_words": ("计算方法", "How it is computed"),
    "funding_waterfall": ("资金来源与应分摊金额", "Funding and the amount to share"),
    "household_table": ("各户分摊", "Household shares"),
    "rounding": ("舍入说明", "Rounding"),
    "running_items": ("年度运行费用项目", "Annual running-cost items"),
    "payment_schedule": ("付款计划", "Payment schedule"),
    "share_chart": ("各楼层户均应付净额", "Net amount per household, by floor"),
    "agree": ("同意", "Agree"),
    "disagree": ("不同意", "Disagree"),
    "signature": ("签字", "Signature"),
    "sign_date": ("日期", "Date"),
    "sign_intro": (
        "本户已阅读《加装电梯费用分摊表》，对本户应付净额的意见如下（在 □ 内打 √）：",
        "We have read the cost-sharing table; our opinion on our net amount (tick one □):",
    ),
    "mediator": ("调解人 / 见证人签字：", "Mediator / witness signature:"),
    "page": ("第 {page} / {pages} 页", "Page {page} of {pages}"),
    "generated_by": ("由 elevator 生成（开源工具）", "made with elevator (open source)"),
    "not_computed": ("未计算", "not computed"),
    "per_household_note": (
        "户均：该层参与住户应付净额的平均数（退出的住户不计）",
        "per household: average net amount of the floor's participating "
        "households (opted-out ones not counted)",
    ),
}


def pick(pair: tuple[str, str], lang: str = "zh") -> str:
    """The Chinese or the English half of a (zh, en) pair."""
    return pair[0] if lang == "zh" else pair[1]


def t(key: str, lang: str = "zh") -> str:
    return pick(LABELS[key], lang)
