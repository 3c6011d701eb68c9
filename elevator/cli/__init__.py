"""`elevator` command line: one sub-command module per feature.

Each module in COMMANDS has `register(subparsers)`; modules stay light at import
time (heavy libraries are imported inside the handlers) so `elevator share`
starts fast.  Bad input exits with status 2 and bilingual messages, no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from elevator.cli.output import refuse_output_onto_input, side_by_side
from elevator.core.errors import ProjectError
from elevator.core.text import both

COMMANDS = [
    "elevator.cli.share",  # share, compare, schemes, schema, validate
    "elevator.cli.bench",  # bench
    "elevator.cli.app",  # app (the NiceGUI web app, started as `python -m ui`)
    "elevator.cli.print",  # print (PDF cost table, signature sheet)
    "elevator.cli.consult",  # consent, negotiate, join, leave
    "elevator.cli.check",  # check, check-template (feasibility)
    "elevator.cli.cases",  # cases (list, --check)
    "elevator.cli.users",  # users (accounts and roles), links (resident links)
    "elevator.cli.district",  # district (portfolio simulator, pandas)
    "elevator.cli.deal",  # deal (private limits, the fairest split, the extra needed)
    "elevator.cli.options",  # caps, benefit, financing (other ways to share and to pay)
]


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors, in both languages
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{both('cli.usage_error')}: {message}\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="elevator",
        description=both("cli.description"),
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        refuse_output_onto_input(
            getattr(args, "output", None),
            [getattr(args, name, None) for name in ("project", "constraints")],
        )
        return int(args.func(args) or 0)
    except ProjectError as e:
        for p in e.problems:
            sys.stderr.write(f"{side_by_side('cli.error')}: {p}\n")
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
