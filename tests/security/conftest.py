"""Fixtures of the security suite: a fresh database per test on SQLite and on PostgreSQL (a schema of
its own, dropped afterwards, as in tests/service), populated through the application's own write
paths, with an anchor file of the test's own."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from amnesty.audit import verify_chain
from amnesty.audit.chain import AuditReport, record_event
from amnesty.auth import Role, create_user
from amnesty.auth.users import set_password
from amnesty.domain.enums import Outcome, TaskStatus
from amnesty.io.json_records import validate_item
from amnesty.store.cases import import_records, update_case
from amnesty.store.convert import case_to_record
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.migrate import upgrade
from amnesty.store.models import Case, DecisionRow, TaskRow, UserRow
from amnesty.store.workflow import OverrideInput, TaskChange, record_override, update_task
from tests.service.conftest import _record, fresh_database_url, postgres_answers

PASSWORD = "a-long-test-password"


@pytest.fixture(scope="session", autouse=True)
def _security_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A secret key and data directory of the session's own; no anchor key unless a test sets one."""
    names = ("AMNESTY_SECRET_KEY", "AMNESTY_DATA_DIR", "AMNESTY_DATABASE_URL", "AMNESTY_AUDIT_KEY")
    saved = {name: os.environ.get(name) for name in names}
    os.environ["AMNESTY_SECRET_KEY"] = secrets.token_urlsafe(32)
    os.environ["AMNESTY_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    os.environ.pop("AMNESTY_DATABASE_URL", None)
    os.environ.pop("AMNESTY_AUDIT_KEY", None)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Each attack is replayed on SQLite, and on PostgreSQL when it answers."""
    name: str = request.param
    if name == "postgresql" and not postgres_answers():
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
    return name


@pytest.fixture
def anchor_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's own anchor file (AMNESTY_AUDIT_ANCHOR)."""
    path = tmp_path / "anchors" / "audit.anchors.jsonl"
    monkeypatch.setenv("AMNESTY_AUDIT_ANCHOR", str(path))
    return path


@dataclass
class Register:
    """A populated database: its URL, engine, sessions, and the ids of the records written."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    decision_ids: list[int]
    override_id: int
    task_id: int
    case_id: int
    user_id: int

    def verify(self) -> AuditReport:
        """`amnesty audit verify` of the database."""
        with self.sessions() as db:
            return verify_chain(db)

    def raw(self, *statements: str, params: dict[str, Any] | None = None) -> None:
        """Statements run directly against the database, as a database administrator would."""
        with self.engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement), params or {})

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    def drop_protection(self) -> None:
        """What an administrator with DDL rights can do: drop the append-only triggers."""
        if self.dialect == "sqlite":
            for name in (
                "decisions_no_update",
                "decisions_no_delete",
                "overrides_no_update",
                "overrides_no_delete",
                "audit_events_no_update",
                "audit_events_no_delete",
            ):
                self.raw(f"DROP TRIGGER IF EXISTS {name}")
        else:
            self.raw(
                "DROP TRIGGER IF EXISTS decisions_no_change ON decisions",
                "DROP TRIGGER IF EXISTS overrides_no_change ON overrides",
                "DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events",
            )


def populate(sessions: sessionmaker[Session], records: list[dict[str, Any]]) -> dict[str, int]:
    """Write through the application: users (created, password changed), an import, a case edit with
    re-evaluation, a reviewer's override and a task change."""
    with sessions() as db:
        admin = create_user(db, "sec-admin", PASSWORD, Role.ADMIN)
        create_user(db, "sec-reviewer", PASSWORD, Role.REVIEWER)
        worker = create_user(db, "sec-social", PASSWORD, Role.SOCIAL_WORKER, "Almaty")
        set_password(db, worker, PASSWORD + "-2", actor=admin.username)
        items = [validate_item(i, None, data) for i, data in enumerate(records)]
        result = import_records(db, items, "sec-admin")
        db.commit()
        case = db.get(Case, result.case_ids[0])
        assert case is not None
        record = case_to_record(case)
        edited = record.model_copy(update={"full_name": "Edited Name"})
        update_case(db, case, case.version, edited, "sec-admin")
        db.commit()
        decision = (
            db.query(DecisionRow)
            .filter(DecisionRow.case_fk == case.id)
            .order_by(DecisionRow.sequence.desc())
            .first()
        )
        assert decision is not None
        override = record_override(
            db,
            decision,
            OverrideInput(Outcome.NEEDS_REVIEW, "The court file shows a second charge.", "Art. 1"),
            "sec-reviewer",
        )
        # the audit events the use cases record beside these writes (`amnesty.service.review`, `.tasks`)
        record_event(
            db, "sec-reviewer", "override.create", "decision", decision.id, {"override_id": override.id}
        )
        task = db.query(TaskRow).order_by(TaskRow.id).first()
        assert task is not None
        changed = update_task(
            db, task, task.version, TaskChange(status=TaskStatus.IN_PROGRESS, notes="called")
        )
        record_event(db, "sec-social", "task.update", "task", task.id, {"fields": list(changed)})
        db.commit()
        return {
            "override_id": override.id,
            "task_id": task.id,
            "case_id": case.id,
            "user_id": worker.id,
            "decision_ids": [d.id for d in db.query(DecisionRow).order_by(DecisionRow.id)],  # type: ignore[dict-item]
        }


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A new empty database of the backend."""
    yield from fresh_database_url(backend, tmp_path)


@pytest.fixture
def register(fresh_url: str, anchor_file: Path) -> Iterator[Register]:
    """A fresh database populated through the application, whose audit trail verifies."""
    engine = make_engine(fresh_url)
    upgrade(fresh_url, engine=engine)
    sessions = make_sessionmaker(engine)
    records = [_record(f"SEC-{i}", full_name=f"Person {i}") for i in range(4)]
    records.append(  # 8 years for a grave offence: a reduced sentence, no release, no tasks
        _record(
            "SEC-GRAVE",
            charges=[
                {
                    "article": 272,
                    "part": 2,
                    "category": "grave",
                    "offence_date": "2022-01-05",
                    "context": "riot",
                }
            ],
            sentence={"punishment": "imprisonment", "term": {"years": 8}, "start_date": "2022-01-06"},
        )
    )
    ids = populate(sessions, records)
    reg = Register(fresh_url, engine, sessions, **ids)  # type: ignore[arg-type]
    report = reg.verify()
    assert report.ok, report.problems
    yield reg
    engine.dispose()


@pytest.fixture
def record() -> Callable[..., dict[str, Any]]:
    """Builder of valid records (see tests/service/conftest.py)."""
    return _record


def today() -> dt.date:
    """Today's date (for exports)."""
    return dt.date.today()


__all__ = ["PASSWORD", "Register", "UserRow", "populate"]
