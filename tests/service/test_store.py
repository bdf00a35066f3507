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


def test_the_facts_some_laws_read_are_stored_and_read_back(session, record):
    """CONTRACT.md "Several laws": person, sentence and charge facts, an inserted article and part
    ("188-1", "1-1") and a letter point survive the database; the audit chain verifies."""
    from amnesty.audit.chain import verify_chain
    from amnesty.store.convert import case_to_record

    charges = [
        {
            "code": "kz-2014",
            "article": "188-1",
            "part": "1-1",
            "offence_date": "2021-05-06",
            "damage": "outstanding",
            "civil_claim": True,
            "criminal_group": True,
            "intoxicated": None,
        },
        {
            "code": "kz-1997",
            "article": 96,
            "part": 2,
            "point": "б",
            "category": "especially_grave",
            "offence_date": "2012-01-06",
            "damage": "repaid",
            "intoxicated": True,
        },
    ]
    data = record("P-LAWS", stage="serving", charges=charges) | {
        "sex": "female",
        "veteran": False,
        "children_under_18": True,
        "sole_parent": True,
        "disability_group": 2,
        "negative_conduct": False,
        "malicious_violator": True,
        "objects": False,
    }
    if data.get("sentence"):
        data["sentence"] = data["sentence"] | {"death_commuted": True, "fine_unpaid_mci": 4.5}
    case = _store(session, data)
    session.expire_all()
    stored = case_to_record(session.get(Case, case.id))
    assert stored == parse_record(data)
    assert [(c.article, c.part, c.point) for c in stored.charges] == [("188-1", "1-1", None), (96, 2, "б")]
    assert stored.charges[0].criminal_group is True
    assert stored.charges[1].criminal_group is False
    assert stored.pregnant is None
    assert stored.malicious_violator is True
    assert verify_chain(session).ok


def test_rows_sealed_before_the_record_facts_keep_their_digests():
    """0010_record_facts adds nullable columns and stores numbers as text: a row read back after it
    (article "272", the new columns null) has the canonical form it had before (article 272)."""
    import datetime as dt

    from amnesty.audit.rows import CHARGE_TABLE, SENTENCE_TABLE, UNIT_TABLES, UnitKind, case_content, digest

    before_charge = {
        "id": 1,
        "case_fk": 1,
        "position": 0,
        "article": 272,
        "part": 2,
        "point": None,
        "offence_date": dt.date(2022, 1, 5),
        "territory": "KZ",
        "context": "riot",
        "tags": [],
    }
    after_charge = (
        before_charge
        | {"article": "272", "part": "2"}
        | dict.fromkeys(("code", "damage", "civil_claim", "criminal_group", "intoxicated"))
    )
    case = {"id": 1, "person_fk": 1, "case_key": "", "stage": "trial", "version": 1}
    assert {c.name for c in CHARGE_TABLE.columns} >= set(after_charge)
    assert SENTENCE_TABLE.name in {"sentences"}
    assert UNIT_TABLES[UnitKind.CASE].name == "cases"
    old = digest(case_content(case, [before_charge], None))
    assert digest(case_content(case, [after_charge], None)) == old
    assert digest(case_content(case, [after_charge | {"code": "kz-1997"}], None)) != old
    assert digest(case_content(case, [after_charge | {"article": "272-1"}], None)) != old


def test_record_facts_migration_keeps_sealed_rows_and_goes_back(fresh_url, record):
    """Records stored without the new facts verify before 0010_record_facts, after it, and after
    going back to 0009; a record with an inserted article cannot go back."""
    from alembic import command

    from amnesty.audit.chain import verify_chain
    from amnesty.store.migrate import alembic_config

    def downgrade(url, engine, revision):
        config = alembic_config(url)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)

    engine = make_engine(fresh_url)
    try:
        upgrade(fresh_url, engine=engine)
        with make_sessionmaker(engine)() as db:
            _store(db, record("P-OLD-1"))
            _store(db, record("P-OLD-2", stage="trial", sentence=None))
        downgrade(fresh_url, engine=engine, revision="0009_queues_and_profiles")
        assert current_revision(engine) == "0009_queues_and_profiles"
        with make_sessionmaker(engine)() as db:
            assert verify_chain(db).ok
        upgrade(fresh_url, engine=engine)
        with make_sessionmaker(engine)() as db:
            assert verify_chain(db).ok
            charges = [{"article": "188-1", "offence_date": "2021-05-06"}]
            _store(db, record("P-NEW", stage="trial", sentence=None, charges=charges))
        with pytest.raises(RuntimeError, match="no whole number"):
            downgrade(fresh_url, engine=engine, revision="0009_queues_and_profiles")
    finally:
        engine.dispose()
