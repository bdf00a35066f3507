"""The job pages on the service's application: who may open and start what, a trial run added to
the register, downloads, and other users' jobs hidden."""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from amnesty.auth import create_user
from amnesty.store.models import Person

from .conftest import PASSWORD

ROLES = {
    "officer": "case_officer",
    "reviewer": "reviewer",
    "social": "social_worker",
    "auditor": "auditor",
    "admin": "admin",
}
CSV = (
    "person_id,full_name,stage,region,article,part,category,offence_date,context\n"
    "PG-1,Один,pre_trial,Almaty,293,1,small,2022-01-05,riot\n"
    "PG-2,=cmd(),pre_trial,Almaty,293,1,small,2022-01-05,riot\n"
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    folder = tmp_path_factory.mktemp("pages")
    os.environ.setdefault("AMNESTY_SECRET_KEY", secrets.token_urlsafe(32))
    os.environ.setdefault("AMNESTY_DATA_DIR", str(folder))
    from amnesty.app import create_app

    made = create_app(f"sqlite:///{folder / 'pages.sqlite3'}")
    with made.state.sessions() as db:
        for username, role in ROLES.items():
            create_user(db, username, PASSWORD, role, "Almaty" if role == "social_worker" else None)
        db.commit()
    return made


def client(app: FastAPI, username: str) -> TestClient:
    made = TestClient(app)
    made.cookies.set("lang", "en")
    answer = made.post("/signin", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303
    return made


def csrf(made: TestClient, page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', made.get(page).text)
    assert match
    return match.group(1)


def finished(made: TestClient, url: str) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        text = made.get(url, headers={"HX-Request": "true"}).text
        if 'data-status="queued"' not in text and 'data-status="running"' not in text:
            return text
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


def test_who_may_open_the_job_pages(app: FastAPI) -> None:
    expected = {
        "officer": (200, 200),
        "admin": (200, 200),
        "reviewer": (403, 200),
        "auditor": (403, 200),
        "social": (403, 403),
    }
    for username, (batch, jobs) in expected.items():
        made = client(app, username)
        assert made.get("/batch").status_code == batch, username
        assert made.get("/jobs").status_code == jobs, username
        assert ('href="/jobs"' in made.get("/home").text) is (jobs == 200), username
    assert TestClient(app).get("/jobs", follow_redirects=False).status_code == 303


def test_trial_run_add_and_downloads(app: FastAPI) -> None:
    officer = client(app, "officer")
    answer = officer.post(
        "/batch",
        data={"csrf_token": csrf(officer, "/batch")},
        files={"file": ("people.csv", CSV)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    url = answer.headers["location"]
    text = finished(officer, url)
    assert 'id="n-decisions">2<' in text
    assert "Add to the register" in text
    decisions = officer.get(url + "/decisions.csv").text.splitlines()
    assert decisions[0].startswith("row,person_id,outcome")
    assert [line.split(",")[1] for line in decisions[1:]] == ["PG-1", "PG-2"]
    assert officer.get(url + "/rejected.csv").text.splitlines() == ["row,person_id,field,problem"]
    assert client(app, "reviewer").get(url).status_code == 404
    assert client(app, "admin").get(url).status_code == 200
    with app.state.sessions() as db:
        assert db.scalar(select(func.count(Person.id)).where(Person.person_id.like("PG-%"))) == 0
    added = officer.post(url + "/add", data={"csrf_token": csrf(officer, url)}, follow_redirects=False)
    assert added.status_code == 303
    assert 'id="n-created">2<' in finished(officer, added.headers["location"])
    with app.state.sessions() as db:
        assert db.scalar(select(func.count(Person.id)).where(Person.person_id.like("PG-%"))) == 2
    again = officer.post(url + "/add", data={"csrf_token": csrf(officer, url)}, follow_redirects=False)
    assert again.status_code == 409
    forged = officer.post(url + "/add", data={"csrf_token": "forged"}, follow_redirects=False)
    assert forged.status_code == 403


def test_a_reviewer_measures_a_variant_from_the_jobs_page(app: FastAPI) -> None:
    from importlib import resources

    reviewer = client(app, "reviewer")
    variant = resources.files("amnesty.impact").joinpath("examples/grave-half.yaml").read_bytes()
    answer = reviewer.post(
        "/jobs/impact",
        data={"csrf_token": csrf(reviewer, "/jobs")},
        files={"variant": ("grave-half.yaml", variant)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    text = finished(reviewer, answer.headers["location"])
    assert 'data-status="done"' in text
    assert "Persons per decision under the law and under the variant" in text
    refused = reviewer.post("/jobs/reevaluate", data={"csrf_token": csrf(reviewer, "/jobs")})
    assert refused.status_code == 403


def test_a_wrong_file_type_is_refused_with_words(app: FastAPI, tmp_path: Path) -> None:
    officer = client(app, "officer")
    answer = officer.post(
        "/batch", data={"csrf_token": csrf(officer, "/batch")}, files={"file": ("a.txt", "x")}
    )
    assert answer.status_code == 422
    assert "This file type is not accepted here" in answer.text


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_an_uploaded_file_matches_a_person_of_the_register_by_iin(app: FastAPI, suffix: str) -> None:
    """Issue 23: a row whose IIN a person of the register holds goes to that person's file (trial run
    and import both say how many rows matched); the number typed in the file makes no second person."""
    import datetime as dt
    import io

    import xlsxwriter

    from amnesty.domain.iin import make_iin

    officer = client(app, "officer")
    tag = secrets.token_hex(3).upper()
    iin = make_iin(dt.date(1990, 4, 2), 1000 + secrets.randbelow(8000))
    header = ["person_id", "iin", "full_name", "stage", "region", "article", "part", "category"]
    header += ["offence_date", "context", "case_number"]
    first = [f"IO-{tag}", iin, "Иинов Первый", "pre_trial", "Almaty", "293", "1", "small"]
    first += ["2022-01-05", "riot", f"C1-{tag}"]
    second = [f"IT-{tag}", iin, "Иинов Первый", "pre_trial", "Almaty", "188", "1", "small"]
    second += ["2022-01-06", "riot", f"C2-{tag}"]

    def upload(rows: list[list[str]]) -> str:
        if suffix == "csv":
            content: bytes = "\n".join(",".join(row) for row in [header, *rows]).encode()
        else:
            buffer = io.BytesIO()
            book = xlsxwriter.Workbook(buffer, {"in_memory": True})
            sheet = book.add_worksheet()
            for number, row in enumerate([header, *rows]):
                for column, value in enumerate(row):
                    sheet.write_string(number, column, value)
            book.close()
            content = buffer.getvalue()
        answer = officer.post(
            "/batch",
            data={"csrf_token": csrf(officer, "/batch")},
            files={"file": (f"people.{suffix}", content)},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        url = answer.headers["location"]
        trial = finished(officer, url)
        added = officer.post(url + "/add", data={"csrf_token": csrf(officer, url)}, follow_redirects=False)
        assert added.status_code == 303
        stored = finished(officer, added.headers["location"])
        matched = re.findall(r'id="n-matched">(\d+)<', trial + stored)
        assert len(matched) == 2, "the trial run and the import both report the match"
        assert matched[0] == matched[1]
        return matched[0]

    assert upload([first]) == "0"
    assert upload([second]) == "1"
    with app.state.sessions() as db:
        assert db.scalar(select(Person.id).where(Person.person_id == f"IT-{tag}")) is None
        owner = db.scalar(select(Person).where(Person.person_id == f"IO-{tag}"))
        assert owner is not None
        assert len(owner.cases) == 2
