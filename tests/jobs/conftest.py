"""Fixtures of the job pages' tests: `amnesty serve` started as a process on a temporary SQLite file
(users created with `amnesty users add`), and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "a-long-jobs-test-password"
USERS = (("officer", "case_officer"), ("reviewer", "reviewer"), ("admin", "admin"))


def _amnesty() -> list[str]:
    script = Path(sys.executable).parent / "amnesty"
    return [str(script)] if script.exists() else [sys.executable, "-m", "amnesty.cli.main"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    """A running `amnesty serve` process."""

    url: str
    database_url: str
    env: dict[str, str]
    pid: int = 0


@contextmanager
def serve_process(folder: Path, extra_env: dict[str, str] | None = None) -> Iterator[Served]:
    """`amnesty serve` on a temporary SQLite file in `folder`, with USERS, and `extra_env` set."""
    database_url = f"sqlite:///{folder / 'amnesty.sqlite3'}"
    env = (
        os.environ
        | {
            "AMNESTY_SECRET_KEY": secrets.token_urlsafe(32),
            "AMNESTY_DATA_DIR": str(folder),
            "AMNESTY_DATABASE_URL": database_url,
        }
        | (extra_env or {})
    )
    for username, role in USERS:
        subprocess.run(
            [*_amnesty(), "users", "add", username, "--role", role, "--password-stdin"],
            input=PASSWORD + "\n",
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    port = _free_port()
    log = (folder / "serve.log").open("w")
    process = subprocess.Popen(
        [*_amnesty(), "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "serve.log").read_text())
            time.sleep(0.2)
        yield Served(url, database_url, env, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serve_process(tmp_path_factory.mktemp("served")) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    context.close()
