"""`read_records`: the reusable reader of CSV, XLSX, Parquet and JSON Lines files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pytest

from amnesty.domain.records import parse_record
from amnesty.io.json_records import ParsedRecord, RecordError
from amnesty.io.tabular import read_records
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset


@pytest.mark.parametrize("extension", ["csv", "parquet", "jsonl", "xlsx"])
def test_read_records_gives_the_generated_records(january_files: dict[str, Path], extension: str) -> None:
    items = list(read_records(january_files[extension]))
    expected = [parse_record(data) for data in generate(Preset.JANUARY, 150, seed=11)]
    assert all(isinstance(item, ParsedRecord) for item in items)
    assert [item.record for item in items if isinstance(item, ParsedRecord)] == expected
    assert [item.index for item in items] == list(range(150))


def test_read_records_reports_errors_with_rows(tmp_path: Path) -> None:
    path = tmp_path / "upload.csv"
    path.write_text(
        "person_id,stage,article,part,offence_date\n"
        "P-1,trial,272,2,2022-01-05\n"
        "P-2,trial,272,2,not a date\n"
        "P-2,trial,188,,2022-01-05\n",
        encoding="utf-8",
    )
    items = list(read_records(path))
    assert isinstance(items[0], ParsedRecord)
    assert items[0].line == 2
    error = items[1]
    assert isinstance(error, RecordError)
    assert error.person_id == "P-2"
    assert error.line == 3
    assert error.errors[0].field == "offence_date"
    assert error.errors[0].problem.startswith("row 3: ")


def test_read_records_names_a_file_problem(tmp_path: Path) -> None:
    path = tmp_path / "upload.parquet"
    path.write_bytes(b"not parquet at all")
    items = list(read_records(path))
    assert len(items) == 1
    assert isinstance(items[0], RecordError)
    assert items[0].errors[0].field == "(file)"


def test_scattered_keys_across_batches() -> None:
    from amnesty.io.tabular import scattered_keys

    def series(*batches: list[str | None]) -> Callable[[], Iterator[pl.Series]]:
        return lambda: iter([pl.Series(batch, dtype=pl.String) for batch in batches])

    batches = [["A", "A", "B"], ["B", "C", None], [None, "A", "D"], ["D", " ", "C"]]
    assert scattered_keys(series(*batches)) == frozenset({"A", "C"})
    assert scattered_keys(series(["A", "A"], ["A", "B"])) == frozenset()
    assert scattered_keys(series(["A"], [], ["A"], [None, "A"])) == frozenset({"A"})
    assert scattered_keys(series([])) == frozenset()
    assert scattered_keys(series()) == frozenset()


def test_scattered_parquet_rows_are_gathered(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {"person_id": pid, "stage": "trial", "article": 272, "part": 2, "offence_date": "2022-01-05"}
        for pid in ("P-1", "P-2", "P-1", "P-3", "P-2")
    ]
    path = tmp_path / "scattered.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=2)
    items = list(read_records(path))
    ids = [item.record.person_id for item in items if isinstance(item, ParsedRecord)]
    assert ids == ["P-3", "P-1", "P-2"]
    assert [len(item.record.charges) for item in items if isinstance(item, ParsedRecord)] == [1, 2, 2]


FACTS_PERSONS = [
    {
        "person_id": "F-1",
        "stage": "trial",
        "charges": [
            {"article": 120, "part": 1, "offence_date": "2022-01-06", "victim_minor": False},
            {"article": 362, "part": 4, "point": 3, "offence_date": "2022-01-06"},
            {"article": 121, "part": 1, "offence_date": "2022-01-06", "victim_minor": True},
            {"article": 188, "part": 2, "offence_date": "2022-01-05"},
        ],
    }
]


@pytest.mark.parametrize("extension", ["csv", "parquet", "jsonl", "xlsx"])
def test_point_and_victim_minor_are_read_from_every_format(tmp_path: Path, extension: str) -> None:
    import datetime as dt

    from amnesty.synth.write import write_registry

    typed = [
        {
            **person,
            "charges": [
                {**c, "offence_date": dt.date.fromisoformat(c["offence_date"])} for c in person["charges"]
            ],
        }
        for person in FACTS_PERSONS
    ]
    path = tmp_path / f"facts.{extension}"
    write_registry(typed, path)
    items = list(read_records(path))
    assert len(items) == 1
    assert isinstance(items[0], ParsedRecord)
    charges = items[0].record.charges
    assert [(c.point, c.victim_minor) for c in charges] == [
        (None, False),
        (3, None),
        (None, True),
        (None, None),
    ]
    assert items[0].record == parse_record(FACTS_PERSONS[0])


def test_bad_point_and_victim_minor_cells_name_the_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "facts.csv"
    path.write_text(
        "person_id,stage,article,part,point,offence_date,victim_minor\n"
        "P-1,trial,120,1,,2022-01-05,maybe\n"
        "P-2,trial,362,4,0,2022-01-05,\n"
        "P-4,trial,120,1,,2022-01-05,no\n",
        encoding="utf-8",
    )
    items = list(read_records(path))
    problems = [
        (error.line, error.errors[0].field, error.errors[0].problem)
        for error in items
        if isinstance(error, RecordError)
    ]
    assert problems == [
        (2, "victim_minor", "row 2: should be true or false, got 'maybe'"),
        (3, "point", "row 3: Input should be greater than or equal to 1"),
    ]
    last = items[2]
    assert isinstance(last, ParsedRecord)
    assert last.record.charges[0].victim_minor is False
