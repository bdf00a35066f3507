"""The officer's, reviewer's, social worker's and analyst's day in Chromium, as PNGs for docs/web.md.

`scripts/screenshots [--language en|ru|kk] [--out docs/img]` starts `amnesty serve --demo` as a process
(a fresh SQLite file in a temporary folder, a free port, the demo users' passwords read from its
output), signs in as each demo user and saves one 1280x800 PNG per step (`day-<role>-<n>-<step>.png`),
reduced to a 256-colour palette to keep the repository small. A step that fails is reported and the
rest go on; the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Page, sync_playwright

from amnesty.domain.iin import make_iin

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 800}
ROOT = Path(__file__).resolve().parents[1]
VARIANT = ROOT / "examples" / "variants" / "grave-half.yaml"
UPLOAD = """person_id,full_name,birth_date,region,stage,case_number,article,part,category,offence_date,context
DAY-1,Омарова Айгерим Нурлановна,1995-09-02,Almaty,pre_trial,DAY-1/22,188,2,medium,2022-01-06,riot
DAY-2,СЕРИКОВ  Даурен Маратович,1990-05-14,Almaty,pre_trial,DAY-2/22,293,1,small,2022-01-05,riot
"""
"""Two persons, without the role and recidivism columns; the second has the name and birth date of the
person the officer entered in the form just before (possibly the same person)."""

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(folder: Path, persons: int) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    """`amnesty serve --demo` on a free port; its process, URL and the demo users' passwords."""
    port = free_port()
    log = folder / "serve.log"
    command = [str(Path(sys.executable).parent / "amnesty"), "serve", "--demo", "--demo-persons", str(persons)]
    command += ["--port", str(port), "--database-url", f"sqlite:///{folder / 'demo.sqlite3'}"]
    env = os.environ | {"AMNESTY_DATA_DIR": str(folder), "COLUMNS": "200"}
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"amnesty serve stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    else:
        process.terminate()
        raise SystemExit("amnesty serve did not answer in 300 s")
    passwords = dict(re.findall(r"│ (demo-[a-z-]+)\s+│[^│]*│[^│]*│ (\S+)\s+│", log.read_text()))
    return process, url, passwords


class Day:
    """One user's day: sign in, then steps that each end in a screenshot."""

    def __init__(self, page: Page, url: str, out: Path, role: str, failures: list[str]) -> None:
        self.page, self.url, self.out, self.role, self.failures = page, url, out, role, failures
        self.number = 0

    def sign_in(self, username: str, password: str, language: str) -> None:
        self.page.context.clear_cookies()
        self.page.goto(f"{self.url}/lang/{language}")
        self.page.goto(self.url + "/signin")
        self.page.locator("#username").fill(username)
        self.page.locator("#password").fill(password)
        self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_url(re.compile(r".*/home$"))

    def step(self, name: str, action: Callable[[Page], Any]) -> None:
        self.number += 1
        target = self.out / f"day-{self.role}-{self.number}-{name}.png"
        try:
            action(self.page)
            self.page.wait_for_load_state("networkidle")
            if self.page.locator(".error-page").count():
                raise RuntimeError(self.page.locator(".error-page").inner_text().replace("\n", " "))
            self.page.screenshot(path=str(target))
            small = Image.open(target).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
            small.save(target, optimize=True)
            print(f"  {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        except Exception as error:  # noqa: BLE001 - a failed step is reported, the day goes on
            self.failures.append(f"{self.role} {name}: {error}")
            print(f"  FAILED {self.role} {name}: {str(error).splitlines()[0]}", file=sys.stderr)


def officer(day: Day, folder: Path) -> None:
    def new_case(page: Page) -> None:
        page.goto(day.url + "/cases/new")
        page.locator("#full_name").fill("Сериков Даурен Маратович")
        page.locator("#iin").fill(make_iin(dt.date(1990, 5, 14), 3017))
        page.locator("#case_number").fill("2022-01-0417")
        page.locator("#region").select_option("Almaty")
        page.locator("#role").select_option("participant")
        page.locator("#recidivism").select_option("none")
        page.locator("#stage").select_option("serving")
        page.locator("#charges-0-article").fill("293")
        page.locator("#charges-0-part").fill("2")
        page.locator("#charges-0-category").select_option("medium")
        page.locator("#charges-0-offence_date").fill("2022-01-05")
        page.locator("#charges-0-context").select_option("riot")
        page.locator("#sentence-punishment").select_option("imprisonment")
        page.locator("#sentence-years").fill("3")
        page.locator("#sentence-start_date").fill("2022-01-10")
        page.locator("#iin-check").scroll_into_view_if_needed()

    def saved(page: Page) -> None:
        page.locator("form[action='/cases/new'] > button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/cases/[^/]+\?saved=new.*"))

    def upload(page: Page) -> None:
        data = folder / "two-persons.csv"
        data.write_text(UPLOAD, encoding="utf-8")
        page.goto(day.url + "/batch")
        page.set_input_files("#file", str(data))
        page.locator("form[action='/batch'] button[type=submit]").click()
        page.wait_for_selector("#job-status[data-status=done]", timeout=120_000)

    day.step("home", lambda page: page.goto(day.url + "/home"))
    day.step("new-case", new_case)
    day.step("decided", saved)
    day.step("file-trial-run", upload)
    day.step("cases", lambda page: page.goto(day.url + "/cases"))


def reviewer(day: Day) -> None:
    def open_first(page: Page) -> None:
        page.goto(day.url + "/review")
        page.locator("main table tbody tr a").first.click()
        page.wait_for_load_state()

    def override(page: Page) -> None:
        form = page.locator("form[action$='/override']").first
        form.scroll_into_view_if_needed()

    day.step("queue", lambda page: page.goto(day.url + "/review"))
    day.step("case", open_first)
    day.step("override-form", override)
    day.step("dashboard", lambda page: page.goto(day.url + "/dashboard"))


def social_worker(day: Day) -> None:
    def person(page: Page) -> None:
        page.goto(day.url + "/tasks")
        page.locator("main table tbody tr a").first.click()
        page.wait_for_load_state()

    day.step("tasks", lambda page: page.goto(day.url + "/tasks"))
    day.step("person", person)


def analyst(day: Day) -> None:
    def impact(page: Page) -> None:
        page.goto(day.url + "/impact?example=grave-half")
        page.locator("input[name=source][value=register]").check()
        page.locator("form[action='/impact'] button[type=submit]").click()
        page.locator("#im-result").wait_for(timeout=180_000)
        page.evaluate("document.querySelector('#im-result').scrollIntoView()")

    day.step("dashboard", lambda page: page.goto(day.url + "/dashboard"))
    day.step("impact", impact)
    day.step("jobs", lambda page: page.goto(day.url + "/jobs"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="en", choices=("en", "ru", "kk"))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--persons", type=int, default=300)
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="amnesty-screens-") as name:
        folder = Path(name)
        process, url, passwords = start(folder, options.persons)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
                context.set_default_timeout(30_000)
                page = context.new_page()
                days: list[tuple[str, str, Callable[[Day], None]]] = [
                    ("officer", "demo-case-officer", lambda day: officer(day, folder)),
                    ("reviewer", "demo-reviewer", reviewer),
                    ("social-worker", "demo-social-worker", social_worker),
                    ("analyst", "demo-analyst", analyst),
                ]
                for role, username, walk in days:
                    print(f"{role}:")
                    day = Day(page, url, options.out, role, failures)
                    day.sign_in(username, passwords[username], options.language)
                    walk(day)
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
    for failure in failures:
        print(f"failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
