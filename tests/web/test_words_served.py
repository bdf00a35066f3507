"""Words for people on the served pages, in Chromium: error pages in the reader's language with a way
back (JSON kept for the API), the review queue in words (filter by reason, pages, "Открыть дело"),
the override form with the figures its outcome needs and the headline that states the override, the
print stylesheet and the favicon."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, text

from amnesty.engine.terms import Term, last_day
from amnesty.render.formats import format_date
from amnesty.store.models import Case, DecisionRow, Person

from .conftest import PASSWORD, LiveServer, Register, shot

pytestmark = pytest.mark.browser

Live = tuple[LiveServer, Register]
LOCALES = {"ru": "ru-RU", "kk": "kk-KZ"}
_CODE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")


@contextmanager
def signed_in(browser: Any, live: Live, username: str, language: str) -> Iterator[Any]:
    """A tab of a fresh browser context in `language` (its Accept-Language), signed in as `username`."""
    server, _ = live
    context = browser.new_context(locale=LOCALES[language], viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)  # the shared server may be busy with another test's job
    page = context.new_page()
    page.goto(server.url + "/signin")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/home$"))
    try:
        yield page
    finally:
        context.close()


ERRORS = {
    "ru": {
        404: "Страница не найдена",
        403: "Доступ запрещён",
        422: "Неверное значение",
        500: "Что-то пошло не так",
        "no_person": "Такого лица нет в вашем реестре.",
        "page_number": "Номер страницы: не целое число",
        "back": "Вернуться на предыдущую страницу",
        "home": "На главную страницу",
    },
    "kk": {
        404: "Бет табылмады",
        403: "Кіруге рұқсат жоқ",
        422: "Мән дұрыс емес",
        500: "Бірдеңе дұрыс болмады",
        "no_person": "Сіздің тізіліміңізде мұндай адам жоқ.",
        "page_number": "Бет нөмірі: бүтін сан емес",
        "back": "Алдыңғы бетке оралу",
        "home": "Басты бетке",
    },
}


@contextmanager
def broken_decision(server: LiveServer, person_id: str) -> Iterator[None]:
    """The person's newest decision made unreadable in the served database (its append-only guard
    lifted for the moment), restored afterwards: the page meets an unexpected error."""
    with server.engine.begin() as db:
        triggers = db.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'decisions'")
        ).all()
        row = db.execute(
            select(DecisionRow.id, DecisionRow.decision)
            .join(Case, Case.id == DecisionRow.case_fk)
            .join(Person, Person.id == Case.person_fk)
            .where(Person.person_id == person_id)
            .order_by(DecisionRow.id.desc())
            .limit(1)
        ).one()
        for name, _sql in triggers:
            db.execute(text(f'DROP TRIGGER "{name}"'))
        db.execute(
            DecisionRow.__table__.update().where(DecisionRow.id == row.id).values(decision={"outcome": 7})
        )
    try:
        yield
    finally:
        with server.engine.begin() as db:
            db.execute(
                DecisionRow.__table__.update().where(DecisionRow.id == row.id).values(decision=row.decision)
            )
            for _name, sql in triggers:
                db.execute(text(sql))


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_error_pages_are_html_in_the_readers_language_with_a_way_back(
    browser: Any, live: Live, language: str
) -> None:
    server, backend = live
    words = ERRORS[language]
    files = backend.files
    elsewhere = next(pid for pid, f in sorted(files.items()) if f.record.region not in ("Almaty", None))
    with signed_in(browser, live, "social", language) as page:
        # A social worker of Almaty opens a person of another region: not in their register.
        page.goto(server.url + "/cases")
        answer = page.goto(server.url + f"/cases/{elsewhere}", referer=server.url + "/cases")
        assert answer is not None
        assert answer.status == 404
        assert "text/html" in answer.headers["content-type"]
        assert page.locator("html").get_attribute("lang") == language
        expect(page.locator("h1")).to_have_text(words[404])
        expect(page.get_by_role("alert")).to_have_text(words["no_person"])
        shot(page, f"error-404-{language}")
        page.get_by_role("link", name=words["back"]).click()
        page.wait_for_url(re.compile(r".*/cases$"))
        # An unknown person id, and the way home.
        answer = page.goto(server.url + "/cases/NO-SUCH-PERSON")
        assert answer is not None
        assert answer.status == 404
        page.get_by_role("link", name=words["home"]).click()
        page.wait_for_url(re.compile(r".*/home$"))
        # A page of another role.
        answer = page.goto(server.url + "/admin/users")
        assert answer is not None
        assert answer.status == 403
        expect(page.locator("h1")).to_have_text(words[403])
        shot(page, f"error-403-{language}")
        # A bad value in the address: the field named by its label, the problem in words.
        answer = page.goto(server.url + "/tasks?page=abc")
        assert answer is not None
        assert answer.status == 422
        expect(page.locator("h1")).to_have_text(words[422])
        expect(page.locator(".problems li")).to_have_text([words["page_number"]])
        body = page.locator("main").inner_text()
        assert not re.search(r"[A-Za-z]{3,}", body), body
        shot(page, f"error-422-{language}")
        # The API keeps its JSON.
        api = page.request.get(server.url + f"/api/persons/{elsewhere}")
        assert api.status in (403, 404)
        assert api.headers["content-type"].startswith("application/json")
        assert "code" in api.json()["error"]
        missing = page.request.get(server.url + "/api/no-such-endpoint")
        assert missing.status == 404
        assert missing.json()["error"]["code"] == "not_found"
    mine = next(pid for pid, f in sorted(files.items()) if f.record.region == "Almaty")
    with signed_in(browser, live, "social", language) as page, broken_decision(server, mine):
        answer = page.goto(server.url + f"/cases/{mine}")
        assert answer is not None
        assert answer.status == 500
        expect(page.locator("h1")).to_have_text(words[500])
        assert page.get_by_role("link", name=words["home"]).count() == 1
        assert "Traceback" not in page.content()
        shot(page, f"error-500-{language}")
        api = page.request.get(server.url + "/api/no-such-endpoint")
        assert api.headers["content-type"].startswith("application/json")


def test_review_queue_filters_by_a_reason_in_words_pages_and_opens_the_case(browser: Any, live: Live) -> None:
    server, backend = live
    queue = backend.review_queue()
    unverified = [row for row in queue if "LIST_ENTRY_UNVERIFIED" in row["reason_codes"]]
    assert any(row["provisional"] and not row["needs_review"] for row in unverified)
    reason = "Статья в перечне закона — лишь непроверенный кандидат"
    with signed_in(browser, live, "reviewer", "ru") as page:
        page.goto(server.url + "/review?size=20")
        status = page.locator("#review-results [role=status]")
        expect(status).to_contain_text(f"Ожидают проверки: {len(backend.review_queue())}")
        pages = -(-len(backend.review_queue()) // 20)
        pager = page.get_by_role("navigation", name="Страницы")
        expect(pager).to_contain_text(f"Страница 1 из {pages}")
        first_page = page.locator("#review-results tbody tr .hint").all_inner_texts()
        pager.get_by_role("link", name="Следующая страница").click()
        expect(page.get_by_role("navigation", name="Страницы")).to_contain_text(f"Страница 2 из {pages}")
        second_page = page.locator("#review-results tbody tr .hint").all_inner_texts()
        assert first_page
        assert second_page
        assert not set(first_page) & set(second_page)
        page.goto(server.url + "/review?size=100")
        page.get_by_label("Причина проверки").select_option(label=reason)
        expect(status).to_contain_text(f"Ожидают проверки: {len(unverified)}", timeout=15_000)
        rows = page.locator("#review-results tbody tr")
        expect(rows).to_have_count(len(unverified))
        for cell in page.locator("#review-results tbody tr td.reason").all_inner_texts():
            assert reason in cell
        table = page.locator("#review-results table").inner_text()
        assert not _CODE.search(table), table
        assert re.search(r"code=LIST_ENTRY_UNVERIFIED", page.url)
        shot(page, "review-filtered-by-reason")
        action = rows.first.get_by_role("link", name=re.compile(r"^Открыть дело"))
        person_id = rows.first.locator(".hint").inner_text()
        action.click()
        page.wait_for_url(re.compile(rf".*/cases/{re.escape(person_id)}#override-\d+$"))
        expect(page.locator("h3[id^=override-]").first).to_have_text("Изменить решение")


def _open_row(backend: Register, outcome: str) -> dict[str, Any]:
    return next(
        row
        for row in backend.review_queue()
        if row["outcome"] == outcome and (f := backend.person(row["person_id"])) and f.decision.sentence
    )


def test_override_takes_the_figures_its_outcome_needs_and_the_headline_states_it(
    browser: Any, live: Live
) -> None:
    server, backend = live
    row = _open_row(backend, "release")
    file = backend.person(row["person_id"])
    assert file is not None
    assert file.decision.sentence is not None
    sentence = file.decision.sentence
    assert sentence.start_date is not None
    assert sentence.original_term is not None
    with signed_in(browser, live, "reviewer", "ru") as page:
        page.goto(server.url + f"/cases/{row['person_id']}")
        box = page.locator(f"#override-box-{row['id']}")
        box.locator("select[name=outcome]").select_option(label="Срок сокращается")
        box.get_by_label("Обоснование").fill("Суд учёл иной зачёт срока содержания под стражей.")
        box.get_by_label("Ссылка на закон").fill("Закон № 152-VII, ст. 2")
        box.get_by_role("button", name="Сохранить решение").click()
        alert = box.get_by_role("alert")
        expect(alert).to_contain_text(
            "Новая дата окончания срока: для сокращения срока нужен новый срок или новая дата окончания"
        )
        original = sentence.original_term
        box.get_by_label("Лет", exact=True).fill(str(original.years + 1))
        box.get_by_role("button", name="Сохранить решение").click()
        expect(box.get_by_role("alert")).to_contain_text(
            "Новый срок: должен быть короче первоначального срока"
        )
        shot(page, "override-figures-refused")
        box.get_by_label("Лет", exact=True).fill("0")
        box.get_by_label("Месяцев", exact=True).fill("6")
        box.get_by_role("button", name="Сохранить решение").click()
        page.wait_for_url(re.compile(r".*\?saved=override#case-overrides-\d+$"))
        end = format_date(last_day(sentence.start_date, Term(0, 6)), "ru")
        today = format_date(dt.datetime.now(dt.UTC).date(), "ru")
        expect(page.locator("#decision-headline")).to_have_text(
            f"Срок наказания сокращается: новая дата окончания {end} — решение проверяющего (reviewer, {today})"
        )
        expect(page.locator("[role=note]").first).to_contain_text(
            "Решение программы было таким: Освобождается"
        )
        shot(page, "override-headline")
    stored = backend.person(row["person_id"])
    assert stored is not None
    assert stored.overrides[-1].new_end_date == last_day(sentence.start_date, Term(0, 6))
    assert row["id"] not in [r["id"] for r in backend.review_queue()]


def test_override_to_a_release_in_kazakh_needs_the_release_date(browser: Any, live: Live) -> None:
    server, backend = live
    row = _open_row(backend, "reduce_sentence")
    file = backend.person(row["person_id"])
    assert file is not None
    assert file.decision.sentence is not None
    assert file.decision.sentence.start_date
    release = file.decision.sentence.start_date + dt.timedelta(days=400)
    with signed_in(browser, live, "reviewer", "kk") as page:
        page.goto(server.url + f"/cases/{row['person_id']}")
        box = page.locator(f"#override-box-{row['id']}")
        box.locator("select[name=outcome]").select_option(label="Босату")
        box.get_by_label("Негіздеме").fill("Сот қамауда ұстау мерзімін басқаша есептеді.")
        box.get_by_label("Заңға сілтеме").fill("№ 152-VII Заң, 2-бап")
        box.get_by_role("button", name="Шешімді сақтау").click()
        expect(box.get_by_role("alert")).to_contain_text("Босату күні: босату үшін босату күні қажет")
        box.get_by_label("Босату күні").fill(release.isoformat())
        box.get_by_role("button", name="Шешімді сақтау").click()
        page.wait_for_url(re.compile(r".*\?saved=override#case-overrides-\d+$"))
        expect(page.locator("#decision-headline")).to_contain_text(
            f"Жазадан босатылады: босату күні {format_date(release, 'kk')} — тексерушінің шешімі (reviewer,"
        )


def test_person_page_prints_without_menus_or_forms_and_the_site_has_a_favicon(
    browser: Any, live: Live
) -> None:
    server, backend = live
    person = sorted(backend.files)[0]
    with signed_in(browser, live, "admin", "ru") as page:
        page.goto(server.url + f"/cases/{person}")
        icon = page.locator("head link[rel=icon]").first.get_attribute("href")
        assert icon == "/favicon.ico"
        answer = page.request.get(server.url + icon)
        assert answer.status == 200
        assert answer.headers["content-type"] == "image/vnd.microsoft.icon"
        assert answer.body()[:4] == b"\x00\x00\x01\x00"
        assert page.get_by_role("navigation", name="Главное меню").is_visible()
        assert page.locator("section[aria-labelledby^=override-]").first.is_visible()
        page.emulate_media(media="print")
        assert not page.get_by_role("navigation", name="Главное меню").is_visible()
        assert not page.locator("section[aria-labelledby^=override-]").first.is_visible()
        assert not page.get_by_role("button").first.is_visible()
        assert page.locator("#decision-headline").is_visible()
        assert page.locator("h3[id^=reasons-]").first.is_visible()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
        page.goto(server.url + f"/documents/{person}")
        assert page.locator(".headline").first.is_visible()
        assert not page.get_by_role("navigation", name="Главное меню").is_visible()
