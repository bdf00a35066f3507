"""Every form of the role pages submitted by clicking its button, in Chromium, against `amnesty serve`
started as a process: sign-in and sign-out, editing a case (and the message when someone else saved it
first), user administration, the audit trail's filter and chain check, and list exports."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from amnesty.store.models import AuditEvent, Case, Person, UserRow

from .conftest import PASSWORD, LiveServer, Register

pytestmark = pytest.mark.browser

Live = tuple[LiveServer, Register]


def sign_in(page: Any, live: Live, username: str, password: str = PASSWORD) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live[0].url}])
    page.goto(live[0].url + "/signin")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/home$"))


def test_sign_out_by_its_button_ends_the_page_session(page: Any, live: Live) -> None:
    sign_in(page, live, "auditor")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r".*/signin$"))
    page.goto(live[0].url + "/dashboard")
    assert "/signin" in page.url


def _case_of(live: Live, person_id: str) -> tuple[int, int]:
    with live[1].sessions() as db:
        case = db.scalar(select(Case).join(Person).where(Person.person_id == person_id))
        assert case is not None
        return case.id, case.version


def test_case_officer_edits_a_case_and_sees_it_evaluated_again(page: Any, live: Live) -> None:
    person_id = next(
        pid
        for pid, f in live[1].files.items()
        if f.record.sentence is not None and f.record.stage.value == "serving"
    )
    case_id, version = _case_of(live, person_id)
    sign_in(page, live, "officer")
    page.goto(f"{live[0].url}/cases/{person_id}")
    page.get_by_role("link", name="Edit the case").first.click()
    page.wait_for_url(re.compile(rf".*/cases/{person_id}/edit\?case={case_id}$"))
    page.locator("#sentence-years").fill("30")
    page.get_by_role("button", name="Save and evaluate again").click()
    page.wait_for_url(re.compile(rf".*/cases/{person_id}\?saved=edit#case-{case_id}$"))
    expect(page.get_by_role("status").first).to_contain_text("evaluated again")
    _, new_version = _case_of(live, person_id)
    assert new_version == version + 1
    stored = live[1].person(person_id)
    assert stored is not None
    assert stored.record.sentence is not None
    assert stored.record.sentence.term.years == 30
    assert stored.decision.sentence is not None
    assert stored.decision.sentence.original_term is not None
    assert stored.decision.sentence.original_term.years == 30


def test_an_edit_saved_by_someone_else_first_is_refused_with_a_clear_message(
    browser: Any, live: Live
) -> None:
    person_id = next(pid for pid, f in live[1].files.items() if f.record.sentence is not None)
    first, second = (browser.new_context(locale="en-US") for _ in range(2))
    try:
        pages = []
        for context in (first, second):
            context.set_default_timeout(15_000)
            tab = context.new_page()
            sign_in(tab, live, "officer")
            tab.goto(f"{live[0].url}/cases/{person_id}/edit")
            pages.append(tab)
        pages[0].locator("#full_name").fill("First Writer")
        pages[0].get_by_role("button", name="Save and evaluate again").click()
        pages[0].wait_for_url(re.compile(r".*saved=edit.*"))
        pages[1].locator("#full_name").fill("Second Writer")
        pages[1].get_by_role("button", name="Save and evaluate again").click()
        alert = pages[1].locator("#conflict")
        alert.wait_for()
        assert "changed by someone else" in alert.inner_text()
        assert pages[1].locator("#full_name").input_value() == "First Writer"
        stored = live[1].person(person_id)
        assert stored is not None
        assert stored.record.full_name == "First Writer"
    finally:
        first.close()
        second.close()


def test_admin_adds_a_user_resets_the_password_sets_the_role_and_disables(page: Any, live: Live) -> None:
    sign_in(page, live, "admin")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Users").click()
    page.locator("#new-username").fill("clerk.one")
    page.get_by_label("Full name").fill("Серикова  Айгерим Нурлановна")
    page.get_by_label("Organisation").fill("Генеральная прокуратура")
    page.locator("#new-role").select_option("reviewer")
    page.get_by_role("button", name="Add the user").click()
    expect(page.locator("#user-clerk\\.one")).to_contain_text("Серикова Айгерим Нурлановна")
    expect(page.locator("#user-clerk\\.one")).to_contain_text("Генеральная прокуратура")
    shown = page.locator("#new-password code")
    shown.wait_for()
    password = shown.inner_text()
    assert len(password) >= 10
    row = page.locator("#user-clerk\\.one")
    row.locator("select[name=role]").select_option("social_worker")
    row.locator("select[name=region]").select_option("Astana")
    row.get_by_role("button", name="Set role and region").click()
    expect(page.locator("#user-clerk\\.one")).to_contain_text("Astana")
    with live[1].sessions() as db:
        user = db.scalar(select(UserRow).where(UserRow.username == "clerk.one"))
        assert user is not None
        assert (user.role, user.region) == ("social_worker", "Astana")
    page.locator("#user-clerk\\.one").get_by_role("button", name="Reset the password").click()
    new_password = page.locator("#new-password code").inner_text()
    assert new_password != password
    page.locator("#user-clerk\\.one").get_by_role("button", name="Disable").click()
    expect(page.locator("#confirm-disable")).to_contain_text("Disable the account clerk.one?")
    with live[1].sessions() as db:  # asked, not yet done
        assert db.scalar(select(UserRow.disabled).where(UserRow.username == "clerk.one")) is False
    page.get_by_role("button", name="Yes, disable the account").click()
    expect(page.locator("#user-clerk\\.one")).to_contain_text("disabled")
    with live[1].sessions() as db:
        user = db.scalar(select(UserRow).where(UserRow.username == "clerk.one"))
        assert user is not None
        assert user.disabled
        actions = [
            e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.object_id == "clerk.one"))
        ]
    assert actions[0] == "user.create"
    assert "user.disable" in actions
    assert {"user.role", "user.region", "user.password"} <= set(actions)


def test_auditor_filters_the_trail_and_checks_the_chain(page: Any, live: Live) -> None:
    sign_in(page, live, "auditor")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Audit trail").click()
    page.locator("#au-actor").fill("auditor")
    page.locator("#au-action").fill("login.success")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*/audit\?actor=auditor&action=login\.success.*"))
    rows = page.locator("table tbody tr")
    assert rows.count() >= 1
    for text in rows.all_inner_texts():
        assert "auditor" in text
        assert "login.success" in text
    page.get_by_role("button", name="Check the chain").click()
    expect(page.locator("#chain-result")).to_contain_text("The chain is intact")


@pytest.mark.parametrize(("path", "name"), [("/cases", "cases"), ("/review", "review"), ("/tasks", "tasks")])
def test_every_list_exports_to_csv_and_xlsx(page: Any, live: Live, path: str, name: str) -> None:
    sign_in(page, live, "admin")
    page.goto(live[0].url + path)
    with page.expect_download() as csv_info:
        page.get_by_role("link", name="Export to CSV").first.click()
    lines = Path(csv_info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    with page.expect_download() as xlsx_info:
        page.get_by_role("link", name="Export to XLSX").first.click()
    content = io.BytesIO(Path(xlsx_info.value.path()).read_bytes())
    sheet = openpyxl.load_workbook(content, read_only=True)[name]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == len(lines) > 1
    assert list(rows[0]) == lines[0].split(",")
