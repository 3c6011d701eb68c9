"""Building: the stairwell's facts — floors and households, costs, subsidies (prefilled
from a city policy with their confidence marks), contributions, compensation and
running costs.  Every change is validated at once; Save writes it in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from nicegui import ui

from elevator.core.errors import ProjectError
from elevator.core.types import CONFIDENCE_LABEL, confidence_mark
from elevator.policy.parameters import list_policies, load_policy
from elevator.sharing.schemes import SCHEMES
from ui.editing import EditorPanel, editor_page, version_label
from ui.theme import both, lang, tr
from ui.views import validate
from ui.widgets import get_in, set_in, text_field

SHAPES = {
    "per_elevator": ("每部定额（元）", "per elevator (yuan)"),
    "percent": ("造价百分比（%）", "percent of cost (%)"),
    "per_stop": ("每站（元）", "per stop (yuan)"),
    "per_household": ("困难补助每户（元）", "hardship aid per household (yuan)"),
}


def page(pid: int) -> None:
    editor_page(pid, "building", BuildingForm)


class BuildingForm(EditorPanel):
    def build(self) -> None:
        with ui.row().classes("w-full items-center gap-2"):
            version_label(self.editing)
            ui.button(tr("保存", "Save"), icon="save", on_click=self.save).props("no-caps").mark(
                "save"
            )
            self.status = ui.label("").classes("text-caption").mark("status")
        self.problems.place_summary()
        self.form = ui.column().classes("w-full gap-3")
        self.rebuild()

    def rebuild(self) -> None:
        self.problems.labels.clear()
        self.form.clear()
        with self.form:
            self.basics()
            self.households()
            self.costs()
            self.funding()
            self.compensation()
            self.running()
        self.check()

    # --- helpers ----------------------------------------------------------------

    def check(self) -> None:
        """Validate the working copy; show every problem beside its field."""
        _, problems = validate(self.data)
        self.problems.show(problems)
        self.status.text = (
            tr("有错误，未保存", "has errors, not saved")
            if problems
            else tr("有效（未保存的修改请点保存）", "valid (press Save to keep changes)")
        )

    def field(
        self, path: tuple, label: str, width: str = "w-32", numeric: bool = False, hint: str = ""
    ) -> ui.input:
        return text_field(
            lambda: self.data,
            path,
            label,
            self.problems,
            self.check,
            width=width,
            numeric=numeric,
            hint=hint,
        )

    def structural(self, change: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            change()
            self.rebuild()

        return run

    # --- sections -----------------------------------------------------------------

    def basics(self) -> None:
        with ui.card().classes("w-full"):
            ui.label(tr("基本信息", "Basics")).classes("text-subtitle1")
            with ui.row().classes("w-full gap-2"):
                self.field(("name",), tr("项目名称", "Project name"), "col-12 col-sm-6")
                self.field(("community",), tr("小区", "Community"), "col-12 col-sm-5")
            with ui.row().classes("w-full gap-2 items-start"):
                self.field(("building", "name"), tr("楼栋", "Building"), "w-28")
                self.field(("building", "floors"), tr("层数", "Floors"), "w-20", numeric=True)
                self.field(
                    ("building", "stops"),
                    tr("停靠站数", "Stops"),
                    "w-24",
                    numeric=True,
                    hint=tr("默认 = 层数", "default = floors"),
                )
                policies = {"": "—", **{p: p for p in list_policies()}}
                with ui.column().classes("gap-0 w-36"):
                    ui.select(
                        policies,
                        value=self.data.get("policy", ""),
                        label=tr("政策", "Policy"),
                        on_change=lambda e: self.set_and_check(("policy",), e.value),
                    ).classes("w-full").mark("policy")
                    self.problems.label_for("policy")
                self.field(("date",), tr("政策取值日期", "Policy date"), "w-36", hint="YYYY-MM-DD")

    def set_and_check(self, path: tuple, value: Any) -> None:
        set_in(self.data, path, value)
        self.check()

    def households(self) -> None:
        hs = self.data["building"]["households"]
        with ui.card().classes("w-full"):
            ui.label(tr(f"住户（{len(hs)} 户）", f"Households ({len(hs)})")).classes(
                "text-subtitle1"
            )
            self.problems.label_for("building.households")
            for i, h in enumerate(hs):
                base = ("building", "households", i)
                with ui.row().classes("w-full gap-2 items-start no-wrap-sm").mark(f"household-{i}"):
                    self.field(base + ("id",), tr("户号", "Room"), "w-20")
                    self.field(base + ("floor",), tr("楼层", "Floor"), "w-16", numeric=True)
                    self.field(base + ("area_m2",), tr("面积 m²", "Area m²"), "w-24", numeric=True)
                    ui.checkbox(
                        tr("参与", "In"),
                        value=h.get("participates", True),
                        on_change=lambda e, p=base + ("participates",): self.set_and_check(
                            p, bool(e.value)
                        ),
                    ).mark(f"participates-{i}")
                    self.field(base + ("owner",), tr("业主（可空）", "Owner (optional)"), "w-32")
                    ui.button(icon="delete", on_click=self.structural(lambda i=i: hs.pop(i))).props(
                        "flat dense round"
                    ).mark(f"remove-household-{i}")

            def add() -> None:
                last = hs[-1] if hs else {"floor": 1, "area_m2": "70"}
                floor = last.get("floor", 1)
                hs.append(
                    {
                        "id": f"{floor}{len([h for h in hs if h.get('floor') == floor]) + 1:02d}",
                        "floor": floor,
                        "area_m2": last.get("area_m2", "70"),
                    }
                )

            ui.button(
                tr("添加住户", "Add a household"), icon="add", on_click=self.structural(add)
            ).props("flat no-caps").mark("add-household")

    def costs(self) -> None:
        with ui.card().classes("w-full"):
            ui.label(tr("工程造价（元）", "Construction cost (yuan)")).classes("text-subtitle1")
            self.problems.label_for("costs")
            with ui.row().classes("w-full gap-2 items-start"):
                self.field(("costs", "total"), tr("总价", "Total"), "w-36", numeric=True)
                self.field(
                    ("costs", "fixed"), tr("固定部分 F", "Fixed part F"), "w-36", numeric=True
                )
                self.field(
                    ("costs", "per_floor"), tr("每层 v", "Per floor v"), "w-36", numeric=True
                )
            ui.label(
                tr(
                    "沙普利值与等额节约方案需要 F 与 v；给出总价时 F + v×(层数−1) 须等于总价。",
                    "Shapley and equal-savings need F and v; with a total, F + v×(floors−1) "
                    "must equal it.",
                )
            ).classes("text-caption")
            items = self.data.get("costs", {}).get("items") or []
            for i, item in enumerate(items):
                with ui.row().classes("gap-2 items-start"):
                    self.field(("costs", "items", i, "name"), tr("分项", "Item"), "w-40")
                    self.field(
                        ("costs", "items", i, "amount"), tr("金额", "Amount"), "w-32", numeric=True
                    )

    def funding(self) -> None:
        funding = self.data.setdefault("funding", {})
        subsidies = funding.get("subsidies")
        with ui.card().classes("w-full"):
            ui.label(tr("补贴", "Subsidies")).classes("text-subtitle1")
            self.problems.label_for("funding")
            self.problems.label_for("funding.subsidies")
            if subsidies is None:
                self.policy_subsidies()
            for i, s in enumerate(subsidies or []):
                self.subsidy_row(subsidies, i, s)
            with ui.row().classes("gap-2"):
                ui.button(
                    tr("按所选政策预填", "Prefill from the policy"),
                    icon="policy",
                    on_click=self.prefill,
                ).props("flat no-caps").mark("prefill")
                ui.button(
                    tr("添加补贴", "Add a subsidy"),
                    icon="add",
                    on_click=self.structural(
                        lambda: funding.setdefault("subsidies", []).append(
                            {"name": tr("补贴", "subsidy"), "per_elevator": "0"}
                        )
                    ),
                ).props("flat no-caps").mark("add-subsidy")
        contributions = funding.setdefault("contributions", [])
        with ui.card().classes("w-full"):
            ui.label(
                tr("其他出资（管线单位、公积金等）", "Other contributions (utilities, funds…)")
            ).classes("text-subtitle1")
            for i, c in enumerate(contributions):
                base = ("funding", "contributions", i)
                with ui.row().classes("gap-2 items-start"):
                    self.field(base + ("name",), tr("名称", "Name"), "w-48")
                    self.field(
                        base + ("amount",), tr("金额（元）", "Amount (yuan)"), "w-32", numeric=True
                    )
                    ui.button(
                        icon="delete", on_click=self.structural(lambda i=i: contributions.pop(i))
                    ).props("flat dense round")
            ui.button(
                tr("添加出资", "Add a contribution"),
                icon="add",
                on_click=self.structural(
                    lambda: contributions.append(
                        {"name": tr("出资", "contribution"), "amount": "0"}
                    )
                ),
            ).props("flat no-caps").mark("add-contribution")

    def policy_subsidies(self) -> None:
        policy = self.data.get("policy")
        if not policy:
            ui.label(tr("无补贴（未选政策）", "No subsidies (no policy chosen)")).classes(
                "text-caption"
            )
            return
        subs = self.subsidies_of(policy)
        if subs is None:
            return
        ui.label(
            tr(f"使用政策 {policy} 的补贴：", f"Using the subsidies of policy {policy}:")
        ).classes("text-body2")
        for s in subs:
            shape = next(k for k in SHAPES if getattr(s, k) is not None)
            ui.label(
                f"{confidence_mark(s.confidence)} {s.name}：{tr(*SHAPES[shape])} "
                f"{getattr(s, shape)}"
                + (f" ≤ {s.cap}" if s.cap is not None else "")
                + f" — {_conf_text(s.confidence)}"
            ).classes("text-caption")

    def subsidies_of(self, policy: str) -> list | None:
        """The policy's subsidies at the project's date, or None with the problems shown."""
        try:
            return load_policy(policy).subsidies_at(_date(self.data))
        except ProjectError as e:
            self.problems.show(e.problems)
            return None

    def subsidy_row(self, subsidies: list, i: int, s: dict) -> None:
        base = ("funding", "subsidies", i)
        shape = next((k for k in SHAPES if k in s), "per_elevator")
        with ui.column().classes("w-full gap-0"):
            with ui.row().classes("w-full gap-2 items-start"):
                self.field(base + ("name",), tr("名称", "Name"), "w-48")
                ui.select(
                    {k: tr(*v) for k, v in SHAPES.items()},
                    value=shape,
                    on_change=lambda e, s=s: self.reshape(s, e.value),
                ).classes("w-40").props("dense")
                self.field(base + (shape,), tr("数值", "Value"), "w-28", numeric=True)
                if shape == "percent":
                    self.field(
                        base + ("cap",), tr("封顶（元）", "Cap (yuan)"), "w-28", numeric=True
                    )
                ui.button(
                    icon="delete", on_click=self.structural(lambda i=i: subsidies.pop(i))
                ).props("flat dense round").mark(f"remove-subsidy-{i}")
            ref = s.get("reference")
            title = ref.get("title") if isinstance(ref, dict) else ref
            note = " ".join(
                x
                for x in (
                    confidence_mark(s.get("confidence")),
                    _conf_text(s.get("confidence")) if s.get("confidence") else "",
                    title or tr("（无出处）", "(no source)"),
                )
                if x
            )
            ui.label(note).classes("text-caption text-grey-8").mark(f"subsidy-source-{i}")

    def reshape(self, s: dict, shape: str) -> None:
        value = next((s.pop(k) for k in list(SHAPES) if k in s), "0")
        if shape != "percent":
            s.pop("cap", None)
        s[shape] = value
        self.rebuild()

    def prefill(self) -> None:
        policy = self.data.get("policy")
        if not policy:
            ui.notify(both("请先选择政策", "choose a policy first"), type="warning")
            return
        subs = self.subsidies_of(policy)
        if subs is None:
            return
        self.data.setdefault("funding", {})["subsidies"] = [
            s.model_dump(mode="json", exclude_none=True) for s in subs
        ]
        self.rebuild()
        ui.notify(
            both(
                f"已按政策 {policy} 预填 {len(subs)} 项补贴",
                f"prefilled {len(subs)} subsidies from policy {policy}",
            ),
            type="info",
        )

    def compensation(self) -> None:
        comps = self.data.setdefault("compensation", [])
        with ui.card().classes("w-full"):
            ui.label(tr("低层补偿（居民之间）", "Compensation (between residents)")).classes(
                "text-subtitle1"
            )
            for i, c in enumerate(comps):
                base = ("compensation", i)
                target = "floor" if "floor" in c else "household"
                with ui.row().classes("gap-2 items-start"):
                    ui.select(
                        {"floor": tr("按楼层", "a floor"), "household": tr("按户", "a household")},
                        value=target,
                        on_change=lambda e, c=c: self.retarget(c, e.value),
                    ).classes("w-28").props("dense")
                    self.field(base + (target,), tr("楼层/户号", "Floor/room"), "w-24")
                    self.field(
                        base + ("per_household",),
                        tr("每户（元）", "Per household (yuan)"),
                        "w-32",
                        numeric=True,
                    )
                    self.field(base + ("reason",), tr("原因", "Reason"), "w-48")
                    ui.button(
                        icon="delete", on_click=self.structural(lambda i=i: comps.pop(i))
                    ).props("flat dense round")
            ui.button(
                tr("添加补偿", "Add compensation"),
                icon="add",
                on_click=self.structural(lambda: comps.append({"floor": 1, "per_household": "0"})),
            ).props("flat no-caps").mark("add-compensation")

    def retarget(self, c: dict, target: str) -> None:
        value = c.pop("floor", None) or c.pop("household", None) or ""
        c[target] = value
        self.rebuild()

    def running(self) -> None:
        rc = self.data.get("running_costs")
        with ui.card().classes("w-full"):
            ui.label(tr("运行费用（每年）", "Running costs (per year)")).classes("text-subtitle1")
            if rc is None:
                ui.button(
                    tr("添加运行费用", "Add running costs"),
                    icon="add",
                    on_click=self.structural(
                        lambda: self.data.__setitem__(
                            "running_costs",
                            {
                                "annual": [{"name": tr("维保", "maintenance"), "amount": "0"}],
                                "scheme": "same",
                                "years": 15,
                            },
                        )
                    ),
                ).props("flat no-caps").mark("add-running")
                return
            for i, item in enumerate(rc["annual"]):
                base = ("running_costs", "annual", i)
                with ui.row().classes("gap-2 items-start"):
                    self.field(base + ("name",), tr("项目", "Item"), "w-40")
                    self.field(
                        base + ("amount",),
                        tr("每年（元）", "Per year (yuan)"),
                        "w-32",
                        numeric=True,
                    )
                    ui.button(
                        icon="delete", on_click=self.structural(lambda i=i: rc["annual"].pop(i))
                    ).props("flat dense round")
            with ui.row().classes("gap-2 items-start"):
                ui.select(
                    {
                        "same": tr("同建设费用方案", "same as construction"),
                        **{k: (v.zh if lang() == "zh" else v.en) for k, v in SCHEMES.items()},
                    },
                    value=rc.get("scheme", "same"),
                    label=tr("分摊方案", "Scheme"),
                    on_change=lambda e: self.set_and_check(("running_costs", "scheme"), e.value),
                ).classes("w-48")
                self.field(("running_costs", "years"), tr("年数", "Years"), "w-20", numeric=True)
                ui.button(
                    tr("添加一项", "Add an item"),
                    icon="add",
                    on_click=self.structural(
                        lambda: rc["annual"].append({"name": "", "amount": "0"})
                    ),
                ).props("flat no-caps")
                ui.button(
                    tr("删除运行费用", "Remove running costs"),
                    icon="delete",
                    on_click=self.structural(lambda: self.data.pop("running_costs", None)),
                ).props("flat no-caps")

    def save(self) -> None:
        self.editing.save(self.problems, self.rebuild)
        self.check()


def _date(data: dict) -> dt.date:
    try:
        return dt.date.fromisoformat(str(get_in(data, ("date",)) or ""))
    except ValueError:
        return dt.date.today()


def _conf_text(confidence: str | None) -> str:
    zh, en = CONFIDENCE_LABEL.get(confidence or "", ("", ""))
    return tr(zh, en)
