"""Issue 23: the audit log and an impact run exported in the reader's words (the audit log streamed a
chunk at a time, with the page's filters and policy, and audited), and every import matching a person
already in the register by IIN (`amnesty.store.bulk.persons_by_iin`, the new-case form's match)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import secrets
import time
from dataclasses import dataclass

import openpyxl
import pytest
from sqlalchemy import func, select

from amnesty.auth import Role
from amnesty.domain.iin import make_iin
from amnesty.service import accounts, exports
from amnesty.service.exports import ExportFormat
from amnesty.service.policy import ForbiddenError
from amnesty.store.models import AuditEvent, Case, Person
from amnesty.web import i18n
from amnesty.web.downloads import PageWords


@dataclass(frozen=True)
class User:
    """A user as the policy sees one."""

    username: str
    role: str
    region: str | None = None


AUDITOR = User("test-auditor", Role.AUDITOR.value)


def _iin() -> str:
    return make_iin(dt.date(1985, 3, 15), 1000 + secrets.randbelow(8000))


def _cases_of(service, person_id: str) -> int:
    with service.app.state.sessions() as db:
        person = db.scalar(select(Person).where(Person.person_id == person_id))
        assert person is not None
        return int(db.scalar(select(func.count(Case.id)).where(Case.person_fk == person.id)) or 0)


def _exists(service, person_id: str) -> bool:
    with service.app.state.sessions() as db:
        return db.scalar(select(Person.id).where(Person.person_id == person_id)) is not None


# ---------------------------------------------------------------- imports match by IIN


def test_an_api_import_puts_a_case_in_the_file_of_the_person_holding_its_iin(service, record, unique_id):
    admin = service.as_role(Role.ADMIN)
    owner, other, stranger, iin = unique_id("OWN"), unique_id("DUP"), unique_id("NEW"), _iin()
    first = service.client.post("/api/import", json=[record(owner, iin=iin)], headers=admin)
    assert first.status_code == 201, first.text
    assert first.json()["matched_by_iin"] == 0
    rows = [record(other, iin=iin, case_number=f"SECOND-{other}"), record(stranger, iin=_iin())]
    second = service.client.post("/api/import", json=rows, headers=admin)
    assert second.status_code == 201, second.text
    assert second.json()["matched_by_iin"] == 1
    assert not _exists(service, other), "no second person is made for an IIN in the register"
    assert _exists(service, stranger)
    assert _cases_of(service, owner) == 2


def _wait(service, job_id, headers) -> dict:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job = service.client.get(f"/api/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


def test_a_file_import_reports_the_rows_matched_by_iin_in_its_trial_and_its_import(
    service, record, unique_id
):
    officer = service.as_role(Role.CASE_OFFICER)
    owner, iin = unique_id("FOWN"), _iin()
    assert (
        service.client.post("/api/import", json=[record(owner, iin=iin)], headers=officer).status_code == 201
    )
    typed = unique_id("FDUP")
    rows = [record(typed, iin=iin, case_number=f"F-{typed}"), record(unique_id("FNEW"))]
    content = "".join(json.dumps(row) + "\n" for row in rows).encode()
    for dry_run in (True, False):
        answer = service.client.post(
            "/api/jobs/import",
            files={"file": ("people.jsonl", content)},
            data={"dry_run": str(dry_run).lower()},
            headers=officer,
        )
        assert answer.status_code == 202, answer.text
        job = _wait(service, answer.json()["id"], officer)
        assert job["status"] == "done", job
        assert job["result"]["matched_by_iin"] == 1
    assert not _exists(service, typed)
    assert _cases_of(service, owner) == 2


# ---------------------------------------------------------------- the audit log


def _read_csv(pieces) -> list[list[str]]:
    text = b"".join(pieces).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_audit_export_holds_the_pages_events_streamed_a_chunk_at_a_time(service, monkeypatch):
    sessions = service.app.state.sessions
    filters = accounts.AuditFilter(actor="test-admin")
    with sessions() as db:
        page = accounts.audit_trail(db, AUDITOR, filters, 1, 5)
        upto = exports.start_audit_export(db, AUDITOR, filters, ExportFormat.CSV)
        own = db.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    assert own is not None
    assert (own.action, own.actor) == ("export", AUDITOR.username)
    assert own.details["filters"] == {"actor": "test-admin"}
    assert own.seq > upto
    monkeypatch.setattr(exports, "AUDIT_CHUNK", 3)  # several chunks, each read in a session of its own
    rows = _read_csv(
        exports.stream_export(ExportFormat.CSV, exports.audit_rows(sessions, AUDITOR, filters, upto), "audit")
    )
    header, body = rows[0], rows[1:]
    assert header[:4] == ["seq", "at", "actor", "action"]
    assert len(body) == page.total > 3
    seqs = [int(row[0]) for row in body]
    assert seqs == sorted(seqs, reverse=True)
    assert len(set(seqs)) == len(seqs)
    assert [int(row[0]) for row in body[:5]] == [item.seq for item in page.items]
    assert {row[2] for row in body} == {"test-admin"}


def test_the_audit_export_reads_one_chunk_per_session_as_it_is_written(service, monkeypatch):
    """Constant memory: a row is written before the next chunk is read, each chunk in a session that
    is closed before the next opens."""
    opened: list[int] = []
    open_now = [0]

    class Counted:
        def __init__(self) -> None:
            self.inner = service.app.state.sessions()

        def __enter__(self):
            opened.append(1)
            open_now[0] += 1
            assert open_now[0] == 1, "one session at a time"
            return self.inner.__enter__()

        def __exit__(self, *exc):
            open_now[0] -= 1
            return self.inner.__exit__(*exc)

    monkeypatch.setattr(exports, "AUDIT_CHUNK", 4)
    with service.app.state.sessions() as db:
        upto = int(db.scalar(select(func.max(AuditEvent.seq))) or 0)
    rows = exports.audit_rows(Counted, AUDITOR, accounts.AuditFilter(), upto).rows
    first = next(rows)
    assert first[0] == upto
    assert len(opened) == 1
    rest = list(rows)
    assert len(rest) + 1 == upto  # every event, the newest first, once
    assert len(opened) == -(-upto // 4) + 1  # one session per chunk and the empty one that ends it


def test_the_audit_export_reads_in_words_and_as_xlsx(service):
    sessions = service.app.state.sessions
    filters = accounts.AuditFilter(action="login.success")
    with sessions() as db:
        upto = exports.start_audit_export(db, AUDITOR, filters, ExportFormat.XLSX)
        total = accounts.audit_trail(db, AUDITOR, filters, 1, 5).total
    token = i18n.current_language.set("ru")
    try:
        table = exports.audit_rows(sessions, AUDITOR, filters, upto).in_words(PageWords())
        content = b"".join(exports.stream_export(ExportFormat.XLSX, table, "audit"))
    finally:
        i18n.current_language.reset(token)
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Номер события", "Когда", "Кто", "Действие")
    assert len(rows) - 1 == total > 0
    first = rows[1]
    assert first[3] == i18n.translations("ru").gettext("Signed in") != "Signed in"
    assert "login.success" in first
    day, moment = str(first[1]).split(" ")
    assert dt.datetime.strptime(day, "%d.%m.%Y").date().year > 2000
    assert len(moment) == 8


@pytest.mark.parametrize("role", [Role.CASE_OFFICER, Role.REVIEWER, Role.SOCIAL_WORKER, Role.ANALYST])
def test_only_auditors_and_administrators_export_the_audit_log(service, role):
    user = User(service.username(role), role.value, "Almaty" if role is Role.SOCIAL_WORKER else None)
    filters = accounts.AuditFilter()
    with service.app.state.sessions() as db:
        before = db.scalar(select(func.max(AuditEvent.seq)))
        with pytest.raises(ForbiddenError):
            exports.start_audit_export(db, user, filters, ExportFormat.CSV)
        assert db.scalar(select(func.max(AuditEvent.seq))) == before
    with pytest.raises(ForbiddenError):
        exports.audit_rows(service.app.state.sessions, user, filters, 10)


# ---------------------------------------------------------------- impact of a law variant

RESULT = {
    "outcomes": {
        "release": {"baseline": 3, "variant": 1, "delta": -2},
        "reduce_sentence": {"baseline": 0, "variant": 2, "delta": 2},
    },
    "transitions": [{"from": "release", "to": "reduce_sentence", "persons": 2}],
    "total": {
        "persons": 3,
        "outcome_changed": 2,
        "baseline_person_years": 4.5,
        "variant_person_years": 2.25,
        "person_years_delta": -2.25,
        "unmeasured": 0,
    },
    "by_region": {
        "Almaty": {
            "persons": 2,
            "outcome_changed": 1,
            "baseline_person_years": 3.0,
            "variant_person_years": 1.5,
            "person_years_delta": -1.5,
            "unmeasured": 0,
        },
        "unknown": {
            "persons": 1,
            "outcome_changed": 1,
            "baseline_person_years": 1.5,
            "variant_person_years": 0.75,
            "person_years_delta": -0.75,
            "unmeasured": 0,
        },
    },
    "by_category": {},
}


@pytest.mark.parametrize(
    ("language", "unknown", "total"),
    [("ru", "Регион не указан", "Итого"), ("kk", "Өңір көрсетілмеген", None)],
)
def test_an_impact_export_names_regions_outcomes_and_the_unknown_region_in_words(language, unknown, total):
    token = i18n.current_language.set(language)
    try:
        table = exports.impact_rows(RESULT).in_words(PageWords())
        rows = _read_csv(exports.stream_export(ExportFormat.CSV, table, "impact"))
    finally:
        i18n.current_language.reset(token)
    header, body = rows[0], rows[1:]
    width = len(exports.impact_rows(RESULT).columns)
    words = [row[:width] for row in body]
    regions = [row for row in words if row[0] == ("По регионам" if language == "ru" else row[0]) and row[6]]
    assert any(row[1] == unknown for row in words)
    if total:
        assert any(row[1] == total for row in words)
        assert header[:2] == ["Таблица", "Группа"]
        assert regions
    codes = {"Almaty", "unknown", "release", "reduce_sentence", "by_region", "outcomes"}
    assert not codes & {cell for row in words for cell in row}, "the words columns carry no codes"
    assert "region:unknown" in {cell for row in body for cell in row[width:]}, "codes for programs"
    assert len(body) == 2 + 1 + 3  # two outcomes, one change, two regions and the total


def test_the_impact_page_lists_categories_by_gravity_regions_by_name_and_unknown_last():
    from amnesty.web.pages_jobs import impact_order

    categories = ["unknown", "especially_grave", "grave", "medium", "misdemeanour", "small"]
    assert impact_order("category", categories) == [
        "misdemeanour",
        "small",
        "medium",
        "grave",
        "especially_grave",
        "unknown",
    ]
    token = i18n.current_language.set("ru")
    try:
        regions = impact_order("region", ["unknown", "Shymkent", "Abai", "Almaty"])
    finally:
        i18n.current_language.reset(token)
    assert regions[-1] == "unknown"
    assert regions[0] == "Abai"  # «Абайская область» before «г. Алматы» and «г. Шымкент»
    assert set(regions) == {"unknown", "Shymkent", "Abai", "Almaty"}


def test_an_xlsx_export_longer_than_a_sheet_goes_on_in_the_next_sheet(monkeypatch):
    monkeypatch.setattr(exports, "SHEET_ROWS", 4)
    columns = (exports.Column("seq"), exports.Column("text"))
    table = exports.ExportTable(columns, iter([(n, f"=row {n}") for n in range(10)]))
    content = b"".join(exports.stream_export(ExportFormat.XLSX, table, "audit"))
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames == ["audit", "audit 2", "audit 3"]
    rows = [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
    assert all(sheet[0] == ("seq", "text") for sheet in rows)
    assert [row[0] for sheet in rows for row in sheet[1:]] == list(range(10))
    assert rows[0][1][1] == "'=row 0", "text that a spreadsheet would run is written as text"
