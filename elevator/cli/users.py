"""`elevator users …` (accounts and roles) and `elevator links …` (resident links).

The first administrator is made here: `elevator users add NAME --role admin` asks for the
password on the terminal (twice, not echoed) or, with --generate, makes one and shows it
once.  Every change is written to the audit log as `cli:<login name>`.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from elevator.cli.output import option_help, side_by_side
from elevator.core.errors import problem
from elevator.core.text import both

DEMO = "demo"  # the sample account `make run` makes: named so nobody mistakes it


def _scope_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--project", type=int, help=option_help("cli.users.project"))
    p.add_argument("--community", help=option_help("cli.users.community"))


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help=option_help("cli.app.db"))


def register(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help=both("cli.users.help"))
    verbs = users.add_subparsers(dest="verb", required=True, parser_class=type(users))
    add = verbs.add_parser("add", help=both("cli.users.add"))
    add.add_argument("name")
    add.add_argument("--role", default="reader", help=option_help("cli.users.role"))
    add.add_argument("--generate", action="store_true", help=option_help("cli.users.generate"))
    _scope_args(add)
    _db_arg(add)
    add.set_defaults(func=cmd_add)
    ls = verbs.add_parser("list", help=both("cli.users.list"))
    _db_arg(ls)
    ls.set_defaults(func=cmd_list)
    pw = verbs.add_parser("passwd", help=both("cli.users.passwd"))
    pw.add_argument("name")
    pw.add_argument("--generate", action="store_true", help=option_help("cli.users.generate"))
    _db_arg(pw)
    pw.set_defaults(func=cmd_passwd)
    for verb, func in (("grant", cmd_grant), ("revoke", cmd_revoke)):
        g = verbs.add_parser(verb, help=both(f"cli.users.{verb}"))
        g.add_argument("name")
        g.add_argument("role")
        _scope_args(g)
        _db_arg(g)
        g.set_defaults(func=func)
    un = verbs.add_parser("unlock", help=both("cli.users.unlock"))
    un.add_argument("name")
    _db_arg(un)
    un.set_defaults(func=cmd_unlock)

    links = sub.add_parser("links", help=both("cli.links.help"))
    lverbs = links.add_subparsers(dest="verb", required=True, parser_class=type(links))
    show = lverbs.add_parser("list", help=both("cli.links.list"))
    show.add_argument("project", type=int)
    show.add_argument("--base", default="", help=option_help("cli.links.base"))
    _db_arg(show)
    show.set_defaults(func=cmd_links)
    rot = lverbs.add_parser("rotate", help=both("cli.links.rotate"))
    rot.add_argument("project", type=int)
    rot.add_argument("household")
    rot.add_argument("--base", default="", help=option_help("cli.links.base"))
    _db_arg(rot)
    rot.set_defaults(func=cmd_rotate)


def _store(args: argparse.Namespace):
    from elevator.store.db import Store

    return Store(args.db) if args.db else Store()


def actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _scope(args: argparse.Namespace) -> str:
    from elevator.store.accounts import scope_of

    if args.project is not None and args.community:
        raise problem("scope", "cli.users.one_scope")
    return scope_of(args.project, args.community)


def read_password(generate: bool) -> tuple[str, bool]:
    """(password, generated): asked twice on the terminal, or generated."""
    from elevator.store.accounts import new_password

    if generate:
        return new_password(), True
    if not sys.stdin.isatty():
        raise problem("password", "cli.users.no_terminal")
    first = getpass.getpass(side_by_side("cli.users.password") + ": ")
    again = getpass.getpass(side_by_side("cli.users.password_again") + ": ")
    if first != again:
        raise problem("password", "cli.users.passwords_differ")
    return first, False


def _show_once(name: str, password: str) -> None:
    sys.stdout.write(both("cli.users.generated", name=name, password=password) + "\n")


def cmd_add(args: argparse.Namespace) -> int:
    from elevator.store.accounts import check_name, check_role

    name, scope = check_name(args.name), _scope(args)
    check_role(args.role, scope)  # before a password is asked for
    store = _store(args)
    if store.accounts.get(name) is not None:
        raise problem("name", "accounts.exists", name=name)
    password, generated = read_password(args.generate)
    store.accounts.add(name, password, args.role, scope, actor=actor())
    sys.stdout.write(both("cli.users.added", name=name, role=args.role, scope=scope) + "\n")
    if generated:
        _show_once(name, password)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    for a in _store(args).accounts.all():
        roles = ", ".join(f"{g.role}@{g.scope}" for g in a.grants) or "-"
        marks = (" [demo]" if a.demo else "") + (" [disabled]" if a.disabled else "")
        sys.stdout.write(f"{a.name}{marks}\t{roles}\n")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    store = _store(args)
    if store.accounts.get(args.name) is None:
        raise problem("name", "accounts.no_such", name=args.name)
    password, generated = read_password(args.generate)
    store.accounts.set_password(args.name, password, actor=actor())
    sys.stdout.write(both("cli.users.password_set", name=args.name) + "\n")
    if generated:
        _show_once(args.name, password)
    return 0


def cmd_grant(args: argparse.Namespace) -> int:
    scope = _scope(args)
    _store(args).accounts.grant(args.name, args.role, scope, actor=actor())
    sys.stdout.write(both("cli.users.granted", name=args.name, role=args.role, scope=scope) + "\n")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    scope = _scope(args)
    if not _store(args).accounts.revoke(args.name, args.role, scope, actor=actor()):
        raise problem("role", "cli.users.no_grant", name=args.name, role=args.role, scope=scope)
    sys.stdout.write(both("cli.users.revoked", name=args.name, role=args.role, scope=scope) + "\n")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    store = _store(args)
    if store.accounts.get(args.name) is None:
        raise problem("name", "accounts.no_such", name=args.name)
    store.accounts.unlock(args.name, actor=actor())
    sys.stdout.write(both("cli.users.unlocked", name=args.name) + "\n")
    return 0


def ensure_demo(store) -> str:
    """The demo account of the sample data: mediator on every project, flagged as a demo
    (the app says so on every page); a new password each time, returned to be printed."""
    from elevator.store.accounts import new_password

    password = new_password()
    if store.accounts.get(DEMO) is None:
        store.accounts.add(DEMO, password, "mediator", "*", demo=True, actor=actor())
    else:
        store.accounts.set_password(DEMO, password, actor=actor())
    store.accounts.grant(DEMO, "mediator", "*", actor=actor())
    return password


def _links(store, pid: int, households: list[str] | None = None) -> list[tuple[str, str]]:
    from elevator.store.access import resident_token

    record = store.get(pid)
    if record is None:
        raise problem("project", "cli.links.no_project", project=pid)
    ids = households or [h["id"] for h in record.data["building"]["households"]]
    secret, epochs = store.resident_secret(), store.link_epochs(pid)
    return [(h, f"/r/{pid}/{resident_token(secret, str(pid), h, epochs.get(h, 0))}") for h in ids]


def cmd_links(args: argparse.Namespace) -> int:
    for hid, path in _links(_store(args), args.project):
        sys.stdout.write(f"{hid}\t{args.base.rstrip('/')}{path}\n")
    return 0


def cmd_rotate(args: argparse.Namespace) -> int:
    store = _store(args)
    store.revoke_link(args.project, args.household, actor=actor())
    [(hid, path)] = _links(store, args.project, [args.household])
    sys.stdout.write(both("cli.links.rotated", household=hid) + "\n")
    sys.stdout.write(f"{hid}\t{args.base.rstrip('/')}{path}\n")
    return 0


def demo_banner(password: str) -> str:
    return both("cli.users.demo", name=DEMO, password=password) + os.linesep
