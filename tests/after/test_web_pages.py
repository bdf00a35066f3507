"""The after-the-decision web pages on the real application over a seeded database: impact, tasks,
documents."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
import openpyxl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from tests.web.conftest import PASSWORD, Register, make_app

from amnesty.domain.enums import Outcome, TaskStatus
from amnesty.store.models import TaskRow


@pytest.fixture(scope="module")
def app_and_backend() -> tuple[FastAPI, Register]:
    """The demo register plus persons released from custody in Almaty and Astana (they have tasks)."""
    from amnesty.domain.records import parse_record
    from amnesty.io.json_records import ParsedRecord
    from amnesty.store.cases import import_records

    app, register = make_app(120)
    released = [
        {
            "person_id": f"REL-{region[:3]}-{n}",
            "region": region,
            "stage": "serving",
            "charges": [
                {
                    "article": 272,
                    "part": 2,
                    "category": "grave",
                    "offence_date": "2022-01-05",
                    "context": "riot",
                }
            ],
            "sentence": {"punishment": "imprisonment", "term": {"years": 1}, "start_date": "2022-01-06"},
        }
        for region in ("Almaty", "Astana")
        for n in range(3)
    ]
    with app.state.sessions() as db:
        items = [ParsedRecord(i, None, parse_record(r)) for i, r in enumerate(released)]
        import_records(db, list(items), "test-seed", law=app.state.law)
        db.commit()
    return app, register


def stored_tasks(app: FastAPI) -> dict[int, TaskRow]:
    """Every stored task by id, with its person loaded (read fresh each time)."""
    with app.state.sessions() as db:
        rows = list(db.scalars(select(TaskRow)))
        for row in rows:
            _ = row.person.region
        db.expunge_all()
        return {row.id: row for row in rows}


def client_for(app: FastAPI, username: str, language: str = "en") -> TestClient:
    client = TestClient(app)
    client.cookies.set("lang", language)
    response = client.post(
        "/signin", data={"username": username, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return client


def csrf(client: TestClient, page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert match, page
    return match.group(1)


def test_impact_page_runs_grave_half_on_the_demo_data(app_and_backend: Any) -> None:
    app, _ = app_and_backend
    client = client_for(app, "reviewer")
    page = client.get("/impact?example=grave-half")
    assert page.status_code == 200
    assert "grave: &#34;1/2&#34;" in page.text or 'grave: "1/2"' in page.text
    text = re.search(r"<textarea[^>]*>(.*?)</textarea>", page.text, re.S)
    assert text
    form = {
        "csrf_token": csrf(client, "/impact"),
        "source": "demo",
        "variant_text": 'relief:\n  reduction:\n    grave: "1/2"\n',
    }
    result = client.post("/impact", data=form)
    assert result.status_code == 200, result.text
    assert "Changes of outcome" in result.text
    chart = re.search(r'src="(/impact/chart/[^"]+\.png)"', result.text)
    assert chart
    png = client.get(chart.group(1))
    assert png.status_code == 200
    assert png.content.startswith(b"\x89PNG")
    client.cookies.set("lang", "ru")
    russian = client.post("/impact", data=form | {"csrf_token": csrf(client, "/impact")})
    assert russian.status_code == 200
    years = re.findall(r'<td class="num">([^<]*)</td>', russian.text)
    assert any("," in cell for cell in years)  # person-years with the decimal comma
    assert not any(re.fullmatch(r"[+-]?\d+\.\d+", cell) for cell in years)


def test_impact_page_refuses_a_bad_variant_naming_the_field(app_and_backend: Any) -> None:
    app, _ = app_and_backend
    client = client_for(app, "officer")
    form = {
        "csrf_token": csrf(client, "/impact"),
        "source": "register",
        "variant_text": "relief:\n  colour: red\n",
    }
    result = client.post("/impact", data=form)
    assert result.status_code == 422
    assert "relief.colour" in result.text


def test_impact_page_accepts_an_uploaded_file(app_and_backend: Any, records_file: Any) -> None:
    app, _ = app_and_backend
    client = client_for(app, "admin")
    form = {
        "csrf_token": csrf(client, "/impact"),
        "source": "upload",
        "variant_text": "relief:\n  one_year_threshold: 0\n",
    }
    with records_file.open("rb") as handle:
        result = client.post(
            "/impact", data=form, files={"upload": ("records.jsonl", handle, "application/json")}
        )
    assert result.status_code == 200, result.text
    lines = len(records_file.read_text(encoding="utf-8").splitlines())
    assert f"<strong>{lines}</strong>" in result.text


def test_impact_page_is_closed_to_social_workers(app_and_backend: Any) -> None:
    app, _ = app_and_backend
    assert client_for(app, "social").get("/impact").status_code == 403


def test_social_worker_sees_and_updates_only_their_region(app_and_backend: Any) -> None:
    app, _ = app_and_backend
    client = client_for(app, "social")
    page = client.get("/tasks")
    assert page.status_code == 200
    rows = re.findall(r'<tr id="task-(\d+)">(.*?)</tr>', page.text, re.S)
    assert rows, "the demo register has released persons in Almaty"
    tasks = stored_tasks(app)
    for task_id, _ in rows:
        assert tasks[int(task_id)].person.region == "Almaty"
    other = next(t for t in tasks.values() if t.person.region != "Almaty")
    token = csrf(client, "/tasks")
    refused = client.post(
        f"/tasks/{other.id}/status",
        data={"status": "in_progress", "version": other.version, "csrf_token": token},
    )
    assert refused.status_code == 404
    mine = tasks[int(rows[0][0])]
    no_reason = client.post(
        f"/tasks/{mine.id}/status",
        data={"status": "cannot_be_done", "version": mine.version, "csrf_token": token},
        follow_redirects=False,
    )
    assert no_reason.status_code == 303
    assert f"m=reason_required:{mine.id}" in no_reason.headers["location"]
    assert stored_tasks(app)[mine.id].status == TaskStatus.OPEN.value
    done = client.post(
        f"/tasks/{mine.id}/status",
        data={
            "status": "cannot_be_done",
            "version": mine.version,
            "reason": "moved abroad",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    after = stored_tasks(app)[mine.id]
    assert after.status == TaskStatus.CANNOT_BE_DONE.value
    assert "moved abroad" in after.notes
    stale = client.post(
        f"/tasks/{mine.id}/status",
        data={"status": "open", "version": mine.version, "csrf_token": token},
        follow_redirects=False,
    )
    assert f"m=conflict:{mine.id}" in stale.headers["location"]
    page = client.get(stale.headers["location"])
    assert "The task was changed by someone else; check it and try again." in page.text
    assert mine.person.person_id in page.text


def test_task_changes_need_the_csrf_token_and_a_writer_role(app_and_backend: Any) -> None:
    app, _ = app_and_backend
    social = client_for(app, "social")
    social.get("/tasks")
    item = next(t for t in stored_tasks(app).values() if t.person.region == "Almaty")
    forged = social.post(f"/tasks/{item.id}/status", data={"status": "done", "version": item.version})
    assert forged.status_code == 403
    auditor = client_for(app, "auditor")
    assert auditor.get("/tasks").status_code == 200
    token = csrf(auditor, "/tasks")
    assert (
        auditor.post(
            f"/tasks/{item.id}/status", data={"status": "done", "version": item.version, "csrf_token": token}
        ).status_code
        == 403
    )
    assert client_for(app, "reviewer").get("/tasks").status_code == 403
    assert client_for(app, "officer").get("/tasks").status_code == 200


def test_region_export_is_an_xlsx_of_that_region(app_and_backend: Any) -> None:
    app, _ = app_and_backend
    response = client_for(app, "social").get("/tasks/export.xlsx?region=Astana")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook["tasks"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Task number", "Person number", "Full name", "Region")
    assert rows[0][-3:] == ("region_code", "kind_code", "status_code")
    persons = {row[1] for row in rows[1:]}
    assert persons
    tasks = stored_tasks(app)
    assert {t.person.region for t in tasks.values() if t.person.person_id in persons} == {"Almaty"}
    assert {row[3] for row in rows[1:]} == {"Almaty city"}
    assert {row[-3] for row in rows[1:]} == {"Almaty"}


def test_the_tasks_export_is_in_the_readers_words_with_names_dates_and_codes_for_programs(
    app_and_backend: Any,
) -> None:
    """Russian titles and values (region, task, status in words, the person's name, the due day in the
    local form), then the codes of the coded columns under their field names."""
    app, _ = app_and_backend
    response = client_for(app, "officer", "ru").get("/tasks/export.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook["tasks"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:5] == ("Номер задачи", "Номер лица", "ФИО", "Регион", "Акимат")
    tasks = stored_tasks(app)
    assert len(rows) - 1 == len(tasks)
    column = {name: i for i, name in enumerate(header)}
    for row in rows[1:]:
        task = tasks[int(row[0])]
        assert row[column["ФИО"]] == task.person.full_name
        assert row[column["kind_code"]] == task.kind
        assert row[column["status_code"]] == task.status
        assert row[column["status_code"]] != row[column["Состояние"]]
        assert task.due_date is not None
        assert str(task.due_date.year) in row[column["Срок"]]
        assert task.due_date.isoformat() != row[column["Срок"]]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_documents_download_for_a_person(app_and_backend: Any, language: str) -> None:
    app, backend = app_and_backend
    client = client_for(app, "officer", language)
    file = next(f for f in backend.files.values() if f.decision.outcome is Outcome.RELEASE)
    page = client.get(f"/documents/{file.record.person_id}")
    assert page.status_code == 200
    case_id = re.search(rf'href="/documents/{file.record.person_id}/(\d+)/{language}.docx"', page.text)
    assert case_id
    base = f"/documents/{file.record.person_id}/{case_id.group(1)}"
    docx_response = client.get(f"{base}/{language}.docx")
    assert docx_response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(docx_response.content)).paragraphs)
    assert file.record.person_id in text
    assert {"ru": "Освободить", "kk": "босатылсын"}[language] in text
    pdf = client.get(f"{base}/{language}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert file.record.person_id in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


def test_documents_are_closed_to_social_workers_and_unknown_persons_are_404(app_and_backend: Any) -> None:
    app, backend = app_and_backend
    person_id = next(iter(backend.files))
    assert client_for(app, "social").get(f"/documents/{person_id}/1/ru.docx").status_code == 403
    assert client_for(app, "admin").get("/documents/NO-SUCH").status_code == 404
    assert client_for(app, "admin").get("/documents/NO-SUCH/999999/ru.docx").status_code == 404


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_documents_page_offers_the_2021_representation_and_letter(
    app_and_backend: Any, language: str
) -> None:
    """A cut under the 2021 law (hand-worked in tests/after/test_documents_2021.py): the page links the
    representation to the court and the letter the pack declares; the files state the law's figures."""
    from tests.after.test_documents_2021 import VULNERABLE_GRAVE

    from amnesty.domain.records import parse_record
    from amnesty.io.json_records import ParsedRecord
    from amnesty.law.registry import get_law
    from amnesty.store.cases import import_records

    app, _ = app_and_backend
    person_id = f"WEB21-{language}"
    with app.state.sessions() as db:
        record = parse_record(VULNERABLE_GRAVE | {"person_id": person_id})
        import_records(db, [ParsedRecord(0, None, record)], "test-seed", law=get_law("kz-2021-81-vii"))
        db.commit()
    client = client_for(app, "officer", language)
    page = client.get(f"/documents/{person_id}")
    assert page.status_code == 200
    found = re.search(rf'href="/documents/{person_id}/(\d+)/court_representation/{language}.docx"', page.text)
    assert found
    assert f"/{found.group(1)}/person_letter/{language}.pdf" in page.text
    assert f"/{found.group(1)}/court_representation/en.docx" not in page.text
    base = f"/documents/{person_id}/{found.group(1)}"
    response = client.get(f"{base}/court_representation/{language}.docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert {"ru": "6 декабря 2023 г.", "kk": "2023 жылғы 6 желтоқсан"}[language] in text
    assert {"ru": "Неотбытая часть: 3 года 11 месяцев 29 дней", "kk": "Өтелмеген бөлігі: 3 жыл 11 ай 29 күн"}[
        language
    ] in text
    decision_doc = client.get(f"{base}/{language}.docx")
    decision_text = "\n".join(p.text for p in docx.Document(io.BytesIO(decision_doc.content)).paragraphs)
    assert {"ru": "7 декабря 2021", "kk": "7 желтоқсан"}[language] in decision_text  # the 2021 law's title
    assert client.get(f"{base}/person_letter/{language}.pdf").headers["content-type"] == "application/pdf"
    assert client.get(f"{base}/person_letter/en.pdf").status_code == 404
    assert client.get(f"{base}/no_such_kind/{language}.pdf").status_code == 404
