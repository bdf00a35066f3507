"""Resocialisation tasks: life cycle, overdue per region, region export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amnesty.domain.enums import TaskKind, TaskStatus
from amnesty.domain.records import parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.resocialisation.export import export_region_xlsx
from amnesty.resocialisation.tasks import (
    TRANSITIONS,
    Task,
    TaskPolicy,
    TransitionError,
    add_note,
    assign,
    change_status,
    summary_by_region,
    tasks_from_decision,
    visible_to,
)

DAY = dt.date(2022, 11, 3)


def task(region: str = "Almaty", kind: TaskKind = TaskKind.EMPLOYMENT, person: str = "P-1") -> Task:
    return Task(f"{person}:{kind.value}", person, kind, region, DAY, DAY + dt.timedelta(days=30))


def test_released_person_gets_tasks_due_after_the_configured_period(make_grave: Any) -> None:
    person = parse_record(make_grave("G-4", 4, region="Karaganda", fixed_residence=False))
    decision = evaluate(person)
    tasks = tasks_from_decision(decision, TaskPolicy(due_days=45))
    assert {t.kind for t in tasks} >= {TaskKind.SOCIAL_ASSISTANCE, TaskKind.RESOCIALISATION_CENTRE}
    assert all(t.region == "Karaganda" and t.status is TaskStatus.OPEN for t in tasks)
    assert all(
        t.released_on == decision.as_of and t.due_on == decision.as_of + dt.timedelta(days=45) for t in tasks
    )


def test_a_reduced_sentence_without_release_gives_no_tasks(make_grave: Any) -> None:
    assert tasks_from_decision(evaluate(parse_record(make_grave("G-8", 8)))) == []


def test_life_cycle_open_in_progress_done() -> None:
    t = assign(task(), "akimat worker 7", DAY)
    t = change_status(
        t, TaskStatus.IN_PROGRESS, DAY + dt.timedelta(days=2), by="w7", note="called the person"
    )
    assert t.active
    assert t.closed_on is None
    assert t.notes[0].text == "called the person"
    t = change_status(t, TaskStatus.DONE, DAY + dt.timedelta(days=10))
    assert not t.active
    assert t.closed_on == DAY + dt.timedelta(days=10)
    with pytest.raises(TransitionError, match="allowed: none"):
        change_status(t, TaskStatus.OPEN, DAY + dt.timedelta(days=11))


def test_cannot_be_done_needs_a_reason_and_can_be_reopened() -> None:
    with pytest.raises(TransitionError, match="needs a reason"):
        change_status(task(), TaskStatus.CANNOT_BE_DONE, DAY, reason="  ")
    t = change_status(task(), TaskStatus.CANNOT_BE_DONE, DAY, reason="moved abroad")
    assert t.reason == "moved abroad"
    reopened = change_status(t, TaskStatus.OPEN, DAY + dt.timedelta(days=1))
    assert reopened.active
    assert reopened.reason is None
    assert reopened.closed_on is None


def test_changes_cannot_go_back_in_time_and_notes_cannot_be_empty() -> None:
    t = change_status(task(), TaskStatus.IN_PROGRESS, DAY + dt.timedelta(days=5))
    with pytest.raises(TransitionError, match="before its last change"):
        change_status(t, TaskStatus.DONE, DAY + dt.timedelta(days=4))
    with pytest.raises(TransitionError, match="empty"):
        add_note(t, " ", DAY + dt.timedelta(days=6))


def test_overdue_counts_only_active_tasks_after_the_due_day() -> None:
    late = task(person="P-1")
    done = change_status(task(person="P-2"), TaskStatus.DONE, DAY)
    other = task(region="Astana", person="P-3")
    after = DAY + dt.timedelta(days=31)
    assert late.is_overdue(after)
    assert late.days_overdue(after) == 1
    assert not late.is_overdue(DAY + dt.timedelta(days=30))
    assert not done.is_overdue(after)
    summaries = {s.region: s for s in summary_by_region([late, done, other], after)}
    assert (summaries["Almaty"].overdue, summaries["Almaty"].total) == (1, 2)
    assert summaries["Almaty"].by_status[TaskStatus.DONE] == 1
    assert summaries["Astana"].overdue == 1


def test_an_akimat_worker_sees_only_their_region() -> None:
    tasks = [task("Almaty", person="A"), task("Astana", person="B")]
    assert [t.person_id for t in visible_to(tasks, "Astana")] == ["B"]
    assert len(visible_to(tasks, None)) == 2


def test_region_export_has_a_summary_and_the_region_tasks_only(tmp_path: Path) -> None:
    tasks = [
        task("Almaty", person="A"),
        task("Astana", person="B"),
        change_status(task("Almaty", TaskKind.DOCUMENTS, "C"), TaskStatus.REFUSED, DAY, note="declined"),
    ]
    path = export_region_xlsx(
        tasks, "Almaty", DAY + dt.timedelta(days=40), tmp_path / "almaty.xlsx", {"A": "Ахметов А."}
    )
    workbook = openpyxl.load_workbook(path, read_only=True)
    summary = list(workbook["summary"].iter_rows(values_only=True))
    listing = list(workbook["tasks"].iter_rows(values_only=True))
    assert summary[1][0] == "Almaty"
    assert summary[1][1] == 2
    header = listing[0]
    rows = [dict(zip(header, row, strict=True)) for row in listing[1:]]
    assert {r["person_id"] for r in rows} == {"A", "C"}
    first = next(r for r in rows if r["person_id"] == "A")
    assert (first["full_name"], first["overdue"], first["days_overdue"]) == ("Ахметов А.", "yes", 10)
    assert "declined" in next(r for r in rows if r["person_id"] == "C")["notes"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list(TaskStatus)), max_size=8))
def test_any_sequence_of_changes_keeps_the_life_cycle_rules(steps: list[TaskStatus]) -> None:
    current = task()
    day = DAY
    for status in steps:
        day += dt.timedelta(days=1)
        try:
            nxt = change_status(current, status, day, reason="reason")
        except TransitionError:
            assert status is current.status or status not in TRANSITIONS[current.status]
            continue
        assert status in TRANSITIONS[current.status]
        assert (nxt.closed_on is None) == nxt.active
        if current.status is TaskStatus.DONE:
            pytest.fail("a done task changed")
        current = nxt
