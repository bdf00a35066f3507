"""Writing a synthetic registry to a file: Parquet, CSV or XLSX (flat rows) or JSON Lines (records).

Flat formats have one row per charge in the contract's column layout (`amnesty.io.columns`), written
in blocks so that a registry of millions of persons never sits in memory whole. The bytes written
depend only on the persons, so the same seed gives the same file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from amnesty.io.columns import ALL_COLUMNS, LIST_SEPARATOR
from amnesty.io.sources import FileReadError, InputFormat, detect_format

_STRING = pa.string()
_INT = pa.int32()
_DATE = pa.date32()
_BOOL = pa.bool_()
SCHEMA = pa.schema(
    [
        ("person_id", _STRING),
        ("iin", _STRING),
        ("birth_date", _DATE),
        ("full_name", _STRING),
        ("case_number", _STRING),
        ("region", _STRING),
        ("role", _STRING),
        ("recidivism", _STRING),
        ("stage", _STRING),
        ("conviction_expunged", _BOOL),
        ("fixed_residence", _BOOL),
        ("able_bodied", _BOOL),
        ("needs_medical_care", _BOOL),
        ("needs_documents", _BOOL),
        ("sentence_punishment", _STRING),
        ("sentence_years", _INT),
        ("sentence_months", _INT),
        ("sentence_days", _INT),
        ("sentence_start_date", _DATE),
        ("sentence_conditional", _BOOL),
        ("sentence_fine_amount_mci", pa.float64()),
        ("sentence_hours", _INT),
        ("sentence_additional", _STRING),
        ("article", _INT),
        ("part", _INT),
        ("category", _STRING),
        ("offence_date", _DATE),
        ("offence_end_date", _DATE),
        ("territory", _STRING),
        ("context", _STRING),
        ("tags", _STRING),
        ("victim_minor", _BOOL),
        ("point", _INT),
    ]
)
assert [name for name in ALL_COLUMNS if name in SCHEMA.names] == SCHEMA.names
"""The synthetic registry writes the columns it has values for, in the contract's order (the facts
only some laws read, CONTRACT.md "Several laws", are left out: each reads as not known)."""
BLOCK = 100_000

FACT_SCHEMA = pa.schema(
    [
        ("sex", _STRING),
        ("veteran", _BOOL),
        ("pregnant", _BOOL),
        ("children_under_18", _BOOL),
        ("sole_parent", _BOOL),
        ("disabled_dependant", _BOOL),
        ("disability_group", _INT),
        ("negative_conduct", _BOOL),
        ("malicious_violator", _BOOL),
        ("crime_while_serving", _BOOL),
        ("objects", _BOOL),
        ("sentence_death_commuted", _BOOL),
        ("sentence_fine_unpaid_mci", pa.float64()),
        ("code", _STRING),
        ("damage", _STRING),
        ("civil_claim", _BOOL),
        ("criminal_group", _BOOL),
        ("intoxicated", _BOOL),
    ]
)
"""The facts some laws read (CONTRACT.md, "Several laws"), as flat columns with their JSON names (the
sentence's with the `sentence_` prefix), written after the others by `write_registry(..., facts=True)`:
presets that draw them (`independence-2021`) carry them into Parquet, CSV and XLSX; the Law 152-VII
presets are written without them, byte for byte as before."""
_PERSON_FACTS = FACT_SCHEMA.names[:11]
_SENTENCE_FACTS = ("death_commuted", "fine_unpaid_mci")
_CHARGE_FACTS = FACT_SCHEMA.names[13:]


def _joined(values: list[str] | None) -> str | None:
    return LIST_SEPARATOR.join(values) if values else None


def flatten(person: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """A nested record as flat rows (one per charge), values in `ALL_COLUMNS` order."""
    sentence = person.get("sentence") or {}
    term = sentence.get("term") or {}
    shared = (
        person["person_id"],
        person.get("iin"),
        person.get("birth_date"),
        person.get("full_name"),
        person.get("case_number"),
        person.get("region"),
        person.get("role"),
        person.get("recidivism"),
        person.get("stage"),
        person.get("conviction_expunged"),
        person.get("fixed_residence"),
        person.get("able_bodied"),
        person.get("needs_medical_care"),
        person.get("needs_documents"),
        sentence.get("punishment"),
        term.get("years"),
        term.get("months"),
        term.get("days"),
        sentence.get("start_date"),
        sentence.get("conditional") if sentence else None,
        sentence.get("fine_amount_mci"),
        sentence.get("hours"),
        _joined(sentence.get("additional")),
    )
    for charge in person["charges"]:
        yield (
            *shared,
            charge["article"],
            charge.get("part"),
            charge.get("category"),
            charge["offence_date"],
            charge.get("offence_end_date"),
            charge.get("territory"),
            charge.get("context"),
            _joined(charge.get("tags")),
            charge.get("victim_minor"),
            charge.get("point"),
        )


def flatten_facts(person: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """The facts of `FACT_SCHEMA` as flat rows (one per charge, as `flatten`)."""
    sentence = person.get("sentence") or {}
    shared = (
        *(person.get(name) for name in _PERSON_FACTS),
        *(sentence.get(name) for name in _SENTENCE_FACTS),
    )
    for charge in person["charges"]:
        yield (*shared, *(charge.get(name) for name in _CHARGE_FACTS))


def _table(persons: Iterable[dict[str, Any]]) -> pa.Table:
    rows = [row for person in persons for row in flatten(person)]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in SCHEMA.names]
    return pa.Table.from_arrays(
        [pa.array(list(values), type=kind) for values, kind in zip(columns, SCHEMA.types, strict=True)],
        schema=SCHEMA,
    )


def _fact_table(persons: Iterable[dict[str, Any]]) -> pa.Table:
    """As `_table`, with the columns of `FACT_SCHEMA` after the others."""
    schema = _schema(True)
    rows = [
        (*row, *extra)
        for person in persons
        for row, extra in zip(flatten(person), flatten_facts(person), strict=True)
    ]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema.names]
    return pa.Table.from_arrays(
        [pa.array(list(values), type=kind) for values, kind in zip(columns, schema.types, strict=True)],
        schema=schema,
    )


def _schema(facts: bool) -> pa.Schema:
    return pa.schema([*SCHEMA, *FACT_SCHEMA]) if facts else SCHEMA


def _blocks(persons: Iterable[dict[str, Any]], facts: bool = False) -> Iterator[pa.Table]:
    iterator = iter(persons)
    first = True
    while True:
        block = list(islice(iterator, BLOCK))
        if not block and not first:
            return
        first = False
        yield _fact_table(block) if facts else _table(block)
        if len(block) < BLOCK:
            return


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _compact(person: dict[str, Any]) -> dict[str, Any]:
    """A record without its empty optional fields (as a registry export would write it)."""
    result = {key: value for key, value in person.items() if value is not None}
    result["charges"] = [
        {key: value for key, value in charge.items() if value is not None and value != []}
        for charge in person["charges"]
    ]
    sentence = person.get("sentence")
    if sentence is not None:
        result["sentence"] = {
            key: value for key, value in sentence.items() if value is not None and value != []
        }
    return result


def write_registry(persons: Iterable[dict[str, Any]], out: Path, facts: bool = False) -> int:
    """Write persons to `out` in the format its extension names; returns the number of rows written.
    `facts`: flat formats carry the columns of `FACT_SCHEMA` too (JSON Lines always carries them)."""
    output_format = detect_format(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    if output_format is InputFormat.JSONL:
        with out.open("w", encoding="utf-8", newline="\n") as handle:
            for person in persons:
                handle.write(json.dumps(_compact(person), ensure_ascii=False, default=_json_default) + "\n")
                rows += 1
        return rows
    if output_format is InputFormat.PARQUET:
        with pq.ParquetWriter(out, _schema(facts), compression="zstd") as writer:
            for table in _blocks(persons, facts):
                writer.write_table(table)
                rows += table.num_rows
        return rows
    if output_format is InputFormat.CSV:
        with out.open("wb") as handle:
            for index, table in enumerate(_blocks(persons, facts)):
                frame = pl.from_arrow(table)
                assert isinstance(frame, pl.DataFrame)
                frame.write_csv(handle, include_header=index == 0)
                rows += table.num_rows
        return rows
    if output_format is InputFormat.XLSX:
        tables = list(_blocks(persons, facts))
        frame = pl.from_arrow(pa.concat_tables(tables))
        assert isinstance(frame, pl.DataFrame)
        if frame.height > 1_048_575:
            raise FileReadError("an XLSX sheet holds at most 1,048,575 rows; use Parquet or CSV")
        from xlsxwriter import Workbook

        with Workbook(str(out)) as workbook:
            workbook.set_properties({"created": dt.datetime(2022, 1, 4)})  # fixed: same seed, same bytes
            frame.write_excel(workbook, worksheet="records", autofit=False)
        return frame.height
    raise FileReadError(f"cannot write {output_format}")  # pragma: no cover
