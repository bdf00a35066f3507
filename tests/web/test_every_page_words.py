"""Every web page in Russian and Kazakh, as each role opens it from `amnesty serve`: no Latin-script word
outside a short allowlist, no reason code, no ISO date in the text people read.

The pages are fetched over HTTP from the served process (the `live` server of the web tests, seeded
with the demo register); the text is what a browser shows (text nodes, and the words read aloud:
`title`, `alt`, `aria-label`, `placeholder`), never attribute values, input values or scripts. A few
pages are also checked in Chromium (`inner_text` of the rendered page).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from tests.words.wording import wording_problems

from .conftest import PASSWORD, SERVICE_USERS, LiveServer, Register

Live = tuple[LiveServer, Register]
LANGUAGES = ("ru", "kk")

USERNAMES = frozenset(name for name, _role, _region in SERVICE_USERS)
IDENTIFIERS = USERNAMES | {"test-seed"}
"""Names shown as typed: the seeded users ('reviewer · Проверяющий') and the test register's import
('test-seed', who made the decisions of the extra records)."""
_IDENTIFIER = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(IDENTIFIERS))) + r")(?![\w-])")

ALLOWED = {"English", "YAML", "PARQUET", "Parquet", "NDJSON", "ndjson", "parquet", "KZ", "Lines"}
"""Beyond the shared allowlist (file formats, law numbers, rule ids, registry ids) and the names: the
language switcher's 'English', which names the language in its own script; the file formats of
the uploads and downloads (YAML, Parquet, NDJSON, JSON Lines); KZ, the country code the territory field takes."""

_SKIPPED = frozenset({"script", "style", "textarea", "template"})
_SPOKEN = ("title", "alt", "aria-label", "placeholder")


class _Text(HTMLParser):
    """The text a reader sees or hears on a page (not scripts, styles, form values, nor what the page
    marks `translate="no"`: machine data such as an audit event's JSON or a hash)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._skipping is not None:
            self._depth += tag == self._skipping
            return
        if tag in _SKIPPED or values.get("translate") == "no":
            self._skipping, self._depth = tag, 1
            return
        self.parts.extend(str(values[name]) for name in _SPOKEN if values.get(name))

    def handle_endtag(self, tag: str) -> None:
        if self._skipping == tag:
            self._depth -= 1
            if self._depth == 0:
                self._skipping = None

    def handle_data(self, data: str) -> None:
        if self._skipping is None:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's words, one text node per line."""
    parser = _Text()
    parser.feed(html)
    return "\n".join(line for part in parser.parts if (line := " ".join(part.split())))


def typed_values(register: Register) -> list[str]:
    """What people typed into the register, shown as typed whatever its script: persons' names and case
    numbers, user names, reviewers' justifications and citations, task assignees and notes (other
    tests of the shared server add such data in English)."""
    from amnesty.store.models import Case, OverrideRow, Person, TaskRow, UserRow

    columns = (
        Person.full_name,
        Case.case_number,
        UserRow.username,
        OverrideRow.justification,
        OverrideRow.citation,
        TaskRow.assignee,
        TaskRow.notes,
    )
    with register.sessions() as db:
        values = {value for column in columns for value in db.scalars(select(column).distinct()) if value}
    return sorted(values, key=len, reverse=True)


def problems_in(text: str, typed: Sequence[str] = ()) -> list[str]:
    """What a Russian or Kazakh reader must not see, beyond `ALLOWED` and what people `typed`."""
    for value in typed:
        text = text.replace(value, " ")
    found = []
    for problem in wording_problems(_IDENTIFIER.sub(" ", text)):
        word = re.fullmatch(r"Latin word '([^']*)'", problem)
        if word is None or word.group(1) not in ALLOWED:
            found.append(problem)
    return found


def _client(server: LiveServer, username: str, language: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=60, cookies={"lang": language})
    signed = client.post("/signin", data={"username": username, "password": PASSWORD, "next": "/home"})
    assert signed.status_code in (200, 303), signed.text
    assert client.cookies.get("lang") == language
    return client


def _what_if_form(html: str) -> dict[str, str]:
    """The what-if form's values (inputs and selected options) as the browser would send them."""
    form: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"', html):
        form[name] = value
    for name, body in re.findall(r'<select[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*\bselected', body)
        if chosen:
            form[name] = chosen.group(1)
    for name in re.findall(r'<input type="checkbox"[^>]*\bname="([^"]+)"[^>]*\bchecked', html):
        form[name] = "yes"
    return form


def _pages(register: Register) -> dict[str, list[str]]:
    """The GET pages each role opens (all of them reachable from its menu or a page of it)."""
    files = register.files
    almaty = sorted(pid for pid, f in files.items() if f.record.region == "Almaty")
    every = sorted(files)
    common = [
        "/home",
        "/dashboard",
        "/cases",
        "/cases?page=2",
        "/law",
        "/cases/NO-SUCH-PERSON",
        "/review?page=x",
    ]
    people = [f"/cases/{pid}" for pid in every]
    one = every[0]
    return {
        "admin": common
        + people
        + [
            "/cases/new",
            f"/cases/{one}/edit",
            f"/cases/{one}/what-if",
            f"/documents/{one}",
            "/review",
            "/tasks",
            "/jobs",
            "/batch",
            "/impact",
            "/admin/users",
            "/audit",
        ],
        "officer": [
            *common,
            "/cases/new",
            f"/cases/{one}/edit",
            f"/cases/{one}/what-if",
            "/review",
            "/batch",
            "/jobs",
            "/admin/users",
        ],
        "reviewer": [*common, "/review", f"/cases/{one}", "/tasks"],
        "social": [
            *common,
            "/tasks",
            *[f"/cases/{pid}" for pid in almaty[:5]],
            f"/cases/{next(p for p in every if p not in almaty)}",
            "/admin/users",
        ],
        "auditor": [*common, "/review", "/audit", f"/cases/{one}"],
    }


@pytest.fixture(scope="module")
def overridden(live: Live) -> str:
    """A person whose decision a reviewer overrode through the page (a reduced term with its figures):
    the headline then states the override, which is read like every other page."""
    server, register = live
    row = next(
        r
        for r in register.review_queue()
        if (f := register.person(r["person_id"])) and f.decision.sentence and f.decision.sentence.start_date
    )
    client = _client(server, "reviewer", "ru")
    try:
        page = client.get(f"/cases/{row['person_id']}").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token is not None
        saved = client.post(
            f"/cases/{row['person_id']}/override",
            data={
                "csrf_token": token.group(1),
                "decision_id": str(row["id"]),
                "outcome": "reduce_sentence",
                "new_term_months": "1",
                "justification": "Суд зачёл время содержания под стражей иначе.",
                "citation": "Закон № 152-VII, ст. 2",
            },
        )
        assert saved.status_code == 303, visible_text(saved.text)
        headline = re.search(
            r'id="decision-headline">([^<]*)<', client.get(f"/cases/{row['person_id']}").text
        )
        assert headline is not None
        assert headline.group(1).startswith("Срок наказания сокращается: новая дата окончания")
        assert "решение проверяющего (reviewer," in headline.group(1)
    finally:
        client.close()
    return str(row["person_id"])


IMPACT_VARIANT = 'relief:\n  reduction:\n    grave: "1/2"\n'
"""The what-if law of the impact page's example: grave offences reduced by half."""

TRIAL_CSV = (
    "person_id,full_name,stage,region,article,part,category,offence_date,context\n"
    "WORDS-1,Сапарова Айгүл,pre_trial,Almaty,293,1,small,2022-01-05,riot\n"
    "WORDS-2,Ким Олег,pre_trial,Almaty,293,1,small,2022-13-45,riot\n"
)


@pytest.fixture(scope="module")
def trial_job(live: Live) -> str:
    """The page of a finished trial run that the administrator uploaded through /batch, with one
    rejected row: its counts, its result and the rejected row's problem are read like every page."""
    import time

    server, _register = live
    client = _client(server, "admin", "ru")
    try:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/batch").text)
        assert token is not None
        sent = client.post(
            "/batch",
            data={"csrf_token": token.group(1)},
            files={"file": ("проба.csv", TRIAL_CSV.encode("utf-8"), "text/csv")},
        )
        assert sent.status_code == 303, visible_text(sent.text)
        url = sent.headers["location"].split("?")[0]
        for _ in range(600):
            if client.get("/api/jobs/" + url.rsplit("/", 1)[-1]).json()["status"] == "done":
                return url
            time.sleep(0.2)
        raise AssertionError("the trial run did not finish")
    finally:
        client.close()


@pytest.fixture(scope="module")
def pages(live: Live, overridden: str, trial_job: str) -> dict[str, list[str]]:
    found = _pages(live[1])
    for username in ("reviewer", "auditor", "officer"):
        found[username].append(f"/cases/{overridden}")
    found["admin"].append(trial_job)
    found["auditor"].append(trial_job)
    return found


def _fetch_all(
    server: LiveServer, username: str, language: str, urls: list[str]
) -> Iterator[tuple[str, int, str]]:
    client = _client(server, username, language)
    try:
        for url in urls:
            answer = client.get(url)
            yield url, answer.status_code, answer.text
        what_if = next((u for u in urls if u.endswith("/what-if")), None)
        if what_if is not None:  # the comparison after a changed fact
            html = client.get(what_if).text
            form = _what_if_form(html)
            form["charges-0-category"] = (
                "especially_grave" if form.get("charges-0-category") != "especially_grave" else "small"
            )
            answer = client.post(what_if, data=form)
            yield what_if + " (compared)", answer.status_code, answer.text
        if "/impact" in urls:  # the result of an impact run over the demo records
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/impact").text)
            assert token is not None
            variant = {"csrf_token": token.group(1), "source": "demo", "variant_text": IMPACT_VARIANT}
            answer = client.post("/impact", data=variant)
            yield "/impact (run)", answer.status_code, answer.text
    finally:
        client.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", sorted(USERNAMES))
def test_every_page_of_each_role_reads_without_codes_latin_words_or_iso_dates(
    live: Live, pages: dict[str, list[str]], username: str, language: str
) -> None:
    server, register = live
    typed = typed_values(register)
    failures: list[str] = []
    seen = 0
    for url, status, html in _fetch_all(server, username, language, pages[username]):
        assert status in (200, 403, 404, 422), (url, status)
        assert f'<html lang="{language}">' in html, url
        seen += 1
        text = visible_text(html)
        assert text.strip(), url
        found = problems_in(text, typed)
        if found:
            failures.append(f"{url} ({status}): {'; '.join(sorted(set(found)))}")
    assert seen >= len(pages[username])
    assert not failures, f"{username}/{language}:\n" + "\n".join(failures)


def test_the_checker_finds_what_it_must() -> None:
    """The check fails on each kind of problem (so a clean page is a real result)."""
    assert "reason code 'REDUCE_AT_SENTENCING'" in problems_in("Основания: REDUCE_AT_SENTENCING")
    assert problems_in("совершено 2022-01-04") == ["ISO date '2022-01-04'"]
    assert problems_in("Law 152-VII, art. 1") == ["Latin word 'Law'", "Latin word 'art'"]
    assert problems_in("reviewer · Проверяющий · English · P-00000001 · CSV · 152-VII") == []
    assert problems_in("Ф.И.О.: First Writer", ["First Writer"]) == []
    html = '<p title="Open">Да</p><input value="2022-01-04"><script>var x = "NOT_SHOWN";</script>'
    assert visible_text(html) == "Open\nДа"


BROWSER_PAGES = ("/dashboard", "/review", "/cases/NO-SUCH-PERSON")


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_as_chromium_shows_them(browser: Any, live: Live, language: str) -> None:
    """The rendered text (inner_text after styles and scripts) of a few pages, in a real browser."""
    server, register = live
    context = browser.new_context(locale={"ru": "ru-RU", "kk": "kk-KZ"}[language])
    context.add_cookies([{"name": "lang", "value": language, "url": server.url}])
    page = context.new_page()
    page.goto(server.url + "/signin")
    page.locator("#username").fill("admin")
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/home$"))
    person = next(iter(sorted(register.files)))
    for path in (*BROWSER_PAGES, f"/cases/{person}"):
        page.goto(server.url + path)
        found = problems_in(page.locator("body").inner_text(), typed_values(register))
        assert not found, f"{path} ({language}): {found}"
    context.close()
