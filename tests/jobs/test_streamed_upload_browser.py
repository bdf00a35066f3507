"""A registry file imported through the page as a job, in Chromium against `amnesty serve` run as a
process: the file is spooled as it arrives (refused in the reader's words past the limit, which the
test sets to 5 MB), read and stored chunk by chunk, counted on the job page (records in = stored +
rejected, as the register holds them), cancellable mid-import with what was committed stated, and
its spool file gone when the job ends."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, Served, serve_process

pytestmark = pytest.mark.browser

HEADER = "person_id,full_name,stage,region,article,part,category,offence_date,context\n"
ROW = "{prefix}-{n},Айгерим Тестова,pre_trial,Almaty,293,1,small,2022-01-05,riot\n"
BAD = "{prefix}-BAD-{n},Ошибка Строки,nonsense,Almaty,293,1,small,2022-01-05,riot\n"


def registry_csv(path: Path, prefix: str, persons: int, bad: int = 0) -> Path:
    """A CSV of `persons` valid persons, then `bad` persons whose stage is not one the contract has."""
    rows = [ROW.format(prefix=prefix, n=n) for n in range(persons)]
    rows += [BAD.format(prefix=prefix, n=n) for n in range(bad)]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_limit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serve_process(tmp_path_factory.mktemp("streamed"), {"AMNESTY_UPLOAD_MAX_MB": "5"}) as server:
        yield server


def sign_in(page: Any, served: Served, username: str = "officer") -> None:
    page.goto(served.url + "/signin")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/home$"))


def upload_for_import(page: Any, served: Served, path: Path) -> None:
    page.goto(served.url + "/batch")
    page.locator("input#file").set_input_files(str(path))
    page.locator("input[name=mode][value=import]").check()
    page.locator("#upload-form button[type=submit]").click()


def stored_persons(served: Served, prefix: str) -> int:
    database = served.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        row = connection.execute("SELECT count(*) FROM persons WHERE person_id LIKE ?", (prefix + "-%",))
        return int(row.fetchone()[0])


def spooled_files(served: Served) -> list[Path]:
    folder = Path(served.env["AMNESTY_DATA_DIR"]) / "uploads"
    return list(folder.iterdir()) if folder.exists() else []


def number(page: Any, selector: str) -> int:
    return int(page.locator(selector).inner_text().replace("\xa0", "").replace(" ", ""))


def test_a_registry_file_is_imported_in_chunks_and_counted(
    page: Any, small_limit: Served, tmp_path: Path
) -> None:
    upload = registry_csv(tmp_path / "registry.csv", "STR", 2_500, bad=2)
    sign_in(page, small_limit)
    upload_for_import(page, small_limit, upload)
    page.wait_for_url(re.compile(r".*/jobs/\d+$"))
    page.locator("#job-status[data-status=done]").wait_for(timeout=180_000)
    assert number(page, "#n-records") == 2_502
    assert number(page, "#n-stored") == 2_500
    assert number(page, "#n-rejected") == 2
    assert number(page, "#n-rows-read") == 2_502
    assert "STR-BAD-0" in page.locator("#rejected-rows").inner_text()
    assert stored_persons(small_limit, "STR") == 2_500
    assert stored_persons(small_limit, "STR-BAD") == 0
    assert spooled_files(small_limit) == []


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ru", "Файл больше 5 МБ"),
        ("kk", "Файл 5 МБ-тан үлкен"),
        ("en", "The file is larger than 5 MB"),
    ],
)
def test_an_over_limit_file_is_refused_on_the_page_with_the_limit(
    page: Any, small_limit: Served, tmp_path: Path, language: str, words: str
) -> None:
    upload = registry_csv(tmp_path / "too-large.csv", "BIG", 70_000)
    assert upload.stat().st_size > 5 * 1024 * 1024
    sign_in(page, small_limit)
    page.context.add_cookies([{"name": "lang", "value": language, "url": small_limit.url}])
    upload_for_import(page, small_limit, upload)
    alert = page.locator("main .errors[role=alert]")
    alert.wait_for()
    assert words in alert.inner_text()
    assert page.url.endswith("/batch")
    assert spooled_files(small_limit) == []
    assert stored_persons(small_limit, "BIG") == 0


def test_an_import_cancelled_midway_states_what_it_stored(
    page: Any, small_limit: Served, tmp_path: Path
) -> None:
    upload = registry_csv(tmp_path / "long.csv", "CAN", 30_000)
    sign_in(page, small_limit)
    upload_for_import(page, small_limit, upload)
    page.wait_for_url(re.compile(r".*/jobs/\d+$"))
    deadline = time.monotonic() + 180
    while stored_persons(small_limit, "CAN") == 0:
        assert time.monotonic() < deadline, "no chunk was stored"
        time.sleep(0.2)
    page.locator("#progress form button[type=submit]").click()
    page.locator("#job-status[data-status=cancelled]").wait_for(timeout=60_000)
    note = page.locator("#stopped-note").inner_text()
    stored = stored_persons(small_limit, "CAN")
    assert 0 < stored < 30_000
    numbers = [int(found) for found in re.findall(r"\d+", note.replace("\xa0", ""))]
    assert stored in numbers  # stopped between chunks, or its process ended within one
    assert spooled_files(small_limit) == []
    job_id = int(page.url.rsplit("/", 1)[1])
    job = page.request.get(f"{small_limit.url}/api/jobs/{job_id}").json()
    assert job["status"] == "cancelled"
    assert job["result"]["stored"] == stored
    assert job["decided"] == stored
    assert job["decided"] + job["rejected"] == job["done"]
