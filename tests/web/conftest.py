"""Fixtures for the web tests, all on the real application factory (`amnesty.app.create_app`) over a
seeded temporary SQLite database: a TestClient app, a `Register` that reads what the pages should
show straight from the store, `amnesty serve` started as a process on a free port, and a headless
Chromium (Debian's /usr/bin/chromium, never a downloaded one)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from amnesty.domain.decision import Decision
from amnesty.domain.records import CaseRecord, parse_record
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.queries import ReviewStatus, review_queue

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
SERVICE_USERS = (
    ("officer", "case_officer", None),
    ("reviewer", "reviewer", None),
    ("social", "social_worker", "Almaty"),
    ("auditor", "auditor", None),
    ("admin", "admin", None),
)


@dataclass(frozen=True)
class StoredFile:
    """A person's newest decided case as stored: facts and decision."""

    record: CaseRecord
    decision: Decision
    overrides: tuple[Any, ...] = ()

    @property
    def final_outcome(self) -> Any:
        """The outcome in effect: the newest override's, else the engine's."""
        from amnesty.domain.enums import Outcome

        return Outcome(self.overrides[-1].outcome) if self.overrides else self.decision.outcome


class Register:
    """Reads the store behind an app or a served process, to know what the pages must show."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    @property
    def files(self) -> dict[str, StoredFile]:
        """Every person's newest decided case, by person_id (small test registers only)."""
        from amnesty.store.models import Person

        with self.sessions() as db:
            people = list(db.scalars(select(Person).order_by(Person.person_id)))
            return {p.person_id: f for p in people if (f := self._file(p)) is not None}

    @staticmethod
    def _file(person: Any) -> StoredFile | None:
        from amnesty.store.convert import case_record

        decided = [c for c in person.cases if c.decisions]
        if not decided:
            return None
        case = max(decided, key=lambda c: (c.decisions[-1].id, c.id))
        newest = case.decisions[-1]
        return StoredFile(
            parse_record(case_record(case)), Decision.model_validate(newest.decision), tuple(newest.overrides)
        )

    def person(self, person_id: str) -> StoredFile | None:
        """One person's newest decided case, or None."""
        from amnesty.store.models import Person

        with self.sessions() as db:
            person = db.scalar(select(Person).where(Person.person_id == person_id))
            return self._file(person) if person is not None else None

    def review_queue(self) -> list[dict[str, Any]]:
        """The open review queue (every page)."""
        items: list[dict[str, Any]] = []
        with self.sessions() as db:
            page = 1
            while True:
                found = review_queue(db, ReviewStatus.OPEN, page, 200)
                items.extend(item.model_dump() for item in found.items)
                if len(items) >= found.total or not found.items:
                    return items
                page += 1

    @property
    def events(self) -> list[tuple[str, str, str, str]]:
        """The audit trail as (actor, action, object_type, object_id)."""
        from amnesty.store.models import AuditEvent

        with self.sessions() as db:
            return [
                (e.actor, e.action, e.object_type, e.object_id)
                for e in db.scalars(select(AuditEvent).order_by(AuditEvent.seq))
            ]


def released_records(regions: tuple[str, ...] = ("Almaty", "Astana"), each: int = 3) -> list[dict[str, Any]]:
    """Persons released from custody (grave riot charge, one year from January 2022): they get tasks."""
    return [
        {
            "person_id": f"REL-{region[:3].upper()}-{n}",
            "full_name": f"Released {region} {n}",
            "region": region,
            "stage": "serving",
            "case_number": f"REL-{region[:3].upper()}-{n}/1",
            "charges": [
                {
                    "article": 272,
                    "part": 2,
                    "category": "grave",
                    "offence_date": "2022-01-05",
                    "context": "riot",
                }
            ],
            "sentence": {"punishment": "imprisonment", "term": {"years": 1}, "start_date": "2022-01-06"},
        }
        for region in regions
        for n in range(each)
    ]


def seed_database(url: str, persons: int, extra: list[dict[str, Any]] | None = None) -> None:
    """Migrate, seed the demo records (and `extra` records) and one user per role (password PASSWORD)."""
    from amnesty.app import create_app
    from amnesty.auth import create_user
    from amnesty.store.demo import seed_records

    app = create_app(url)
    with app.state.sessions() as db:
        seed_records(db, app.state.law, persons)
        if extra:
            from amnesty.io.json_records import ParsedRecord
            from amnesty.store.cases import import_records

            items: list[Any] = [ParsedRecord(i, None, parse_record(r)) for i, r in enumerate(extra)]
            import_records(db, items, "test-seed", law=app.state.law)
        for username, role, region in SERVICE_USERS:
            create_user(db, username, PASSWORD, role, region)
        db.commit()
    app.state.engine.dispose()


def make_service_app(tmp: Path, persons: int = 64) -> FastAPI:
    """`amnesty.app.create_app` on a temporary SQLite file, seeded."""
    os.environ.setdefault("AMNESTY_DATA_DIR", str(tmp))
    from amnesty.app import create_app

    url = f"sqlite:///{tmp / 'web-test.sqlite3'}"
    seed_database(url, persons)
    return create_app(url)


def make_app(count: int = 120) -> tuple[FastAPI, Register]:
    """A fresh application on its own seeded database, and a reader of that database."""
    app = make_service_app(Path(tempfile.mkdtemp(prefix="amnesty-web-")), count)
    return app, Register(app.state.sessions)


@pytest.fixture
def app_and_backend() -> tuple[FastAPI, Register]:
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """`amnesty serve` started as a process on 127.0.0.1 and a free port, over a seeded SQLite file."""

    def __init__(self, folder: Path, persons: int = 120, extra: list[dict[str, Any]] | None = None) -> None:
        self.folder = folder
        self.database_url = f"sqlite:///{folder / 'served.sqlite3'}"
        seed_database(self.database_url, persons, extra)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = folder / "serve.log"
        self.engine = make_engine(self.database_url)
        self.register = Register(make_sessionmaker(self.engine))

    def _start(self) -> bool:
        """Start the process on a free port; False when it exits (the port was taken meanwhile)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            str(Path(sys.executable).parent / "amnesty"),
            "serve",
            "--database-url",
            self.database_url,
            "--port",
            str(self.port),
        ]
        env = os.environ | {"AMNESTY_DATA_DIR": str(self.folder)}
        # The server's log goes to a file: a pipe nobody reads fills after some 900 access-log lines
        # and then blocks the server on its next log write (every later page times out).
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/api/health", timeout=2) as answer:
                    if answer.status == 200 and b'"database":"ok"' in answer.read():
                        return True
            except Exception:
                pass
            time.sleep(0.2)
        self.process.kill()
        self.process.wait()
        return False

    def __enter__(self) -> LiveServer:
        for _attempt in range(3):
            if self._start():
                return self
        tail = self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""
        raise RuntimeError(f"amnesty serve did not start; its log ends with:\n{tail}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.engine.dispose()


GRAVE_REDUCED = {
    "person_id": "RED-GRAVE-1",
    "full_name": "Гравов Сокращён",
    "region": "Astana",
    "stage": "serving",
    "case_number": "RED-1",
    "charges": [
        {"article": 293, "part": 2, "category": "grave", "offence_date": "2022-01-05", "context": "riot"}
    ],
    "sentence": {"punishment": "imprisonment", "term": {"years": 8}, "start_date": "2022-01-06"},
}
"""A charge recorded as grave whose term the amnesty reduces (the what-if flow changes its category)."""


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Register]]:
    extra = [GRAVE_REDUCED]
    with LiveServer(tmp_path_factory.mktemp("served"), 120, extra) as server:
        yield server, server.register


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
def page(browser: Any, live: tuple[LiveServer, Register]) -> Iterator[Any]:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot as a test artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
