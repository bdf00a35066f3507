"""Backup and restore are declared good only after verification; a rollback to an older copy made
behind the application is caught by the anchors; a database from before 0005 is sealed on upgrade."""

from __future__ import annotations

import contextlib
import importlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from amnesty.audit import verify_chain
from amnesty.audit.chain import record_event
from amnesty.cli.main import app as cli
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.migrate import head_revision, upgrade
from tests.security.conftest import Register, populate

runner = CliRunner()


def _sqlite_only(register: Register) -> None:
    if register.dialect != "sqlite":
        pytest.skip("PostgreSQL is backed up with pg_dump (see test_postgresql_backup_names_its_tools)")


def _write_more(register: Register, count: int = 3) -> None:
    with register.sessions() as db:
        for number in range(count):
            record_event(db, "sec-admin", "test.more", "test", str(number))
            db.commit()


def test_backup_then_restore_verifies_and_keeps_every_row(register: Register, tmp_path: Path) -> None:
    _sqlite_only(register)
    backup = tmp_path / "backups" / "amnesty-backup.sqlite3"
    made = runner.invoke(cli, ["db", "backup", str(backup), "--database-url", register.url])
    assert made.exit_code == 0, made.output
    assert "backup verified" in made.output
    manifest = json.loads(Path(str(backup) + ".manifest.json").read_text("utf-8"))
    assert manifest["revision"] == head_revision()
    assert manifest["counts"]["decisions"] == len(register.decision_ids)
    assert manifest["audit"]["ok"]
    register.engine.dispose()
    restored = runner.invoke(cli, ["db", "restore", str(backup), "--database-url", register.url])
    assert restored.exit_code == 0, restored.output
    assert "restore verified" in restored.output
    assert register.verify().ok


def test_restoring_an_older_backup_is_refused_unless_accepted_and_then_anchored(
    register: Register, tmp_path: Path
) -> None:
    _sqlite_only(register)
    backup = tmp_path / "old.sqlite3"
    assert runner.invoke(cli, ["db", "backup", str(backup), "--database-url", register.url]).exit_code == 0
    _write_more(register)
    register.engine.dispose()
    refused = runner.invoke(cli, ["db", "restore", str(backup), "--database-url", register.url])
    assert refused.exit_code == 1
    assert "would lose 3 events" in refused.output
    accepted = runner.invoke(
        cli, ["db", "restore", str(backup), "--database-url", register.url, "--accept-older"]
    )
    assert accepted.exit_code == 0, accepted.output
    assert "3 newer events were given up" in accepted.output
    assert register.verify().ok


def test_a_tampered_backup_is_not_restored(register: Register, tmp_path: Path) -> None:
    _sqlite_only(register)
    backup = tmp_path / "tampered.sqlite3"
    assert runner.invoke(cli, ["db", "backup", str(backup), "--database-url", register.url]).exit_code == 0
    copy = Register(
        f"sqlite:///{backup}", make_engine(f"sqlite:///{backup}"), register.sessions, [], 0, 0, 0, 0
    )
    copy.raw(f"UPDATE users SET role = 'admin' WHERE id = {register.user_id}")
    copy.engine.dispose()
    before = register.verify().head_seq
    refused = runner.invoke(cli, ["db", "restore", str(backup), "--database-url", register.url])
    assert refused.exit_code == 1
    assert f"user {register.user_id} differs" in refused.output
    assert "nothing was restored" in refused.output
    assert register.verify().ok
    assert register.verify().head_seq == before


def test_rolling_the_database_file_back_behind_the_application_is_caught(
    register: Register, tmp_path: Path
) -> None:
    _sqlite_only(register)
    database = Path(register.url.removeprefix("sqlite:///"))
    register.engine.dispose()
    shutil.copy(database, tmp_path / "copy.sqlite3")
    _write_more(register)
    register.engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    shutil.copy(tmp_path / "copy.sqlite3", database)
    report = register.verify()
    assert [p.kind for p in report.problems] == ["anchor_truncated"]
    checked = runner.invoke(cli, ["db", "check", "--database-url", register.url])
    assert checked.exit_code == 1
    assert "rolled back to an older state" in checked.output


def test_postgresql_backup_names_its_tools(register: Register, tmp_path: Path) -> None:
    if register.dialect != "postgresql":
        pytest.skip("SQLite is copied by amnesty itself")
    for command in ("backup", "restore"):
        result = runner.invoke(cli, ["db", command, str(tmp_path / "x.dump"), "--database-url", register.url])
        assert result.exit_code == 2
        assert "pg_dump --format=custom" in result.output
        assert "pg_restore" in result.output
        assert "amnesty db check --expect" in result.output
    checked = runner.invoke(cli, ["db", "check", "--json", "--database-url", register.url])
    assert checked.exit_code == 0, checked.output
    manifest = tmp_path / "m.json"
    manifest.write_text(checked.stdout, encoding="utf-8")
    again = runner.invoke(cli, ["db", "check", "--expect", str(manifest), "--database-url", register.url])
    assert again.exit_code == 0, again.output
    register.raw(f"DELETE FROM tasks WHERE id = {register.task_id}")
    lost = runner.invoke(cli, ["db", "check", "--expect", str(manifest), "--database-url", register.url])
    assert lost.exit_code == 1
    assert "table tasks" in lost.output


@contextlib.contextmanager
def _late_columns(engine: Any) -> Iterator[None]:
    """The columns added after 0005 to the tables of records (`amnesty.audit.rows.LATE_COLUMNS`), for
    as long as the block writes records the old way, then dropped again (all null: the old version
    wrote none of them)."""
    from amnesty.audit.rows import LATE_COLUMNS
    from amnesty.store.models import Base

    tables = Base.metadata.tables
    added = [
        (table, tables[table].c[name]) for table, names in LATE_COLUMNS.items() for name in sorted(names)
    ]
    numbers = ("article", "part", "point") if engine.dialect.name == "postgresql" else ()  # text since 0010
    with engine.begin() as connection:
        for table, column in added:
            kind = column.type.compile(dialect=connection.dialect)
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {column.name} {kind}"))
        for name in numbers:
            connection.execute(text(f"ALTER TABLE charges ALTER COLUMN {name} TYPE VARCHAR(8)"))
    yield
    with engine.begin() as connection:
        for table, column in added:
            connection.execute(text(f"ALTER TABLE {table} DROP COLUMN {column.name}"))
        for name in numbers:
            connection.execute(
                text(f"ALTER TABLE charges ALTER COLUMN {name} TYPE INTEGER USING {name}::integer")
            )


def test_records_written_before_0005_are_sealed_on_upgrade(fresh_url: str, anchor_file: Path, record) -> None:
    engine = make_engine(fresh_url)
    before_0005 = importlib.import_module("amnesty.store.migrations.versions.0005_integrity").down_revision
    upgrade(fresh_url, engine=engine, revision=before_0005)
    sessions = make_sessionmaker(engine)
    with _late_columns(engine):  # today's ORM maps the columns 0010_record_facts adds: lend them
        populate(sessions, [record(f"OLD-{i}") for i in range(2)])
    with engine.begin() as connection:  # a record the old version wrote without a digest
        connection.execute(
            text(
                "INSERT INTO users (username, password_hash, role, region, disabled, created_at) "
                "VALUES ('old-account', 'x', 'auditor', NULL, false, CURRENT_TIMESTAMP)"
            )
        )
    with sessions() as db:
        assert [p.kind for p in verify_chain(db).problems] == ["row_unaudited"]
    upgrade(fresh_url, engine=engine)
    with sessions() as db:
        report = verify_chain(db)
        baseline = db.scalar(text("SELECT COUNT(*) FROM audit_events WHERE action = 'integrity.baseline'"))
    assert report.ok, report.problems
    assert baseline == 1
    assert report.rows >= 2 * 3
    engine.dispose()
