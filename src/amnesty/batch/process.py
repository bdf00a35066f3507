"""Deciding one chunk of persons: the unit of work of every engine (in process, processes, Dask).

A chunk holds whole persons. For each, the rows are assembled and validated, the engine decides,
and the result is turned into the three decision outputs (a Parquet table, CSV text, JSON Lines)
plus rejected rows and counters. The function is pure given its inputs, so whichever engine runs
it, the bytes are the same.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from amnesty.batch.fastpath import NotCoveredPath
from amnesty.batch.quickrecord import quick_record
from amnesty.batch.rows import csv_text, decision_row, decisions_table
from amnesty.engine.evaluate import evaluate
from amnesty.io.assemble import PersonRecord, RowProblem
from amnesty.io.tabular import Chunk, decide_group
from amnesty.law.loader import Law, default_law, load_law

DIMENSIONS = ("outcome", "stage", "category", "region", "role")
"""The dimensions `summary.json` counts decided persons by."""
UNKNOWN = "unknown"


@dataclass(frozen=True)
class RunSettings:
    """What every chunk needs besides its rows: the law, the as-of date, strict mode."""

    law_pack: str | None = None
    as_of: dt.date | None = None
    strict: bool = False
    fast_path: bool = True
    """Build well-formed typed records directly (`amnesty.batch.quickrecord`) and use the memoised
    path for plainly uncovered persons (`amnesty.batch.fastpath`); False: validate and decide every
    person the plain way (the same bytes, slower)."""


@cache
def law_for(law_pack: str | None) -> Law:
    """The law pack (bundled when None), loaded once per process."""
    return default_law() if law_pack is None else load_law(Path(law_pack))


@cache
def _fast_path(law_pack: str | None, as_of: dt.date | None, strict: bool) -> NotCoveredPath:
    law = law_for(law_pack)
    return NotCoveredPath(law, as_of or law.entry_into_force, strict)


@dataclass
class ChunkResult:
    """Everything one chunk contributes to the outputs, in the chunk's person order."""

    index: int
    table: pa.Table
    csv: bytes
    jsonl: bytes
    rejected: list[RowProblem]
    rows_decided: int = 0
    rows_rejected: int = 0
    persons_decided: int = 0
    persons_rejected: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=dict)


def process_chunk(chunk: Chunk, settings: RunSettings) -> ChunkResult:
    """Assemble, validate and decide every person of a chunk."""
    law = law_for(settings.law_pack)
    fast = _fast_path(settings.law_pack, settings.as_of, settings.strict) if settings.fast_path else None
    rows: list[tuple[Any, ...]] = []
    lines: list[str] = []
    rejected: list[RowProblem] = []
    counts: dict[str, Counter[str]] = {dimension: Counter() for dimension in DIMENSIONS}
    result = ChunkResult(chunk.index, decisions_table([]), b"", b"", rejected, counts=counts)
    for group in chunk.person_groups():
        record = quick_record(group[0].person_key, group, chunk.missing_columns) if fast is not None else None
        if record is None:
            person = decide_group(group, chunk.missing_columns)
            if not isinstance(person, PersonRecord):
                rejected.extend(person.problems)
                result.rows_rejected += len(person.rows)
                result.persons_rejected += 1
                continue
            record = person.record
        quick = fast.decide(record) if fast is not None else None
        if quick is not None:
            line, row = quick
        else:
            decision = evaluate(record, law, settings.as_of, settings.strict)
            line, row = decision.model_dump_json(), decision_row(record, decision)
        rows.append(row)
        lines.append(line)
        result.rows_decided += len(group)
        result.persons_decided += 1
        for dimension, index in (("outcome", 1), ("stage", 3), ("category", 4), ("region", 5), ("role", 6)):
            counts[dimension][row[index] or UNKNOWN] += 1
    result.table = decisions_table(rows)
    result.csv = csv_text(rows).encode("utf-8")
    result.jsonl = "".join(line + "\n" for line in lines).encode("utf-8")
    return result
