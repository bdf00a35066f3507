"""The service's commands: db upgrade, users add/list/disable, and `serve --demo` end to end."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from amnesty.cli.main import app as cli
from amnesty.law.loader import default_law
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.demo import seed_records, seed_users
from amnesty.store.migrate import head_revision

runner = CliRunner()


def test_db_upgrade(fresh_url):
    result = runner.invoke(cli, ["db", "upgrade", "--database-url", fresh_url])
    assert result.exit_code == 0, result.output
    assert head_revision() in result.output


def test_users_add_list_disable(fresh_url):
    added = runner.invoke(
        cli,
        [
            "users",
            "add",
            "worker.one",
            "--role",
            "social_worker",
            "--region",
            "almaty city",
            "--database-url",
            fresh_url,
        ],
    )
    assert added.exit_code == 0, added.output
    password = re.search(r"password \(shown once\): (\S+)", added.output)
    assert password is not None
    assert len(password.group(1)) >= 16
    piped = runner.invoke(
        cli,
        ["users", "add", "auditor.one", "--role", "auditor", "--password-stdin", "--database-url", fresh_url],
        input="a-chosen-password\n",
    )
    assert piped.exit_code == 0, piped.output
    assert "a-chosen-password" not in piped.output
    refused = runner.invoke(
        cli, ["users", "add", "nobody", "--role", "social_worker", "--database-url", fresh_url]
    )
    assert refused.exit_code == 1
    assert "region" in refused.output
    disabled = runner.invoke(cli, ["users", "disable", "worker.one", "--database-url", fresh_url])
    assert disabled.exit_code == 0
    listing = runner.invoke(cli, ["users", "list", "--database-url", fresh_url])
    assert listing.exit_code == 0
    line = next(row for row in listing.output.splitlines() if "worker.one" in row)
    assert "Almaty" in line
    assert "yes" in line
    missing = runner.invoke(cli, ["users", "disable", "ghost", "--database-url", fresh_url])
    assert missing.exit_code == 1


def test_demo_seed_imports_records_once_and_resets_demo_passwords(fresh_url):
    runner.invoke(cli, ["db", "upgrade", "--database-url", fresh_url])
    engine = make_engine(fresh_url)
    sessions = make_sessionmaker(engine)
    try:
        with sessions() as db:
            result, source = seed_records(db, default_law(), persons=40)
            first = seed_users(db)
            db.commit()
        assert result is not None
        assert result.records >= 40 or "bundled" in source
        assert result.decisions == result.records
        assert {user.role.value for user in first} == {
            "admin",
            "case_officer",
            "reviewer",
            "social_worker",
            "auditor",
            "analyst",
        }
        with sessions() as db:
            again, _source = seed_records(db, default_law(), persons=40)
            second = seed_users(db)
            db.commit()
        assert again is None
        assert {u.username: u.password for u in first} != {u.username: u.password for u in second}
    finally:
        engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_demo_answers_with_demo_data(backend, tmp_path):
    if backend != "sqlite":
        pytest.skip("serve --demo is checked on the embedded database")
    port = _free_port()
    env = dict(os.environ, AMNESTY_DATA_DIR=str(tmp_path / "var"))
    env.pop("AMNESTY_DATABASE_URL", None)
    env.pop("AMNESTY_SECRET_KEY", None)
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "amnesty"),
            "serve",
            "--demo",
            "--demo-persons",
            "60",
            "--port",
            str(port),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            process.kill()
            pytest.fail(process.communicate()[0])
        process_output = ""
        admin = None
        while admin is None:
            line = process.stdout.readline()
            process_output += line
            match = re.search(r"demo-admin\s*│\s*admin\s*│\s*│\s*(\S+)", line)
            if match:
                admin = match.group(1)
            assert line, process_output
        token = httpx.post(
            f"{base}/api/auth/token", json={"username": "demo-admin", "password": admin}
        ).json()
        persons = httpx.get(
            f"{base}/api/persons", headers={"Authorization": f"Bearer {token['access_token']}"}
        ).json()
        assert persons["total"] > 0
        assert (tmp_path / "var" / "amnesty.sqlite3").exists()
        assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_db_reevaluate_after_a_law_pack_change(fresh_url, tmp_path, record):
    import yaml

    from amnesty.law.loader import deep_merge, raw_pack
    from amnesty.store import repository as repo
    from amnesty.store.models import Case

    runner.invoke(cli, ["db", "upgrade", "--database-url", fresh_url])
    engine = make_engine(fresh_url)
    sessions = make_sessionmaker(engine)
    grave = record(
        "P-REEVAL",
        charges=[
            {"article": 272, "part": 2, "category": "grave", "offence_date": "2022-01-05", "context": "riot"}
        ],
        sentence={"punishment": "imprisonment", "term": {"years": 8}, "start_date": "2022-01-06"},
    )
    try:
        with sessions() as db:
            from amnesty.io.json_records import validate_item

            repo.import_records(
                db, [validate_item(0, None, grave), validate_item(1, None, record("P-OTHER"))], "t"
            )
            db.commit()
        same = runner.invoke(cli, ["db", "reevaluate", "--database-url", fresh_url])
        assert same.exit_code == 0, same.output
        assert "2 cases re-evaluated" in same.output
        assert "0 new decisions" in same.output
        pack = deep_merge(raw_pack(), {"relief": {"reduction": {"grave": "1/2"}}})
        path = tmp_path / "variant.yaml"
        path.write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
        changed = runner.invoke(
            cli, ["db", "reevaluate", "--law-pack", str(path), "--database-url", fresh_url]
        )
        assert changed.exit_code == 0, changed.output
        assert "2 new decisions" in changed.output
        with sessions() as db:
            case = db.query(Case).join(Case.person).filter_by(person_id="P-REEVAL").one()
            history = case.decisions
            assert len(history) == 2
            assert history[1].law_version != history[0].law_version
            assert any(c["field"] == "sentence.new_term.years" for c in history[1].diff["decision"])
    finally:
        engine.dispose()
