"""The flat decision outputs: one row per decided person, as an Arrow table and as CSV text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from amnesty.domain.decision import Decision, TermOut
from amnesty.domain.records import CaseRecord
from amnesty.io.safe_cells import neutralise

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
    if isinstance(value, str):
        return neutralise(value)
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
