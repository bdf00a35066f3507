"""Batch uploads from the web page: evaluate a file in a background thread, report progress, keep results.

JSON and JSON Lines are read in-process with `amnesty.io.json_records` (progress per record). CSV,
XLSX and Parquet go through the batch helper's `amnesty.batch.run.run_batch` when it is installed
(its output files are read back; progress is shown when the run ends). Nothing read is dropped: rows
in = decisions + rejected rows. Results stay in this process's memory and can be downloaded only by
the user who uploaded them.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import secrets
import tempfile
import threading
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from amnesty.engine.evaluate import evaluate
from amnesty.io.json_records import ParsedRecord, RecordError, duplicate_person_errors, read_json_records
from amnesty.io.safe_cells import safe_row

JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
TABULAR_SUFFIXES = (".csv", ".xlsx", ".parquet")


def tabular_available() -> bool:
    """Whether the batch helper's tabular readers are installed."""
    try:
        return find_spec("amnesty.batch.run") is not None
    except ModuleNotFoundError:
        return False


ACCEPTED_SUFFIXES = JSON_SUFFIXES + (TABULAR_SUFFIXES if tabular_available() else ())
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_KEPT_JOBS = 20
"""Results of older uploads are dropped from memory (they hold personal data)."""


@dataclass
class BatchJob:
    """One upload being evaluated."""

    id: str
    owner: str
    filename: str
    total: int = 0
    done: int = 0
    finished: bool = False
    failure: str | None = None
    decisions: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def percent(self) -> int:
        """Progress in percent."""
        return 100 if self.finished else (int(100 * self.done / self.total) if self.total else 0)


class BatchJobs:
    """The jobs of this process, by id."""

    def __init__(self) -> None:
        self._jobs: dict[str, BatchJob] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str, owner: str) -> BatchJob | None:
        """A job, only for the user who started it."""
        job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def start(self, owner: str, filename: str, content: bytes) -> BatchJob:
        """Start evaluating an uploaded file in a background thread."""
        job = BatchJob(id=secrets.token_urlsafe(12), owner=owner, filename=filename)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_KEPT_JOBS:
                oldest = next(iter(self._jobs))
                del self._jobs[oldest]
        tabular = filename.lower().endswith(TABULAR_SUFFIXES)
        target = _run_tabular if tabular else _run
        threading.Thread(target=target, args=(job, content), daemon=True).start()
        return job


def _run(job: BatchJob, content: bytes) -> None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        job.failure = "encoding"
        job.finished = True
        return
    items, _ = read_json_records(text)
    items = duplicate_person_errors(items)
    job.total = len(items)
    for item in items:
        if isinstance(item, ParsedRecord):
            decision = evaluate(item.record)
            job.decisions.append({"index": item.index, "line": item.line, **decision.to_json_dict()})
        elif isinstance(item, RecordError):
            job.rejected.append(item.to_json_dict())
        job.done += 1
    job.finished = True


def _run_tabular(job: BatchJob, content: bytes) -> None:
    """CSV / XLSX / Parquet through `amnesty.batch.run.run_batch` in a private temporary directory."""
    run_module = importlib.import_module("amnesty.batch.run")
    suffix = Path(job.filename).suffix.lower()
    try:
        with tempfile.TemporaryDirectory(prefix="amnesty-web-batch-") as folder:
            source = Path(folder) / f"upload{suffix}"
            source.write_bytes(content)
            out = Path(folder) / "out"
            summary = run_module.run_batch(source, out)
            job.total = int(summary.rows_in)
            decisions_text = (out / "decisions.jsonl").read_text(encoding="utf-8")
            job.decisions = [json.loads(line) for line in decisions_text.splitlines() if line.strip()]
            with (out / "rejected.csv").open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    number = int(row["row"]) if row.get("row") else None
                    job.rejected.append(
                        {
                            "index": (number - 1) if number else 0,
                            "line": number,
                            "person_id": row.get("person_id") or None,
                            "errors": [{"field": row.get("field", ""), "problem": row.get("problem", "")}],
                        }
                    )
            job.done = job.total
    except (OSError, ValueError, RuntimeError) as error:
        job.failure = type(error).__name__
    job.finished = True


def jsonl(rows: list[dict[str, Any]]) -> str:
    """Rows as JSON Lines."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def decisions_csv(rows: list[dict[str, Any]]) -> str:
    """One line per decision: the main facts and the reason codes."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["person_id", "outcome", "acting_body", "release", "new_end_date", "flags", "reason_codes"]
    )
    for row in rows:
        sentence = row.get("sentence") or {}
        codes = [r["code"] for r in row["reasons"]] + [
            r["code"] for c in row["charges"] for r in c["reasons"]
        ]
        writer.writerow(
            safe_row(
                [
                    row["person_id"],
                    row["outcome"],
                    row["acting_body"],
                    sentence.get("release") or "",
                    sentence.get("new_end_date") or "",
                    ";".join(row["flags"]),
                    ";".join(dict.fromkeys(codes)),
                ]
            )
        )
    return out.getvalue()


def rejected_csv(rows: list[dict[str, Any]]) -> str:
    """One line per problem of a rejected row: position, person, field, problem."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["index", "line", "person_id", "field", "problem"])
    for row in rows:
        for error in row["errors"]:
            writer.writerow(
                safe_row(
                    [
                        row["index"],
                        row["line"] or "",
                        row["person_id"] or "",
                        error["field"],
                        error["problem"],
                    ]
                )
            )
    return out.getvalue()
