"""Fixtures for the web tests: an app over a seeded in-memory register, a signed-in client, a live
server on a free port and a headless Chromium (Debian's /usr/bin/chromium, never a downloaded one)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from amnesty.web.app import create_web_app
from amnesty.web.memory import MemoryBackend, demo_backend

PASSWORD = "correct horse battery staple"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def make_app(count: int = 120) -> tuple[FastAPI, MemoryBackend]:
    """A fresh app and its register (demo records, one user per role)."""
    backend = demo_backend(PASSWORD, count)
    return create_web_app(backend, secret="test-secret-not-for-production"), backend


@pytest.fixture
def app_and_backend() -> tuple[FastAPI, MemoryBackend]:
    return make_app()


def signed_in_client(app: FastAPI, username: str, language: str = "en") -> TestClient:
    """A TestClient with a session for the user and a language cookie."""
    client = TestClient(app)
    client.cookies.set("lang", language)
    response = client.post(
        "/signin", data={"username": username, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return client


def csrf_of(client: TestClient, page: str = "/home") -> str:
    """The CSRF token embedded in a page's forms."""
    import re

    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert match, "no CSRF token on the page"
    return match.group(1)


class LiveServer:
    """uvicorn serving an app in a background thread on 127.0.0.1 and a free port."""

    def __init__(self, app: FastAPI) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live() -> Iterator[tuple[LiveServer, MemoryBackend]]:
    app, backend = make_app()
    with LiveServer(app) as server:
        yield server, backend


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module (a module scope lets other suites start their own Playwright)."""
    if not CHROMIUM.exists():
        message = "Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live: tuple[LiveServer, MemoryBackend]) -> Iterator[Any]:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot as a test artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


SERVICE_USERS = (
    ("officer", "case_officer", None),
    ("reviewer", "reviewer", None),
    ("social", "social_worker", "Almaty"),
    ("auditor", "auditor", None),
    ("admin", "admin", None),
)


def make_service_app(tmp: Path, persons: int = 64) -> FastAPI:
    """`amnesty.app.create_app` on a temporary SQLite file seeded with the service's demo records
    and one user per role (password PASSWORD)."""
    os.environ.setdefault("AMNESTY_DATA_DIR", str(tmp))
    from amnesty.app import create_app
    from amnesty.auth import create_user
    from amnesty.store.demo import seed_records

    app = create_app(f"sqlite:///{tmp / 'web-test.sqlite3'}")
    with app.state.sessions() as db:
        seed_records(db, app.state.law, persons)
        for username, role, region in SERVICE_USERS:
            create_user(db, username, PASSWORD, role, region)
        db.commit()
    return app


@pytest.fixture(scope="session")
def service_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, FastAPI]]:
    pytest.importorskip("amnesty.app")
    app = make_service_app(tmp_path_factory.mktemp("service-web"))
    with LiveServer(app) as server:
        yield server, app
