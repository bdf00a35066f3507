"""The bad-input corpus: every kind of broken input gives row-level errors and never stops the rest,
and rows_in == rows_decided + rows_rejected holds on every one of them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from amnesty.batch.outputs import REJECTED_CSV, SUMMARY_JSON, Summary, decisions_path, read_output
from amnesty.batch.run import run_batch
from amnesty.io.columns import ALL_COLUMNS

GOOD = {
    "person_id": "P-1",
    "region": "Almaty",
    "stage": "pre_trial",
    "article": "272",
    "part": "2",
    "category": "grave",
    "offence_date": "2022-01-05",
    "context": "riot",
}


def _row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def _write_csv(
    path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = ALL_COLUMNS, delimiter: str = ","
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), delimiter=delimiter, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _run(path: Path, out: Path, **options: object) -> tuple[Summary, list[dict[str, str]]]:
    summary = run_batch(path, out, jobs=1, **options)  # type: ignore[arg-type]
    with (out / REJECTED_CSV).open(encoding="utf-8", newline="") as handle:
        rejected = list(csv.DictReader(handle))
    written = json.loads((out / SUMMARY_JSON).read_text(encoding="utf-8"))
    assert written["rows_in"] == written["rows_decided"] + written["rows_rejected"]
    assert summary.rows_in == summary.rows_decided + summary.rows_rejected
    assert written["accounting_holds"] is True
    rejected_rows = {line["row"] for line in rejected if line["row"]}
    assert len(rejected_rows) == summary.rows_rejected, "every rejected row is listed"
    return summary, rejected


def _good_people(count: int) -> list[dict[str, str]]:
    return [_row(person_id=f"P-{n}") for n in range(100, 100 + count)]


def test_broken_encoding_rejects_only_that_row(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "in.csv", [*_good_people(3), _row(person_id="P-9", full_name="NAME")])
    data = path.read_bytes().replace(b"NAME", "Иванов".encode("cp1251"))
    path.write_bytes(data)
    summary, rejected = _run(path, tmp_path / "out")
    assert summary.persons_decided == 3
    assert [(line["row"], line["person_id"], line["field"]) for line in rejected] == [
        ("5", "P-9", "full_name")
    ]
    assert "encoding" in rejected[0]["problem"]
    decoded, _ = _run(path, tmp_path / "out-cp1251", encoding="cp1251")
    assert decoded.persons_decided == 4
    assert decoded.rows_rejected == 0


def test_semicolon_delimiter_is_detected(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "in.csv", _good_people(4), delimiter=";")
    summary, rejected = _run(path, tmp_path / "out")
    assert summary.persons_decided == 4
    assert not rejected
    assert summary.delimiter == ";"


def test_row_with_another_delimiter_is_rejected(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "in.csv", _good_people(2))
    with path.open("a", encoding="utf-8") as handle:
        handle.write("P-7;;;;;Almaty;;;pre_trial;;;;;;;;;;;;;;;272;2;grave;2022-01-05;;KZ;riot;\n")
    summary, rejected = _run(path, tmp_path / "out")
    assert summary.persons_decided == 2
    assert summary.rows_rejected == 1
    assert any(line["row"] == "4" and "fields" in line["problem"] for line in rejected)


def test_missing_required_column_rejects_every_row_by_name(tmp_path: Path) -> None:
    columns = tuple(column for column in ALL_COLUMNS if column != "offence_date")
    path = _write_csv(tmp_path / "in.csv", _good_people(3), columns=columns)
    summary, rejected = _run(path, tmp_path / "out")
    assert summary.rows_in == 3
    assert summary.rows_rejected == 3
    assert summary.persons_decided == 0
    assert {line["field"] for line in rejected} == {"offence_date"}
    assert all(line["problem"] == "column is missing from the file" for line in rejected)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"offence_date": "2022-02-30"}, "offence_date"),
        (
            {"sentence_punishment": "imprisonment", "sentence_years": "-1", "stage": "serving"},
            "sentence_years",
        ),
        ({"stage": "released"}, "stage"),
        ({"context": "protest"}, "context"),
        ({"region": "Atlantis"}, "region"),
        ({"iin": "850315300129"}, "iin"),
        ({"article": "two hundred"}, "article"),
        ({"tags": "terrorist;nonsense"}, "tags"),
        ({"conviction_expunged": "maybe"}, "conviction_expunged"),
        ({"offence_end_date": "2022-01-01"}, "offence_end_date"),
    ],
)
def test_bad_values_give_row_level_errors(tmp_path: Path, change: dict[str, str], field: str) -> None:
    rows = [*_good_people(2), _row(person_id="P-BAD", **change), _row(person_id="P-LAST")]
    summary, rejected = _run(_write_csv(tmp_path / "in.csv", rows), tmp_path / "out")
    assert summary.persons_decided == 3
    assert summary.persons_rejected == 1
    assert summary.rows_rejected == 1
    assert [(line["row"], line["person_id"], line["field"]) for line in rejected] == [("4", "P-BAD", field)]


def test_conflicting_person_fields_reject_the_person_whole(tmp_path: Path) -> None:
    rows = [
        _row(person_id="P-2", stage="trial"),
        _row(person_id="P-2", stage="pre_trial", article="188"),
        _row(person_id="P-2", stage="trial", article="202"),
        *_good_people(2),
    ]
    summary, rejected = _run(_write_csv(tmp_path / "in.csv", rows), tmp_path / "out")
    assert summary.persons_decided == 2
    assert summary.persons_rejected == 1
    assert summary.rows_rejected == 3
    by_row = {line["row"]: line for line in rejected}
    assert by_row["3"]["field"] == "stage"
    assert "differs from row 2" in by_row["3"]["problem"]
    assert by_row["2"]["field"] == "(person)"
    assert by_row["4"]["field"] == "(person)"


def test_truncated_csv_keeps_the_complete_rows(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "in.csv", _good_people(5))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])
    summary, rejected = _run(path, tmp_path / "out")
    assert summary.rows_in == 5
    assert summary.persons_decided == 4
    assert summary.rows_rejected == 1
    assert rejected[0]["row"] == "6"


def test_truncated_parquet_is_a_file_problem(tmp_path: Path, mixed_parquet: Path) -> None:
    path = tmp_path / "cut.parquet"
    path.write_bytes(mixed_parquet.read_bytes()[:5000])
    summary, rejected = _run(path, tmp_path / "out")
    assert summary.rows_in == 0
    assert summary.file_problems
    assert rejected[0]["field"] == "(file)"
    assert "Parquet" in rejected[0]["problem"]


def test_truncated_json_lines_rejects_the_cut_line(tmp_path: Path, january_files: dict[str, Path]) -> None:
    path = tmp_path / "cut.jsonl"
    data = january_files["jsonl"].read_bytes()
    path.write_bytes(data[: len(data) - 30])
    summary, rejected = _run(path, tmp_path / "out")
    assert summary.rows_in == 150
    assert summary.rows_rejected == 1
    assert summary.persons_decided == 149
    assert rejected[0]["row"] == "150"
    assert "JSON" in rejected[0]["problem"]


@pytest.mark.parametrize("name", ["empty.csv", "empty.jsonl", "empty.parquet", "empty.xlsx"])
def test_empty_file_is_a_file_problem(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    summary, rejected = _run(path, tmp_path / "out")
    assert summary.rows_in == 0
    assert summary.file_problems == ["the file is empty"]
    assert rejected == [{"row": "", "person_id": "", "field": "(file)", "problem": "the file is empty"}]


def test_header_only_file_decides_nothing_and_reports_nothing(tmp_path: Path) -> None:
    summary, rejected = _run(_write_csv(tmp_path / "in.csv", []), tmp_path / "out")
    assert summary.rows_in == 0
    assert not rejected
    assert not summary.file_problems


def test_not_a_workbook_is_a_file_problem(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a zip")
    summary, rejected = _run(path, tmp_path / "out")
    assert summary.rows_in == 0
    assert "XLSX" in rejected[0]["problem"]


def test_row_without_person_id_is_rejected_alone(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "in.csv", [*_good_people(2), _row(person_id="  ")])
    summary, rejected = _run(path, tmp_path / "out")
    assert summary.persons_decided == 2
    assert summary.rows_rejected == 1
    assert rejected[0]["field"] == "person_id"
    assert rejected[0]["person_id"] == ""


def test_scattered_rows_of_a_person_are_decided_together(tmp_path: Path) -> None:
    rows = [_row(person_id="P-S"), *_good_people(2), _row(person_id="P-S", article="188", category="medium")]
    summary, rejected = _run(_write_csv(tmp_path / "in.csv", rows), tmp_path / "out")
    assert not rejected
    assert summary.persons_decided == 3
    assert summary.rows_decided == 4
    lines = read_output(decisions_path(tmp_path / "out")).decode("utf-8").splitlines()
    last = json.loads(lines[-1])
    assert last["person_id"] == "P-S"
    assert [c["article"] for c in last["charges"]] == [272, 188]


def test_duplicate_json_records_reject_both(tmp_path: Path) -> None:
    record = {
        "person_id": "P-D",
        "stage": "trial",
        "charges": [{"article": 272, "offence_date": "2022-01-05"}],
    }
    other = {**record, "person_id": "P-E"}
    lines = [json.dumps(record), json.dumps(other), json.dumps(record), "[1, 2]", "{not json"]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary, rejected = _run(path, tmp_path / "out")
    assert summary.rows_in == 5
    assert summary.persons_decided == 1
    assert summary.rows_rejected == 4
    assert {line["row"] for line in rejected} == {"1", "3", "4", "5"}


def test_unknown_columns_are_reported_not_silently_used(tmp_path: Path) -> None:
    columns = (*ALL_COLUMNS, "favourite_colour")
    path = _write_csv(tmp_path / "in.csv", _good_people(2), columns=columns)
    summary, _ = _run(path, tmp_path / "out")
    assert summary.ignored_columns == ("favourite_colour",)
    assert summary.persons_decided == 2
