"""The administrator's page: accounts and their roles, password reset (a generated password
shown once), unlocking, resident link rotation, and the whole audit log.

Only for administrators; every action is checked again at the click (a role may have
been taken away meanwhile) and written to the audit log under the administrator's name."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from elevator.core.errors import ProjectError
from elevator.documents.audit_words import grant_word, role_word
from elevator.store.access import resident_token
from elevator.store.accounts import ROLES, new_password, scope_of
from ui.guard import refuse
from ui.links import SETTING, check_admin_value, configured
from ui.pages.audit import audit_table
from ui.session import current, to_login
from ui.state import store
from ui.theme import both, both_list, both_of, frame, lang, tr
from ui.views import table
from ui.widgets import data_table


def role_options() -> dict[str, str]:
    return {role: role_word(role, lang()) for role in ROLES}


async def page() -> object:
    account = current()
    if account is None:
        return to_login()
    if not account.admin:
        refuse(tr("ui.auth.no_role_title"))
        return None
    with frame(tr("ui.admin.title")):
        body = ui.column().classes("w-full gap-3")
        AdminPanel(body).build()
    return None


def _admin_name() -> str | None:
    account = current()
    return account.name if account is not None and account.admin else None


class AdminPanel:
    def __init__(self, body: ui.column):
        self.body = body
        self.shown = ""  # a generated password or a new link, shown once

    def build(self) -> None:
        self.body.clear()
        with self.body:
            if self.shown:
                ui.label(self.shown).classes(
                    "w-full text-body1 bg-amber-2 text-black q-pa-sm rounded-borders break-all"
                ).mark("shown-once")
                self.shown = ""
            self.accounts()
            self.add_form()
            self.role_form()
            self.links_form()
            self.public_url_form()
            with ui.expansion(tr("ui.admin.audit")).classes("w-full").mark("audit-toggle"):
                audit_table(store().accounts.audit_rows(limit=300), "audit-all")

    def act(self, fn: Callable[[str], str | None]) -> None:
        """Run an action as the current administrator; show what it returns once."""
        who = _admin_name()
        if who is None:
            ui.notify(both("ui.auth.read_only"), type="negative")
            return
        try:
            self.shown = fn(who) or ""
        except ProjectError as e:
            ui.notify(both_list(e.problems), type="negative", multi_line=True)
            return
        ui.notify(both("ui.admin.done"), type="positive")
        self.build()

    def accounts(self) -> None:
        ui.label(tr("ui.admin.accounts")).classes("text-subtitle2")
        headers = [tr("ui.auth.name"), tr("ui.admin.roles"), tr("ui.admin.state")]
        rows = []
        for a in store().accounts.all():
            state = []
            if a.demo:
                state.append(tr("ui.admin.demo"))
            if a.disabled:
                state.append(tr("ui.admin.disabled"))
            roles = tr("ui.sep.list").join(grant_word(g.role, g.scope, lang()) for g in a.grants)
            rows.append([a.name, roles, tr("ui.sep.list").join(state)])
        columns, rows = table(headers, rows)
        data_table(columns, rows, "accounts")

    def _scope_inputs(self) -> tuple[ui.select, ui.input]:
        kind = ui.select(
            {
                "all": tr("ui.admin.scope.all"),
                "project": tr("ui.admin.scope.project"),
                "community": tr("ui.admin.scope.community"),
            },
            value="project",
            label=tr("ui.admin.scope"),
        ).classes("w-36")
        where = ui.input(tr("ui.admin.scope_value")).props("dense").classes("w-40")
        return kind, where

    @staticmethod
    def _scope(kind: ui.select, where: ui.input) -> str:
        value = (where.value or "").strip()
        if kind.value == "project":
            try:
                return scope_of(project=int(value))
            except ValueError:
                from elevator.core.errors import problem

                raise problem("scope", "ui.admin.bad_project", value=value) from None
        if kind.value == "community":
            return scope_of(community=value) if value else "*"
        return "*"

    def add_form(self) -> None:
        ui.label(tr("ui.admin.add")).classes("text-subtitle2")
        with ui.row().classes("w-full gap-2 items-end"):
            name = ui.input(tr("ui.auth.name")).props("dense").classes("w-40").mark("new-name")
            role = ui.select(role_options(), value="reader", label=tr("ui.admin.role")).mark(
                "new-role"
            )
            kind, where = self._scope_inputs()
            kind.mark("new-scope")
            where.mark("new-scope-value")

            def add(who: str) -> str:
                password = new_password()
                scope = self._scope(kind, where)
                added = store().accounts.add(
                    name.value or "", password, role.value, scope, actor=who
                )
                return tr("ui.admin.password_once", name=added, password=password)

            ui.button(tr("ui.admin.add_button"), on_click=lambda: self.act(add)).props(
                "no-caps"
            ).mark("add-account")

    def role_form(self) -> None:
        ui.label(tr("ui.admin.change")).classes("text-subtitle2")
        names = [a.name for a in store().accounts.all()]
        with ui.row().classes("w-full gap-2 items-end"):
            who_sel = ui.select(names, label=tr("ui.auth.name")).classes("w-40").mark("acct")
            role = ui.select(role_options(), value="reader", label=tr("ui.admin.role")).mark(
                "acct-role"
            )
            kind, where = self._scope_inputs()
            kind.mark("acct-scope")
            where.mark("acct-scope-value")

            def grant(who: str) -> None:
                store().accounts.grant(
                    who_sel.value, role.value, self._scope(kind, where), actor=who
                )

            def revoke(who: str) -> None:
                store().accounts.revoke(
                    who_sel.value, role.value, self._scope(kind, where), actor=who
                )

            def reset(who: str) -> str:
                password = new_password()
                store().accounts.set_password(who_sel.value, password, actor=who)
                return tr("ui.admin.password_once", name=who_sel.value, password=password)

            def unlock(who: str) -> None:
                store().accounts.unlock(who_sel.value, actor=who)

            def disable(who: str) -> None:
                account = store().accounts.get(who_sel.value)
                if account is not None:
                    store().accounts.set_disabled(account.name, not account.disabled, actor=who)

            for words, fn, marker in (
                ("ui.admin.grant", grant, "grant"),
                ("ui.admin.revoke", revoke, "revoke"),
                ("ui.admin.reset", reset, "reset"),
                ("ui.admin.unlock", unlock, "unlock"),
                ("ui.admin.disable", disable, "disable"),
            ):
                ui.button(tr(words), on_click=lambda f=fn: self.act(f)).props(
                    "no-caps dense outline"
                ).mark(marker)

    def links_form(self) -> None:
        ui.label(tr("ui.admin.links")).classes("text-subtitle2")
        with ui.row().classes("w-full gap-2 items-end"):
            project = (
                ui.input(tr("ui.admin.scope.project"))
                .props("dense")
                .classes("w-28")
                .mark("link-project")
            )
            household = (
                ui.input(tr("ui.field.room")).props("dense").classes("w-28").mark("link-room")
            )

            def rotate(who: str) -> str:
                try:
                    pid = int((project.value or "").strip())
                except ValueError:
                    from elevator.core.errors import problem

                    raise problem("project", "ui.admin.bad_project", value=project.value) from None
                hid = (household.value or "").strip()
                epoch = store().revoke_link(pid, hid, actor=who)
                token = resident_token(store().resident_secret(), str(pid), hid, epoch)
                return tr("ui.admin.new_link", household=hid, link=f"/r/{pid}/{token}")

            ui.button(tr("ui.admin.rotate"), on_click=lambda: self.act(rotate)).props(
                "no-caps"
            ).mark("rotate-link")

    def public_url_form(self) -> None:
        """The public address resident links are built on (ui/links.py); checked at save."""
        ui.label(tr("ui.admin.public_url")).classes("text-subtitle2")
        ui.label(tr("ui.admin.public_url_note")).classes("text-caption text-grey-8")
        stored = store().setting(SETTING)
        in_force = configured(store())
        if in_force.source == "start":
            state = tr("ui.admin.public_url_overridden", url=in_force.url)
        elif stored:
            state = tr("ui.admin.public_url_stored", url=stored)
        else:
            state = tr("ui.admin.public_url_none")
        ui.label(state).classes("text-body2 break-all").mark("public-url-state")
        if in_force.refused is not None:  # an address given at start that is not usable
            for p in in_force.refused.problems:
                ui.label(f"⚠ {p.field}: {both_of(p)}").classes("text-negative text-body2")
        with ui.row().classes("w-full gap-2 items-end"):
            address = (
                ui.input(tr("ui.links.public_url"), value=stored or "")
                .props("dense inputmode=url")
                .classes("w-72")
                .mark("public-url")
            )

            def save(who: str) -> None:
                store().set_setting(SETTING, check_admin_value(address.value or ""), actor=who)

            def checked_save() -> None:
                try:  # refused before anything is stored, naming the field
                    check_admin_value(address.value or "")
                except ProjectError as e:
                    text = tr("ui.sep.list").join(f"{p.field}: {both_of(p)}" for p in e.problems)
                    ui.notify(text, type="negative", multi_line=True)
                    return
                self.act(save)

            def clear(who: str) -> None:
                store().set_setting(SETTING, None, actor=who)

            ui.button(tr("ui.admin.public_url_save"), on_click=checked_save).props("no-caps").mark(
                "public-url-save"
            )
            ui.button(tr("ui.admin.public_url_clear"), on_click=lambda: self.act(clear)).props(
                "no-caps outline"
            ).mark("public-url-clear")
