"""`elevator users …` and `elevator links …`: the first administrator from the command line
(password typed twice, or generated and shown once), roles, password reset, unlock, the
demo account of `make run`, and resident link rotation; bad input exits 2."""

from __future__ import annotations

import getpass

import pytest

from elevator.cli import main
from elevator.store.access import household_for_token
from elevator.store.db import Store


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "cli.sqlite3")


def typed(monkeypatch, *answers: str) -> None:
    """The terminal: getpass answers these in turn."""
    queue = list(answers)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": queue.pop(0))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)


def test_first_admin_with_a_typed_password(db, monkeypatch, capsys) -> None:
    typed(monkeypatch, "first-admin-pass", "first-admin-pass")
    assert main(["users", "add", "boss", "--role", "admin", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "boss" in out and "first-admin-pass" not in out  # a typed password is not echoed
    store = Store(db)
    assert store.accounts.get("boss").admin
    assert store.accounts.login("boss", "first-admin-pass", "cli").account is not None
    assert store.accounts.audit_rows()[-1].action == "user.add"
    assert store.accounts.audit_rows()[-1].actor.startswith("cli")


def test_typed_passwords_must_match_and_be_long_enough(db, monkeypatch, capsys) -> None:
    typed(monkeypatch, "first-admin-pass", "first-admin-typo")
    assert main(["users", "add", "boss", "--role", "admin", "--db", db]) == 2
    typed(monkeypatch, "short", "short")
    assert main(["users", "add", "boss", "--role", "admin", "--db", db]) == 2
    assert "至少 10" in capsys.readouterr().err
    assert Store(db).accounts.count() == 0


def test_generated_password_shown_once_and_roles(db, capsys) -> None:
    assert (
        main(
            [
                "users",
                "add",
                "wang",
                "--role",
                "mediator",
                "--project",
                "1",
                "--generate",
                "--db",
                db,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    password = out.strip().splitlines()[-1].rsplit(": ", 1)[1]
    store = Store(db)
    assert store.accounts.login("wang", password, "cli").account is not None
    assert main(["users", "grant", "wang", "reader", "--community", "兴发小区", "--db", db]) == 0
    assert main(["users", "list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert "mediator@project:1" in listed and "reader@community:兴发小区" in listed
    assert main(["users", "revoke", "wang", "reader", "--community", "兴发小区", "--db", db]) == 0
    assert main(["users", "revoke", "wang", "reader", "--community", "兴发小区", "--db", db]) == 2
    assert main(["users", "passwd", "wang", "--generate", "--db", db]) == 0
    new = capsys.readouterr().out.strip().splitlines()[-1].rsplit(": ", 1)[1]
    assert store.accounts.login("wang", password, "cli").refusal == "wrong"
    assert main(["users", "unlock", "wang", "--db", db]) == 0
    assert store.accounts.login("wang", new, "cli").account is not None


@pytest.mark.parametrize(
    "argv",
    [
        ["users", "add", "x", "--role", "owner", "--generate"],
        ["users", "add", "x", "--role", "admin", "--project", "1", "--generate"],
        ["users", "add", "x", "--project", "1", "--community", "c", "--generate"],
        ["users", "add", "a:b", "--generate"],
        ["users", "passwd", "nobody", "--generate"],
        ["users", "grant", "nobody", "reader"],
        ["links", "rotate", "1", "9999"],
        ["links", "list", "999999"],
    ],
)
def test_bad_input_exits_2_and_changes_nothing(db, argv, capsys) -> None:
    assert main([*argv, "--db", db]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert Store(db).accounts.count() == 0


def test_no_terminal_without_generate_is_refused(db, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["users", "add", "boss", "--role", "admin", "--db", db]) == 2
    assert "--generate" in capsys.readouterr().err


def test_demo_account_for_make_run(db, capsys) -> None:
    from elevator.cli.users import DEMO, ensure_demo

    store = Store(db)
    first = ensure_demo(store)
    second = ensure_demo(store)  # `make run` again: a new password, the old one ends
    demo = store.accounts.get(DEMO)
    assert demo.demo and demo.can("consent", 1, None) and not demo.admin
    assert store.accounts.login(DEMO, first, "cli").refusal == "wrong"
    assert store.accounts.login(DEMO, second, "cli").account is not None


def test_links_list_and_rotate(db, capsys) -> None:
    store = Store(db)
    rec = store.list_projects()[0]
    ids = [h["id"] for h in rec.data["building"]["households"]]
    assert main(["links", "list", str(rec.id), "--base", "https://x.org/", "--db", db]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    links = dict(line.split("\t") for line in lines)
    assert list(links) == ids and links[ids[0]].startswith(f"https://x.org/r/{rec.id}/")
    old = links[ids[0]].rsplit("/", 1)[1]
    assert main(["links", "rotate", str(rec.id), ids[0], "--db", db]) == 0
    new = capsys.readouterr().out.strip().splitlines()[-1].split("\t")[1].rsplit("/", 1)[1]
    secret, epochs = store.resident_secret(), store.link_epochs(rec.id)
    assert household_for_token(secret, str(rec.id), old, ids, epochs) is None
    assert household_for_token(secret, str(rec.id), new, ids, epochs) == ids[0]
    assert store.accounts.audit_rows(rec.id)[0].action == "link.rotate"
