"""The task life cycle over the service's store (SQLite file): stored tasks read as values, status
changes checked and written through the service's `update_task`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from amnesty.domain.deadlines import task_due_day
from amnesty.domain.enums import TaskStatus
from amnesty.domain.records import parse_record
from amnesty.io.json_records import ParsedRecord
from amnesty.law.loader import default_law
from amnesty.resocialisation.board import StaleTaskError, StoreBoard
from amnesty.resocialisation.tasks import TransitionError

store = pytest.importorskip("amnesty.store.cases")
db_module = pytest.importorskip("amnesty.store.db")
migrate = pytest.importorskip("amnesty.store.migrate")
models = pytest.importorskip("amnesty.store.models")


@pytest.fixture
def board(tmp_path: Path, make_grave: Any, make_medium: Any) -> StoreBoard:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = db_module.make_engine(url)
    migrate.upgrade(url, engine=engine)
    sessions = db_module.make_sessionmaker(engine)
    records = [
        parse_record(make_grave("G-1", 4, region="Almaty", fixed_residence=False)),
        parse_record(make_grave("G-2", 4, region="Astana")),
        parse_record(make_medium("M-1")),
    ]
    with sessions() as db, db.begin():
        store.import_records(db, [ParsedRecord(i, None, r) for i, r in enumerate(records)], "test")
    return StoreBoard(sessions)


def test_stored_tasks_read_as_values_with_release_and_due_days(board: StoreBoard) -> None:
    almaty = board.list("Almaty")
    assert almaty
    assert {item.task.person_id for item in almaty} == {"G-1"}
    release = dt.date(2022, 11, 3)  # immediate release under the one-year rule, on entry into force
    assert all(item.task.released_on == release for item in almaty)
    deadline = default_law().pack.dates.implementation_deadline.value  # due by kind, capped by the law's
    assert all(item.task.due_on == task_due_day(item.task.kind, release, deadline) for item in almaty)
    assert {item.task.region for item in board.list(None)} == {"Almaty", "Astana"}


def test_status_change_is_checked_then_stored_with_reason_in_notes(board: StoreBoard) -> None:
    item = board.list("Almaty")[0]
    day = dt.date.today()  # the store stamps changes with the clock; a change cannot predate it
    with pytest.raises(TransitionError, match="needs a reason"):
        board.change(item.id, item.version, TaskStatus.CANNOT_BE_DONE, day, "worker", None, None, "Almaty")
    changed = board.change(
        item.id,
        item.version,
        TaskStatus.CANNOT_BE_DONE,
        day,
        "worker",
        "no centre in the district",
        None,
        "Almaty",
    )
    assert changed.task.status is TaskStatus.CANNOT_BE_DONE
    assert changed.version == item.version + 1
    assert "no centre in the district" in changed.task.notes[-1].text
    with board.sessions() as db:
        row = db.scalars(select(models.TaskRow).where(models.TaskRow.id == item.id)).one()
        assert row.status == "cannot_be_done"
        assert row.due_date == item.task.due_on
    with pytest.raises(StaleTaskError):
        board.change(item.id, item.version, TaskStatus.OPEN, day, "worker", None, None, "Almaty")


def test_a_task_outside_the_workers_region_is_not_found(board: StoreBoard) -> None:
    item = board.list("Astana")[0]
    with pytest.raises(LookupError):
        board.change(item.id, item.version, TaskStatus.DONE, dt.date(2022, 12, 1), "w", None, None, "Almaty")
