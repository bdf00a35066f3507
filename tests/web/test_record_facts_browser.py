"""The facts some laws read (CONTRACT.md, "Several laws") on the case form, in Chromium against
`amnesty serve`: grouped as "social situation", "conduct", "damage and civil claim"; every yes/no
starts as "not known" and every list empty (the Code as the 2014 one); a case saved with some of them
shows them on the person's page in Russian, an inserted article "188-1" included, and the edit form
gives them back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import LiveServer, Register, shot
from .test_browser import sign_in

pytestmark = pytest.mark.browser

Live = tuple[LiveServer, Register]
TRI_STATES = (
    "veteran",
    "pregnant",
    "children_under_18",
    "sole_parent",
    "disabled_dependant",
    "negative_conduct",
    "charges-0-intoxicated",
    "charges-0-civil_claim",
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A server of this module's own."""
    with LiveServer(tmp_path_factory.mktemp("record-facts"), 4, []) as server:
        yield server, server.register


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Any]:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def test_new_facts_start_unknown_and_come_back_on_the_person_page(page: Any, live: Live) -> None:
    sign_in(page, live, "officer")
    page.goto(live[0].url + "/cases/new")
    assert page.locator("#social-situation legend").inner_text() == "Социальное положение"
    assert page.locator("#conduct legend").inner_text() == "Поведение"
    for name in TRI_STATES:
        assert page.locator(f"#{name}").input_value() == "", name
    assert page.locator("#sex").input_value() == ""
    assert page.locator("#disability_group").input_value() == ""
    assert page.locator("#charges-0-damage").input_value() == ""
    assert page.locator("#charges-0-code").input_value() == "kz-2014"
    for name in ("malicious_violator", "crime_while_serving", "objects", "charges-0-criminal_group"):
        assert not page.locator(f"#{name}").is_checked(), name

    page.get_by_label("Номер лица").fill("RF-1")
    page.get_by_label("ФИО").fill("Фактова Анна Сергеевна")
    page.get_by_label("Стадия дела").select_option("trial")
    page.locator("#role").select_option("participant")
    page.locator("#recidivism").select_option("none")
    page.locator("#charges-0-article").fill("188-1")
    page.locator("#charges-0-part").fill("1")
    page.locator("#charges-0-category").select_option("medium")
    page.locator("#charges-0-offence_date").fill("2021-06-01")
    page.locator("#sex").select_option("female")
    page.locator("#children_under_18").select_option("yes")
    page.locator("#veteran").select_option("no")
    page.locator("#disability_group").select_option("2")
    page.locator("#malicious_violator").check()
    page.locator("#charges-0-damage").select_option("repaid")
    page.locator("#charges-0-civil_claim").select_option("yes")
    page.locator("#charges-0-code").select_option("kz-1997")
    shot(page, "record-facts-form")
    page.get_by_role("button", name="Сохранить и решить").click()
    page.wait_for_url(re.compile(r".*/cases/RF-1\?saved=new$"))

    facts = page.locator("section.record-facts").first.inner_text()
    for words in (
        "Сведения для других законов об амнистии",
        "Социальное положение",
        "Пол",
        "Женский",
        "Имеет ребёнка до 18 лет",
        "Вторая группа инвалидности",
        "Признан злостным нарушителем порядка отбывания наказания",
        "Уголовный кодекс 1997 года",
        "Ущерб возмещён полностью",
        "Заявлен гражданский иск: Да",
    ):
        assert words in facts, words
    assert "Беременна" not in facts  # not known: not shown
    assert "188-1" in page.locator("main").inner_text()
    shot(page, "record-facts-person")

    stored = live[1].person("RF-1")
    assert stored is not None
    record = stored.record
    assert (record.sex.value if record.sex else None, record.children_under_18, record.veteran) == (
        "female",
        True,
        False,
    )
    assert (record.pregnant, record.disability_group, record.malicious_violator) == (None, 2, True)
    charge = record.charges[0]
    assert (charge.article, charge.code.value, charge.intoxicated) == ("188-1", "kz-1997", None)

    page.locator("a.button", has_text="Изменить дело").first.click()
    page.wait_for_url(re.compile(r".*/edit\?case=\d+$"))
    assert page.locator("#charges-0-article").input_value() == "188-1"
    assert page.locator("#children_under_18").input_value() == "yes"
    assert page.locator("#pregnant").input_value() == ""
    assert page.locator("#malicious_violator").is_checked()
    assert page.locator("#charges-0-code").input_value() == "kz-1997"
