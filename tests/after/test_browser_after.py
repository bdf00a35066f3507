"""End to end in headless Chromium (Debian's /usr/bin/chromium): the impact page with its chart, and a
social worker closing a task that cannot be done."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from amnesty.domain.enums import TaskStatus
from amnesty.web.app import create_web_app
from amnesty.web.memory import demo_backend

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "a browser test password"


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[str, Any]]:
    app = create_web_app(demo_backend(PASSWORD, 120), secret="test-secret-not-for-production")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is not installed at /usr/bin/chromium")
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


def signed_in_page(browser: Any, url: str, username: str) -> Any:
    context = browser.new_context(locale="en-US")
    context.add_cookies([{"name": "lang", "value": "en", "url": url}])
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(url + "/signin")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda u: "/signin" not in u)
    return page


def test_impact_page_shows_the_changes_and_the_chart(browser: Any, live: tuple[str, Any]) -> None:
    url, _ = live
    page = signed_in_page(browser, url, "reviewer")
    page.goto(url + "/impact?example=grave-half")
    page.locator("input[name=source][value=demo]").check()
    page.get_by_role("button", name="Compare with the law").click()
    page.wait_for_selector("#im-result")
    assert "Changes of outcome" in page.content()
    chart = page.locator("img[src^='/impact/chart/']")
    chart.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", chart.element_handle())
    page.context.close()


def test_social_worker_marks_a_task_as_cannot_be_done_with_a_reason(
    browser: Any, live: tuple[str, Any]
) -> None:
    url, app = live
    page = signed_in_page(browser, url, "social")
    page.goto(url + "/tasks")
    row = page.locator("tr[id^=task-]").first
    task_id = int((row.get_attribute("id") or "").removeprefix("task-"))
    row.locator("select[name=status]").select_option("cannot_be_done")
    row.locator("input[name=reason]").fill("the person moved abroad")
    row.get_by_role("button", name="Save").click()
    page.wait_for_url("**/tasks?m=saved")
    task = app.state.after_task_board.tasks[task_id].task
    assert task.status is TaskStatus.CANNOT_BE_DONE
    assert task.reason == "the person moved abroad"
    assert task.region == "Almaty"
    page.context.close()
