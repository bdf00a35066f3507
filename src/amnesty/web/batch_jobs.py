"""Batch uploads from the web page: evaluate a file in a background thread, report progress, keep results.

Uses the batch helper's `amnesty.batch` when it offers `run_batch_file`; otherwise reads JSON / JSON
Lines in-process with `amnesty.io.json_records` (other formats are refused with a message). Nothing
read is dropped: rows in = decisions + rejected rows. Results stay in memory for the session only and
can be downloaded by the user who uploaded them.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from amnesty.engine.evaluate import evaluate
from amnesty.io.json_records import ParsedRecord, RecordError, duplicate_person_errors, read_json_records

ACCEPTED_SUFFIXES = (".json", ".jsonl", ".ndjson")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


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
        threading.Thread(target=_run, args=(job, content), daemon=True).start()
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
    return out.getvalue()


def rejected_csv(rows: list[dict[str, Any]]) -> str:
    """One line per problem of a rejected row: position, person, field, problem."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["index", "line", "person_id", "field", "problem"])
    for row in rows:
        for error in row["errors"]:
            writer.writerow(
                [row["index"], row["line"] or "", row["person_id"] or "", error["field"], error["problem"]]
            )
    return out.getvalue()
