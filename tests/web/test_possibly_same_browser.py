"""No silent duplicates, no silent facts, in Chromium against `amnesty serve`: the new-case form makes
the officer choose the role in the events and recidivism (they start empty; left empty, the server
names them); a file whose row has the name and birth date of a person on file (no IIN) makes the new
person but lists the row as "possibly the same person" in the trial run and the import; a file without
the role and recidivism columns is told which default of the data contract was applied."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from amnesty.store.models import Person

from .conftest import LiveServer, Register, shot
from .test_browser import sign_in

pytestmark = pytest.mark.browser

ON_FILE = {
    "person_id": "PS-ON-FILE-1",
    "full_name": "Семёнов Артём Ильич",
    "birth_date": "1988-07-09",
    "region": "Astana",
    "stage": "pre_trial",
    "case_number": "PS-1",
    "charges": [
        {"article": 188, "part": 2, "category": "medium", "offence_date": "2022-01-06", "context": "riot"}
    ],
}

Live = tuple[LiveServer, Register]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A server of this module's own."""
    with LiveServer(tmp_path_factory.mktemp("possibly-same"), 6, [ON_FILE]) as server:
        yield server, server.register


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Any]:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    tab = context.new_page()
    yield tab
    context.close()


def _born(live: Live, full_name_like: str) -> list[str]:
    with live[1].sessions() as db:
        query = (
            select(Person.person_id).where(Person.full_name.like(full_name_like)).order_by(Person.person_id)
        )
        return list(db.scalars(query))


def test_role_and_recidivism_start_empty_and_must_be_chosen(page: Any, live: Live) -> None:
    sign_in(page, live, "officer")
    page.goto(live[0].url + "/cases/new")
    assert page.locator("#role").input_value() == ""
    assert page.locator("#recidivism").input_value() == ""
    assert page.locator("#role option:checked").inner_text() == "— выберите —"
    page.get_by_label("Номер лица").fill("PS-UNCHOSEN-1")
    page.get_by_label("Стадия дела").select_option("pre_trial")
    page.locator("#charges-0-article").fill("188")
    page.locator("#charges-0-part").fill("2")
    page.locator("#charges-0-offence_date").fill("2022-01-06")
    # the browser's own check is bypassed: the server must refuse as well
    page.evaluate("document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
    page.get_by_role("button", name="Сохранить и решить").click()
    errors = page.locator("#form-errors")
    errors.wait_for()
    assert "Роль в событиях: выберите одно из значений списка" in errors.inner_text()
    assert "Рецидив: выберите одно из значений списка" in errors.inner_text()
    assert page.locator("#role").get_attribute("aria-invalid") == "true"
    assert live[1].person("PS-UNCHOSEN-1") is None
    page.locator("#role").select_option("participant")
    page.locator("#recidivism").select_option("none")
    page.get_by_role("button", name="Сохранить и решить").click()
    page.wait_for_url(re.compile(r".*/cases/PS-UNCHOSEN-1\?saved=new$"))


def test_a_file_row_with_a_name_and_birth_date_on_file_is_listed(
    page: Any, live: Live, tmp_path: Path
) -> None:
    header = (
        "person_id,full_name,birth_date,region,stage,case_number,article,part,category,offence_date,context"
    )
    rows = [
        "PS-OTHER-1,Другов Олег,1970-01-02,Astana,pre_trial,PS-O1,188,2,medium,2022-01-06,riot",
        # the same person as PS-ON-FILE-1, written with е for ё, another case and extra spaces
        "PS-NEW-1,  СЕМЕНОВ  артем Ильич ,1988-07-09,Astana,pre_trial,PS-2,188,2,medium,2022-01-06,riot",
    ]
    upload = tmp_path / "people.csv"
    upload.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    sign_in(page, live, "officer")
    page.goto(live[0].url + "/batch")
    page.set_input_files("#file", str(upload))
    page.get_by_role("button", name="Загрузить и оценить").click()
    page.wait_for_selector("#job-status[data-status=done]", timeout=120_000)
    assert page.locator("#n-possible").inner_text() == "1"
    listed = page.locator("#possible-rows tbody tr")
    assert listed.count() == 1
    assert listed.first.locator("td").all_inner_texts() == ["3", "PS-NEW-1", "1"]
    defaults = page.locator("dd.n-default")
    assert defaults.count() == 2
    role = page.locator("dd.n-default[data-field=role]").inner_text()
    assert role.startswith("2:")
    assert "по умолчанию" in role
    shot(page, "import-possibly-same-trial")

    page.get_by_role("button", name="Добавить в реестр").click()
    page.wait_for_url(re.compile(r".*/jobs/\d+$"))
    page.wait_for_selector("#n-created", timeout=120_000)
    assert page.locator("#n-possible").inner_text() == "1"
    assert page.locator("#possible-rows tbody tr td").all_inner_texts() == ["3", "PS-NEW-1", "1"]
    assert page.locator("p[role=note]", has_text="для каждой создано новое лицо").count() == 1
    # the rule: the import makes the new person and flags the row; nothing is merged silently
    assert _born(live, "%ртём%") == ["PS-ON-FILE-1"]
    stored = live[1].person("PS-NEW-1")
    assert stored is not None
    assert stored.record.role.value == "participant"
    shot(page, "import-possibly-same-stored")
