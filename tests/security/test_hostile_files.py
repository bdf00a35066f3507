"""Hostile files sent to a served process are refused early and cheaply, naming their cause: an XLSX of
a few hundred kilobytes holding one 600 MB cell, XLSX sheets declaring or holding 1,048,576 rows,
lone surrogates and undecodable bytes. The server stays small and keeps answering its health check.
"""

from __future__ import annotations

import dataclasses
import io
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import openpyxl
import pytest

from amnesty.io.sources import FileReadError
from amnesty.io.tabular import read_records
from amnesty.io.xlsx_guard import FILE_LIMITS, UPLOAD_LIMITS, check_workbook
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset
from tests.auth.served import Served, serve

HEADER = ["person_id", "stage", "article", "offence_date"]
ONE_GIB_KB = 1024 * 1024


def _base_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["P-1", "pre_trial", 272, "2022-01-05"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(path: Path, write_rows: object, dimension: bytes | None) -> Path:
    """A copy of a two-row workbook whose sheet gets more rows from `write_rows(stream)` (streamed
    into the zip, so the test never holds the unpacked part)."""
    source = zipfile.ZipFile(io.BytesIO(_base_workbook()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            head = head.replace(b'<dimension ref="A1:D2"/>', dimension or b"")
            with target.open(info.filename, "w", force_zip64=True) as stream:
                stream.write(head)
                write_rows(stream)  # type: ignore[operator]
                stream.write(b"</sheetData>" + tail)
    return path


def one_big_cell(path: Path, megabytes: int) -> Path:
    """A workbook whose third row holds one cell of `megabytes` MB of one letter."""

    def rows(stream: zipfile.ZipExtFile) -> None:
        stream.write(b'<row r="3"><c r="A3" t="inlineStr"><is><t>')
        block = b"A" * (1024 * 1024)
        for _ in range(megabytes):
            stream.write(block)
        stream.write(b"</t></is></c></row>")

    return _rewrite_sheet(path, rows, b'<dimension ref="A1:D3"/>')


def many_rows(path: Path, declared: bool) -> Path:
    """A workbook of 1,048,576 rows (Excel's most), with or without the dimension saying so."""

    def rows(stream: zipfile.ZipExtFile) -> None:
        for start in range(3, 1_048_577, 100_000):
            numbers = range(start, min(start + 100_000, 1_048_577))
            stream.write(b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in numbers))

    return _rewrite_sheet(path, rows, b'<dimension ref="A1:D1048576"/>' if declared else None)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "cell-600MB": one_big_cell(folder / "cell.xlsx", 600),
        "cell-300MB": one_big_cell(folder / "cell300.xlsx", 300),
        "rows-declared": many_rows(folder / "rows.xlsx", declared=True),
        "rows-undeclared": many_rows(folder / "rows-undeclared.xlsx", declared=False),
    }


EXPECTED = {
    "cell-600MB": "unpacks to 600 MiB, more than the 400 MiB allowed",
    "cell-300MB": "holds a text longer than a cell can hold (32,767 characters)",
    "rows-declared": "more than the 200,000 rows of records",
    "rows-undeclared": "more than the 200,000 rows of records",
}


def test_the_bombs_are_small(bombs: dict[str, Path]) -> None:
    assert bombs["cell-600MB"].stat().st_size < 1024 * 1024
    assert bombs["rows-declared"].stat().st_size < 8 * 1024 * 1024


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reader_refuses_each_bomb_naming_the_cause(bombs: dict[str, Path], name: str) -> None:
    items = list(read_records(bombs[name], xlsx_limits=UPLOAD_LIMITS))
    assert len(items) == 1
    problem = items[0].errors[0]  # type: ignore[union-attr]
    assert problem.field == "(file)"
    assert EXPECTED[name] in problem.problem


def test_a_batch_file_may_hold_as_many_rows_as_excel(bombs: dict[str, Path]) -> None:
    """The command line's limits are Excel's own: the million-row sheet passes the checks."""
    assert FILE_LIMITS.max_rows == 1_048_576
    check_workbook(bombs["rows-declared"], FILE_LIMITS)
    with pytest.raises(FileReadError, match="more than the 200,000 rows"):
        check_workbook(bombs["rows-declared"], UPLOAD_LIMITS)


def test_a_long_cell_within_the_scan_names_its_row(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([*HEADER, "full_name"])
    sheet.append(["P-1", "pre_trial", 272, "2022-01-05", "A" * 5_000])
    path = tmp_path / "long.xlsx"
    workbook.save(path)
    limits = dataclasses.replace(UPLOAD_LIMITS, max_cell_chars=4_000)  # openpyxl writes at most 32,767
    items = list(read_records(path, xlsx_limits=limits))
    problems = [(problem.field, problem.problem) for problem in items[0].errors]  # type: ignore[union-attr]
    assert items[0].line == 2
    assert problems == [("full_name", "row 2: is longer than a cell can hold (4,000 characters)")]


# --- the served process ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    served = serve(tmp_path_factory.mktemp("hostile"))
    yield served
    served.stop()


def _token(server: Served, user: str = "demo-case-officer") -> dict[str, str]:
    answer = httpx.post(
        f"{server.url}/api/auth/token",
        json={"username": user, "password": server.passwords[user]},
        timeout=30,
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _peak_kb(pid: int) -> int:
    """The process's peak resident memory (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_served_import_refuses_each_bomb(server: Served, bombs: dict[str, Path], name: str) -> None:
    headers = _token(server)
    with bombs[name].open("rb") as handle:
        answer = httpx.post(
            f"{server.url}/api/import/file",
            headers=headers,
            files={"file": (bombs[name].name, handle, "application/octet-stream")},
            timeout=120,
        )
    assert answer.status_code == 422, answer.text
    body = answer.json()["error"]
    assert body["code"] == "unreadable_file"
    assert EXPECTED[name] in body["message"]
    assert httpx.get(f"{server.url}/api/health", timeout=5).status_code == 200
    assert _peak_kb(server.process.pid) < ONE_GIB_KB


def test_served_import_refusal_is_in_the_readers_language(server: Served, bombs: dict[str, Path]) -> None:
    headers = _token(server) | {"Accept-Language": "ru"}
    with bombs["rows-declared"].open("rb") as handle:
        answer = httpx.post(
            f"{server.url}/api/import/file",
            headers=headers,
            files={"file": ("rows.xlsx", handle, "application/octet-stream")},
            timeout=120,
        )
    assert answer.status_code == 422
    assert "книга отклонена" in answer.text


def _wait_finished(server: Served, job_id: int, headers: dict[str, str]) -> dict[str, object]:
    for _ in range(600):
        job: dict[str, object] = httpx.get(
            f"{server.url}/api/jobs/{job_id}", headers=headers, timeout=30
        ).json()
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} did not finish")


def test_a_running_import_job_can_be_cancelled(server: Served) -> None:
    headers = _token(server)
    records = generate(Preset.NATIONAL, 4_000, seed=41)
    content = "".join(json.dumps(record, default=str) + "\n" for record in records).encode()
    started = httpx.post(
        f"{server.url}/api/jobs/import",
        headers=headers,
        files={"file": ("people.jsonl", content)},
        timeout=60,
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    for _ in range(600):
        status = httpx.get(f"{server.url}/api/jobs/{job_id}", headers=headers, timeout=30).json()["status"]
        if status != "queued":
            break
        time.sleep(0.1)
    assert status == "running"
    cancelled = httpx.post(f"{server.url}/api/jobs/{job_id}/cancel", headers=headers, timeout=30)
    assert cancelled.status_code == 200, cancelled.text
    job = _wait_finished(server, job_id, headers)
    assert job["status"] == "cancelled"
    assert job["done"] < 4_000
    assert httpx.get(f"{server.url}/api/health", timeout=5).status_code == 200


# --- text that is not text -------------------------------------------------------------------------

GOOD_RECORD = {
    "person_id": "P-TEXT-1",
    "region": "Almaty",
    "stage": "pre_trial",
    "charges": [{"article": 272, "part": 2, "category": "grave", "offence_date": "2022-01-05"}],
}


def _json_with(name: str, escape: str) -> bytes:
    """Two records as JSON text, the second's `name` field holding the raw escape `escape`."""
    second = dict(GOOD_RECORD, person_id="P-TEXT-2", full_name="__MARK__")
    text = json.dumps([GOOD_RECORD, second]).replace('"__MARK__"', f'"{escape}"')
    assert name == "full_name"
    return text.encode()


def test_a_lone_surrogate_in_a_json_body_is_refused_naming_row_and_field(server: Served) -> None:
    headers = _token(server) | {"Content-Type": "application/json"}
    answer = httpx.post(
        f"{server.url}/api/import", headers=headers, content=_json_with("full_name", "\\ud800")
    )
    assert answer.status_code == 422, answer.text
    fields = [problem["field"] for problem in answer.json()["error"]["fields"]]
    assert fields == ["body[1].full_name"]
    one = dict(GOOD_RECORD, full_name="__MARK__")
    evaluated = httpx.post(
        f"{server.url}/api/evaluate",
        headers=headers,
        content=json.dumps(one).replace('"__MARK__"', '"A\\udfffB"').encode(),
    )
    assert evaluated.status_code == 422
    assert [problem["field"] for problem in evaluated.json()["error"]["fields"]] == ["body.full_name"]
    paired = httpx.post(
        f"{server.url}/api/import", headers=headers, content=_json_with("full_name", "\\ud83d\\ude00")
    )
    assert paired.status_code != 422 or "body[1].full_name" not in paired.text  # a pair is one character


def test_undecodable_bytes_in_an_uploaded_file_name_row_and_field(server: Served) -> None:
    headers = _token(server)
    lines = [
        json.dumps(GOOD_RECORD),
        json.dumps(dict(GOOD_RECORD, person_id="P-TEXT-3", full_name="__MARK__")),
    ]
    jsonl = "\n".join(lines).encode().replace(b"__MARK__", b"Ab\xff\xfe")
    csv_bytes = (
        b"person_id,stage,article,offence_date,full_name\n"
        b"P-C-1,pre_trial,272,2022-01-05,Ok\n"
        b"P-C-2,pre_trial,272,2022-01-05,Bad\xed\xa0\x80name\n"
    )
    for name, content, where in (
        ("people.jsonl", jsonl, (2, "full_name")),
        ("people.csv", csv_bytes, (3, "full_name")),
    ):
        answer = httpx.post(
            f"{server.url}/api/import/file", headers=headers, files={"file": (name, content)}, timeout=60
        )
        assert answer.status_code == 422, answer.text
        rows = answer.json()["error"]["rows"]
        named = {(row["line"], error["field"]) for row in rows for error in row["errors"]}
        assert where in named, (name, named)


def test_a_job_with_bad_text_stays_readable(server: Served) -> None:
    headers = _token(server)
    bad = json.dumps(dict(GOOD_RECORD, person_id="__MARK__", full_name="__MARK__"))
    content = (json.dumps(GOOD_RECORD) + "\n" + bad.replace('"__MARK__"', '"\\ud800"') + "\n").encode()
    started = httpx.post(
        f"{server.url}/api/jobs/import",
        headers=headers,
        files={"file": ("people.jsonl", content)},
        timeout=60,
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    job = _wait_finished(server, job_id, headers)
    assert job["status"] == "failed"
    fields = {(error["row"], error["field"]) for error in job["errors"]}  # type: ignore[union-attr]
    assert {(2, "person_id"), (2, "full_name")} <= fields
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        signed = browser.post(
            "/signin",
            data={
                "username": "demo-case-officer",
                "password": server.passwords["demo-case-officer"],
                "next": "/home",
            },
            headers={"Origin": server.url},
        )
        assert signed.status_code in (200, 303)
        page = browser.get(f"/jobs/{job_id}")
        assert page.status_code == 200
        assert "full_name" in page.text or "ФИО" in page.text or "name" in page.text.lower()
