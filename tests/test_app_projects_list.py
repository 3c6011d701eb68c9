"""The project list: archive hides and restores, delete asks (naming the project) and needs
the edit right, the blank form states the exempt floors, no policy keys in the lists."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from nicegui.testing import User

from elevator.core.text import t
from elevator.documents.words import policy_name
from elevator.store.db import Store
from tests.conftest import SAMPLE, login

pytestmark = pytest.mark.usefixtures("app_db")


def sample(db):
    return next(r for r in Store(db).list_projects() if r.name == SAMPLE)


def listed(user: User, where: str, pid: int) -> bool:
    """Whether the row of project `pid` is inside the element marked `where` (now)."""
    found = user.find(marker=where).elements
    return any(f"project-{pid}" in e._markers for box in found for e in box.descendants())


async def test_archive_hides_and_restore_brings_back(user: User, app_db, accounts) -> None:
    await login(user, accounts("mediator"))
    rec = sample(app_db)
    await user.open("/")
    assert listed(user, "project-list", rec.id)
    user.find(marker=f"archive-{rec.id}").click()
    await user.should_see(marker="archived")
    assert not listed(user, "project-list", rec.id)
    assert listed(user, "archived", rec.id)
    assert sample(app_db).archived
    assert rec.id not in [r.id for r in Store(app_db).list_projects(archived=False)]
    user.find(marker=f"restore-{rec.id}").click()
    await user.should_not_see(marker="archived")
    assert listed(user, "project-list", rec.id)
    back = sample(app_db)
    assert not back.archived and back.version == rec.version and back.data == rec.data


async def test_delete_asks_naming_the_project_and_keeps_history(
    user: User, app_db, accounts
) -> None:
    await login(user, accounts("mediator"))
    rec = sample(app_db)
    await user.open("/")
    user.find(marker=f"delete-{rec.id}").click()
    await user.should_see(t("ui.projects.delete_question", "zh", name=SAMPLE))
    user.find(marker="delete-cancel").click()
    assert Store(app_db).get(rec.id) is not None  # cancelled: nothing happened
    user.find(marker=f"delete-{rec.id}").click()
    user.find(marker="delete-confirm").click()
    await user.should_see(t("ui.projects.deleted", "zh", name=SAMPLE))
    s = Store(app_db)
    assert s.get(rec.id) is None
    assert s.version_data(rec.id, rec.version) == rec.data  # the history keeps it
    with sqlite3.connect(app_db) as db:
        rows = db.execute(
            "SELECT actor FROM audit_log WHERE project_id = ? AND action = 'project.delete'",
            (rec.id,),
        ).fetchall()
    assert rows == [("mediator",)]


async def test_reader_cannot_archive_or_delete(user: User, app_db, accounts) -> None:
    rec = sample(app_db)
    await login(user, accounts("reader", "reader", f"project:{rec.id}"))
    await user.open("/")
    await user.should_see(marker=f"project-{rec.id}")
    await user.should_not_see(marker=f"delete-{rec.id}")
    await user.should_not_see(marker=f"archive-{rec.id}")
    await user.should_not_see(marker="district-link")
    # even called directly (a stale page), the handler checks the right at the click
    from ui.pages import projects

    with user.client:
        assert projects.delete_project(rec.id, rec.version, lambda: None) is False
        projects.set_archived(rec.id, True, lambda: None)
    s = Store(app_db)
    assert s.get(rec.id) is not None and not s.get(rec.id).archived


async def test_lists_show_policy_names_not_keys(user: User, app_db, accounts) -> None:
    await login(user, accounts("mediator"))
    rec = sample(app_db)
    await user.open("/")
    policy = rec.data["policy"]
    await user.should_see(policy_name(policy, "zh"))
    select = user.find(marker="sample").elements.pop()
    from elevator.model.io import read_data
    from elevator.store.db import samples_dir

    for file, label in select.options.items():
        data = read_data(samples_dir() / file)
        assert label.startswith(data["name"]) and Path(file).stem not in label, label
        if data.get("policy"):  # the policy in words, never its file key
            assert policy_name(data["policy"], "zh") in label
    await user.should_see(marker="district-link")


async def test_blank_form_states_exempt_floors_and_the_project_has_them(
    user: User, app_db, accounts
) -> None:
    await login(user, accounts("mediator"))
    await user.open("/")
    words = user.find(marker="blank-exempt-words").elements.pop()
    assert words.text == t("ui.projects.exempt_words", "zh", floors="1")
    user.find(marker="blank-name").type("新楼 1单元")
    user.find(marker="blank-floors").clear().type("5")
    user.find(marker="blank-total").type("400000")
    exempt = user.find(marker="blank-exempt").elements.pop()
    exempt.value = [1, 2]
    assert words.text == t("ui.projects.exempt_words", "zh", floors="1、2")
    user.find(marker="create-blank").click()
    await user.should_see("已创建：新楼 1单元")
    rec = next(r for r in Store(app_db).list_projects() if r.name == "新楼 1单元")
    assert rec.data["sharing"]["exempt_floors"] == [1, 2]
    assert rec.data["building"]["floors"] == 5


async def test_blank_form_with_no_exempt_floor(user: User, app_db, accounts) -> None:
    await login(user, accounts("mediator"))
    await user.open("/")
    user.find(marker="blank-name").type("无免付楼")
    user.find(marker="blank-total").type("300000")
    user.find(marker="blank-exempt").elements.pop().value = []
    await user.should_see(t("ui.projects.exempt_none", "zh"))
    user.find(marker="create-blank").click()
    await user.should_see("已创建：无免付楼")
    rec = next(r for r in Store(app_db).list_projects() if r.name == "无免付楼")
    assert rec.data["sharing"]["exempt_floors"] == []


def test_an_older_database_opens_and_gains_the_archive_flag(tmp_path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # the projects table as it was before the flag
        db.execute(
            "CREATE TABLE projects (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
            "community TEXT, data TEXT NOT NULL, version INTEGER NOT NULL, "
            "updated_at TEXT NOT NULL)"
        )
    s = Store(path)
    rec = s.list_projects()[0]
    assert not rec.archived
    assert s.archive(rec.id).archived
    assert rec.id in [r.id for r in s.list_projects(archived=True)]
