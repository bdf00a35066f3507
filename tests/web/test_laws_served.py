"""Two laws served side by side, in Chromium against `amnesty serve` started as a process: a draft law
made by `amnesty law new` in a folder on AMNESTY_LAW_PATH appears on the law page beside Law 152-VII,
the reader switches between them by clicking, in Russian and Kazakh, and the page shows no code, no
English word and no ISO date; a person's decision names the law it was made under."""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.law.registry import LAW_PATH_VARIABLE
from tests.words.wording import wording_problems

from .conftest import PASSWORD, LiveServer, Register

pytestmark = pytest.mark.browser

DRAFT = "kz-2026-1-viii"


@pytest.fixture(scope="module")
def two_laws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Register]]:
    laws = tmp_path_factory.mktemp("laws")
    made = CliRunner().invoke(app, ["law", "new", DRAFT, "--out", str(laws)])
    assert made.exit_code == 0, made.output
    before = os.environ.get(LAW_PATH_VARIABLE)
    os.environ[LAW_PATH_VARIABLE] = str(laws)  # the served process inherits it
    try:
        with LiveServer(tmp_path_factory.mktemp("two-laws"), 20) as server:
            yield server, server.register
    finally:
        if before is None:
            os.environ.pop(LAW_PATH_VARIABLE, None)
        else:
            os.environ[LAW_PATH_VARIABLE] = before


def _main_text(page: Any) -> str:
    return str(page.locator("main").inner_text())


@pytest.mark.parametrize(
    ("language", "heading", "draft_words", "sign_out"),
    [
        ("ru", "Зарегистрированные законы об амнистии", "Проект закона на основе", "Выйти"),
        ("kk", "Тіркелген рақымшылық туралы заңдар", "Заң жобасы, негізі", "Шығу"),
    ],
)
def test_the_reader_switches_between_two_laws_by_clicking(
    browser: Any,
    two_laws: tuple[LiveServer, Register],
    language: str,
    heading: str,
    draft_words: str,
    sign_out: str,
) -> None:
    server, backend = two_laws
    context = browser.new_context()
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "lang", "value": language, "url": server.url}])
    page = context.new_page()
    try:
        page.goto(server.url + "/signin")
        page.locator("input[name=username]").fill("officer")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/home$"))
        page.goto(server.url + "/law")
        chooser = page.get_by_role("navigation", name=heading)
        assert chooser.get_by_role("link").count() == 2  # the other laws; this one is the current page
        chooser.locator(f"a[href='/law?law={DRAFT}']").click()
        page.wait_for_url(re.compile(rf".*/law\?law={DRAFT}$"))
        assert page.locator("h1").inner_text().startswith(draft_words)
        text = _main_text(page)
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "an ISO date on the page"
        assert DRAFT not in text, "the draft's code on the page"
        assert "kz-2022-152-vii" not in text, "a law's code on the page"
        assert not wording_problems(text), wording_problems(text)
        page.get_by_role("navigation", name=heading).locator("a[href='/law?law=kz-2021-81-vii']").click()
        page.wait_for_url(re.compile(r".*/law\?law=kz-2021-81-vii$"))
        assert "2021" in page.locator("h1").inner_text()
        text = _main_text(page)
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "an ISO date on the 2021 law's page"
        assert "kz-2021-81-vii" not in text, "a law's code on the page"
        assert not wording_problems(text), wording_problems(text)
        page.get_by_role("navigation", name=heading).locator("a[href='/law?law=kz-2022-152-vii']").click()
        page.wait_for_url(re.compile(r".*/law\?law=kz-2022-152-vii$"))
        assert "152-VII" in page.locator("h1").inner_text()
        person = next(iter(backend.files))
        page.goto(f"{server.url}/cases/{person}")
        assert page.locator("p.decided-under a").first.get_attribute("href") == "/law?law=kz-2022-152-vii"
        page.get_by_role("button", name=sign_out).click()
        page.wait_for_url(re.compile(r".*/signin$"))
    finally:
        context.close()


def test_an_unknown_law_page_is_not_found(two_laws: tuple[LiveServer, Register]) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(two_laws[0].url + "/law?law=kz-1999-none", timeout=5)
    assert refused.value.code == 404
