"""No fact by default, no duplicate person, in Chromium against `amnesty serve`: a new charge's
connection with the events starts as "not known"; a case without a person number gets one from the
system; a case whose IIN belongs to a person in the register goes to that person's file (the officer
is told); a name and birth date already in the register are offered as possibly the same person."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from amnesty.store.models import Person

from .conftest import LiveServer, Register, shot
from .test_browser import sign_in

pytestmark = pytest.mark.browser

KNOWN_IIN = "850315300128"
KNOWN = {
    "person_id": "H3-KNOWN-1",
    "full_name": "Известный Иван Петрович",
    "iin": KNOWN_IIN,
    "region": "Astana",
    "stage": "pre_trial",
    "case_number": "KN-1",
    "charges": [
        {"article": 188, "part": 2, "category": "medium", "offence_date": "2022-01-06", "context": "riot"}
    ],
}
TWIN = {
    "person_id": "H3-TWIN-1",
    "full_name": "Двойников Пётр Ильич",
    "birth_date": "1990-02-03",
    "region": "Astana",
    "stage": "pre_trial",
    "case_number": "TW-1",
    "charges": [
        {"article": 188, "part": 2, "category": "medium", "offence_date": "2022-01-06", "context": "riot"}
    ],
}

Live = tuple[LiveServer, Register]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A server of this module's own."""
    with LiveServer(tmp_path_factory.mktemp("new-person"), 8, [KNOWN, TWIN]) as server:
        yield server, server.register


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Any]:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def _persons(live: Live, **where: Any) -> list[str]:
    with live[1].sessions() as db:
        conditions = [getattr(Person, name) == value for name, value in where.items()]
        return list(db.scalars(select(Person.person_id).where(*conditions).order_by(Person.person_id)))


def _fill_case(page: Any, case_number: str, full_name: str = "") -> None:
    if full_name:
        page.get_by_label("ФИО").fill(full_name)
    page.get_by_label("Номер дела").fill(case_number)
    page.get_by_label("Регион").select_option("Astana")
    page.get_by_label("Стадия дела").select_option("pre_trial")
    page.locator("#role").select_option("participant")
    page.locator("#recidivism").select_option("none")
    page.locator("#charges-0-article").fill("188")
    page.locator("#charges-0-part").fill("2")
    page.locator("#charges-0-category").select_option("medium")
    page.locator("#charges-0-offence_date").fill("2022-01-06")


def test_a_new_charge_does_not_assert_the_connection_with_the_events(page: Any, live: Live) -> None:
    sign_in(page, live, "officer")
    page.goto(live[0].url + "/cases/new")
    assert page.locator("#charges-0-context").input_value() == "unknown"
    page.get_by_role("button", name="Добавить обвинение").click()
    page.locator("#charge-1").wait_for()
    assert page.locator("#charges-1-context").input_value() == "unknown"


def test_without_a_number_the_system_issues_one(page: Any, live: Live) -> None:
    sign_in(page, live, "officer")
    page.goto(live[0].url + "/cases/new")
    _fill_case(page, "NEW-ISSUED-1", "Новиков Олег Сергеевич")
    page.get_by_role("button", name="Сохранить и решить").click()
    page.wait_for_url(re.compile(r".*/cases/P-\d{8}\?saved=new&issued=1$"))
    person_id = page.url.split("/cases/", 1)[1].split("?", 1)[0]
    assert f"Система присвоила номер лица {person_id}." in page.locator("#issued-note").inner_text()
    assert _persons(live, full_name="Новиков Олег Сергеевич") == [person_id]
    stored = live[1].person(person_id)
    assert stored is not None
    assert stored.record.charges[0].context.value == "unknown"  # the untouched field asserted nothing
    shot(page, "new-case-issued-number")


def test_an_iin_in_the_register_adds_the_case_to_that_person(page: Any, live: Live) -> None:
    sign_in(page, live, "officer")
    page.goto(live[0].url + "/cases/new")
    page.get_by_label("Номер лица").fill("H3-SECOND-1")  # the officer invents a number; the IIN wins
    page.get_by_label("ИИН", exact=False).first.fill(KNOWN_IIN)
    _fill_case(page, "KN-2", "Известнный Иван")  # a typo does not rename the person
    page.get_by_role("button", name="Сохранить и решить").click()
    page.wait_for_url(re.compile(r".*/cases/H3-KNOWN-1\?saved=new&matched=iin$"))
    note = page.locator("#matched-note").inner_text()
    assert "ИИН принадлежит лицу, которое уже есть в реестре" in note
    assert "H3-KNOWN-1" in note
    assert _persons(live, iin=KNOWN_IIN) == ["H3-KNOWN-1"]
    assert _persons(live, full_name="Известный Иван Петрович") == ["H3-KNOWN-1"]
    assert _persons(live, person_id="H3-SECOND-1") == []
    assert page.locator("section.case").count() == 2
    shot(page, "new-case-matched-by-iin")


def test_a_name_and_birth_date_in_the_register_are_offered_as_the_same_person(page: Any, live: Live) -> None:
    sign_in(page, live, "officer")
    page.goto(live[0].url + "/cases/new")
    page.locator("#birth_date").fill("1990-02-03")
    _fill_case(page, "TW-2", "двойников пётр ильич")
    page.get_by_role("button", name="Сохранить и решить").click()
    offer = page.locator("#possible-matches")
    offer.wait_for()
    assert "Возможно, это то же лицо" in offer.inner_text()
    assert "H3-TWIN-1" in offer.inner_text()
    assert page.locator("#charges-0-article").input_value() == "188"  # nothing typed is lost
    shot(page, "new-case-possible-match")
    offer.get_by_role("button", name="Добавить дело этому лицу").click()
    page.wait_for_url(re.compile(r".*/cases/H3-TWIN-1\?saved=new$"))
    assert page.locator("section.case").count() == 2
    assert _persons(live, birth_date=dt.date(1990, 2, 3)) == ["H3-TWIN-1"]
    assert _persons(live, full_name="Двойников Пётр Ильич") == ["H3-TWIN-1"]  # not renamed by the typing

    page.goto(live[0].url + "/cases/new")
    page.locator("#birth_date").fill("1990-02-03")
    _fill_case(page, "TW-3", "Двойников Пётр Ильич")
    page.get_by_role("button", name="Сохранить и решить").click()
    page.locator("#possible-matches").get_by_role("button", name="Это другое лицо").click()
    page.wait_for_url(re.compile(r".*/cases/P-\d{8}\?saved=new&issued=1$"))
    assert len(_persons(live, birth_date=dt.date(1990, 2, 3))) == 2
