"""`elevator district PORTFOLIO`: a district's stairwells under several policies and
schemes at once (pandas; imported only when this command runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from elevator.cli.output import option_help, write
from elevator.core.text import both


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("district", help=both("cli.district.help"))
    p.add_argument("portfolio", nargs="?", help=option_help("cli.district.portfolio"))
    p.add_argument("--sample", type=int, metavar="N", help=option_help("cli.district.sample"))
    p.add_argument("--sample-out", metavar="FILE", help=option_help("cli.district.sample_out"))
    p.add_argument("--policy", action="append", help=option_help("cli.district.policy"))
    p.add_argument("--scheme", action="append", help=option_help("cli.district.scheme"))
    p.add_argument("--limit", metavar="YUAN", help=option_help("cli.district.limit"))
    p.add_argument(
        "--floor-limits", metavar="F:YUAN,…", help=option_help("cli.district.floor_limits")
    )
    p.add_argument("--engine", choices=["vector", "scalar"], default="vector")
    p.add_argument(
        "--per-household", metavar="FILE", help=option_help("cli.district.per_household")
    )
    p.add_argument("--charts", metavar="DIR", help=option_help("cli.district.charts"))
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("-o", "--output", help=option_help("cli.district.output"))
    p.set_defaults(func=cmd_district)


def parse_limit(limit: str | None, floor_limits: str | None):
    """--limit YUAN and/or --floor-limits "6:50000,7:60000" → fen (int, or floor → fen)."""
    from elevator.core.errors import problem
    from elevator.core.money import to_fraction

    def fen(text: str, where: str) -> int:
        try:
            value = to_fraction(text) * 100
        except (TypeError, ValueError, ArithmeticError):
            raise problem(where, "district.error.not_number", value=text) from None
        if value < 0 or value.denominator != 1:
            raise problem(where, "district.error.money", column=where)
        return int(value)

    if not floor_limits:
        return None if limit is None else fen(limit, "--limit")
    table: dict[int, int] = {}
    for part in floor_limits.split(","):
        floor, _, amount = part.partition(":")
        if not floor.strip().isdigit() or not amount.strip():
            raise problem("--floor-limits", "district.error.floor_limits", value=part)
        table[int(floor)] = fen(amount.strip(), "--floor-limits")
    if limit is not None:  # the flat limit covers the floors the table leaves out
        flat = fen(limit, "--limit")
        table = {f: table.get(f, flat) for f in range(1, 41)}
    return table


def _progress(done: int, total: int) -> None:
    if total >= 50 and (done == total or done % max(1, total // 20) == 0):
        bar = "#" * (20 * done // total)
        sys.stderr.write(f"\r[{bar:<20}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")


def cmd_district(args: argparse.Namespace) -> int:
    from elevator.core.errors import problem
    from elevator.district.portfolio import read_portfolio, validate
    from elevator.district.sample import sample_portfolio
    from elevator.district.simulate import compare, runs
    from elevator.documents.district import district_text

    limit = parse_limit(args.limit, args.floor_limits)
    if args.sample is not None:
        if args.sample < 1:
            raise problem(
                "--sample", "district.error.integer_range", value=args.sample, low=1, high="∞"
            )
        raw = sample_portfolio(args.sample)
        out = Path(args.sample_out or "district-sample.csv")
        _write_frame(raw, out)
        sys.stderr.write(both("cli.district.sample_written", path=str(out), rows=len(raw)) + "\n")
        portfolio = validate(raw, source=out.name)
    elif args.portfolio:
        portfolio = read_portfolio(args.portfolio)
    else:
        raise problem("portfolio", "cli.district.no_input")
    all_runs = runs(portfolio, args.policy, args.scheme, args.engine, _progress)
    table = compare(all_runs, limit)
    text = district_text(portfolio, all_runs, table, args.lang, limit)
    if args.output and args.output.lower().endswith(".xlsx"):
        from elevator.documents.district_workbook import district_workbook

        district_workbook(portfolio, all_runs, table, args.lang, limit).save(args.output)
        write(text, None)
    else:
        write(text, args.output)
    if args.per_household:
        _per_household(all_runs, Path(args.per_household))
    if args.charts:
        from elevator.documents.district_charts import write_charts

        for path in write_charts(all_runs, table, Path(args.charts), args.lang):
            sys.stderr.write(f"{path}\n")
    return 0


def _write_frame(frame, path: Path) -> None:
    if path.suffix.lower() == ".parquet":
        frame.to_parquet(path, index=False)
    elif path.suffix.lower() == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_csv(path, index=False, encoding="utf-8")


def _per_household(all_runs, path: Path) -> None:
    """Household rows of every run, CSV or Parquet by suffix, written run by run."""
    from elevator.district.simulate import households

    if path.suffix.lower() == ".parquet":
        import pandas as pd

        frame = pd.concat([households(r) for r in all_runs], ignore_index=True)
        frame.to_parquet(path, index=False)
        return
    with path.open("w", encoding="utf-8", newline="") as fh:
        for i, r in enumerate(all_runs):
            households(r).to_csv(fh, index=False, header=i == 0)
