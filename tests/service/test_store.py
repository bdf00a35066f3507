"""The store: migrations, immutable decisions, append-only audit rows, re-evaluation and diffs."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError

from amnesty.domain.records import parse_record
from amnesty.io.json_records import validate_item
from amnesty.law.loader import load_law
from amnesty.store import repository as repo
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.migrate import current_revision, head_revision, upgrade
from amnesty.store.models import AuditEvent, Case, DecisionRow, ImmutableRowError

TABLES = {
    "persons",
    "cases",
    "charges",
    "sentences",
    "decisions",
    "overrides",
    "tasks",
    "users",
    "api_tokens",
    "audit_events",
    "audit_head",
}


@pytest.fixture
def session(fresh_url):
    engine = make_engine(fresh_url)
    upgrade(fresh_url, engine=engine)
    with make_sessionmaker(engine)() as db:
        yield db
    engine.dispose()


def test_upgrade_creates_every_table_and_is_idempotent(fresh_url):
    engine = make_engine(fresh_url)
    try:
        assert current_revision(engine) is None
        assert upgrade(fresh_url, engine=engine) == head_revision()
        assert upgrade(fresh_url, engine=engine) == head_revision()
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def _store(db, data, law=None):
    result = repo.import_records(db, [validate_item(0, None, data)], "tester", law=law)
    db.commit()
    return db.get(Case, result.case_ids[0])


def test_decisions_cannot_be_changed_through_the_orm(session, record):
    case = _store(session, record("P-IMM"))
    decision = repo.latest_decision(session, case)
    assert decision is not None
    decision.outcome = "excluded"
    with pytest.raises(ImmutableRowError):
        session.flush()
    session.rollback()
    assert session.get(DecisionRow, decision.id).outcome == "release"


def test_audit_rows_are_protected_by_the_database(session, record):
    _store(session, record("P-TRIG"))
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 1"))
    session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text("DELETE FROM audit_events WHERE seq = 1"))
    session.rollback()
    assert session.scalar(select(AuditEvent.actor).where(AuditEvent.seq == 1)) == "tester"


def test_unchanged_reevaluation_stores_nothing_new(session, record):
    case = _store(session, record("P-SAME"))
    first = repo.latest_decision(session, case)
    again, created = repo.evaluate_case(session, case, "tester")
    assert not created
    assert again.id == first.id
    forced, created = repo.evaluate_case(session, case, "tester", force=True)
    assert created
    assert forced.sequence == first.sequence + 1


def test_changed_law_pack_stores_a_new_decision_with_its_diff(session, record):
    grave = record(
        "P-LAW",
        charges=[
            {"article": 272, "part": 2, "category": "grave", "offence_date": "2022-01-05", "context": "riot"}
        ],
        sentence={"punishment": "imprisonment", "term": {"years": 8}, "start_date": "2022-01-06"},
    )
    case = _store(session, grave)
    first = repo.latest_decision(session, case)
    assert first.outcome == "reduce_sentence"
    variant = load_law(variant={"relief": {"reduction": {"grave": "1/2"}}})
    second, created = repo.evaluate_case(session, case, "tester", law=variant)
    session.commit()
    assert created
    assert second.previous_fk == first.id
    assert second.law_version == variant.version != first.law_version
    changed = {change["field"]: change for change in second.diff["decision"]}
    assert "law_version" in changed
    assert changed["sentence.new_term.years"]["before"] == first.decision["sentence"]["new_term"]["years"]
    assert changed["sentence.new_term.years"]["after"] == second.decision["sentence"]["new_term"]["years"]
    assert second.diff["input"] == []
    # the first decision is still there, unchanged
    assert session.get(DecisionRow, first.id).decision == first.decision


def test_case_edit_keeps_history_and_records_what_changed(session, record):
    case = _store(session, record("P-EDIT"))
    version = case.version
    edited = parse_record(
        record(
            "P-EDIT",
            stage="served",
            sentence={"punishment": "imprisonment", "term": {"years": 1}, "start_date": "2022-01-06"},
        )
    )
    case, decision, created = repo.update_case(session, case, version, edited, "tester")
    session.commit()
    assert created
    assert case.version == version + 1
    assert decision.sequence == 2
    assert decision.diff["outcome"] == {"before": "release", "after": "expunge_conviction"}
    fields = {change["field"] for change in decision.diff["input"]}
    assert {"stage", "sentence.term.years"} <= fields
    with pytest.raises(repo.VersionConflictError, match="changed by someone else"):
        repo.update_case(session, case, version, edited, "tester")


def test_concurrent_edits_of_one_case_lose_nothing(fresh_url, record):
    """Two writers read version 1; the first commits, the second's flush finds the row changed."""
    from sqlalchemy.orm.exc import StaleDataError

    engine = make_engine(fresh_url)
    upgrade(fresh_url, engine=engine)
    sessions = make_sessionmaker(engine)
    try:
        with sessions() as db:
            case_id = _store(db, record("P-RACE")).id
        with sessions() as first, sessions() as second:
            mine = first.get(Case, case_id)
            theirs = second.get(Case, case_id)
            assert mine.version == theirs.version == 1
            repo.update_case(first, mine, 1, parse_record(record("P-RACE", stage="served")), "first")
            first.commit()
            with pytest.raises(StaleDataError):
                repo.update_case(
                    second, theirs, 1, parse_record(record("P-RACE", recidivism="dangerous")), "second"
                )
            second.rollback()
        with sessions() as db:
            stored = db.get(Case, case_id)
            assert stored.version == 2
            assert stored.stage == "served"
            assert stored.person.recidivism == "none"
    finally:
        engine.dispose()


def test_concurrent_audit_appends_keep_one_chain(fresh_url):
    from concurrent.futures import ThreadPoolExecutor

    from amnesty.audit import record_event, verify_chain

    engine = make_engine(fresh_url)
    upgrade(fresh_url, engine=engine)
    sessions = make_sessionmaker(engine)

    def append(worker: int) -> None:
        for number in range(10):
            with sessions() as db:
                record_event(db, f"worker-{worker}", "test.append", "test", number)
                db.commit()

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(append, range(4)))
        with sessions() as db:
            report = verify_chain(db)
        assert report.ok, report.problems
        assert report.events == report.head_seq == 40
    finally:
        engine.dispose()


def test_point_and_victim_minor_are_stored_and_read_back(session, record):
    from amnesty.store.convert import case_to_record

    charges = [
        {"article": 120, "part": 1, "offence_date": "2022-01-06", "context": "riot", "victim_minor": False},
        {"article": 362, "part": 4, "point": 1, "offence_date": "2022-01-06", "context": "riot"},
        {"article": 188, "part": 2, "category": "medium", "offence_date": "2022-01-05", "context": "riot"},
    ]
    case = _store(session, record("P-FACTS", stage="trial", sentence=None, charges=charges))
    session.expire_all()
    stored = case_to_record(session.get(Case, case.id))
    assert stored == parse_record(record("P-FACTS", stage="trial", sentence=None, charges=charges))
    assert [(c.point, c.victim_minor) for c in stored.charges] == [(None, False), (1, None), (None, None)]
    decision = repo.latest_decision(session, case)
    assert decision is not None
    codes = {reason["code"] for reason in decision.decision["reasons"]}
    assert codes.isdisjoint(
        {"EXCLUSION_VICTIM_AGE_UNKNOWN", "EXCLUSION_POINT_UNKNOWN", "EXCLUDED_CORRUPTION"}
    )
    assert [c.get("victim_minor") for c in decision.input_record["charges"]] == [False, None, None]
