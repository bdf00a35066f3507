"""The served application as people use it: `amnesty serve` started as a process, Chromium signing in
and clicking the sign-out button (an ordinary form post, with the Referrer-Policy the server sends),
the old cookie refused afterwards; and `--workers 2` keeping one session across both workers."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.auth.served import Served, serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    served = serve(tmp_path_factory.mktemp("serve-1"))
    yield served
    served.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = "Chromium is not installed at /usr/bin/chromium"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_sign_out_button_works_and_ends_the_session(single: Served, chromium: Any) -> None:
    from playwright.sync_api import expect

    password = single.passwords["demo-reviewer"]
    context = chromium.new_context(locale="en-US")
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto(f"{single.url}/signin")
        page.get_by_label("User name").fill("demo-reviewer")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"/home$"))
        old_cookie = next(c["value"] for c in context.cookies() if c["name"] == "amnesty_session")

        with page.expect_response(lambda r: r.url.endswith("/signout")) as posted:
            page.get_by_role("button", name="Sign out").click()
        assert posted.value.status == 303  # not the 403 "form has expired"
        expect(page).to_have_url(re.compile(r"/signin$"))
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    finally:
        context.close()

    replay = httpx.get(f"{single.url}/home", cookies={"amnesty_session": old_cookie}, follow_redirects=False)
    assert replay.status_code == 303
    assert replay.headers["location"].startswith("/signin")
    me = httpx.get(f"{single.url}/api/auth/me", cookies={"amnesty_session": old_cookie})
    assert me.status_code == 401


def test_a_foreign_page_cannot_post_the_sign_out_form(single: Served) -> None:
    with httpx.Client(base_url=single.url, follow_redirects=False) as client:
        signed = client.post(
            "/signin",
            data={"username": "demo-auditor", "password": single.passwords["demo-auditor"], "next": "/home"},
            headers={"Origin": single.url},
        )
        assert signed.status_code == 303
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/home").text)
        assert token
        forged = client.post("/signout", data={"csrf_token": token.group(1)}, headers={"Origin": "null"})
        assert forged.status_code == 403
        assert client.get("/api/auth/me").status_code == 200


def test_two_workers_share_sessions_csrf_and_login_failures(tmp_path: Path) -> None:
    served = serve(tmp_path, "--workers", "2")
    try:
        password = served.passwords["demo-case-officer"]
        with httpx.Client(base_url=served.url, follow_redirects=False) as browser:
            signed = browser.post(
                "/signin",
                data={"username": "demo-case-officer", "password": password, "next": "/home"},
                headers={"Origin": served.url},
            )
            assert signed.status_code == 303
            cookie = browser.cookies["amnesty_session"]
            match = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/home").text)
            assert match
            csrf = match.group(1)
        answers = []
        for _ in range(40):  # a new connection each time: the kernel hands them to either worker
            with httpx.Client(base_url=served.url, cookies={"amnesty_session": cookie}) as fresh:
                answers.append(fresh.get("/api/auth/me").status_code)
                # a cookie-authenticated change carrying the CSRF token made by whichever worker
                answers.append(
                    fresh.post(
                        "/api/evaluate", json={}, headers={"X-CSRF-Token": csrf, "Origin": served.url}
                    ).status_code
                )
        assert answers.count(200) == 40
        assert answers.count(422) == 40  # past authentication and CSRF, refused only as an empty record
        pids = set(re.findall(r"\[(\d+)\] INFO amnesty\.access: GET /api/auth/me 200", served.log()))
        assert len(pids) == 2, served.log()[-2000:]

        for _ in range(5):
            with httpx.Client(base_url=served.url) as fresh:
                wrong = fresh.post(
                    "/api/auth/token", json={"username": "demo-admin", "password": "wrong-wrong"}
                )
                assert wrong.status_code == 401
        with httpx.Client(base_url=served.url) as fresh:
            locked = fresh.post(
                "/api/auth/token", json={"username": "demo-admin", "password": served.passwords["demo-admin"]}
            )
        assert locked.status_code == 429
    finally:
        served.stop()
