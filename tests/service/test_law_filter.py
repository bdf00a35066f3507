"""The law filter of the lists and counts (issue 21, item 4): a case decided under two laws has a
decision in force under each; the dashboard's counts, the releases due and the case search count the
decision in force under the law asked for (one query each, `queries.newest_decision(law=...)`), and
a job started under a law runs under that law, never under the runner's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from amnesty.auth import Role
from amnesty.io.json_records import validate_item
from amnesty.jobs.work import law_param
from amnesty.law.loader import deep_merge, raw_pack
from amnesty.law.registry import DEFAULT_LAW_ID, LAW_PATH_VARIABLE, UnknownLawError, get_law
from amnesty.service import cases as case_service
from amnesty.service import queues, stats
from amnesty.store import repository as repo
from amnesty.store.cases import reevaluate_all
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.migrate import upgrade
from amnesty.store.models import JobRow
from amnesty.store.queries import CaseFilter
from amnesty.web.pages_cases import law_decisions

OTHER = "kz-2099-none-covered"


@dataclass(frozen=True)
class Reader:
    """A user as the policy sees one."""

    username: str
    role: str
    region: str | None = None


ADMIN = Reader("tester", Role.ADMIN.value)


@pytest.fixture
def other_law(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A second registered law whose offence window covers nobody (everyone is `not_covered`), with
    its own implementation deadline."""
    folder = tmp_path / "laws" / OTHER.replace("-", "_")
    folder.mkdir(parents=True)
    pack = deep_merge(
        raw_pack(),
        {
            "id": OTHER,
            "dates": {
                "offence_window": {"start": "2099-01-01", "end": "2099-01-02"},
                "implementation_deadline": {"value": "2099-07-01"},
            },
        },
    )
    (folder / "pack.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(LAW_PATH_VARIABLE, str(tmp_path / "laws"))
    return OTHER


@pytest.fixture
def db(fresh_url):
    engine = make_engine(fresh_url)
    upgrade(fresh_url, engine=engine)
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


def _decided_under_both(db, record, unique_id) -> tuple[str, int]:
    """A released person decided first under the default law, then under the other law (newest)."""
    person_id = unique_id()
    result = repo.import_records(db, [validate_item(0, None, record(person_id))], "tester", get_law())
    db.commit()
    reevaluate_all(db, "tester", law=get_law(OTHER))
    db.commit()
    return person_id, result.case_ids[0]


def test_counts_releases_and_search_follow_the_law_asked_for(db, record, unique_id, other_law):
    person_id, case_id = _decided_under_both(db, record, unique_id)
    # a second person decided under the default law only
    repo.import_records(db, [validate_item(0, None, record(unique_id()))], "tester", get_law())
    db.commit()

    under_default = stats.statistics(db, ADMIN, DEFAULT_LAW_ID)
    under_other = stats.statistics(db, ADMIN, other_law)
    newest = stats.statistics(db, ADMIN)
    assert under_default.by_outcome == {"release": 2}
    assert under_default.released_by_region == {"Almaty": 2}
    assert under_other.by_outcome == {"not_covered": 1}
    assert under_other.released_by_region == {}
    assert newest.by_outcome == {"release": 1, "not_covered": 1}
    assert under_default.persons == under_other.persons == 2  # the register's, whatever the law

    assert len(stats.releases_due(db, ADMIN, 10, DEFAULT_LAW_ID)) == 2
    assert stats.releases_due(db, ADMIN, 10, other_law) == []
    newest_releases = [row.id for row in stats.releases_due(db, ADMIN, 10)]
    assert len(newest_releases) == 1
    assert case_id not in newest_releases  # its newest decision (the other law's) does not release

    def found(filters: CaseFilter) -> list[int]:
        return [row.id for row in case_service.search_cases(db, ADMIN, filters, "id", 1, 50).items]

    assert found(CaseFilter(law=other_law)) == [case_id]

    def listed_law(filters: CaseFilter) -> str | None:
        rows = case_service.search_cases(db, ADMIN, filters, "id", 1, 50).items
        row = next(r for r in rows if r.id == case_id)
        return row.decision.law if row.decision else None

    assert listed_law(CaseFilter()) == other_law  # the newest decision
    assert listed_law(CaseFilter(law=DEFAULT_LAW_ID)) == DEFAULT_LAW_ID  # the one under the law asked for
    assert listed_law(CaseFilter(law=DEFAULT_LAW_ID, q=person_id)) == DEFAULT_LAW_ID
    assert {
        row.decision.law for row in stats.releases_due(db, ADMIN, 10, DEFAULT_LAW_ID) if row.decision
    } == {DEFAULT_LAW_ID}
    assert case_id in found(CaseFilter(outcome="release", law=DEFAULT_LAW_ID))
    assert case_id not in found(CaseFilter(outcome="release"))  # its newest decision does not release
    assert found(CaseFilter(outcome="release", law=other_law)) == []
    assert found(CaseFilter(law="kz-1999-none")) == []
    assert person_id


def test_the_person_file_has_one_decision_in_force_per_law(db, record, unique_id, other_law):
    person_id, _case_id = _decided_under_both(db, record, unique_id)
    file = case_service.person_file(db, ADMIN, person_id)
    entries = law_decisions(file.cases[0], "ru")
    assert [entry.law_id for entry in entries] == [DEFAULT_LAW_ID, other_law]  # order of entry into force
    assert [entry.outcome.value for entry in entries] == ["release", "not_covered"]
    assert [entry.newest for entry in entries] == [False, True]
    assert all(entry.headline for entry in entries)


def test_the_deadline_is_the_chosen_laws(other_law):
    deadlines = dict(queues.law_deadlines())
    assert deadlines.get(DEFAULT_LAW_ID) == get_law().pack.dates.implementation_deadline.value
    assert str(deadlines[other_law]) == "2099-07-01"
    countdown = queues.countdown(dt.date(2099, 6, 1), get_law(other_law))
    assert countdown is not None
    assert countdown.days_left == 30


def test_a_job_runs_under_the_law_it_was_started_under(other_law):
    served = get_law()
    assert law_param(JobRow(params={"law": other_law}), served).pack.id == other_law
    assert law_param(JobRow(params={}), served) is served
    with pytest.raises(UnknownLawError):
        law_param(JobRow(params={"law": "kz-1999-none"}), served)
