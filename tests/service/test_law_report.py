"""A law's report (issue 21, item 4): the decisions in force under one law by region, by stage, by
relief and by excluding rule, one query each; every list counts what the dashboard counts under that
law, a case re-decided under another law is counted under each law once, and a social worker may
not read it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from amnesty.auth import Role
from amnesty.io.json_records import validate_item
from amnesty.law.registry import DEFAULT_LAW_ID, get_law, registered_laws
from amnesty.service import reports, stats
from amnesty.service.policy import ForbiddenError
from amnesty.store import repository as repo
from amnesty.store.cases import reevaluate_all
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.migrate import upgrade

OTHER = next(law.pack.id for law in registered_laws() if law.pack.id != DEFAULT_LAW_ID)


@dataclass(frozen=True)
class Reader:
    """A user as the policy sees one."""

    username: str
    role: str
    region: str | None = None


ANALYST = Reader("analyst", Role.ANALYST.value)


@pytest.fixture
def db(fresh_url):
    engine = make_engine(fresh_url)
    upgrade(fresh_url, engine=engine)
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


def test_each_laws_report_counts_its_decisions_in_force(db, record, unique_id):
    released = record(unique_id())
    terrorist = record(
        unique_id(),
        region="Astana",
        stage="trial",
        charges=[
            {"article": 255, "part": 1, "category": "grave", "offence_date": "2022-01-05", "context": "riot"}
        ],
    )
    items = [validate_item(i, None, r) for i, r in enumerate((released, terrorist))]
    repo.import_records(db, items, "tester", get_law())
    db.commit()
    reevaluate_all(db, "tester", law=get_law(OTHER))
    db.commit()

    for law_id in (DEFAULT_LAW_ID, OTHER):
        report = reports.law_report(db, ANALYST, get_law(law_id))
        dashboard = stats.statistics(db, ANALYST, law_id).by_effective_outcome
        assert report.decisions == sum(dashboard.values()) == 2
        assert report.by_stage.total == report.decisions
        for outcome, count in dashboard.items():
            assert report.by_region.outcome_total(outcome) == count
            assert report.by_stage.outcome_total(outcome) == count
        relief = sum(row.count for row in report.relief)
        assert relief == sum(
            n for o, n in dashboard.items() if o in {r.value for r in reports.RELIEF_OUTCOMES}
        )
        excluded = {row.rule for row in report.exclusions}
        assert excluded <= set(get_law(law_id).pack.rules) | {reports.BY_REVIEWER}

    under_default = reports.law_report(db, ANALYST, get_law())
    assert under_default.by_region.counts == {"Almaty": {"release": 1}, "Astana": {"excluded": 1}}
    assert under_default.by_stage.counts == {"serving": {"release": 1}, "trial": {"excluded": 1}}
    assert [(row.rule, row.count) for row in under_default.exclusions] == [("X1", 1)]  # terrorist crime

    table = reports.report_table(db, ANALYST, get_law(), reports.ReportList.REGION)
    assert table.header == ["law", "region", "outcome_in_effect", "decisions"]
    assert sorted(table.rows) == [
        (DEFAULT_LAW_ID, "Almaty", "release", 1),
        (DEFAULT_LAW_ID, "Astana", "excluded", 1),
    ]


def test_a_social_worker_may_not_read_a_report(db):
    with pytest.raises(ForbiddenError):
        reports.law_report(db, Reader("social", Role.SOCIAL_WORKER.value, "Almaty"), get_law())
