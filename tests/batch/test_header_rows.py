"""Headers found wherever they are: a title above the header row of a CSV or XLSX file is skipped;
merged header cells, a column holding data without a name and missing required columns are
refused before any record is used, naming the cells or the columns."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from amnesty.io.json_records import ParsedRecord, RecordError
from amnesty.io.tabular import read_records
from amnesty.render.validation import problem_text

HEADER = ["person_id", "stage", "article", "part", "category", "offence_date", "context", "region"]
ROWS = [
    ["P-1", "pre_trial", 272, 2, "grave", "2022-01-05", "riot", "Almaty"],
    ["P-2", "pre_trial", 188, 1, "medium", "2021-03-01", "unrelated", "Almaty"],
]


def _xlsx(path: Path, rows: list[list[object]], merge: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    workbook.save(path)
    return path


def _csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _people(items: list[ParsedRecord | RecordError]) -> list[tuple[int | None, str]]:
    assert all(isinstance(item, ParsedRecord) for item in items), items
    return [(item.line, item.record.person_id) for item in items if isinstance(item, ParsedRecord)]


def _file_problem(items: list[ParsedRecord | RecordError]) -> str:
    assert len(items) == 1, items
    assert isinstance(items[0], RecordError), items
    assert items[0].errors[0].field == "(file)"
    return items[0].errors[0].problem


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_title_above_the_header_is_skipped(tmp_path: Path, kind: str) -> None:
    titled: list[list[object]] = [
        ["Реестр лиц, подпадающих под амнистию"],
        ["на 01.12.2021"],
        [],
        HEADER,
        *ROWS,
    ]
    write = _csv if kind == "csv" else _xlsx
    plain = list(read_records(write(tmp_path / f"plain.{kind}", [HEADER, *ROWS])))
    found = list(read_records(write(tmp_path / f"titled.{kind}", titled)))
    assert [pid for _, pid in _people(found)] == [pid for _, pid in _people(plain)] == ["P-1", "P-2"]
    assert [line for line, _ in _people(found)] == [5, 6]  # where the rows are in the file


def test_merged_header_cells_are_refused_naming_them(tmp_path: Path) -> None:
    header = [*HEADER, None]
    rows = [[*row, "extra"] for row in ROWS]
    path = _xlsx(tmp_path / "merged.xlsx", [["Реестр"], header, *rows], merge="H2:I2")
    problem = _file_problem(list(read_records(path)))
    assert problem.startswith(
        "the header cells H2:I2 are merged (region): the columns after the first (I) have"
    )
    assert "объединены" in problem_text("", {}, problem, "ru")


def test_a_column_with_data_and_no_name_is_refused(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "unnamed.xlsx", [[*HEADER, None], [*ROWS[0], "lost?"], ROWS[1]])
    problem = _file_problem(list(read_records(path)))
    assert problem.startswith("column I holds data (row 2) but has no name in the header row 1")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_missing_required_columns_are_named_before_any_record(tmp_path: Path, kind: str) -> None:
    without = [name for name in HEADER if name != "offence_date"]
    rows = [[cell for name, cell in zip(HEADER, row, strict=True) if name != "offence_date"] for row in ROWS]
    write = _csv if kind == "csv" else _xlsx
    problem = _file_problem(list(read_records(write(tmp_path / f"missing.{kind}", [without, *rows]))))
    assert problem.startswith(
        "the file has no column offence_date (required); its header row holds: person_id"
    )
    assert "offence_date" in problem_text("", {}, problem, "kk")
