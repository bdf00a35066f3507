"""End-to-end flows in headless Chromium against a live server (Russian interface unless switched)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from amnesty.domain.enums import Category, Outcome, ReleaseMode

from .conftest import PASSWORD, LiveServer, Register, shot

pytestmark = pytest.mark.browser

Live = tuple[LiveServer, Register]


def _region_key(backend: Register, shown: str) -> str:
    """The stored region name behind a Russian label (the list sorts by the stored name)."""
    from amnesty.web.i18n import translations
    from amnesty.web.labels import VOCABULARY

    for name, message in VOCABULARY["region"].items():
        if translations("ru").gettext(message) == shown:
            return name
    raise AssertionError(shown)


def sign_in(page: Any, live: Live, username: str) -> None:
    server, _ = live
    page.context.clear_cookies()
    page.goto(server.url + "/signin")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/home$"))


@pytest.mark.parametrize(
    ("username", "allowed", "forbidden"),
    [
        ("admin", ["Новое дело", "Загрузка файла", "На проверку"], []),
        ("officer", ["Новое дело", "Загрузка файла", "На проверку"], []),
        ("reviewer", ["На проверку"], ["Новое дело", "Загрузка файла"]),
        ("social", [], ["Новое дело", "Загрузка файла", "На проверку"]),
        ("auditor", ["На проверку"], ["Новое дело", "Загрузка файла"]),
    ],
)
def test_sign_in_per_role_shows_that_roles_menu(
    page: Any, live: Live, username: str, allowed: list[str], forbidden: list[str]
) -> None:
    sign_in(page, live, username)
    menu = page.get_by_role("navigation", name="Главное меню")
    for item in ["Главная", "Сводка", "Дела", "Закон", *allowed]:
        assert menu.get_by_role("link", name=item, exact=True).count() == 1, item
    for item in forbidden:
        assert menu.get_by_role("link", name=item, exact=True).count() == 0, item
    assert page.locator("h1").inner_text().startswith("Здравствуйте")
    shot(page, f"home-{username}")


def test_wrong_password_is_refused(page: Any, live: Live) -> None:
    server, _ = live
    page.goto(server.url + "/signin")
    page.get_by_label("Имя пользователя").fill("officer")
    page.get_by_label("Пароль").fill("not the password")
    page.locator("main form button[type=submit]").click()
    assert page.get_by_role("alert").inner_text().strip() == "Неверное имя пользователя или пароль."
    assert "/signin" in page.url


def test_from_the_dashboard_find_who_is_released_and_why_in_russian(page: Any, live: Live) -> None:
    _, backend = live
    sign_in(page, live, "officer")
    page.get_by_role("link", name="Сводка", exact=True).click()
    assert page.locator("h1").inner_text() == "Сводка"
    section = page.locator("section", has=page.get_by_role("heading", name="Кого освобождают"))
    first = section.locator("tbody tr").first
    name = first.locator("td").first.inner_text()
    shot(page, "dashboard")
    first.get_by_role("link").click()
    page.wait_for_url(re.compile(r".*/cases/P-\d+$"))
    person_id = page.url.rsplit("/", 1)[-1]
    file = backend.person(person_id)
    assert file is not None
    assert (file.record.full_name or person_id) == name
    assert file.decision.outcome is Outcome.RELEASE
    headline = page.locator("#decision-headline").inner_text()
    assert headline.startswith("Освобождается от наказания")
    reasons = page.locator("section.case").first.locator("h3[id^=reasons-] + ul li")
    assert reasons.count() >= 1
    first_reason = file.decision.reasons[0]
    assert first_reason.texts["ru"] in reasons.first.inner_text()
    link = reasons.first.get_by_role("link", name=f"правило {first_reason.rule}")
    assert link.get_attribute("href") == f"/law?law={file.decision.law}#rule-{first_reason.rule}"
    decided_under = page.locator("section.case").first.locator("p.decided-under")
    assert decided_under.inner_text().startswith("Решение принято по закону: Закон Республики Казахстан")
    shot(page, "person-release")
    link.click()
    page.wait_for_url(re.compile(rf".*/law\?law={file.decision.law}#rule-{first_reason.rule}$"))
    assert page.locator(f"#rule-{first_reason.rule}").is_visible()
    assert "152-VII" in page.locator("h1").inner_text()


def test_find_a_case_by_iin_sort_and_page(page: Any, live: Live) -> None:
    _, backend = live
    target = next(f for f in backend.files.values() if f.record.iin)
    sign_in(page, live, "officer")
    page.goto(live[0].url + "/cases")
    expect(page.get_by_role("status").first).to_contain_text("Найдено: 121")
    page.get_by_label("ФИО, ИИН или номер дела").fill(target.record.iin or "")
    page.get_by_role("button", name="Найти").click()
    expect(page.locator("#results [role=status]")).to_contain_text(re.compile(r"Найдено: 1(?!\d)"))
    rows = page.locator("#results tbody tr")
    assert rows.count() == 1
    assert target.record.person_id in rows.first.get_by_role("link").get_attribute("href")
    page.get_by_label("ФИО, ИИН или номер дела").fill("")
    page.get_by_role("button", name="Найти").click()
    expect(page.locator("#results [role=status]")).to_contain_text(re.compile(r"Найдено: 121(?!\d)"))
    page.locator("#results thead").get_by_role("link", name="Регион").click()
    expect(page.locator("#results thead th[aria-sort=ascending]")).to_contain_text("Регион")
    regions = page.locator("#results tbody tr td:nth-child(4)").all_inner_texts()
    assert len(regions) == 25
    assert regions == sorted(regions, key=lambda r: _region_key(backend, r)), "sorted by region"
    page.locator("#results").get_by_role("link", name="Следующая страница").click()
    expect(page.locator("#results nav")).to_contain_text("Страница 2 из 5")
    assert "page=2" in page.url
    shot(page, "cases")


def _code_cannot_contradict(article: int, part: int | None) -> bool:
    """A charge whose recorded category the Criminal Code catalogue cannot contradict (no sanction known,
    or a part amended after January 2022): changing its category in a what-if changes the relief."""
    from amnesty.law.loader import default_law

    entry = default_law().facts(article, part).sanction_entry
    return entry is None or (entry.source is not None and entry.source.may_differ_2022)


def test_what_if_shows_both_decisions_with_differences_marked(page: Any, live: Live) -> None:
    _, backend = live
    file = next(
        f
        for f in backend.files.values()
        if f.decision.outcome is Outcome.REDUCE_SENTENCE
        and len(f.record.charges) == 1
        and f.record.charges[0].category is Category.GRAVE
        and _code_cannot_contradict(f.record.charges[0].article, f.record.charges[0].part)
    )
    sign_in(page, live, "reviewer")
    page.goto(f"{live[0].url}/cases/{file.record.person_id}")
    page.get_by_role("link", name="А что если? Изменить факт и сравнить").click()
    page.get_by_label("Категория").select_option("medium")
    page.get_by_role("button", name="Сравнить").click()
    table = page.locator("#what-if-result table.compare")
    table.wait_for()
    outcome_row = table.locator("tr", has=page.get_by_role("rowheader", name="Решение", exact=True))
    cells = outcome_row.locator("td").all_inner_texts()
    assert cells[0] == "Срок сокращается"
    assert cells[1] == "изменилось: Освобождение"
    assert "changed" in (outcome_row.locator("td").nth(1).get_attribute("class") or "")
    assert "различ" in page.locator("#cmp-h").inner_text()
    shot(page, "what-if")
    stored = backend.person(file.record.person_id)
    assert stored is not None
    assert stored.decision.outcome is Outcome.REDUCE_SENTENCE


def test_new_case_with_a_mistake_then_fixed(page: Any, live: Live) -> None:
    _, backend = live
    sign_in(page, live, "officer")
    page.goto(live[0].url + "/cases/new")
    page.get_by_label("Номер лица").fill("P-NEW-001")
    page.get_by_label("ФИО").fill("Тестов Тест Тестович")
    page.get_by_label("ИИН", exact=False).first.fill("850315300129")
    page.locator("#iin-check .field-error").wait_for()
    assert "контрольная" in page.locator("#iin-check").inner_text()
    page.get_by_label("Регион").select_option("Almaty")
    page.get_by_label("Стадия дела").select_option("serving")
    page.locator("#role").select_option("participant")
    page.locator("#recidivism").select_option("none")
    page.locator("#charges-0-article").fill("293")
    page.locator("#charges-0-part").fill("2")
    page.locator("#charges-0-category").select_option("medium")
    page.locator("#charges-0-offence_date").fill("2022-01-05")
    page.locator("#charges-0-context").select_option("riot")
    page.get_by_role("button", name="Добавить обвинение").click()
    page.locator("#charge-1").wait_for()
    page.get_by_role("button", name="Удалить обвинение 2").click()
    page.locator("#charge-1").wait_for(state="detached")
    page.locator("#sentence-punishment").select_option("imprisonment")
    page.locator("#sentence-years").fill("3")
    page.locator("#sentence-start_date").fill("2022-01-10")
    page.get_by_role("button", name="Сохранить и решить").click()
    errors = page.locator("#form-errors")
    errors.wait_for()
    assert "ИИН: неверная контрольная цифра ИИН" in errors.inner_text()
    assert page.locator("#iin").get_attribute("aria-invalid") == "true"
    assert page.locator("#iin").get_attribute("aria-describedby").split()[0] == "iin-error"
    assert "контрольная" in page.locator("#iin-error").inner_text()
    assert page.locator("#charges-0-article").input_value() == "293"
    shot(page, "new-case-error")
    errors.get_by_role("link").first.click()
    page.locator("#iin").fill("850315300128")
    page.locator("#iin-check .ok").wait_for()
    page.get_by_role("button", name="Сохранить и решить").click()
    page.wait_for_url(re.compile(r".*/cases/P-NEW-001\?saved=new$"))
    assert page.locator("#decision-headline").inner_text().startswith("Освобождается от наказания")
    stored = backend.person("P-NEW-001")
    assert stored is not None
    assert stored.record.iin == "850315300128"
    shot(page, "new-case-saved")


def test_override_a_review_item(page: Any, live: Live) -> None:
    _, backend = live
    sign_in(page, live, "reviewer")
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="На проверку").click()
    before = len(backend.review_queue())
    assert f"Ожидают проверки: {before}" in page.get_by_role("status").inner_text()
    shot(page, "review-queue")
    first = page.locator("#review-results tbody tr").first
    person_id = first.locator(".hint").inner_text()
    first.get_by_role("link").click()
    page.locator("[id^=override-outcome-]").first.select_option("not_covered")
    page.locator("[id^=override-justification-]").first.fill("коротко")
    page.locator("[id^=override-citation-]").first.fill("Закон 152-VII, ст. 1")
    page.locator("[id^=override-justification-]").first.evaluate("el => el.removeAttribute('minlength')")
    page.get_by_role("button", name="Сохранить решение").click()
    alert = page.locator("[id^=override-box-] [role=alert]").first
    alert.wait_for()
    assert "Обоснование: напишите не менее 20 знаков" in alert.inner_text()
    page.locator("[id^=override-justification-]").first.fill(
        "Связь с событиями не подтверждена материалами дела."
    )
    page.get_by_role("button", name="Сохранить решение").click()
    page.wait_for_url(re.compile(rf".*/cases/{person_id}\?saved=override#case-overrides-\d+$"))
    overrides = page.locator("[id^=case-overrides-] + table").first
    assert "Связь с событиями не подтверждена материалами дела." in overrides.inner_text()
    assert "Не подпадает" in page.locator("[role=note]").first.inner_text()
    assert len(backend.review_queue()) == before - 1
    shot(page, "person-overridden")


def test_switch_language_and_dates_follow(page: Any, live: Live) -> None:
    _, backend = live
    file = next(
        f
        for f in backend.files.values()
        if f.decision.sentence is not None and f.decision.sentence.release is ReleaseMode.ON_DATE
    )
    sign_in(page, live, "auditor")
    page.goto(f"{live[0].url}/cases/{file.record.person_id}")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert " г." in page.locator("[id^=timeline-] + dl").first.inner_text()
    page.get_by_role("navigation", name="Язык").get_by_role("link", name="Қазақша").click()
    page.wait_for_function("document.documentElement.lang === 'kk'")
    assert page.url.endswith(f"/cases/{file.record.person_id}")
    assert page.get_by_role("navigation", name="Басты мәзір").get_by_role("link", name="Жиынтық").count() == 1
    assert "жылғы" in page.locator("[id^=timeline-] + dl").first.inner_text()
    shot(page, "person-kk")
    page.get_by_role("navigation", name="Тіл").get_by_role("link", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Dashboard").count() == 1
    end = file.decision.sentence.new_end_date
    assert end is not None
    assert (
        f"{end.day} {end.strftime('%B')} {end.year}"
        in page.locator("[id^=timeline-] + dl").first.inner_text()
    )
    page.goto(live[0].url + "/law")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Law of the Republic of Kazakhstan")
    assert page.locator("#art-287 .badge").inner_text() == "unverified"
    assert "Terrorist" in page.locator("#code-269").inner_text()  # the Code's art. 3 point 30
    assert "Especially grave" in page.locator("#code-132-5").inner_text()  # computed from 10-15 years
    assert "only under point 3" in page.locator("#code-362-4").inner_text()
    assert "may differ" in page.locator("#code-202-2").inner_text()
    assert "admitting guilt" in page.locator("#note-conditions_not_modelled").inner_text()
    shot(page, "law-en")


def test_keyboard_skip_link_and_visible_focus(page: Any, live: Live) -> None:
    sign_in(page, live, "admin")
    page.goto(live[0].url + "/dashboard")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Перейти к основному содержанию"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for path in ["/dashboard", "/cases", "/cases/new", "/review", "/cases/P-000001/what-if"]:
        page.goto(live[0].url + path)
        unlabeled = page.evaluate(
            """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
               .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
               .map(el => el.name)"""
        )
        assert unlabeled == [], path


def test_new_case_with_the_point_and_the_victims_age_of_its_charges(page: Any, live: Live) -> None:
    """An officer records art. 362 part 4 point 1 (not a corruption point) and a rape of an adult: the
    case is decided on those facts, not sent for review, and the what-if form shows them again."""
    _, backend = live
    sign_in(page, live, "officer")
    page.goto(live[0].url + "/cases/new")
    page.get_by_label("Номер лица").fill("P-FACTS-01")
    page.get_by_label("Стадия дела").select_option("trial")
    page.locator("#role").select_option("participant")
    page.locator("#recidivism").select_option("none")
    page.locator("#charges-0-article").fill("362")
    page.locator("#charges-0-part").fill("4")
    page.get_by_label("Пункт части").first.fill("1")
    page.locator("#charges-0-offence_date").fill("2022-01-06")
    page.locator("#charges-0-context").select_option("suppression")
    page.get_by_role("button", name="Добавить обвинение").click()
    page.locator("#charge-1").wait_for()
    page.locator("#charges-1-article").fill("120")
    page.locator("#charges-1-part").fill("1")
    page.locator("#charges-1-offence_date").fill("2022-01-06")
    page.locator("#charges-1-victim_minor").select_option(label="Нет")
    page.get_by_role("button", name="Сохранить и решить").click()
    page.wait_for_url(re.compile(r".*/cases/P-FACTS-01\?saved=new$"))
    stored = backend.person("P-FACTS-01")
    assert stored is not None
    assert [(c.point, c.victim_minor) for c in stored.record.charges] == [(1, None), (None, False)]
    codes = {r.code for r in stored.decision.reasons}
    assert codes.isdisjoint(
        {"EXCLUSION_POINT_UNKNOWN", "EXCLUSION_VICTIM_AGE_UNKNOWN", "EXCLUDED_CORRUPTION"}
    )
    assert "PARTIAL_COVERAGE" in codes
    page.goto(live[0].url + "/cases/P-FACTS-01/what-if")  # the form holds the record's values
    assert page.locator("#charges-0-point").input_value() == "1"
    assert page.locator("#charges-1-victim_minor").input_value() == "no"
