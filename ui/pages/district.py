"""District: an evaluator uploads a portfolio (or takes the synthetic sample), chooses
policies and schemes, and sees the totals, the charts and the worst-off stairwells, and
downloads the workbook.  `district_view` does the work without NiceGUI (tested alone)."""

from __future__ import annotations

import base64
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nicegui import events, ui

from elevator.core.errors import Problem, ProjectError
from elevator.sharing.schemes import SCHEMES
from ui.theme import both_of, frame, lang, tr
from ui.views import table
from ui.widgets import data_table

SUFFIXES = (".csv", ".xlsx", ".parquet")
MAX_BYTES = 50_000_000  # an upload of about 500,000 rows
SAMPLE_ROWS = 2000
DEFAULT_SCHEMES = ["area", "floors_travelled"]


@dataclass(kw_only=True)
class DistrictView:
    problems: list[Problem] = field(default_factory=list)
    text_lines: list[str] = field(default_factory=list)
    summary: tuple[list[dict], list[dict]] = ([], [])
    worst: list[tuple[str, tuple[list[dict], list[dict]]]] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # data URLs
    workbook: bytes = b""


def read_upload(name: str, content: bytes):
    """A portfolio from uploaded bytes (read through a temporary file of the same suffix)."""
    from elevator.district.portfolio import read_portfolio  # noqa: PLC0415

    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        from elevator.core.errors import problem  # noqa: PLC0415

        raise problem("file", "ui.district.suffix", suffixes=", ".join(SUFFIXES))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"portfolio{suffix}"
        path.write_bytes(content)
        return read_portfolio(path)


def sample(n: int = SAMPLE_ROWS):
    from elevator.district.portfolio import validate  # noqa: PLC0415
    from elevator.district.sample import sample_portfolio  # noqa: PLC0415

    return validate(sample_portfolio(n), source="sample")


def district_view(portfolio, policies: list[str], schemes: list[str], limit: str, lg: str):
    from elevator.district.simulate import compare, runs  # noqa: PLC0415
    from elevator.documents.district import (  # noqa: PLC0415
        STAIRWELL_KEYS,
        refusal_lines,
        run_label,
        stairwell_rows,
        summary_rows,
        worst_off,
    )
    from elevator.documents.district_charts import budget_png, floors_png  # noqa: PLC0415
    from elevator.documents.district_workbook import district_workbook  # noqa: PLC0415

    view = DistrictView()
    try:
        cap = _limit(limit)
        all_runs = runs(portfolio, policies or None, schemes or None)
    except ProjectError as e:
        view.problems = list(e.problems)
        return view
    summary = compare(all_runs, cap)
    view.text_lines = refusal_lines(portfolio, lg)
    view.summary = table(*summary_rows(summary, lg))
    headers = [tr_key(k, lg) for k in STAIRWELL_KEYS]
    for r in all_runs:
        rows = [[str(c) for c in row] for row in stairwell_rows(worst_off(r), lg)]
        view.worst.append((run_label(r.policy, r.scheme, lg), table(headers, rows)))
    for png in (budget_png(summary, lg), floors_png(summary, lg)):
        view.charts.append("data:image/png;base64," + base64.b64encode(png).decode())
    buf = io.BytesIO()
    district_workbook(portfolio, all_runs, summary, lg, cap).save(buf)
    view.workbook = buf.getvalue()
    return view


def tr_key(key: str, lg: str) -> str:
    from elevator.core.text import t  # noqa: PLC0415

    return t(key, lg)


def _limit(text: str):
    if not (text or "").strip():
        return None
    from elevator.cli.district import parse_limit  # noqa: PLC0415 (the CLI's own reading)

    return parse_limit(text.strip(), None)


def page() -> None:
    from elevator.documents.words import policy_choices  # noqa: PLC0415

    state: dict = {"portfolio": None}
    with frame(tr("ui.district.title")):
        ui.label(tr("ui.district.note")).classes("text-caption")
        status = ui.label("").classes("text-body2").mark("district-status")
        errors = ui.column().classes("w-full")

        def loaded(portfolio, name: str) -> None:
            state["portfolio"] = portfolio
            errors.clear()
            status.text = tr("ui.district.loaded", name=name, rows=len(portfolio.frame))

        def show_problems(problems) -> None:
            errors.clear()
            with errors:
                for p in problems[:20]:
                    ui.label(f"⚠ {p.field}: {both_of(p)}").classes("text-negative")

        async def on_upload(e: events.UploadEventArguments) -> None:
            try:
                loaded(read_upload(e.file.name, await e.file.read()), e.file.name)
            except ProjectError as err:
                show_problems(err.problems)

        with ui.row().classes("w-full items-center gap-2"):
            ui.upload(on_upload=on_upload, auto_upload=True, max_file_size=MAX_BYTES).props(
                f"accept={','.join(SUFFIXES)} flat bordered"
            ).mark("district-upload")
            ui.button(
                tr("ui.district.sample", rows=SAMPLE_ROWS),
                on_click=lambda: loaded(sample(), "sample"),
            ).props("outline no-caps").mark("district-sample")
        policies = (
            ui.select(policy_choices(lang()), multiple=True, value=["xingshan", "shanghai"])
            .props("use-chips")
            .classes("w-full")
            .mark("district-policies")
        )
        policies.props(f'label="{tr("ui.district.policies")}"')
        schemes = (
            ui.select({s: tr(f"scheme.{s}") for s in SCHEMES}, multiple=True, value=DEFAULT_SCHEMES)
            .props("use-chips")
            .classes("w-full")
            .mark("district-schemes")
        )
        schemes.props(f'label="{tr("ui.district.schemes")}"')
        limit = ui.input(tr("ui.district.limit"), value="60000").mark("district-limit")
        results = ui.column().classes("w-full gap-2")

        def go() -> None:
            if state["portfolio"] is None:
                show_problems([Problem("file", _msg("ui.district.no_portfolio"))])
                return
            view = district_view(
                state["portfolio"], list(policies.value or []), list(schemes.value or []),
                limit.value or "", lang(),
            )  # fmt: skip
            results.clear()
            if view.problems:
                show_problems(view.problems)
                return
            with results:
                render(view)

        ui.button(tr("ui.district.run"), on_click=go).mark("district-run")


def _msg(key: str):
    from elevator.core.text import Msg  # noqa: PLC0415

    return Msg(key)


def render(view: DistrictView) -> None:
    for line in view.text_lines:
        ui.label(line).classes("text-caption text-warning")
    cols, rows = view.summary
    data_table(cols, rows, "district-summary")
    for url in view.charts:
        ui.image(url).classes("w-full max-w-3xl")
    ui.label(tr("ui.district.worst")).classes("text-subtitle1")
    for label, (cols, rows) in view.worst:
        ui.label(label).classes("text-body2")
        data_table(cols, rows, "district-worst", wrap=False)
    data = view.workbook
    ui.button(
        tr("ui.district.download"),
        on_click=lambda: ui.download.content(data, "district.xlsx"),
    ).mark("district-download")
