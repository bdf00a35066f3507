"""The API's import answers in the language of `Accept-Language`: every rejected record's problems (and
the import jobs' rejected rows and summaries) keep their stable machine code and field path, and give
the message in Russian or Kazakh with no Latin word, code or ISO date; English stays the default."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.words.test_validation_messages import BAD_RECORDS
from tests.words.wording import assert_readable

PASSWORD = "correct horse battery staple"
READERS = ("ru", "kk")
_QUOTED = re.compile(r"'[^']*'")
"""A value quoted from the input is the input's own (an unknown region, a file's suffix)."""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    folder: Path = tmp_path_factory.mktemp("api-words")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AMNESTY_DATA_DIR", str(folder))
        patch.setenv("AMNESTY_SECRET_KEY", "words-test-secret-key-words-test-secret")
        from amnesty.app import create_app
        from amnesty.auth import create_user
        from amnesty.auth.ratelimit import LOGIN_LIMITER

        app = create_app(f"sqlite:///{folder / 'api.sqlite3'}")
        with app.state.sessions() as db:
            create_user(db, "words-admin", PASSWORD, "admin", None)
            db.commit()
        LOGIN_LIMITER.reset()
        with TestClient(app) as client:
            token = client.post("/api/auth/token", json={"username": "words-admin", "password": PASSWORD})
            assert token.status_code == 200, token.text
            yield client, {"Authorization": f"Bearer {token.json()['access_token']}"}
        app.state.engine.dispose()


def _import(api: tuple[TestClient, dict[str, str]], language: str | None) -> dict[str, Any]:
    client, headers = api
    if language is not None:
        headers = {**headers, "Accept-Language": f"{language}-KZ,en;q=0.5"}
    response = client.post("/api/import", json=BAD_RECORDS, headers=headers)
    assert response.status_code == 422, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == "invalid_records"
    return error


def _codes(error: dict[str, Any]) -> list[tuple[str, str]]:
    return [(field["field"], field["code"]) for field in error["fields"]]


@pytest.mark.parametrize("language", READERS)
def test_rejected_records_are_described_in_the_language(
    api: tuple[TestClient, dict[str, str]], language: str
) -> None:
    error = _import(api, language)
    english = _import(api, None)
    assert _codes(error) == _codes(english), "the machine codes and field paths do not depend on the language"
    assert all(code and code == code.lower() for _, code in _codes(error))
    assert ("records[0].iin", "iin_format") in _codes(error)
    assert_readable(error["message"], f"import message ({language})")
    assert str(len(BAD_RECORDS)) in error["message"]
    for field in error["fields"]:
        assert_readable(_QUOTED.sub("«…»", field["problem"]), f"{field['field']} ({language})")
    for row in error["rows"]:
        for problem in row["errors"]:
            assert problem["code"]
            assert_readable(_QUOTED.sub("«…»", problem["message"]), f"row {row['index']} ({language})")
    first = error["rows"][0]["errors"][0]
    label = {"ru": "ИИН: ", "kk": "ЖСН: "}[language]
    assert first["field"] == "iin"
    assert first["message"].startswith(label)
    assert first["problem"] == "IIN must be exactly 12 digits", "the English problem stays as data"


def test_english_is_the_default(api: tuple[TestClient, dict[str, str]]) -> None:
    error = _import(api, None)
    assert error["message"] == f"{len(BAD_RECORDS)} record(s) are invalid; nothing was imported"
    iin = next(f for f in error["fields"] if f["field"] == "records[0].iin")
    assert iin == {
        "field": "records[0].iin",
        "problem": "IIN must be exactly 12 digits",
        "code": "iin_format",
    }


@pytest.mark.parametrize("language", READERS)
def test_refused_files_are_explained_in_the_language(
    api: tuple[TestClient, dict[str, str]], language: str
) -> None:
    client, headers = api
    headers = {**headers, "Accept-Language": language}
    for name, content, status, code in (
        ("people.txt", b"x", 415, "unsupported_media_type"),
        ("people.jsonl", b"\xff\xfe\x00", 422, "validation_error"),
        ("people.xlsx", b"not a workbook", 422, "invalid_records"),
        ("people.json", b"[]", 422, "empty_import"),
    ):
        response = client.post("/api/import/file", files={"file": (name, content)}, headers=headers)
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["code"] == code
        assert_readable(_QUOTED.sub("«…»", error["message"]), f"{name} ({language})")
        for field in error["fields"]:
            assert field["code"] != "invalid", field
            assert_readable(field["problem"], f"{name}: {field['field']} ({language})")


def _job(api: tuple[TestClient, dict[str, str]], name: str, content: bytes) -> int:
    client, headers = api
    answer = client.post("/api/jobs/import", files={"file": (name, content)}, headers=headers)
    assert answer.status_code == 202, answer.text
    job_id = int(answer.json()["id"])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if client.get(f"/api/jobs/{job_id}", headers=headers).json()["status"] in ("done", "failed"):
            return job_id
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


@pytest.fixture(scope="module")
def rejected_job(api: tuple[TestClient, dict[str, str]]) -> int:
    return _job(api, "bad.jsonl", "".join(json.dumps(r) + "\n" for r in BAD_RECORDS).encode())


@pytest.mark.parametrize("language", READERS)
def test_import_jobs_rejected_rows_read_in_the_language(
    api: tuple[TestClient, dict[str, str]], rejected_job: int, language: str
) -> None:
    client, headers = api
    english = client.get(f"/api/jobs/{rejected_job}", headers=headers).json()
    job = client.get(f"/api/jobs/{rejected_job}", headers={**headers, "Accept-Language": language}).json()
    assert job["status"] == "failed"
    assert job["result"]["failure"] == "rejected"
    assert_readable(job["result"]["message"], f"job summary ({language})")
    assert english["result"]["message"].endswith("rows are invalid; nothing was stored")
    assert job["errors"]
    assert len(job["errors"]) == len(english["errors"])
    for ours, theirs in zip(job["errors"], english["errors"], strict=True):
        assert (ours["row"], ours["field"], ours["code"]) == (theirs["row"], theirs["field"], theirs["code"])
        assert ours["code"]
        assert ours["problem"] == theirs["problem"]
        assert_readable(_QUOTED.sub("«…»", ours["message"]), f"job row {ours['row']} ({language})")
    assert {"row": 1, "field": "iin", "code": "iin_format"}.items() <= job["errors"][0].items()


@pytest.mark.parametrize("language", READERS)
def test_an_unreadable_job_file_is_explained_in_the_language(
    api: tuple[TestClient, dict[str, str]], language: str
) -> None:
    client, headers = api
    job_id = _job(api, "people.jsonl", b"\xff\xfe\x00")
    job = client.get(f"/api/jobs/{job_id}", headers={**headers, "Accept-Language": language}).json()
    assert job["result"]["failure"] == "unreadable"
    assert job["errors"][0]["code"] == "not_utf8"
    assert_readable(job["result"]["message"], f"unreadable job ({language})")
    assert_readable(job["errors"][0]["message"], f"unreadable job row ({language})")
    refused = client.post(
        "/api/jobs/import",
        files={"file": ("people.txt", b"x")},
        headers={**headers, "Accept-Language": language},
    )
    assert refused.status_code == 415
    assert_readable(_QUOTED.sub("«…»", refused.json()["error"]["message"]), f"job .txt ({language})")
