"""The decision in force in Chromium against `amnesty serve`: a reviewer overrides a needs-review
decision to "not covered"; the page, the open questions and the downloaded document follow the
override (the document says the reviewer decided, who and when); the reviewer withdraws the override
with a reason, and the page and the document are the engine's again; the withdrawal is audited."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from docx import Document

from .conftest import LiveServer, Register, shot
from .test_browser import sign_in

pytestmark = pytest.mark.browser

PERSON = "H3-DIF-1"
UNKNOWN_CONTEXT = {
    "person_id": PERSON,
    "full_name": "Тестов Ерлан Серикович",
    "region": "Astana",
    "stage": "serving",
    "case_number": "DIF-1",
    "charges": [
        {"article": 293, "part": 2, "category": "grave", "offence_date": "2022-01-05", "context": "unknown"}
    ],
    "sentence": {"punishment": "imprisonment", "term": {"years": 8}, "start_date": "2022-01-06"},
}
JUSTIFICATION = "Связь с событиями не подтверждена материалами дела."
REASON = "Решение внесено по ошибке: материалы дела не получены."

Live = tuple[LiveServer, Register]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A server of this module's own (its overrides change no other module's register)."""
    with LiveServer(tmp_path_factory.mktemp("in-force"), 8, [UNKNOWN_CONTEXT]) as server:
        yield server, server.register


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Any]:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def _document(page: Any, live: Live) -> str:
    """The Russian DOCX of the person's case, downloaded from the documents page by a click."""
    page.goto(f"{live[0].url}/documents/{PERSON}")
    link = page.locator(f'a[href^="/documents/{PERSON}/"][href$="/ru.docx"]').first
    with page.expect_download() as found:
        link.click()
    path = found.value.path()
    return "\n".join(p.text for p in Document(io.BytesIO(open(path, "rb").read())).paragraphs)


def test_a_reviewer_overrides_then_withdraws_and_page_and_document_follow(page: Any, live: Live) -> None:
    _, backend = live
    sign_in(page, live, "reviewer")
    engine_document = _document(page, live)
    assert "расчёт программы" in engine_document
    page.goto(f"{live[0].url}/cases/{PERSON}")
    engine_headline = page.locator("#decision-headline").inner_text()
    assert page.get_by_role("heading", name="Открытые вопросы").count() == 1

    page.locator("[id^=override-outcome-]").first.select_option("not_covered")
    page.locator("[id^=override-justification-]").first.fill(JUSTIFICATION)
    page.locator("[id^=override-citation-]").first.fill("Закон 152-VII, ст. 1")
    page.get_by_role("button", name="Сохранить решение").click()
    page.wait_for_url(re.compile(rf".*/cases/{PERSON}\?saved=override#case-overrides-\d+$"))
    assert page.locator("#decision-headline").inner_text().startswith("Не подпадает под амнистию")
    assert "решение проверяющего (reviewer" in page.locator("#decision-headline").inner_text()
    assert page.get_by_role("heading", name="Открытые вопросы").count() == 0
    assert page.locator("[id^=questions-closed-]").is_visible()
    assert page.locator("[id^=override-row-]").first.inner_text().strip().endswith("Действует")
    shot(page, "in-force-overridden")

    document = _document(page, live)
    assert "не подпадает под действие акта об амнистии" in document
    assert "Решение: проверяющего reviewer" in document
    assert JUSTIFICATION in document
    assert document != engine_document

    page.goto(f"{live[0].url}/cases/{PERSON}")
    reason = page.get_by_label("Причина отзыва")
    reason.fill("коротко")
    reason.evaluate("el => el.removeAttribute('minlength')")
    page.get_by_role("button", name="Отозвать решение юриста").click()
    assert "Укажите причину отзыва" in page.get_by_role("alert").first.inner_text()
    assert page.locator("#decision-headline").inner_text().startswith("Не подпадает под амнистию")

    page.get_by_label("Причина отзыва").fill(REASON)
    page.get_by_role("button", name="Отозвать решение юриста").click()
    page.wait_for_url(re.compile(rf".*/cases/{PERSON}\?saved=withdrawn#case-\d+$"))
    assert "Решение юриста отозвано" in page.get_by_role("status").first.inner_text()
    assert page.locator("#decision-headline").inner_text() == engine_headline
    row = page.locator("[id^=override-row-]").first.inner_text()
    assert "Отозвано: reviewer" in row
    assert REASON in row
    assert page.get_by_role("heading", name="Открытые вопросы").count() == 1
    assert page.get_by_role("button", name="Отозвать решение юриста").count() == 0
    shot(page, "in-force-withdrawn")

    assert "расчёт программы" in _document(page, live)
    assert any(
        actor == "reviewer" and action == "override.withdraw" for actor, action, _, _ in backend.events
    )


def test_a_case_officer_has_no_withdraw_button(page: Any, live: Live) -> None:
    sign_in(page, live, "officer")
    page.goto(f"{live[0].url}/cases/{PERSON}")
    assert page.get_by_role("button", name="Отозвать решение юриста").count() == 0


def test_an_answer_names_its_source_on_the_page_and_in_the_document(page: Any, live: Live) -> None:
    """Runs after the withdrawal above: the questions are open again, an officer answers one."""
    sign_in(page, live, "officer")
    page.goto(f"{live[0].url}/cases/{PERSON}")
    question = page.locator("form.question").first
    question.locator("select[name=value]").select_option("riot")
    question.get_by_label("Документ-источник").fill("Протокол допроса № 17, л. д. 4")
    question.get_by_role("button", name="Сохранить ответ").click()
    page.wait_for_url(re.compile(rf".*/cases/{PERSON}\?saved=answer#case-\d+$"))
    answered = page.locator("[id^=answered-] + ul").first.inner_text()
    assert "источник — Протокол допроса № 17, л. д. 4" in answered
    assert "officer" in answered
    shot(page, "in-force-answered")
    document = _document(page, live)
    assert "источник — Протокол допроса № 17, л. д. 4" in document
