"""Issue 23, item 3 in headless Chromium against `amnesty serve`: on the upload page an officer picks a
law for the template and downloads it as CSV and as XLSX; each file has the columns that law's rules
read (and its name says the law), and its example row imports without a rejection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from amnesty.io.json_records import ParsedRecord
from amnesty.io.tabular import read_records
from amnesty.law.registry import get_law
from amnesty.service.template import template_columns

from .conftest import LiveServer, shot
from .test_exports_browser import sign_in

pytestmark = pytest.mark.browser

LAWS = ("kz-2022-152-vii", "kz-2021-81-vii")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("template"), 4) as server:
        yield server


@pytest.fixture
def tab(browser: Any, served: LiveServer) -> Iterator[Any]:
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_upload_page_gives_each_laws_template(
    tab: Any, served: LiveServer, tmp_path: Path, fmt: str
) -> None:
    sign_in(tab, served, "admin")
    tab.goto(served.url + "/batch")
    form = tab.locator("#template-form")
    for law_id in LAWS:
        form.locator("select#template-law").select_option(law_id)
        with tab.expect_download() as info:
            form.get_by_role("button", name=fmt.upper(), exact=True).click()
        name = info.value.suggested_filename
        assert name == f"records-template-{law_id}.{fmt}"
        path = tmp_path / name
        info.value.save_as(path)
        if fmt == "csv":
            text = path.read_bytes().decode("utf-8")
            assert text.startswith("\ufeff")
            header, example = list(csv.reader(io.StringIO(text[1:])))
            assert tuple(header) == template_columns(get_law(law_id))
            assert example[header.index("person_id")]
        (item,) = read_records(path)
        assert isinstance(item, ParsedRecord), item
    shot(tab, f"upload-template-{fmt}")
