"""Answering a question of a `needs_review` decision on the person's page, by clicking, in Chromium,
against `amnesty serve` started as a process: the answer is stored with its source, the case is
evaluated again and the page shows the new decision."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from amnesty.store.models import AuditEvent

from .conftest import LiveServer, Register
from .test_forms_served import sign_in

pytestmark = pytest.mark.browser

PERSON = "ASK-CONTEXT-1"
UNKNOWN_CONTEXT = {
    "person_id": PERSON,
    "full_name": "Вопросов Контекст",
    "region": "Almaty",
    "stage": "serving",
    "case_number": "ASK-1",
    "charges": [
        {"article": 188, "part": 2, "category": "medium", "offence_date": "2022-01-05", "context": "unknown"}
    ],
    "sentence": {"punishment": "imprisonment", "term": {"years": 2}, "start_date": "2022-01-06"},
}
"""A theft whose link to the January events is not recorded: the decision asks for it."""
FOR_REVIEWER = {
    **UNKNOWN_CONTEXT,
    "person_id": "ASK-CONTEXT-2",
    "full_name": "Проверкин Вопрос",
    "case_number": "ASK-2",
}
"""The same question, for a reviewer to settle."""


@pytest.fixture(scope="module")
def asking(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Register]]:
    with LiveServer(tmp_path_factory.mktemp("asking"), 4, [UNKNOWN_CONTEXT, FOR_REVIEWER]) as server:
        yield server, server.register


def test_the_review_queue_filters_cases_with_open_questions(
    browser: Any, asking: tuple[LiveServer, Register]
) -> None:
    asking_persons = {pid for pid, f in asking[1].files.items() if f.decision.questions and not f.overrides}
    assert PERSON in asking_persons
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, asking, "reviewer")
        page.goto(f"{asking[0].url}/review")
        page.get_by_label("Open questions").select_option("open")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url(re.compile(r".*/review\?.*questions=open.*"))
        rows = page.locator("#review-results tbody tr")
        expect(rows).to_have_count(len(asking_persons))
        shown = {rows.nth(i).locator(".hint").first.inner_text() for i in range(rows.count())}
        assert shown == asking_persons
    finally:
        context.close()


def _question_form(page: Any) -> Any:
    return page.locator("form.question").filter(
        has=page.locator("input[name=field][value='charges[0].context']")
    )


def test_a_case_officer_answers_a_question_by_clicking(
    browser: Any, asking: tuple[LiveServer, Register]
) -> None:
    before = asking[1].person(PERSON)
    assert before is not None
    assert before.decision.outcome.value == "needs_review"
    question = next(q for q in before.decision.questions if q.field == "charges[0].context")
    assert question.leads_to is not None
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, asking, "officer")
        page.goto(f"{asking[0].url}/cases/{PERSON}")
        late = context.new_page()
        late.goto(f"{asking[0].url}/cases/{PERSON}")
        form = _question_form(page)
        expect(form.get_by_role("combobox")).to_contain_text("→")  # each option shows where it leads
        form.get_by_role("combobox").select_option("riot")
        form.get_by_label("Source document").fill("   ")
        form.get_by_role("button", name="Save the answer").click()
        expect(page.get_by_role("alert")).to_contain_text("Name the source document of the answer.")
        form = _question_form(page)
        form.get_by_role("combobox").select_option("riot")
        form.get_by_label("Source document").fill("court file 2-123/2022, page 4")
        form.get_by_role("button", name="Save the answer").click()
        page.wait_for_url(re.compile(rf".*/cases/{PERSON}\?saved=answer#case-\d+$"))
        expect(page.get_by_role("status").first).to_contain_text("evaluated again")
        expect(_question_form(page)).to_have_count(0)
        stale = _question_form(late)  # a page opened before the answer was saved
        stale.get_by_role("combobox").select_option("unrelated")
        stale.get_by_label("Source document").fill("another file")
        stale.get_by_role("button", name="Save the answer").click()
        expect(late.get_by_role("alert")).to_contain_text("no longer open")
    finally:
        context.close()
    after = asking[1].person(PERSON)
    assert after is not None
    assert after.record.charges[0].context.value == "riot"
    assert after.decision.outcome == question.leads_to["riot"]
    with asking[1].sessions() as db:
        events = list(db.scalars(select(AuditEvent).where(AuditEvent.action == "case.answer")))
        assert len(events) == 1
        assert events[0].actor == "officer"
        assert "court file 2-123/2022, page 4" in str(events[0].details)


def test_a_reviewer_answers_a_question_from_a_document(
    browser: Any, asking: tuple[LiveServer, Register]
) -> None:
    person = str(FOR_REVIEWER["person_id"])
    before = asking[1].person(person)
    assert before is not None
    question = next(q for q in before.decision.questions if q.field == "charges[0].context")
    assert question.leads_to is not None
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, asking, "reviewer")
        page.goto(f"{asking[0].url}/cases/{person}")
        form = _question_form(page)
        form.get_by_role("combobox").select_option("suppression")
        form.get_by_label("Source document").fill("prosecutor's letter 7-15/2022")
        form.get_by_role("button", name="Save the answer").click()
        page.wait_for_url(re.compile(rf".*/cases/{person}\?saved=answer#case-\d+$"))
        expect(_question_form(page)).to_have_count(0)
        expect(page.locator("main")).to_contain_text("prosecutor's letter 7-15/2022")
    finally:
        context.close()
    after = asking[1].person(person)
    assert after is not None
    assert after.record.charges[0].context.value == "suppression"
    assert after.decision.outcome == question.leads_to["suppression"]
