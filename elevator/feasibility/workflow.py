"""The evaluator's workflow: each Shanghai-style stage with its items and sign-offs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from elevator.feasibility.checklist import Assessment
from elevator.model.io import parse_project, project_to_data
from elevator.model.site import STAGES, stage_checklists


def workflow_status(project, assessment: Assessment | None = None) -> list[dict[str, Any]]:
    """Each stage with its items, their latest sign-off, and (at the first stage) the
    checklist result of the item, for the app, the report and the JSON output."""
    ev = project.evaluation
    reached = STAGES.index(ev.stage) if ev else 0
    latest = ev.latest() if ev else {}
    results = {f.rule: f.result for f in assessment.findings} if assessment else {}
    out = []
    for i, stage in enumerate(STAGES):
        spec = stage_checklists()[stage]
        items = []
        for item_id, item in spec["items"].items():
            s = latest.get((stage, item_id))
            items.append(
                {
                    "id": item_id,
                    "zh": item["zh"],
                    "en": item["en"],
                    "confidence": item.get("confidence"),
                    "checklist": results.get(item_id),
                    "signoff": None
                    if s is None
                    else {
                        "name": s.name,
                        "date": s.date.isoformat(),
                        "result": s.result,
                        "note": s.note,
                    },
                }
            )
        out.append(
            {
                "stage": stage,
                "zh": spec["name"]["zh"],
                "en": spec["name"]["en"],
                "reached": i <= reached,
                "current": i == reached,
                "signed": sum(1 for it in items if it["signoff"]),
                "items": items,
            }
        )
    return out


def sign_off(
    project,
    stage: str,
    item: str,
    name: str,
    date: dt.date,
    result: str,
    note: str | None = None,
    advance: bool = False,
):
    """A copy of the project with one more sign-off (validated); `advance` moves the
    project's stage forward to `stage` when it is later than the stage reached."""
    data = project_to_data(project)
    ev = data.setdefault("evaluation", {})
    if advance:
        current = ev.get("stage", "feasibility_assessment")
        if stage in STAGES and STAGES.index(stage) > STAGES.index(current):
            ev["stage"] = stage
    ev.setdefault("signoffs", []).append(
        {
            "stage": stage,
            "item": item,
            "name": name,
            "date": date.isoformat(),
            "result": result,
            **({"note": note} if note else {}),
        }
    )
    return parse_project(data)
