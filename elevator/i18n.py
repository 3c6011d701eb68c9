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
    "plus_compensation": ("＋ 低层补偿（居民之间转移）", "+ low-floor compensation (between residents)"),
    "amount_shared": ("按方案分摊的金额", "Amount shared by the scheme"),
    "annual": ("每年(元)", "Per year (yuan)"),
    "years_total": ("{years} 年合计(元)", "{years}-year total (yuan)"),
    "running_costs": ("运行费用", "Running costs"),
    "scheme": ("分摊方案", "Scheme"),
}


def t(key: str, lang: str = "zh") -> str:
    zh, en = LABELS[key]
    return zh if lang == "zh" else en
