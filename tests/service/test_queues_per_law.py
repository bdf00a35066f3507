"""Deadlines per law (issue 21, item 4; issue 23, item 4): a review item is due by the implementation
deadline of the law its decision was made under, not by the default law's; the overdue view counts
each item by its own law's deadline, and the dashboard's countdown is the law asked for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from amnesty.auth import Role
from amnesty.domain.deadlines import REVIEW_DAYS
from amnesty.io.json_records import validate_item
from amnesty.law.loader import deep_merge, raw_pack
from amnesty.law.registry import DEFAULT_LAW_ID, LAW_PATH_VARIABLE, get_law
from amnesty.service import queues, stats
from amnesty.service.exports import review_rows
from amnesty.store import repository as repo
from amnesty.store.cases import reevaluate_all
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.migrate import upgrade
from amnesty.store.queries import ReviewStatus

EARLY = "kz-2099-early-deadline"
SOON = 3
"""Days from today to the deadline of the `EARLY` law (fewer than `REVIEW_DAYS`)."""


@dataclass(frozen=True)
class Reader:
    """A user as the policy sees one."""

    username: str
    role: str
    region: str | None = None


ADMIN = Reader("tester", Role.ADMIN.value)


@pytest.fixture
def early_law(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A second registered law: the default law's rules and window, its implementation deadline
    `SOON` days from today."""
    folder = tmp_path / "laws" / EARLY.replace("-", "_")
    folder.mkdir(parents=True)
    deadline = (dt.date.today() + dt.timedelta(days=SOON)).isoformat()
    pack = deep_merge(raw_pack(), {"id": EARLY, "dates": {"implementation_deadline": {"value": deadline}}})
    (folder / "pack.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(LAW_PATH_VARIABLE, str(tmp_path / "laws"))
    return EARLY


@pytest.fixture
def db(fresh_url):
    engine = make_engine(fresh_url)
    upgrade(fresh_url, engine=engine)
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


def _waiting(db, record, unique_id, law_id: str) -> str:
    """A person whose case needs review (connection with the events not established), decided under
    `law_id`."""
    person_id = unique_id()
    charge = {
        "article": 188,
        "part": 2,
        "category": "medium",
        "offence_date": "2022-01-05",
        "context": "unknown",
    }
    repo.import_records(
        db, [validate_item(0, None, record(person_id, charges=[charge]))], "tester", get_law(law_id)
    )
    db.commit()
    return person_id


def test_each_review_item_is_due_by_its_own_laws_deadline(db, record, unique_id, early_law):
    under_default = _waiting(db, record, unique_id, DEFAULT_LAW_ID)
    under_early = _waiting(db, record, unique_id, early_law)
    today = dt.date.today()
    _, items = queues.review_work(db, ADMIN, queues.ReviewFilters(), today)
    due = {work.item.person_id: (work.item.law, work.due_on) for work in items}
    default_deadline = get_law().pack.dates.implementation_deadline.value
    assert default_deadline is None or default_deadline < today  # 152-VII's deadline has passed
    assert due[under_default] == (DEFAULT_LAW_ID, today + dt.timedelta(days=REVIEW_DAYS))
    assert due[under_early] == (early_law, today + dt.timedelta(days=SOON))

    # the overdue view on a day after the early law's deadline: only its item, by its own deadline
    later = today + dt.timedelta(days=SOON + 1)
    _, overdue = queues.review_work(db, ADMIN, queues.ReviewFilters(overdue=True), later)
    assert [work.item.person_id for work in overdue] == [under_early]
    assert all(work.overdue for work in overdue)
    # past both due days: both
    last = today + dt.timedelta(days=REVIEW_DAYS + 1)
    _, both = queues.review_work(db, ADMIN, queues.ReviewFilters(overdue=True), last)
    assert {work.item.person_id for work in both} == {under_default, under_early}


def test_a_case_re_decided_under_another_law_is_due_by_that_law(db, record, unique_id, early_law):
    person_id = _waiting(db, record, unique_id, DEFAULT_LAW_ID)
    reevaluate_all(db, "tester", law=get_law(early_law))
    db.commit()
    today = dt.date.today()
    _, items = queues.review_work(db, ADMIN, queues.ReviewFilters(), today)
    mine = [work for work in items if work.item.person_id == person_id]
    assert [(work.item.law, work.due_on) for work in mine] == [(early_law, today + dt.timedelta(days=SOON))]


def test_the_countdown_and_the_deadlines_are_each_laws(early_law):
    deadlines = dict(queues.law_deadlines())
    assert deadlines.get(DEFAULT_LAW_ID) == get_law().pack.dates.implementation_deadline.value
    assert deadlines[early_law] == dt.date.today() + dt.timedelta(days=SOON)
    countdown = queues.countdown(dt.date.today(), get_law(early_law))
    assert countdown is not None
    assert countdown.days_left == SOON


def test_the_review_export_names_each_items_law_and_its_due_day(db, record, unique_id, early_law):
    under_default = _waiting(db, record, unique_id, DEFAULT_LAW_ID)
    under_early = _waiting(db, record, unique_id, early_law)
    table = review_rows(db, ADMIN, ReviewStatus.OPEN, None, None)
    header = table.header
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in table.rows}
    today = dt.date.today()
    assert rows[under_default]["law"] == DEFAULT_LAW_ID
    assert rows[under_default]["due_date"] == (today + dt.timedelta(days=REVIEW_DAYS)).isoformat()
    assert rows[under_early]["law"] == early_law
    assert rows[under_early]["due_date"] == (today + dt.timedelta(days=SOON)).isoformat()


def test_the_review_queue_under_a_law_counts_as_the_dashboard_under_it(db, record, unique_id, early_law):
    re_decided = _waiting(db, record, unique_id, DEFAULT_LAW_ID)
    reevaluate_all(db, "tester", law=get_law(early_law))
    db.commit()
    only_default = _waiting(db, record, unique_id, DEFAULT_LAW_ID)
    today = dt.date.today()
    for law_id, expected in ((DEFAULT_LAW_ID, {re_decided, only_default}), (early_law, {re_decided})):
        found, items = queues.review_work(db, ADMIN, queues.ReviewFilters(law=law_id), today)
        assert {work.item.person_id for work in items} == expected
        assert {work.item.law for work in items} == {law_id}
        assert found.total == stats.statistics(db, ADMIN, law_id).review_open
    _, every = queues.review_work(db, ADMIN, queues.ReviewFilters(), today)
    assert {(work.item.person_id, work.item.law) for work in every} == {
        (re_decided, early_law),
        (only_default, DEFAULT_LAW_ID),
    }
