"""Files a job offers for download: a dry run's decisions (JSON Lines, CSV) and rejected rows (CSV).

A dry run keeps one line per decision (person, outcome, acting body, release, new end date, flags and
reason codes), gzip-compressed in the job's `output`; the rejected rows come from the job's `errors`.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterable
from typing import Any

from amnesty.domain.decision import Decision
from amnesty.io.safe_cells import safe_cell

DECISION_COLUMNS = (
    "row",
    "person_id",
    "outcome",
    "acting_body",
    "release",
    "new_end_date",
    "flags",
    "reason_codes",
)
REJECTED_COLUMNS = ("row", "person_id", "field", "problem")


def decision_line(row: int, decision: Decision) -> dict[str, Any]:
    """The downloadable summary of one decision."""
    sentence = decision.sentence
    codes = [reason.code for reason in decision.reasons] + [
        reason.code for charge in decision.charges for reason in charge.reasons
    ]
    return {
        "row": row,
        "person_id": decision.person_id,
        "outcome": decision.outcome.value,
        "acting_body": decision.acting_body.value,
        "release": sentence.release.value if sentence and sentence.release else None,
        "new_end_date": sentence.new_end_date.isoformat() if sentence and sentence.new_end_date else None,
        "flags": [flag.value for flag in decision.flags],
        "reason_codes": list(
            dict.fromkeys(code.value if hasattr(code, "value") else str(code) for code in codes)
        ),
    }


def pack_lines(lines: Iterable[dict[str, Any]]) -> bytes:
    """JSON Lines, gzip-compressed (for the job's `output`)."""
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    return gzip.compress(text.encode("utf-8"), compresslevel=5)


def unpack_lines(blob: bytes | None) -> list[dict[str, Any]]:
    """The lines stored by `pack_lines`."""
    if not blob:
        return []
    text = gzip.decompress(blob).decode("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def jsonl_text(lines: Iterable[dict[str, Any]]) -> str:
    """JSON Lines text."""
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def _cell(value: Any) -> Any:
    """A CSV cell: lists joined with `;`, None empty, text neutralised (`safe_cell`), numbers kept."""
    if isinstance(value, list):
        value = ";".join(map(str, value))
    return "" if value is None else safe_cell(value)


def csv_text(lines: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """CSV text with the columns (formula-like cells neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for line in lines:
        writer.writerow([_cell(line.get(column)) for column in columns])
    return out.getvalue()
