"""Failed sign-ins are counted per username AND client address, in the database: the web form and
the API share the count, other addresses are not locked out, and a second application (another
worker process) on the same database sees the same failures."""

from __future__ import annotations

import pytest

from amnesty.auth import LoginRateLimitedError, Role, authenticate
from amnesty.auth.ratelimit import MAX_FAILURES
from amnesty.store.models import LoginFailure
from tests.auth.conftest import PASSWORD, Site, bearer, sign_in, username_of


def test_web_failures_lock_one_address_not_every_address(site: Site) -> None:
    who = username_of(Role.REVIEWER)
    attacker, colleague = site.client("203.0.113.7"), site.client("198.51.100.20")
    for _ in range(MAX_FAILURES):
        assert sign_in(attacker, who, "wrong-password-here") == 401
    assert sign_in(attacker, who) == 429  # locked out, even with the right password, and told so
    api = attacker.post("/api/auth/token", json={"username": who, "password": PASSWORD})
    assert api.status_code == 429
    assert int(api.headers["retry-after"]) > 0
    assert sign_in(colleague, who) == 303  # the same user from elsewhere still signs in


def test_api_and_web_failures_add_up(site: Site) -> None:
    who = username_of(Role.AUDITOR)
    client = site.client("192.0.2.44")
    for attempt in range(MAX_FAILURES):
        if attempt % 2:
            assert sign_in(client, who, "wrong-password-here") == 401
        else:
            wrong = client.post("/api/auth/token", json={"username": who, "password": "wrong-password"})
            assert wrong.status_code == 401
    locked = client.post("/api/auth/token", json={"username": who, "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "rate_limited"


def test_failures_are_shared_between_worker_processes(site: Site, db_url: str) -> None:
    from amnesty.app import create_app

    other_worker = create_app(db_url, migrate=False)
    try:
        who = username_of(Role.CASE_OFFICER)
        for _ in range(MAX_FAILURES):
            with site.app.state.sessions() as db:
                assert authenticate(db, who, "wrong-password-here", "10.1.1.1") is None
        with other_worker.state.sessions() as db, pytest.raises(LoginRateLimitedError) as raised:
            authenticate(db, who, PASSWORD, "10.1.1.1")
        assert 0 < raised.value.retry_after <= 15 * 60 + 1
        with other_worker.state.sessions() as db:
            assert authenticate(db, who, PASSWORD, "10.1.1.2") is not None
            stored = db.query(LoginFailure).all()
        assert stored
        assert all("10.1.1.1" not in row.client for row in stored)
    finally:
        other_worker.state.engine.dispose()


def test_a_success_clears_the_pair(site: Site) -> None:
    who = username_of(Role.ADMIN)
    with site.app.state.sessions() as db:
        for _ in range(MAX_FAILURES - 1):
            authenticate(db, who, "wrong-password-here", "10.2.2.2")
        assert authenticate(db, who, PASSWORD, "10.2.2.2") is not None
        for _ in range(MAX_FAILURES - 1):
            authenticate(db, who, "wrong-password-here", "10.2.2.2")
        assert authenticate(db, who, PASSWORD, "10.2.2.2") is not None


def test_an_account_is_locked_across_addresses_until_an_admin_lifts_it(site: Site) -> None:
    """Guesses spread over many addresses (4 each, under the per-address limit) reach the account's
    ceiling: the account is locked from every address, the right password too, until an
    administrator unlocks it (API), which is audited."""
    from amnesty.auth.ratelimit import ACCOUNT_MAX_FAILURES

    who = username_of(Role.REVIEWER)
    per_address = MAX_FAILURES - 1
    for attempt in range(ACCOUNT_MAX_FAILURES):
        client = site.client(f"198.18.{attempt // per_address}.1")
        assert sign_in(client, who, "wrong-password-here") == 401
    fresh = site.client("192.0.2.200")
    assert sign_in(fresh, who) == 429
    locked = fresh.post("/api/auth/token", json={"username": who, "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    admin = site.client("192.0.2.201")
    headers = bearer(admin, username_of(Role.ADMIN))
    listed = {user["username"]: user for user in admin.get("/api/users", headers=headers).json()}
    assert listed[who]["locked"] is True
    lifted = admin.patch(f"/api/users/{who}", json={"unlock": True}, headers=headers)
    assert lifted.status_code == 200, lifted.text
    assert lifted.json()["locked"] is False
    assert sign_in(fresh, who) == 303
    events = admin.get("/api/audit", params={"action": "user.unlock"}, headers=headers).json()
    assert "user.unlock" in str(events)


def test_the_account_ceiling_is_not_reached_by_one_address(site: Site) -> None:
    """One address is stopped by its own limit long before the account's ceiling."""
    who = username_of(Role.CASE_OFFICER)
    client = site.client("203.0.113.99")
    answers = [sign_in(client, who, "wrong-password-here") for _ in range(MAX_FAILURES + 3)]
    assert answers == [401] * MAX_FAILURES + [429] * 3
    assert sign_in(site.client("203.0.113.100"), who) == 303
