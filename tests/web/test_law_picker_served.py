"""The law picked on the web (issue 21, item 4), in Chromium against `amnesty serve` with a second law
(a draft made by `amnesty law new`, with a later implementation deadline) on AMNESTY_LAW_PATH: an
officer creates a case under the draft by picking it, the person file names the draft; the register
is re-evaluated under the default law (picked on the jobs page) and the file shows one block per
law, each named by its title; the dashboard switches between the laws (counts and deadline). Every
page in Russian and Kazakh, without a law's code, an English word or an ISO date."""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.law.registry import DEFAULT_LAW_ID, LAW_PATH_VARIABLE, get_law, registered_laws

from .conftest import PASSWORD, LiveServer, Register, shot
from .test_every_page_words import problems_in

pytestmark = pytest.mark.browser

DRAFT = "kz-2026-1-viii"
DRAFT_DEADLINE = "2027-06-30"


@pytest.fixture(scope="module")
def two_laws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Register]]:
    laws = tmp_path_factory.mktemp("laws")
    made = CliRunner().invoke(app, ["law", "new", DRAFT, "--out", str(laws)])
    assert made.exit_code == 0, made.output
    pack = Path(laws) / DRAFT.replace("-", "_") / "pack.yaml"
    text = pack.read_text(encoding="utf-8")
    deadline = re.compile(r"(implementation_deadline:\n\s+value: )\d{4}-\d{2}-\d{2}")
    assert deadline.search(text), "the draft pack has no implementation deadline"
    pack.write_text(deadline.sub(rf"\g<1>{DRAFT_DEADLINE}", text, count=1), encoding="utf-8")
    before = os.environ.get(LAW_PATH_VARIABLE)
    os.environ[LAW_PATH_VARIABLE] = str(laws)  # the served process inherits it
    try:
        with LiveServer(tmp_path_factory.mktemp("law-picker"), 6) as server:
            yield server, server.register
    finally:
        if before is None:
            os.environ.pop(LAW_PATH_VARIABLE, None)
        else:
            os.environ[LAW_PATH_VARIABLE] = before


def _readable(page: Any, where: str) -> None:
    text = str(page.locator("main").inner_text())
    assert DRAFT not in text, f"{where}: the draft's code on the page"
    assert DEFAULT_LAW_ID not in text, f"{where}: the default law's code on the page"
    problems = problems_in(text)
    assert not problems, f"{where}: {problems}"


def _sign_in(page: Any, server: LiveServer, username: str) -> None:
    page.context.clear_cookies()
    page.goto(server.url + "/signin")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/home$"))


def _law_blocks(page: Any) -> list[tuple[str, str]]:
    blocks = page.locator("article.law-decision")
    return [
        (str(blocks.nth(i).get_attribute("data-law")), str(blocks.nth(i).locator("h4").inner_text()))
        for i in range(blocks.count())
    ]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_case_is_decided_under_the_law_picked_and_shown_per_law(
    browser: Any, two_laws: tuple[LiveServer, Register], language: str
) -> None:
    server, _backend = two_laws
    default_title = str(getattr(get_law(DEFAULT_LAW_ID).pack.title, language))
    draft_title = str(getattr(get_law(DRAFT).pack.title, language))
    titles = [str(getattr(law.pack.title, language)) for law in registered_laws()]
    ids = [law.pack.id for law in registered_laws()]  # in order of entry into force
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        _sign_in(page, server, "admin")
        context.add_cookies([{"name": "lang", "value": language, "url": server.url}])

        # a new case under the draft, picked by its title
        page.goto(server.url + "/cases/new")
        picker = page.locator("select#law")
        assert picker.input_value() == DEFAULT_LAW_ID  # chosen until the officer picks another
        assert [t.strip() for t in picker.locator("option").all_inner_texts()] == titles
        assert {default_title, draft_title} <= set(titles)
        _readable(page, "the new case form")
        picker.select_option(label=draft_title)
        number = secrets.randbelow(10**6)
        page.locator("#full_name").fill(f"Законов Пётр {number}")
        page.locator("#case_number").fill(f"ЗАК-{number}")
        page.locator("#region").select_option("Astana")
        page.locator("#stage").select_option("pre_trial")
        page.locator("#role").select_option("participant")
        page.locator("#recidivism").select_option("none")
        page.locator("#charges-0-article").fill("188")
        page.locator("#charges-0-part").fill("2")
        page.locator("#charges-0-category").select_option("medium")
        page.locator("#charges-0-offence_date").fill("2022-01-06")
        page.locator("form[action='/cases/new'] > button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/cases/P-\d{8}\?saved=new&issued=1$"))
        person_url = page.url.split("?", 1)[0]
        under = page.locator("p.decided-under a")
        assert under.get_attribute("href") == f"/law?law={DRAFT}"
        assert under.inner_text().strip() == draft_title
        assert page.locator("article.law-decision").count() == 0  # decided under one law only
        _readable(page, "the person file under the draft")

        # the register re-evaluated under the default law, picked on the jobs page
        page.goto(server.url + "/jobs")
        page.locator("select#reevaluate-law").select_option(label=default_title)
        page.locator("form[action='/jobs/reevaluate'] button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/jobs/\d+$"))
        deadline = time.monotonic() + 60
        blocks: list[tuple[str, str]] = []
        while time.monotonic() < deadline:
            page.goto(person_url)
            blocks = _law_blocks(page)
            if len(blocks) == 2:
                break
            time.sleep(0.5)
        expected = sorted(
            [(DEFAULT_LAW_ID, default_title), (DRAFT, draft_title)], key=lambda b: ids.index(b[0])
        )
        assert blocks == expected  # one block per law, in the laws' order of entry into force
        assert page.locator("p.decided-under a").get_attribute("href") == f"/law?law={DEFAULT_LAW_ID}"
        _readable(page, "the person file under two laws")
        shot(page, f"person-two-laws-{language}")

        # the dashboard under each law: the chooser, the counts' law and the deadline
        page.goto(server.url + "/dashboard")
        chooser = page.locator("select#dashboard-law")
        assert chooser.input_value() == DEFAULT_LAW_ID
        default_deadline = page.locator("#deadline").inner_text()
        _readable(page, "the dashboard under the default law")
        chooser.select_option(label=draft_title)
        page.locator("#law-chooser button[type=submit]").click()
        page.wait_for_url(re.compile(rf".*/dashboard\?law={DRAFT}$"))
        assert page.locator("select#dashboard-law").input_value() == DRAFT
        draft_deadline = page.locator("#deadline").inner_text()
        assert draft_deadline != default_deadline
        assert "2027" in draft_deadline
        assert "2027" not in default_deadline
        _readable(page, "the dashboard under the draft")
        shot(page, f"dashboard-draft-law-{language}")
    finally:
        context.close()
