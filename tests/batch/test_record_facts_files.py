"""The facts some laws read (CONTRACT.md, "Several laws") travel through every flat format and back:
the same column names as in JSON, person and sentence fields repeated on each row, inserted article
and part numbers ("188-1", "1-1") read as text, words for true/false as for the other columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from amnesty.domain.enums import CriminalCode, Damage, Sex
from amnesty.domain.records import parse_record
from amnesty.io.columns import ALL_COLUMNS, LAW_FACT_COLUMNS, LIST_SEPARATOR, SENTENCE_COLUMNS, TERM_FIELDS
from amnesty.io.json_records import ParsedRecord, RecordError
from amnesty.io.tabular import read_records

PERSON: dict[str, Any] = {
    "person_id": "F-1",
    "iin": None,
    "birth_date": "1980-03-14",
    "stage": "serving",
    "sex": "female",
    "veteran": False,
    "pregnant": None,
    "children_under_18": True,
    "sole_parent": True,
    "disabled_dependant": False,
    "disability_group": 2,
    "negative_conduct": False,
    "malicious_violator": False,
    "crime_while_serving": True,
    "objects": False,
    "sentence": {
        "punishment": "imprisonment",
        "term": {"years": 6},
        "start_date": "2019-02-01",
        "death_commuted": True,
        "fine_unpaid_mci": 12.5,
    },
    "charges": [
        {
            "code": "kz-2014",
            "article": "188-1",
            "part": "1-1",
            "offence_date": "2018-05-01",
            "damage": "outstanding",
            "civil_claim": True,
            "criminal_group": True,
            "intoxicated": None,
        },
        {
            "code": "kz-1997",
            "article": 96,
            "part": 2,
            "category": "especially_grave",
            "offence_date": "2012-07-09",
            "damage": "repaid",
            "civil_claim": False,
            "criminal_group": False,
            "intoxicated": True,
        },
    ],
}


def flat_rows(person: dict[str, Any]) -> list[dict[str, Any]]:
    """The record as flat rows, one per charge, in the contract's columns (None for an empty cell)."""
    sentence = dict(person.get("sentence") or {})
    term = sentence.pop("term", {}) or {}
    shared = {key: value for key, value in person.items() if key not in ("sentence", "charges")}
    shared |= {f"sentence_{key}": value for key, value in sentence.items()}
    shared |= {column: term.get(name) for column, name in TERM_FIELDS.items()}
    rows = []
    for charge in person["charges"]:
        row = dict.fromkeys(ALL_COLUMNS) | shared | charge
        rows.append({k: LIST_SEPARATOR.join(v) if isinstance(v, list) else v for k, v in row.items()})
    return rows


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write(rows: list[dict[str, Any]], path: Path) -> None:
    if path.suffix == ".csv":
        frame = pl.DataFrame(
            [{k: _as_text(v) for k, v in row.items()} for row in rows], schema=list(ALL_COLUMNS)
        )
        frame.write_csv(path)
    elif path.suffix == ".xlsx":
        frame = pl.DataFrame(
            [{k: _as_text(v) for k, v in row.items()} for row in rows], schema=list(ALL_COLUMNS)
        )
        frame.write_excel(path)
    else:  # Parquet: the article and part columns hold text ("188-1") beside numbers written as text
        frame = pl.DataFrame(
            [{k: (_as_text(v) if k in ("article", "part") else v) for k, v in row.items()} for row in rows],
            infer_schema_length=None,
        )
        frame.write_parquet(path)


def test_every_fact_has_its_column() -> None:
    assert set(LAW_FACT_COLUMNS) <= set(ALL_COLUMNS)
    assert {"sentence_death_commuted", "sentence_fine_unpaid_mci"} <= set(SENTENCE_COLUMNS)


@pytest.mark.parametrize("extension", ["csv", "xlsx", "parquet"])
def test_a_record_with_the_new_facts_round_trips(tmp_path: Path, extension: str) -> None:
    path = tmp_path / f"facts.{extension}"
    _write(flat_rows(PERSON), path)
    items = list(read_records(path))
    assert [type(item) for item in items] == [ParsedRecord], items
    record = items[0].record  # type: ignore[union-attr]
    assert record == parse_record(PERSON)
    assert record.sex is Sex.FEMALE
    assert record.disability_group == 2
    assert record.pregnant is None
    assert record.sentence is not None
    assert record.sentence.death_commuted is True
    assert record.sentence.fine_unpaid_mci == 12.5
    first, second = record.charges
    assert (first.article, first.part, first.code) == ("188-1", "1-1", CriminalCode.KZ_2014)
    assert (second.article, second.part, second.code) == (96, 2, CriminalCode.KZ_1997)
    assert (first.damage, second.damage) == (Damage.OUTSTANDING, Damage.REPAID)
    assert (first.criminal_group, first.intoxicated, second.intoxicated) == (True, None, True)


def test_bad_new_facts_name_their_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "person_id,stage,article,part,offence_date,damage,sex,disability_group,veteran\n"
        "P-1,trial,188-1,,2022-01-05,some,,,\n"
        "P-2,trial,188-x,,2022-01-05,,,,\n"
        "P-3,trial,120,1-1,2022-01-05,,male,4,\n"
        "P-4,trial,120,,2022-01-05,,,,perhaps\n"
        "P-5,trial,188-1,1-1,2022-01-05,none,male,0,no\n",
        encoding="utf-8",
    )
    items = list(read_records(path))
    fields = [(item.line, item.errors[0].field) for item in items if isinstance(item, RecordError)]
    assert fields == [(2, "damage"), (3, "article"), (4, "disability_group"), (5, "veteran")]
    last = items[-1]
    assert isinstance(last, ParsedRecord)
    assert last.record.charges[0].article == "188-1"
    assert last.record.veteran is False
    assert last.record.charges[0].offence_date == dt.date(2022, 1, 5)


_FACT_VALUES: dict[str, tuple[Any, ...]] = {
    "sex": ("female", "male", None, "other"),
    "veteran": (True, False, None),
    "disability_group": (0, 1, 3, None, 4),
    "objects": (False, True, None),
    "sentence_death_commuted": (None, False, True),
    "sentence_fine_unpaid_mci": (None, 3.5, -1.0),
    "code": ("kz-2014", None, "kz-1997", "kazssr-1959", "kz-1984"),
    "damage": (None, "none", "repaid", "outstanding", "lots"),
    "civil_claim": (None, True, False),
    "criminal_group": (False, None, True),
    "intoxicated": (None, True, False),
}


def test_typed_registry_with_the_new_facts_gives_the_same_files_both_ways(tmp_path: Path) -> None:
    """The columnar path reads the new columns as the model does (a bad value sends the person the
    validating way) and screens only rows that record none of them: its files equal the engine's."""
    from amnesty.synth.generate import generate
    from amnesty.synth.presets import Preset
    from amnesty.synth.write import SCHEMA, flatten
    from tests.batch.test_batch_screen import _both_ways

    persons = list(generate(Preset.NATIONAL, 400, seed=5))
    rows = [dict(zip(SCHEMA.names, values, strict=True)) for person in persons for values in flatten(person)]
    shared: dict[str, dict[str, Any]] = {}
    for index, row in enumerate(rows):
        facts = shared.setdefault(row["person_id"], {})
        for offset, (column, values) in enumerate(_FACT_VALUES.items()):
            value = values[(index * 7 + offset * 3) % len(values)]
            if column in LAW_FACT_COLUMNS[:13]:  # person and sentence facts: the same on each row
                value = facts.setdefault(column, value)
            row[column] = value
    path = tmp_path / "facts.parquet"
    pl.DataFrame(rows, infer_schema_length=None).write_parquet(path)
    _both_ways(path, tmp_path)
    _both_ways(path, tmp_path / "strict", strict=True)
