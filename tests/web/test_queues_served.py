"""The officers' work queues in headless Chromium against a served `amnesty serve` (issue 23, item 4):
the law's implementation deadline with its countdown on the dashboard, one count of the review queue
on the dashboard and the review page, review items taken, assigned and confirmed in bulk, their age,
due day and the overdue view. A server of its own: these tests change the queue."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from amnesty.auth import Role, create_user
from amnesty.domain.deadlines import REVIEW_DAYS, due_day
from amnesty.law.loader import default_law
from amnesty.store.models import DecisionRow, OverrideRow, ReviewClaimRow
from amnesty.web.i18n import local_today

from .conftest import PASSWORD, LiveServer, Register, shot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("queues"), 80) as server:
        with server.register.sessions() as db:
            create_user(db, "analyst", PASSWORD, Role.ANALYST, None, actor="test")
            db.commit()
        yield server


@pytest.fixture
def tab(browser: Any, served: LiveServer) -> Iterator[Any]:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def sign_in(page: Any, server: LiveServer, username: str) -> None:
    page.goto(server.url + "/signin")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/home$"))


def shown_total(page: Any) -> int:
    text = page.get_by_role("status").filter(has_text="Ожидают проверки").first.inner_text()
    return int(re.search(r"Ожидают проверки: (\d+)", text).group(1))  # type: ignore[union-attr]


def test_dashboard_counts_the_review_queue_as_the_review_page_and_counts_down_to_the_deadline(
    tab: Any, served: LiveServer
) -> None:
    register: Register = served.register
    queue = register.review_queue()
    undecided = sum(1 for item in queue if item["outcome"] == "needs_review")
    provisional = len(queue) - undecided
    assert undecided, "the seeded register has undecided items"
    assert provisional, "the seeded register has provisional items"
    sign_in(tab, served, "reviewer")
    tab.get_by_role("link", name="Сводка", exact=True).click()
    assert int(tab.locator("#review-total").inner_text()) == len(queue)
    summary = tab.locator("#review-total").locator("xpath=..").inner_text()
    assert f"без решения: {undecided}" in summary
    assert f"нужно подтвердить: {provisional}" in summary
    deadline = default_law().pack.dates.implementation_deadline.value
    assert deadline is not None
    days = (deadline - local_today()).days
    countdown = tab.locator("#deadline-countdown").inner_text()
    assert countdown == (f"Срок истёк; прошло дней: {-days}" if days < 0 else f"Осталось дней: {days}")
    assert "2023" in tab.locator("#deadline").inner_text()
    shot(tab, "queues-dashboard")
    tab.get_by_role("link", name="Ждут проверки юриста:").click()
    assert shown_total(tab) == len(queue)


def test_a_reviewer_takes_items_and_sees_them_as_taken_by_them(tab: Any, served: LiveServer) -> None:
    sign_in(tab, served, "reviewer")
    tab.goto(served.url + "/review?taken=none")
    rows = tab.locator("#review-bulk tbody tr")
    chosen = [rows.nth(i).get_attribute("id").removeprefix("review-") for i in range(2)]
    for decision_id in chosen:
        tab.locator(f"#pick-{decision_id}").check()
    tab.get_by_role("button", name="Взять себе").click()
    assert "Назначено дел на проверку: 2." in tab.locator("#review-message").inner_text()
    tab.goto(served.url + "/review?taken=me")
    assert shown_total(tab) == 2
    for decision_id in chosen:
        assert tab.locator(f"#review-{decision_id} td.taken").inner_text() == "reviewer"
    with served.register.sessions() as db:
        taken = {row.decision_fk: row.reviewer for row in db.scalars(select(ReviewClaimRow))}
    assert {str(k) for k, v in taken.items() if v == "reviewer"} >= set(chosen)
    # an administrator gives one of them to nobody: it leaves the reviewer's list
    tab.context.clear_cookies()
    sign_in(tab, served, "admin")
    tab.goto(served.url + "/review?taken=reviewer")
    tab.locator(f"#pick-{chosen[0]}").check()
    tab.get_by_label("Проверяющий").select_option("")
    tab.get_by_role("button", name="Назначить").click()
    assert "Назначено дел на проверку: 1." in tab.locator("#review-message").inner_text()
    assert shown_total(tab) == 1


def test_bulk_confirmation_records_the_engines_outcome_for_provisional_decisions_only(
    tab: Any, served: LiveServer
) -> None:
    sign_in(tab, served, "reviewer")
    before = len(served.register.review_queue())
    tab.goto(served.url + "/review?provisional=1")
    rows = tab.locator("#review-bulk tbody tr")
    chosen = [rows.nth(i).get_attribute("id").removeprefix("review-") for i in range(2)]
    for decision_id in chosen:
        tab.locator(f"#pick-{decision_id}").check()
    tab.get_by_text("Подтвердить выбранные предварительные решения").click()
    tab.get_by_label("Обоснование").fill("Запись перечня сверена с текстом закона")
    tab.get_by_label("Ссылка на закон").fill("Закон 152-VII, ст. 1")
    tab.get_by_role("button", name="Подтвердить", exact=True).click()
    assert "Подтверждено предварительных решений: 2." in tab.locator("#review-message").inner_text()
    assert len(served.register.review_queue()) == before - 2
    with served.register.sessions() as db:
        for decision_id in chosen:
            decision = db.get(DecisionRow, int(decision_id))
            assert decision is not None
            overrides = list(db.scalars(select(OverrideRow).where(OverrideRow.decision_fk == decision.id)))
            assert [o.outcome for o in overrides] == [decision.outcome]
            assert overrides[0].reviewer == "reviewer"


def test_items_past_their_due_day_are_in_the_overdue_view_with_their_age(
    tab: Any, served: LiveServer
) -> None:
    """On a day a reviewer plans for (`REVIEW_DAYS` + 3 days after the decisions were made), every open
    item is overdue; on the day they were made, none is."""
    queue = served.register.review_queue()
    made = {dt.date.fromisoformat(item["created_at"][:10]) for item in queue}
    assert len(made) == 1, "the seeded decisions were made on one day"
    (day,) = made
    on = day + dt.timedelta(days=REVIEW_DAYS + 3)
    deadline = default_law().pack.dates.implementation_deadline.value
    due = due_day(day, REVIEW_DAYS, deadline)
    sign_in(tab, served, "reviewer")
    tab.goto(served.url + f"/review?on={day.isoformat()}")
    tab.locator("#rv-overdue").check()
    tab.wait_for_url(re.compile(r".*overdue=1.*"))
    assert shown_total(tab) == 0
    tab.get_by_label("Считать сроки и просрочку на дату").fill(on.isoformat())
    tab.get_by_role("button", name="Отобрать").click()
    tab.wait_for_url(re.compile(rf".*on={on.isoformat()}.*"))
    assert shown_total(tab) == len(queue)
    row = tab.locator(f"#review-{queue[0]['id']}")
    assert f"дней в ожидании: {REVIEW_DAYS + 3}" in row.inner_text()
    assert f"просрочено, дней: {(on - due).days}" in row.locator("td.due").inner_text()
    shot(tab, "queues-overdue")


def test_an_analyst_sees_counts_and_the_impact_page_but_no_personal_file(
    tab: Any, served: LiveServer
) -> None:
    sign_in(tab, served, "analyst")
    assert "Аналитик" in tab.locator("main").inner_text()
    menu = tab.get_by_role("navigation", name="Главное меню")
    for item in ("Главная", "Сводка", "Влияние варианта закона", "Закон"):
        assert menu.get_by_role("link", name=item, exact=True).count() == 1, item
    for item in ("Дела", "На проверку", "Задачи ресоциализации", "Новое дело"):
        assert menu.get_by_role("link", name=item, exact=True).count() == 0, item
    assert tab.get_by_role("search").count() == 0
    menu.get_by_role("link", name="Сводка", exact=True).click()
    assert int(tab.locator("#review-total").inner_text()) == len(served.register.review_queue())
    assert tab.locator("a[href^='/cases/']").count() == 0  # no person's file is linked
    tab.goto(served.url + "/impact")
    assert tab.locator("h1").count() == 1
    person = next(iter(served.register.files))
    for path in (f"/cases/{person}", "/cases", "/review", "/tasks", "/cases/export.csv"):
        answer = tab.request.get(served.url + path)
        assert answer.status == 403, path
    shot(tab, "analyst-dashboard")
