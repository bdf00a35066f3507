"""Server-side sessions: sign-out, a password reset, disabling, a role or a region change end every
web session and every API token of the user at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from amnesty.auth import (
    SESSION_COOKIE,
    Role,
    get_user,
    set_disabled,
    set_password,
    set_region,
    set_role,
)
from amnesty.store.models import UserRow, WebSession
from tests.auth.conftest import Site, bearer, sign_in, username_of


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_sign_in_stores_only_a_digest_and_the_cookie_opens_pages(site: Site) -> None:
    client = site.client()
    assert sign_in(client, username_of(Role.REVIEWER)) == 303
    token = client.cookies[SESSION_COOKIE]
    assert client.get("/home").status_code == 200
    assert client.get("/api/auth/me").json()["username"] == username_of(Role.REVIEWER)
    with site.app.state.sessions() as db:
        rows = list(db.scalars(select(WebSession)))
    assert len(rows) == 1
    assert token not in rows[0].digest
    assert len(rows[0].digest) == 64
    assert not rows[0].revoked


def test_sign_out_ends_the_old_cookie_and_every_token_of_the_user(site: Site) -> None:
    officer = username_of(Role.CASE_OFFICER)
    browser, other_browser, script = site.client(), site.client(), site.client()
    assert sign_in(browser, officer) == 303
    assert sign_in(other_browser, officer) == 303
    token = bearer(script, officer)
    unrelated = site.client()
    assert sign_in(unrelated, username_of(Role.REVIEWER)) == 303
    old_cookie = browser.cookies[SESSION_COOKIE]

    response = browser.post(
        "/signout",
        data={"csrf_token": _csrf(browser.get("/home").text)},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    replay = site.client()
    replay.cookies.set(SESSION_COOKIE, old_cookie)
    assert replay.get("/home", follow_redirects=False).status_code == 303  # to the sign-in page
    assert replay.get("/api/auth/me").status_code == 401
    assert other_browser.get("/api/auth/me").status_code == 401
    assert script.get("/api/auth/me", headers=token).status_code == 401
    assert unrelated.get("/api/auth/me").status_code == 200


CHANGES: dict[str, Callable[[Session, UserRow], None]] = {
    "password": lambda db, user: set_password(db, user, "another-long-password", actor="u-admin"),
    "disabled": lambda db, user: set_disabled(db, user, True, actor="u-admin"),
    "role": lambda db, user: set_role(db, user, Role.AUDITOR, actor="u-admin"),
    "region": lambda db, user: set_region(db, user, "Astana", actor="u-admin"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_account_changes_end_every_session_and_token(site: Site, change: str) -> None:
    who = username_of(Role.SOCIAL_WORKER)
    browser, script, bystander = site.client(), site.client(), site.client()
    assert sign_in(browser, who) == 303
    token = bearer(script, who)
    assert sign_in(bystander, username_of(Role.AUDITOR)) == 303
    assert browser.get("/api/auth/me").status_code == 200
    with site.app.state.sessions() as db:
        user = get_user(db, who)
        assert user is not None
        CHANGES[change](db, user)
        db.commit()
    assert browser.get("/api/auth/me").status_code == 401
    assert browser.get("/home", follow_redirects=False).status_code == 303
    assert script.get("/api/auth/me", headers=token).status_code == 401
    assert bystander.get("/api/auth/me").status_code == 200
    audit = bystander.get("/api/audit?action=session.end_all&page_size=50")
    assert audit.status_code == 200
    ended = [(e["object_id"], e["details"]["reason"]) for e in audit.json()["items"]]
    assert (who, change) in ended


def test_an_unchanged_role_or_region_keeps_the_sessions(site: Site) -> None:
    who = username_of(Role.SOCIAL_WORKER)
    browser = site.client()
    assert sign_in(browser, who) == 303
    with site.app.state.sessions() as db:
        user = get_user(db, who)
        assert user is not None
        set_role(db, user, Role.SOCIAL_WORKER)
        set_region(db, user, "almaty")
        db.commit()
    assert browser.get("/api/auth/me").status_code == 200


def test_admin_password_reset_through_the_api_ends_the_sessions(site: Site) -> None:
    admin = site.client()
    admin_token = bearer(admin, username_of(Role.ADMIN))
    browser = site.client()
    assert sign_in(browser, username_of(Role.REVIEWER)) == 303
    reset = admin.patch(
        f"/api/users/{username_of(Role.REVIEWER)}",
        json={"password": "a-brand-new-password"},
        headers=admin_token,
    )
    assert reset.status_code == 200, reset.text
    assert browser.get("/api/auth/me").status_code == 401
    assert admin.get("/api/auth/me", headers=admin_token).status_code == 200
    assert sign_in(browser, username_of(Role.REVIEWER), "a-brand-new-password") == 303


def test_expired_and_forged_sessions_open_nothing(site: Site) -> None:
    browser = site.client()
    assert sign_in(browser, username_of(Role.AUDITOR)) == 303
    with site.app.state.sessions() as db:
        db.execute(update(WebSession).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
        db.commit()
    assert browser.get("/api/auth/me").status_code == 401
    forged = site.client()
    forged.cookies.set(SESSION_COOKIE, "x" * 43)
    assert forged.get("/api/auth/me").status_code == 401
    forged.cookies.set(SESSION_COOKIE, "y" * 5000)
    assert forged.get("/api/auth/me").status_code == 401


def test_role_change_needs_a_region_for_a_social_worker(site: Site) -> None:
    from amnesty.auth import UserError

    with site.app.state.sessions() as db:
        user = get_user(db, username_of(Role.REVIEWER))
        assert user is not None
        with pytest.raises(UserError, match="region"):
            set_role(db, user, Role.SOCIAL_WORKER)
        with pytest.raises(UserError, match="role"):
            set_role(db, user, "president")
        with pytest.raises(UserError, match="region"):
            set_region(db, user, "Atlantis")
        db.rollback()
