"""Passwords, bearer tokens, login rate limiting, disabled accounts, web sessions and CSRF, headers."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends, Form, Request, Response
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amnesty.api.deps import current_user, get_db
from amnesty.auth import (
    LOGIN_LIMITER,
    Role,
    User,
    UserError,
    authenticate,
    create_user,
    csrf_token,
    end_web_session,
    start_web_session,
    verify_csrf,
)
from amnesty.auth.passwords import hash_password, verify_password
from amnesty.auth.ratelimit import MAX_FAILURES


def test_passwords_are_argon2id_hashes():
    digest = hash_password("correct horse battery")
    assert digest.startswith("$argon2id$")
    assert "correct horse" not in digest
    assert verify_password(digest, "correct horse battery")
    assert not verify_password(digest, "correct horse battery!")
    assert not verify_password(None, "anything")


def test_user_rules(service):
    with service.app.state.sessions() as db:
        with pytest.raises(UserError, match="region"):
            create_user(db, "sw-without-region", "long-enough-password", Role.SOCIAL_WORKER)
        with pytest.raises(UserError, match="password"):
            create_user(db, "short-password", "short", Role.AUDITOR)
        with pytest.raises(UserError, match="already exists"):
            create_user(db, "TEST-ADMIN", "long-enough-password", Role.ADMIN)
        with pytest.raises(UserError, match="role"):
            create_user(db, "no-such-role", "long-enough-password", "president")
        db.rollback()


def test_wrong_password_and_unknown_user_get_the_same_answer(service):
    wrong = service.client.post(
        "/api/auth/token", json={"username": "test-auditor-x", "password": "nope-nope-nope"}
    )
    unknown = service.client.post(
        "/api/auth/token", json={"username": "test-admin", "password": "nope-nope-nope-2"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    LOGIN_LIMITER.reset()


def test_login_is_rate_limited_per_username_and_address(service):
    with service.app.state.sessions() as db:
        create_user(db, "rate-limited", "the-right-password", Role.AUDITOR)
        db.commit()
    for _ in range(MAX_FAILURES):
        response = service.client.post(
            "/api/auth/token", json={"username": "rate-limited", "password": "wrong-password"}
        )
        assert response.status_code == 401
    blocked = service.client.post(
        "/api/auth/token", json={"username": "rate-limited", "password": "the-right-password"}
    )
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "rate_limited"
    assert int(blocked.headers["retry-after"]) > 0
    others = service.client.post(
        "/api/auth/token", json={"username": "test-auditor", "password": "a-long-test-password"}
    )
    assert others.status_code == 200
    with service.app.state.sessions() as db, pytest.raises(Exception, match="too many failed logins"):
        authenticate(db, "rate-limited", "the-right-password", "testclient")
    with service.app.state.sessions() as db:
        assert authenticate(db, "rate-limited", "the-right-password", "10.0.0.9") is not None
    LOGIN_LIMITER.reset()


def test_tokens_bad_missing_revoked_and_disabled(service):
    with service.app.state.sessions() as db:
        create_user(db, "soon-disabled", "the-right-password", Role.REVIEWER)
        db.commit()
    client = service.client
    assert client.get("/api/auth/me").status_code == 401
    assert client.get("/api/auth/me").json()["error"]["code"] == "not_authenticated"
    bad = client.get("/api/auth/me", headers={"Authorization": "Bearer forged"})
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "invalid_token"
    token = client.post(
        "/api/auth/token", json={"username": "soon-disabled", "password": "the-right-password"}
    ).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/api/auth/me", headers=headers).json() == {
        "username": "soon-disabled",
        "role": "reviewer",
        "region": None,
    }
    disabled = client.patch(
        "/api/users/soon-disabled", json={"disabled": True}, headers=service.as_role(Role.ADMIN)
    )
    assert disabled.status_code == 200
    assert client.get("/api/auth/me", headers=headers).status_code == 401
    again = client.post(
        "/api/auth/token", json={"username": "soon-disabled", "password": "the-right-password"}
    )
    assert again.status_code == 401
    client.patch("/api/users/soon-disabled", json={"disabled": False}, headers=service.as_role(Role.ADMIN))
    fresh = client.post(
        "/api/auth/token", json={"username": "soon-disabled", "password": "the-right-password"}
    ).json()
    fresh_headers = {"Authorization": f"Bearer {fresh['access_token']}"}
    assert client.post("/api/auth/logout", headers=fresh_headers).status_code == 204
    assert client.get("/api/auth/me", headers=fresh_headers).status_code == 401
    LOGIN_LIMITER.reset()


@pytest.fixture(scope="module")
def web(service):
    """The app with a login form and a protected form, as the web pages would use the helpers."""
    from amnesty.app import create_app

    app = create_app(service.app.state.database_url)
    # an account of its own: signing out ends every session and token of the user, and the other
    # tests keep using the shared role accounts' tokens
    with app.state.sessions() as db:
        create_user(db, "web-tester", "a-long-test-password", Role.ADMIN)
        db.commit()

    @app.get("/api/test/form")
    def form(request: Request) -> dict[str, str]:
        return {"csrf": csrf_token(request)}

    @app.post("/api/test/login")
    def login_form(
        request: Request,
        response: Response,
        username: Annotated[str, Form()],
        password: Annotated[str, Form()],
        csrf: Annotated[str, Form()],
        db: Session = Depends(get_db),
    ) -> dict[str, bool]:
        verify_csrf(request, csrf)
        user = authenticate(db, username, password, "web")
        if user is not None:
            start_web_session(response, user, db)
        return {"ok": user is not None}

    @app.post("/api/test/logout")
    def logout_form(
        request: Request,
        response: Response,
        user: User = Depends(current_user),
        db: Session = Depends(get_db),
    ) -> dict[str, bool]:
        end_web_session(response, request, db)
        return {"ok": True}

    yield app
    app.state.engine.dispose()


def test_web_session_cookie_and_csrf(web):
    client = TestClient(web)
    anonymous = client.get("/api/test/form").json()["csrf"]
    forged = client.post(
        "/api/test/login", data={"username": "web-tester", "password": "a-long-test-password", "csrf": "x"}
    )
    assert forged.status_code == 403
    assert forged.json()["error"]["code"] == "csrf_failed"
    login = client.post(
        "/api/test/login",
        data={"username": "web-tester", "password": "a-long-test-password", "csrf": anonymous},
    )
    assert login.status_code == 200
    assert login.json() == {"ok": True}
    cookie = login.headers["set-cookie"]
    assert "amnesty_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain HTTP to a loopback host
    assert client.get("/api/auth/me").json()["username"] == "web-tester"
    # a cookie-authenticated change needs the session's CSRF token in the header
    assert client.post("/api/evaluate", json={}).status_code == 403
    assert client.post("/api/evaluate", json={}, headers={"X-CSRF-Token": anonymous}).status_code == 403
    session_token = client.get("/api/test/form").json()["csrf"]
    assert client.post("/api/evaluate", json={}, headers={"X-CSRF-Token": session_token}).status_code == 422
    foreign = client.post(
        "/api/evaluate", json={}, headers={"X-CSRF-Token": session_token, "Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    logout = client.post("/api/test/logout", headers={"X-CSRF-Token": session_token})
    assert logout.status_code == 200
    assert "Max-Age=0" in logout.headers["set-cookie"]
    assert client.get("/api/auth/me").status_code == 401
    LOGIN_LIMITER.reset()


def test_session_cookie_is_secure_over_https(web):
    client = TestClient(web, base_url="https://amnesty.example")
    csrf = client.get("/api/test/form").json()["csrf"]
    login = client.post(
        "/api/test/login", data={"username": "web-tester", "password": "a-long-test-password", "csrf": csrf}
    )
    assert "Secure" in login.headers["set-cookie"]
    assert login.headers["strict-transport-security"].startswith("max-age=")
    LOGIN_LIMITER.reset()


def test_tampered_session_cookie_is_ignored(web):
    client = TestClient(web)
    client.cookies.set("amnesty_session", "eyJ1IjoxLCJuIjoieCJ9.forged.signature")
    assert client.get("/api/auth/me").status_code == 401


@pytest.mark.parametrize("path", ["/api/health", "/api/persons", "/openapi.json", "/nowhere"])
def test_security_headers_on_every_response(service, path):
    response = service.client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    if path.startswith("/api"):
        assert response.headers["cache-control"] == "no-store"


def test_unknown_route_is_json(service):
    response = service.client.get("/api/nowhere")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unexpected_errors_answer_json_and_keep_case_data_out_of_the_log(service, caplog):
    from amnesty.app import create_app

    app = create_app(service.app.state.database_url)

    @app.get("/api/test/boom")
    @app.get("/test/boom")
    def boom() -> None:
        raise RuntimeError("Secret Name 850315300128")

    with caplog.at_level("INFO"):
        response = TestClient(app).get("/api/test/boom")
        page = TestClient(app).get("/test/boom", headers={"Accept-Language": "ru"})
    app.state.engine.dispose()
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert response.headers["x-content-type-options"] == "nosniff"
    # a page path answers the web's error page, in the reader's language, without the error's text
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "Что-то пошло не так" in page.text
    assert "Secret Name" not in page.text
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "RuntimeError" in caplog.text
    assert "Secret Name" not in caplog.text
    assert "850315300128" not in caplog.text


def test_oversized_bodies_are_refused_before_reading(service):
    response = service.client.post(
        "/api/evaluate",
        content=b"[]",
        headers=service.as_role(Role.ADMIN) | {"content-length": str(65 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_unknown_usernames_are_not_written_to_the_audit_trail(service):
    typed = "my-password-typed-in-the-wrong-box"
    response = service.client.post("/api/auth/token", json={"username": typed, "password": "whatever-else"})
    assert response.status_code == 401
    log = service.client.get(
        "/api/audit?action=login.failure&page_size=200", headers=service.as_role(Role.AUDITOR)
    )
    assert log.json()["total"] >= 1
    assert typed not in log.text
    assert "(unknown)" in log.text
    LOGIN_LIMITER.reset()


def test_evaluate_checks_its_token_as_every_route_does(service, record):
    """`POST /api/evaluate` checks a bearer token on the event loop (`token_holder`), the check the
    other routes use through `user_for_token`: a forged, revoked, expired or disabled user's token is
    refused there too, and a password reset ends the token at once."""
    import datetime as dt

    from sqlalchemy import select, update

    from amnesty.store.models import ApiToken, UserRow

    with service.app.state.sessions() as db:
        create_user(db, "evaluator", "the-right-password", Role.CASE_OFFICER)
        db.commit()
    client = service.client
    body = record("EVAL-TOKEN")

    def token() -> dict[str, str]:
        answer = client.post(
            "/api/auth/token", json={"username": "evaluator", "password": "the-right-password"}
        )
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def refused(headers: dict[str, str]) -> bool:
        answer = client.post("/api/evaluate", json=body, headers=headers)
        return answer.status_code == 401 and answer.json()["error"]["code"] == "invalid_token"

    headers = token()
    assert client.post("/api/evaluate", json=body, headers=headers).json()["outcome"] == "release"
    assert refused({"Authorization": "Bearer forged"})
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert refused(headers)
    headers = token()
    with service.app.state.sessions() as db:
        mine = select(UserRow.id).where(UserRow.username == "evaluator").scalar_subquery()
        past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        db.execute(update(ApiToken).where(ApiToken.user_fk == mine).values(expires_at=past))
        db.commit()
    assert refused(headers)
    headers = token()
    admin = service.as_role(Role.ADMIN)
    assert client.patch("/api/users/evaluator", json={"disabled": True}, headers=admin).status_code == 200
    assert refused(headers)
    assert client.patch("/api/users/evaluator", json={"disabled": False}, headers=admin).status_code == 200
    headers = token()
    reset = client.patch("/api/users/evaluator", json={"password": "another-long-password"}, headers=admin)
    assert reset.status_code == 200, reset.text
    assert refused(headers)
    LOGIN_LIMITER.reset()
