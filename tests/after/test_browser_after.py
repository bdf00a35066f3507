"""End to end in headless Chromium (Debian's /usr/bin/chromium): the impact page with its chart, and a
social worker closing a task that cannot be done."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from tests.web.conftest import PASSWORD, LiveServer, browser, released_records

from amnesty.domain.enums import TaskStatus
from amnesty.store.models import TaskRow

pytestmark = pytest.mark.browser
__all__ = ["browser"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, LiveServer]]:
    """`amnesty serve` as a process over the demo register plus released persons (with tasks)."""
    with LiveServer(tmp_path_factory.mktemp("after-served"), 120, released_records()) as server:
        yield server.url, server


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


def test_impact_page_shows_the_changes_and_the_chart(browser: Any, live: tuple[str, LiveServer]) -> None:
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
    browser: Any, live: tuple[str, LiveServer]
) -> None:
    url, app = live
    page = signed_in_page(browser, url, "social")
    page.goto(url + "/tasks")
    row = page.locator("tr[id^=task-]").first
    task_id = int((row.get_attribute("id") or "").removeprefix("task-"))
    row.locator("select[name=status]").select_option("cannot_be_done")
    row.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/tasks?m=reason_required:{task_id}#task-{task_id}")
    refused = page.get_by_role("alert").inner_text()
    assert "Write the reason why the task cannot be done." in refused
    with app.register.sessions() as db:
        stored = db.scalar(select(TaskRow).where(TaskRow.id == task_id))
        assert stored is not None
        assert stored.person.person_id in refused  # names the row: whose task, which one
        assert stored.status != TaskStatus.CANNOT_BE_DONE.value
    row = page.locator(f"#task-{task_id}")
    assert row.locator("select[name=status]").input_value() == ""  # nothing chosen for the worker
    row.locator("select[name=status]").select_option("cannot_be_done")
    row.locator("input[name=reason]").fill("the person moved abroad")
    row.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/tasks?m=saved:{task_id}#task-{task_id}")
    with app.register.sessions() as db:
        task = db.scalar(select(TaskRow).where(TaskRow.id == task_id))
        assert task is not None
        assert task.status == TaskStatus.CANNOT_BE_DONE.value
        assert "the person moved abroad" in task.notes
        assert task.person.region == "Almaty"
    page.context.close()
