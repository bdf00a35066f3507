"""The batch upload as a case officer does it, in Chromium against `amnesty serve` run as a process:
upload a CSV by clicking, watch the trial run finish, add it to the register, find the person."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, Served

pytestmark = pytest.mark.browser

CSV = (
    "person_id,full_name,stage,region,article,part,category,offence_date,context\n"
    "JOB-WEB-1,Айгерим Тестова,pre_trial,Almaty,293,1,small,2022-01-05,riot\n"
    "JOB-WEB-2,Берик Пробный,pre_trial,Almaty,293,1,small,2022-01-05,riot\n"
)


def sign_in(page: Any, served: Served, username: str) -> None:
    page.goto(served.url + "/signin")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/home$"))


def test_officer_uploads_a_csv_adds_it_and_finds_the_person(
    page: Any, served: Served, tmp_path: Path
) -> None:
    upload = tmp_path / "cases.csv"
    upload.write_text(CSV, encoding="utf-8")
    sign_in(page, served, "officer")
    page.goto(served.url + "/batch")
    page.get_by_label("Файл").set_input_files(str(upload))
    page.get_by_role("button", name="Загрузить и оценить").click()
    page.wait_for_url(re.compile(r".*/jobs/\d+$"))
    page.locator("#job-status[data-status=done]").wait_for()
    assert "2 из 2 строк (100%)" in page.locator("#job-status").inner_text()
    assert page.locator("#n-decisions").inner_text() == "2"
    assert page.locator("#n-rejected").inner_text() == "0"
    page.get_by_role("button", name="Добавить в реестр").click()
    page.wait_for_url(re.compile(r".*/jobs/\d+$"))
    page.locator("#job-status[data-status=done]").wait_for()
    assert page.locator("#n-created").inner_text() == "2"
    page.goto(served.url + "/cases")
    page.get_by_label("ФИО, ИИН или номер дела").fill("Берик Пробный")
    page.get_by_role("button", name="Найти").click()
    page.get_by_role("link", name="Берик Пробный").click()
    page.wait_for_url(re.compile(r".*/cases/JOB-WEB-2(#case-\d+)?$"))


def test_a_file_with_a_bad_row_lists_it_and_cannot_be_added(
    page: Any, served: Served, tmp_path: Path
) -> None:
    upload = tmp_path / "bad.csv"
    upload.write_text(
        CSV + "JOB-WEB-3,Ошибка Строки,nonsense,Almaty,293,1,small,2022-01-05,riot\n", encoding="utf-8"
    )
    sign_in(page, served, "officer")
    page.goto(served.url + "/batch")
    page.get_by_label("Файл").set_input_files(str(upload))
    page.get_by_role("button", name="Загрузить и оценить").click()
    page.locator("#job-status[data-status=done]").wait_for()
    assert page.locator("#n-rejected").inner_text() == "1"
    rejected = page.locator("#rejected-rows").inner_text()
    assert "JOB-WEB-3" in rejected
    assert "stage" in rejected
    assert page.get_by_role("button", name="Добавить в реестр").count() == 0
