"""Deciding one chunk of persons: the unit of work of every engine (in process, processes, Dask).

A chunk holds whole persons. For each, the rows are assembled and validated, the engine decides,
and the result is turned into the three decision outputs (a Parquet table, CSV text, JSON Lines)
plus rejected rows and counters. The function is pure given its inputs, so whichever engine runs
it, the bytes are the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from amnesty.domain.decision import Decision, TermOut
from amnesty.domain.records import CaseRecord
from amnesty.engine.evaluate import evaluate
from amnesty.io.assemble import PersonRecord, RowProblem
from amnesty.io.tabular import Chunk, decide_group
from amnesty.law.loader import Law, default_law, load_law

DIMENSIONS = ("outcome", "stage", "category", "region", "role")
"""The dimensions `summary.json` counts decided persons by."""
UNKNOWN = "unknown"

DECISION_SCHEMA = pa.schema(
    [
        ("person_id", pa.string()),
        ("outcome", pa.string()),
        ("acting_body", pa.string()),
        ("stage", pa.string()),
        ("category", pa.string()),
        ("region", pa.string()),
        ("role", pa.string()),
        ("original_term", pa.string()),
        ("new_term", pa.string()),
        ("original_end_date", pa.date32()),
        ("new_end_date", pa.date32()),
        ("release", pa.string()),
        ("reason_codes", pa.string()),
        ("flags", pa.string()),
        ("as_of", pa.date32()),
        ("law_version", pa.string()),
    ]
)
DECISION_COLUMNS = tuple(DECISION_SCHEMA.names)


@dataclass(frozen=True)
class RunSettings:
    """What every chunk needs besides its rows: the law, the as-of date, strict mode."""

    law_pack: str | None = None
    as_of: dt.date | None = None
    strict: bool = False


@cache
def law_for(law_pack: str | None) -> Law:
    """The law pack (bundled when None), loaded once per process."""
    return default_law() if law_pack is None else load_law(Path(law_pack))


@dataclass
class ChunkResult:
    """Everything one chunk contributes to the outputs, in the chunk's person order."""

    index: int
    table: pa.Table
    csv: str
    jsonl: str
    rejected: list[RowProblem]
    rows_decided: int = 0
    rows_rejected: int = 0
    persons_decided: int = 0
    persons_rejected: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=dict)


def term_text(term: TermOut | None) -> str | None:
    """A term as an ISO 8601 duration (`P2Y0M0D`), or None."""
    return None if term is None else f"P{term.years}Y{term.months}M{term.days}D"


def gravest_category(decision: Decision) -> str | None:
    """The gravest known category among the person's charges."""
    known = [charge.category for charge in decision.charges if charge.category is not None]
    return max(known, key=lambda category: category.gravity).value if known else None


def decision_row(record: CaseRecord, decision: Decision) -> tuple[Any, ...]:
    """One person's decision as a flat row (DECISION_COLUMNS order)."""
    sentence = decision.sentence
    return (
        decision.person_id,
        decision.outcome.value,
        decision.acting_body.value,
        record.stage.value,
        gravest_category(decision),
        record.region,
        record.role.value,
        term_text(sentence.original_term) if sentence else None,
        term_text(sentence.new_term) if sentence else None,
        sentence.original_end_date if sentence else None,
        sentence.new_end_date if sentence else None,
        sentence.release.value if sentence and sentence.release else None,
        ";".join(decision.reason_codes()),
        ";".join(flag.value for flag in decision.flags),
        decision.as_of,
        decision.law_version,
    )


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def decisions_table(rows: list[tuple[Any, ...]]) -> pa.Table:
    """Decision rows as an Arrow table with the fixed schema."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in DECISION_COLUMNS]
    arrays = [
        pa.array(list(values), type=kind) for values, kind in zip(columns, DECISION_SCHEMA.types, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=DECISION_SCHEMA)


def csv_text(rows: list[tuple[Any, ...]]) -> str:
    """Decision rows as CSV text (no header; `\\n` line ends; dates ISO; empty for none)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def process_chunk(chunk: Chunk, settings: RunSettings) -> ChunkResult:
    """Assemble, validate and decide every person of a chunk."""
    law = law_for(settings.law_pack)
    rows: list[tuple[Any, ...]] = []
    lines: list[str] = []
    rejected: list[RowProblem] = []
    counts: dict[str, Counter[str]] = {dimension: Counter() for dimension in DIMENSIONS}
    result = ChunkResult(chunk.index, decisions_table([]), "", "", rejected, counts=counts)
    for group in chunk.person_groups():
        person = decide_group(group, chunk.missing_columns)
        if not isinstance(person, PersonRecord):
            rejected.extend(person.problems)
            result.rows_rejected += len(person.rows)
            result.persons_rejected += 1
            continue
        decision = evaluate(person.record, law, settings.as_of, settings.strict)
        row = decision_row(person.record, decision)
        rows.append(row)
        lines.append(decision.model_dump_json())
        result.rows_decided += len(person.rows)
        result.persons_decided += 1
        for dimension, index in (("outcome", 1), ("stage", 3), ("category", 4), ("region", 5), ("role", 6)):
            counts[dimension][row[index] or UNKNOWN] += 1
    result.table = decisions_table(rows)
    result.csv = csv_text(rows)
    result.jsonl = "".join(line + "\n" for line in lines)
    return result
