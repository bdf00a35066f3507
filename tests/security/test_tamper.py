"""Attacks on the records of consequence with raw SQL: refused by triggers where the database can
refuse them, and named by `amnesty audit verify` where an administrator got past the triggers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from amnesty.cli.main import app as cli
from tests.security.conftest import Register


def _findings(register: Register) -> set[tuple[str, str | None]]:
    return {(p.kind, p.row) for p in register.verify().problems}


def test_everything_written_through_the_application_verifies(register: Register) -> None:
    report = register.verify()
    assert report.ok
    assert report.rows >= 4 * 2 + 3  # persons, cases, decisions, overrides, tasks, users
    assert report.anchor is not None
    assert report.anchor["status"] == "present"
    assert report.anchor["newest"]["events"] == report.head_seq


def test_editing_a_decisions_outcome_is_refused_then_named(register: Register) -> None:
    decision = register.decision_ids[0]
    with pytest.raises(DBAPIError, match="append-only"):
        register.raw(f"UPDATE decisions SET outcome = 'release' WHERE id = {decision}")
    register.drop_protection()
    register.raw(f"UPDATE decisions SET outcome = 'no_change' WHERE id = {decision}")
    assert _findings(register) == {("row_altered", f"decision:{decision}")}


def test_deleting_a_decision_is_refused_then_named(register: Register) -> None:
    with register.sessions() as db:
        free = db.scalar(
            text(
                "SELECT d.id FROM decisions d WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.decision_fk = d.id) "
                "AND NOT EXISTS (SELECT 1 FROM overrides o WHERE o.decision_fk = d.id) "
                "AND NOT EXISTS (SELECT 1 FROM decisions n WHERE n.previous_fk = d.id) ORDER BY d.id"
            )
        )
    assert free is not None
    with pytest.raises(DBAPIError, match="append-only"):
        register.raw(f"DELETE FROM decisions WHERE id = {free}")
    register.drop_protection()
    register.raw(f"DELETE FROM decisions WHERE id = {free}")
    assert _findings(register) == {("row_missing", f"decision:{free}")}


def test_editing_an_overrides_justification_is_refused_then_named(register: Register) -> None:
    override = register.override_id
    with pytest.raises(DBAPIError, match="append-only"):
        register.raw(f"UPDATE overrides SET justification = 'nothing to see' WHERE id = {override}")
    register.drop_protection()
    register.raw(f"UPDATE overrides SET justification = 'nothing to see' WHERE id = {override}")
    assert _findings(register) == {("row_altered", f"override:{override}")}


def test_making_a_user_admin_with_raw_sql_is_named(register: Register) -> None:
    register.raw(f"UPDATE users SET role = 'admin', region = NULL WHERE id = {register.user_id}")
    assert _findings(register) == {("row_altered", f"user:{register.user_id}")}


def test_a_user_inserted_behind_the_application_is_named(register: Register) -> None:
    register.raw(
        "INSERT INTO users (username, password_hash, role, region, disabled, created_at) "
        "VALUES ('intruder', 'x', 'admin', NULL, false, CURRENT_TIMESTAMP)"
    )
    with register.sessions() as db:
        intruder = db.scalar(text("SELECT id FROM users WHERE username = 'intruder'"))
    assert _findings(register) == {("row_unaudited", f"user:{intruder}")}


def test_editing_a_case_a_charge_or_a_task_is_named(register: Register) -> None:
    case, task = register.case_id, register.task_id
    register.raw(
        f"UPDATE charges SET article = 189 WHERE case_fk = {case}",
        f"UPDATE tasks SET region = 'Astana' WHERE id = {task}",
    )
    assert _findings(register) == {("row_altered", f"case:{case}"), ("row_altered", f"task:{task}")}


def test_cli_verify_names_the_changed_row(register: Register) -> None:
    register.raw(f"UPDATE users SET disabled = true WHERE id = {register.user_id}")
    result = CliRunner().invoke(cli, ["audit", "verify", "--database-url", register.url])
    assert result.exit_code == 1
    assert f"user {register.user_id} differs from its content recorded by event" in result.output


def _cut_newest_events(register: Register, keep: int) -> None:
    """Delete the newest events and make audit_head point at the new last one."""
    register.drop_protection()
    register.raw(f"DELETE FROM audit_events WHERE seq > {keep}")
    register.raw(
        "UPDATE audit_head SET seq = :seq, hash = (SELECT hash FROM audit_events WHERE seq = :seq) WHERE id = 1",
        params={"seq": keep},
    )


def test_cutting_the_newest_events_and_rewriting_the_head_is_caught_by_the_anchor(register: Register) -> None:
    head = register.verify().head_seq
    _cut_newest_events(register, head - 3)
    report = register.verify()
    kinds = {p.kind for p in report.problems}
    assert "anchor_truncated" in kinds
    assert not {"deleted", "head", "broken_link", "altered"} & kinds  # the chain itself looks whole
    truncated = next(p for p in report.problems if p.kind == "anchor_truncated")
    assert f"records {head} events" in truncated.problem
    assert f"holds {head - 3}" in truncated.problem


def _rewrite_chain_from(register: Register, seq: int, actor: str) -> None:
    """The expensive attack: alter an event, recompute every later hash and the head."""
    from amnesty.audit.chain import event_hash

    register.drop_protection()
    with register.engine.begin() as connection:
        rows = connection.execute(
            text(
                "SELECT seq, at, actor, action, object_type, object_id, details, prev_hash FROM audit_events ORDER BY seq"
            )
        ).all()
        previous = None
        for row in rows:
            details = row.details if isinstance(row.details, dict) else json.loads(row.details)
            who = actor if row.seq == seq else row.actor
            prev = row.prev_hash if previous is None else previous
            digest = event_hash(
                row.seq, row.at, who, row.action, row.object_type, row.object_id, details, prev
            )
            connection.execute(
                text(
                    "UPDATE audit_events SET actor = :actor, prev_hash = :prev, hash = :hash WHERE seq = :seq"
                ),
                {"actor": who, "prev": prev, "hash": digest, "seq": row.seq},
            )
            previous = digest
        connection.execute(text("UPDATE audit_head SET hash = :hash WHERE id = 1"), {"hash": previous})


def test_rewriting_the_whole_chain_is_caught_by_the_anchor(register: Register) -> None:
    _rewrite_chain_from(register, 2, "someone-else")
    report = register.verify()
    assert {p.kind for p in report.problems} == {"anchor_mismatch"}


@pytest.fixture
def audit_key(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """An anchor key configured outside the database (before anything is written)."""
    key = "an operator's key kept outside the database"
    monkeypatch.setenv("AMNESTY_AUDIT_KEY", key)
    return key.encode()


def test_keyed_anchors_cannot_be_forged(audit_key: bytes, register: Register, anchor_file: Path) -> None:
    """The administrator rewrites the chain and then the anchor file to match it: without the key,
    the forged lines are named and verify fails."""
    from amnesty.audit.anchor import append_anchor, read_anchors

    genuine = read_anchors(anchor_file, audit_key)
    assert genuine.newest is not None
    assert genuine.newest.keyed
    assert not genuine.bad_lines
    _rewrite_chain_from(register, 2, "someone-else")
    with register.sessions() as db:
        head_seq, head_hash = db.execute(text("SELECT seq, hash FROM audit_head")).one()
    anchor_file.write_text("", encoding="utf-8")  # the attacker empties the file ...
    append_anchor(anchor_file, head_seq, head_hash, key=b"a guessed key")  # ... and forges a line
    append_anchor(anchor_file, head_seq, head_hash)  # ... or one without a MAC
    report = register.verify()
    assert [(p.kind, p.problem.split(":")[0].split(" although")[0]) for p in report.problems] == [
        ("anchor_bad_line", "anchor file line 1"),
        ("anchor_bad_line", "anchor file line 2"),
        ("anchor_missing", "no valid keyed anchor in " + str(anchor_file)),
    ]


def test_truncate_is_refused_on_postgresql(register: Register) -> None:
    if register.dialect != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; DELETE is refused by the same triggers")
    for table in ("audit_events", "audit_head", "decisions", "overrides"):
        with pytest.raises(DBAPIError, match="append-only"):
            register.raw(f"TRUNCATE {table} CASCADE")
    with pytest.raises(DBAPIError, match="append-only"):
        register.raw("TRUNCATE cases, persons, charges, sentences, tasks CASCADE")
    assert register.verify().ok


def test_deleting_every_audit_event_is_refused(register: Register) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        register.raw("DELETE FROM audit_events")
    assert register.verify().ok


def test_statements_through_the_session_are_sealed_like_orm_writes(register: Register) -> None:
    """Bulk paths write with `insert`/`update` statements through the session: the next event (or the
    commit) seals what they touched, so only writes behind the application are named."""
    from sqlalchemy import insert, update

    from amnesty.audit.chain import record_event
    from amnesty.store.models import ChargeRow, TaskRow, UserRow

    with register.sessions() as db:
        db.execute(
            insert(UserRow.__table__),  # type: ignore[arg-type]
            [
                {"username": f"bulk-{n}", "password_hash": "x", "role": "auditor", "disabled": False}
                for n in range(3)
            ],
        )
        db.execute(update(TaskRow).where(TaskRow.id == register.task_id).values(assignee="bulk"))
        db.execute(update(ChargeRow).where(ChargeRow.case_fk == register.case_id).values(tags=["bulk"]))
        db.execute(update(UserRow), [{"id": register.user_id, "region": "Astana"}])  # by primary key
        record_event(db, "sec-admin", "bulk.write", "batch", "-")
        db.execute(update(UserRow).where(UserRow.username == "bulk-0").values(disabled=True))
        db.commit()  # no event after the last statement: sealed at commit
        sealed = db.scalar(text("SELECT COUNT(*) FROM audit_events WHERE action = 'rows.seal'"))
    assert sealed == 1
    assert register.verify().ok
    register.raw("UPDATE users SET disabled = false WHERE username = 'bulk-0'")
    assert [p.kind for p in register.verify().problems] == ["row_altered"]
