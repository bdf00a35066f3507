"""Issue 23, items 5 and 8 in headless Chromium against `amnesty serve`: an administrator runs the
impact of a law variant over the register as a job, reads its regions (the region not recorded in
words) with the legend and local dates, and downloads its result in Russian words (CSV and XLSX); an
auditor filters the audit trail and downloads it (CSV and XLSX, streamed) and the administrator's
impact result; roles without the right see no download and get 403 on its address."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from amnesty.store.models import AuditEvent, JobRow

from .conftest import GRAVE_REDUCED, PASSWORD, LiveServer, shot

pytestmark = pytest.mark.browser

NO_REGION = {
    **{key: value for key, value in GRAVE_REDUCED.items() if key != "region"},
    "person_id": "NOREG-1",
    "case_number": "NOREG-1",
    "full_name": "Безрегионов Тест",
}
"""A case that records no region: the impact result's "region not recorded" row."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("exports"), 40, [NO_REGION]) as server:
        yield server


@pytest.fixture
def tab(browser: Any, served: LiveServer) -> Iterator[Any]:
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def sign_in(page: Any, server: LiveServer, username: str) -> None:
    page.context.clear_cookies()
    page.goto(server.url + "/signin")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/home$"))


def download(page: Any, link: Any, folder: Path) -> Path:
    with page.expect_download() as info:
        link.click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def read_csv(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff"), "Excel reads UTF-8 CSV by its byte-order mark"
    return list(csv.reader(io.StringIO(text[1:])))


def impact_job(page: Any, server: LiveServer, tmp_path: Path) -> int:
    """Start the impact of the bundled example variant as a job from the jobs page; its number."""
    variant = tmp_path / "grave-half.yaml"
    source = resources.files("amnesty.impact").joinpath("examples", "grave-half.yaml")
    variant.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    page.get_by_role("link", name="Задания", exact=True).first.click()
    page.set_input_files("#variant", str(variant))
    page.get_by_role("button", name="Оценить его влияние на реестр").click()
    page.wait_for_url(re.compile(r".*/jobs/\d+$"))
    page.wait_for_selector("#job-status[data-status=done]", timeout=120_000)
    return int(page.url.rsplit("/", 1)[1])


def test_an_impact_result_reads_in_words_and_downloads_for_whom_may_see_it(
    tab: Any, served: LiveServer, tmp_path: Path
) -> None:
    sign_in(tab, served, "admin")
    job_id = impact_job(tab, served, tmp_path)
    with served.register.sessions() as db:
        job = db.get(JobRow, job_id)
        assert job is not None
        result = dict(job.result or {})
    assert "unknown" in result["by_region"], "the seeded case without a region is counted apart"
    regions = tab.locator("#impact-by_region")
    unknown_row = regions.locator("tr.unknown-group")
    assert unknown_row.locator("th").inner_text() == "Регион не указан"
    cells = unknown_row.locator("td").all_inner_texts()
    assert cells[0] == str(result["by_region"]["unknown"]["persons"])
    assert "unknown" not in regions.inner_text()
    assert regions.locator("tbody tr").last.locator("th").inner_text() == "Итого"
    legend = tab.locator("#impact-legend")
    assert legend.is_visible()
    assert "Регион не указан" in legend.inner_text()
    finished = tab.locator("#job-finished").inner_text()
    assert re.search(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}", finished), finished
    shot(tab, "impact-job-result")

    path = download(tab, tab.locator("#impact-export").get_by_role("link", name="Выгрузить в CSV"), tmp_path)
    rows = read_csv(path)
    assert rows[0][:2] == ["Таблица", "Группа"]
    groups = [row[1] for row in rows[1:]]
    assert "Регион не указан" in groups
    assert "Итого" in groups
    assert not {"Almaty", "Astana", "unknown", "release"} & {cell for row in rows[1:] for cell in row[:12]}
    with served.register.sessions() as db:
        last = db.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
        assert (last.actor, last.action, last.object_id) == ("admin", "export", f"impact-job-{job_id}")

    # the auditor sees every job, and so its result and its download
    sign_in(tab, served, "auditor")
    tab.goto(f"{served.url}/jobs/{job_id}")
    path = download(tab, tab.locator("#impact-export").get_by_role("link", name="Выгрузить в XLSX"), tmp_path)
    sheet = openpyxl.load_workbook(path, read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("Таблица", "Группа")
    assert "Регион не указан" in {row[1] for row in values[1:]}

    # a social worker has no jobs: neither the page nor the file
    sign_in(tab, served, "social")
    assert tab.locator("#impact-export").count() == 0
    for address in (f"/jobs/{job_id}", f"/jobs/{job_id}/impact.csv", f"/jobs/{job_id}/impact.xlsx"):
        answer = tab.goto(served.url + address)
        assert answer is not None
        assert answer.status == 403, address


def test_the_auditor_downloads_the_filtered_audit_trail_and_others_cannot(
    tab: Any, served: LiveServer, tmp_path: Path
) -> None:
    sign_in(tab, served, "auditor")
    tab.get_by_role("link", name="Журнал аудита", exact=True).first.click()
    tab.get_by_label("Кто").fill("auditor")
    tab.get_by_role("button", name="Отобрать").click()
    tab.wait_for_url(re.compile(r".*/audit\?.*actor=auditor"))
    shown = int(re.search(r"(\d+)", tab.locator("table caption").first.inner_text()).group(1))  # type: ignore[union-attr]
    path = download(tab, tab.locator("#audit-export").get_by_role("link", name="Выгрузить в CSV"), tmp_path)
    rows = read_csv(path)
    assert rows[0][:4] == ["Номер события", "Когда", "Кто", "Действие"]
    assert len(rows) - 1 == shown > 0, "the export holds the events the filtered page counts"
    assert {row[2] for row in rows[1:]} == {"auditor"}
    assert all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}", row[1]) for row in rows[1:])
    assert "login.success" not in {row[3] for row in rows[1:]}, "actions in words, codes apart"
    with served.register.sessions() as db:
        event = db.scalars(
            select(AuditEvent).where(AuditEvent.action == "export", AuditEvent.object_id == "audit")
        ).all()[-1]
        assert event.actor == "auditor"
        assert event.details["filters"] == {"actor": "auditor"}
    path = download(tab, tab.locator("#audit-export").get_by_role("link", name="Выгрузить в XLSX"), tmp_path)
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) - 1 >= shown

    sign_in(tab, served, "admin")
    tab.goto(served.url + "/audit")
    assert tab.locator("#audit-export").get_by_role("link").count() == 2

    for username in ("officer", "reviewer", "social"):
        sign_in(tab, served, username)
        assert tab.get_by_role("link", name="Журнал аудита").count() == 0, username
        for address in ("/audit", "/audit/export.csv", "/audit/export.xlsx"):
            answer = tab.goto(served.url + address)
            assert answer is not None
            assert answer.status == 403, (username, address)
        assert tab.locator("#audit-export").count() == 0
