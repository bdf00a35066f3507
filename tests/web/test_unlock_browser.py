"""An administrator lifts an account's sign-in lock from the users page, in Chromium against
`amnesty serve`: the locked account is shown as such, its sign-in is refused until the button is
pressed, then it signs in; the unlock is audited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from amnesty.auth import authenticate
from amnesty.auth.ratelimit import ACCOUNT_MAX_FAILURES, MAX_FAILURES
from amnesty.store.db import make_sessionmaker

from .conftest import PASSWORD, LiveServer, Register, shot
from .test_browser import sign_in

pytestmark = pytest.mark.browser

Live = tuple[LiveServer, Register]
LOCKED = "reviewer"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A server of this module's own (the lock changes no other module's accounts)."""
    with LiveServer(tmp_path_factory.mktemp("unlock"), 4) as server:
        yield server, server.register


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Any]:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def _lock(server: LiveServer) -> None:
    """Guesses at the account's password spread over many addresses (under the per-address limit)
    until the account's ceiling locks it from everywhere."""
    sessions = make_sessionmaker(server.engine)
    per_address = MAX_FAILURES - 1
    for attempt in range(ACCOUNT_MAX_FAILURES):
        with sessions() as db:
            assert (
                authenticate(db, LOCKED, "wrong-password-here", f"198.18.{attempt // per_address}.1") is None
            )


def _try_sign_in(page: Any, live: Live, username: str) -> None:
    page.context.clear_cookies()
    page.goto(live[0].url + "/signin")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_an_admin_unlocks_a_locked_account(page: Any, live: Live) -> None:
    server, register = live
    _lock(server)
    _try_sign_in(page, live, LOCKED)
    assert not page.url.endswith("/home"), "a locked account cannot sign in, even with its password"

    sign_in(page, live, "admin")
    page.goto(server.url + "/admin/users")
    row = page.locator(f"#user-{LOCKED}")
    assert "вход заблокирован" in row.inner_text()
    assert "вход заблокирован" not in page.locator("#user-officer").inner_text()
    assert page.locator("#user-officer button[value=unlock]").count() == 0
    shot(page, "admin-users-locked")
    row.get_by_role("button", name="Разблокировать вход").click()
    page.wait_for_load_state()
    assert f"Вход для {LOCKED} разблокирован." in page.locator("[role=status]").inner_text()
    assert "вход заблокирован" not in page.locator(f"#user-{LOCKED}").inner_text()
    assert page.locator(f"#user-{LOCKED} button[value=unlock]").count() == 0
    assert ("admin", "user.unlock", "user", LOCKED) in register.events

    _try_sign_in(page, live, LOCKED)
    page.wait_for_url(re.compile(r".*/home$"))


def test_an_unlock_without_the_form_token_is_refused(page: Any, live: Live) -> None:
    server, register = live
    sign_in(page, live, "admin")
    before = [event for event in register.events if event[1] == "user.unlock"]
    answer = page.request.post(
        f"{server.url}/admin/users/{LOCKED}", form={"action": "unlock", "csrf_token": "forged"}
    )
    assert answer.status in (400, 403)
    assert [event for event in register.events if event[1] == "user.unlock"] == before
