"""The audit trail: every write and every read of a person's file is an event; tampering is found."""

from __future__ import annotations

import datetime as dt
import json
import secrets

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from amnesty.audit import verify_chain
from amnesty.auth import Role, create_user
from amnesty.cli.main import app as cli
from amnesty.domain.iin import make_iin
from amnesty.io.json_records import validate_item
from amnesty.store.cases import import_records
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.migrate import upgrade


@pytest.fixture
def audited(fresh_url, record):
    """A fresh database with a dozen audit events (an import writes one event per chunk: chunks of 1)."""
    engine = make_engine(fresh_url)
    upgrade(fresh_url, engine=engine)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        create_user(db, "auditor-one", "long-enough-password", Role.AUDITOR)
        items = [validate_item(i, None, record(f"AUD-{i}")) for i in range(12)]
        import_records(db, items, "tester", chunk_size=1)
        db.commit()
        assert verify_chain(db).ok
    yield fresh_url, engine, sessions
    engine.dispose()


def _unprotect(connection):
    if connection.dialect.name == "sqlite":
        connection.execute(text("DROP TRIGGER audit_events_no_update"))
        connection.execute(text("DROP TRIGGER audit_events_no_delete"))
    else:
        connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change"))


def _tamper(engine, *statements):
    with engine.begin() as connection:
        _unprotect(connection)
        for statement in statements:
            connection.execute(text(statement))


def _problems(sessions):
    with sessions() as db:
        report = verify_chain(db)
    return report, {(p.seq, p.kind) for p in report.problems}


def test_intact_chain_verifies(audited):
    _url, _engine, sessions = audited
    report, problems = _problems(sessions)
    assert report.ok
    assert problems == set()
    assert report.events == report.head_seq > 10


def test_altered_event_is_named(audited):
    _url, engine, sessions = audited
    _tamper(engine, "UPDATE audit_events SET actor = 'somebody-else' WHERE seq = 3")
    report, problems = _problems(sessions)
    assert not report.ok
    assert problems == {(3, "altered")}


def test_altered_event_with_recomputed_hash_breaks_the_next_link(audited):
    _url, engine, sessions = audited
    _tamper(engine, "UPDATE audit_events SET actor = 'x', hash = '" + "f" * 64 + "' WHERE seq = 4")
    _report, problems = _problems(sessions)
    assert (4, "altered") in problems
    assert (5, "broken_link") in problems


def test_deleted_event_is_named(audited):
    _url, engine, sessions = audited
    _tamper(engine, "DELETE FROM audit_events WHERE seq = 6")
    _report, problems = _problems(sessions)
    assert (6, "deleted") in problems
    assert (7, "broken_link") in problems


def test_deleted_newest_events_are_found_through_the_head(audited):
    _url, engine, sessions = audited
    with sessions() as db:
        last = verify_chain(db).head_seq
    _tamper(engine, f"DELETE FROM audit_events WHERE seq >= {last - 1}")
    report, problems = _problems(sessions)
    assert (last - 1, "deleted") in problems
    assert f"events {last - 1}-{last} deleted" in report.problems[0].problem
    # the records those events sealed no longer have an event, and the anchor outside the database
    # still records the cut events
    assert {kind for _seq, kind in problems} == {"deleted", "row_unaudited", "anchor_truncated"}


def test_cli_audit_verify_exit_codes(audited):
    url, engine, _sessions = audited
    runner = CliRunner()
    intact = runner.invoke(cli, ["audit", "verify", "--database-url", url])
    assert intact.exit_code == 0, intact.output
    assert "intact" in intact.output
    _tamper(engine, "UPDATE audit_events SET action = 'nothing' WHERE seq = 2")
    broken = runner.invoke(cli, ["audit", "verify", "--database-url", url])
    assert broken.exit_code == 1
    assert "event 2" in broken.output
    as_json = runner.invoke(cli, ["audit", "verify", "--json", "--database-url", url])
    assert json.loads(as_json.stdout)["problems"][0]["seq"] == 2


def test_reads_of_a_persons_file_and_writes_are_events_without_personal_data(service, record, unique_id):
    person_id = unique_id()
    iin = make_iin(dt.date(1985, 3, 15), 1000 + secrets.randbelow(8000))  # new: an IIN on file would match
    admin = service.as_role(Role.ADMIN)
    imported = service.client.post(
        "/api/import", json=[record(person_id, full_name="Secret Name", iin=iin)], headers=admin
    )
    assert imported.status_code == 201, imported.text
    service.client.get(f"/api/persons/{person_id}", headers=service.as_role(Role.REVIEWER))
    auditor = service.as_role(Role.AUDITOR)
    reads = service.client.get(f"/api/audit?action=person.read&object_id={person_id}", headers=auditor).json()
    assert reads["total"] == 1
    event = reads["items"][0]
    assert event["actor"] == service.username(Role.REVIEWER)
    assert len(event["hash"]) == 64
    chunks = service.client.get("/api/audit?action=import.chunk&page_size=200", headers=auditor).json()
    created = [item for item in chunks["items"] if person_id in item["details"]["new_person_ids"]]
    assert created[0]["actor"] == service.username(Role.ADMIN)
    everything = json.dumps(service.client.get("/api/audit?page_size=200", headers=auditor).json())
    assert "Secret Name" not in everything
    assert iin not in everything
    verify = service.client.get("/api/audit/verify", headers=auditor).json()
    assert verify["ok"], verify
