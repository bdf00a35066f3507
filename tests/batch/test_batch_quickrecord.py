"""Records built directly from typed rows equal the validated ones; anything doubtful is declined."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from amnesty.batch.process import RunSettings
from amnesty.batch.quickrecord import quick_record
from amnesty.batch.run import run_batch
from amnesty.io.assemble import PersonRecord, assemble_person
from amnesty.io.sources import SourceRow
from amnesty.io.tabular import iter_persons, open_source
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset
from amnesty.synth.write import SCHEMA, flatten, write_registry

FILES = ("decisions.parquet", "decisions.csv", "decisions.jsonl", "rejected.csv", "summary.json")


@pytest.mark.parametrize(("preset", "persons"), [(Preset.NATIONAL, 6_000), (Preset.JANUARY, 3_000)])
def test_quick_records_equal_validated_records(tmp_path: Path, preset: Preset, persons: int) -> None:
    path = tmp_path / "registry.parquet"
    write_registry(generate(preset, persons, seed=21), path)
    built = 0
    for chunk in open_source(path).chunks(1_000):
        for group in chunk.person_groups():
            validated = assemble_person(group[0].person_key, group, ())
            quick = quick_record(group[0].person_key, group, ())
            if quick is None:
                continue
            built += 1
            assert isinstance(validated, PersonRecord)
            assert quick == validated.record
            assert quick.model_dump_json() == validated.record.model_dump_json()
    assert built > 0.95 * persons


GOOD: dict[str, Any] = {
    "person_id": "P-1",
    "iin": "850315300128",
    "birth_date": dt.date(1985, 3, 15),
    "region": "almaty city",
    "stage": "serving",
    "article": 272,
    "part": 2,
    "point": 1,
    "category": "grave",
    "offence_date": dt.date(2022, 1, 5),
    "territory": " kz ",
    "context": "riot",
    "tags": "terrorist; corruption",
    "victim_minor": False,
    "sentence_punishment": "imprisonment",
    "sentence_years": 4,
    "sentence_start_date": dt.date(2022, 1, 6),
    "sentence_fine_amount_mci": 3,
    "sentence_additional": "a;b",
    "conviction_expunged": None,
}
BAD_CHANGES: list[dict[str, Any]] = [
    {"birth_date": dt.date(2023, 1, 1)},  # born after the offence: the record model refuses it
    {"birth_date": None, "iin": "230101500009"},  # the same, with the birth date taken from the IIN
    {"offence_date": None},
    {"offence_date": "2022-01-05"},
    {"sentence_years": -1},
    {"sentence_years": 100_001},
    {"stage": "released"},
    {"stage": None},
    {"context": "protest"},
    {"region": "Atlantis"},
    {"iin": "850315300129"},
    {"birth_date": dt.date(1985, 3, 16)},
    {"article": 0},
    {"article": 501},
    {"part": 21},
    {"part": None},  # a point without its part
    {"point": 0},
    {"point": 51},
    {"point": True},
    {"victim_minor": "no"},
    {"victim_minor": 1},
    {"article": True},
    {"tags": "terrorist;nonsense"},
    {"territory": "KAZ"},
    {"offence_end_date": dt.date(2022, 1, 1)},
    {"sentence_punishment": None},
    {"sentence_fine_amount_mci": -1.0},
    {"sentence_fine_amount_mci": float("inf")},
    {"full_name": "x" * 201},
    {"person_id": 7},
    {"conviction_expunged": "yes"},
]


def _rows(*values: dict[str, Any]) -> tuple[SourceRow, ...]:
    return tuple(SourceRow(number, dict(value)) for number, value in enumerate(values, start=2))


def test_quick_record_handles_every_field_like_the_model() -> None:
    rows = _rows(
        GOOD, {**GOOD, "article": 188, "part": None, "point": None, "tags": None, "victim_minor": True}
    )
    quick = quick_record("P-1", rows, ())
    validated = assemble_person("P-1", rows, ())
    assert isinstance(validated, PersonRecord)
    assert quick == validated.record


@pytest.mark.parametrize("change", BAD_CHANGES)
def test_quick_record_declines_what_the_model_would_refuse_or_coerce(change: dict[str, Any]) -> None:
    rows = _rows({**GOOD, **change})
    validated = assemble_person("P-1", rows, ())
    quick = quick_record("P-1", rows, ())
    if isinstance(validated, PersonRecord):
        assert quick is None or quick == validated.record
    else:
        assert quick is None


def test_quick_record_declines_conflicting_rows_and_missing_columns() -> None:
    assert quick_record("P-1", _rows(GOOD, {**GOOD, "stage": "trial"}), ()) is None
    assert quick_record("P-1", _rows(GOOD), ("offence_date",)) is None
    assert quick_record(None, _rows(GOOD), ()) is None


def test_bad_parquet_gives_the_same_files_with_and_without_the_quick_paths(tmp_path: Path) -> None:
    persons = list(generate(Preset.JANUARY, 40, seed=8))
    rows = [dict(zip(SCHEMA.names, values, strict=True)) for person in persons for values in flatten(person)]
    kinds = {pa.int32(): int, pa.string(): str, pa.date32(): dt.date, pa.float64(): float, pa.bool_(): bool}
    for index, change in enumerate(BAD_CHANGES):
        target = rows[index + 1]
        for column, value in change.items():
            kind = kinds[SCHEMA.field(column).type]
            if value is None or type(value) is kind:
                target[column] = value
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    path = tmp_path / "bad.parquet"
    pq.write_table(table, path)
    fast = run_batch(path, tmp_path / "fast", RunSettings(fast_path=True), jobs=1)
    plain = run_batch(path, tmp_path / "plain", RunSettings(fast_path=False), jobs=1)
    assert fast.rows_rejected == plain.rows_rejected > 0
    for name in FILES:
        assert (tmp_path / "fast" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes(), name
    assert sum(1 for _ in iter_persons(open_source(path))) == fast.persons_decided + fast.persons_rejected


def test_iin_check_is_the_engines() -> None:
    from amnesty.batch.quickrecord import _iin
    from amnesty.engine.iin import IinError, make_iin, validate_iin

    candidates = [make_iin(dt.date(1950, 1, 1) + dt.timedelta(days=37 * n), n) for n in range(600)]
    candidates += [iin[:11] + str((int(iin[11]) + 1) % 10) for iin in candidates[:300]]
    candidates += ["850315700128", "853215300128", "12345", "８５０３１５３００１２８"]
    for iin in candidates:
        try:
            expected: str | None = validate_iin(iin)
        except IinError:
            expected = None
        try:
            found: str | None = _iin(iin)
        except IinError:
            found = None
        assert found == expected, iin
