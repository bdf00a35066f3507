"""The files of a batch run, written chunk by chunk in input order.

- `decisions.parquet`, `decisions.csv`: one row per decided person (`process.DECISION_COLUMNS`);
- `decisions.jsonl.zst` (zstd-compressed, the default) or `decisions.jsonl` (plain): each decided
  person's decision, compact (codes, facts, citations) or with the sentences asked for, one JSON object
  per line (`decisions_path` finds it, `read_output` reads it);
- `rejected.csv`: one line per problem: source row, person_id where known, field, problem;
- `summary.json`: the accounting (`rows_in == rows_decided + rows_rejected`), the counts, and the run's
  law version, engine version, as-of date and mode;
- `manifest.json`: written last, each file's size, SHA-256 and rows (`amnesty.batch.publish`: the files
  are written into a staging directory and published by rename only when every one is complete).

Nothing in the files depends on the time, the machine or the engine, so a re-run on the same input
gives the same bytes.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from amnesty.batch.compact import ZSTD_SUFFIX
from amnesty.batch.process import DIMENSIONS, ChunkResult
from amnesty.batch.publish import (
    DECISIONS_CSV,
    DECISIONS_JSONL,
    DECISIONS_JSONL_ZST,
    DECISIONS_PARQUET,
    REJECTED_CSV,
    Failure,
    FileEntry,
    RunFailedError,
    Staging,
    describe,
    file_entry,
)
from amnesty.batch.publish import (
    SUMMARY_JSON as SUMMARY_JSON,
)
from amnesty.batch.rows import DECISION_COLUMNS, DECISION_SCHEMA
from amnesty.engine.evaluate import ENGINE_VERSION
from amnesty.io.assemble import RowProblem
from amnesty.io.safe_cells import safe_row

T = TypeVar("T")
REJECTED_COLUMNS = ("row", "person_id", "field", "problem")
ROW_GROUP_ROWS = 65_536


UNIQUE_COLUMNS = frozenset({"person_id"})
"""Columns whose values are (nearly) all different: a Parquet dictionary and min/max statistics of them
cost time and help no reader."""


def parquet_writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    """A zstd-compressed Parquet writer, with dictionaries and statistics for every column but the
    unique ones (`UNIQUE_COLUMNS`)."""
    repeated = [name for name in schema.names if name not in UNIQUE_COLUMNS]
    return pq.ParquetWriter(
        path, schema, compression="zstd", use_dictionary=repeated, write_statistics=repeated
    )


def decisions_path(out: Path) -> Path:
    """The decisions file of a run's output directory: `decisions.jsonl.zst`, or `decisions.jsonl` for a
    run without compression."""
    compressed = out / DECISIONS_JSONL_ZST
    return compressed if compressed.exists() else out / DECISIONS_JSONL


def read_output(path: Path) -> bytes:
    """An output file's bytes, decompressed when its name ends in `.zst` (raises `OSError` for a file
    that is missing, `ValueError` for one that is not zstd)."""
    if path.suffix.lower() != ZSTD_SUFFIX:
        return path.read_bytes()
    if not path.exists():
        raise FileNotFoundError(path)
    with pa.input_stream(str(path), compression="zstd") as stream:
        return bytes(stream.read())


class AccountingError(RunFailedError):
    """rows_in differs from rows_decided + rows_rejected: a bug, never a property of the input."""

    def __init__(self, message: str) -> None:
        super().__init__(Failure.ENGINE, message)


@dataclass
class Summary:
    """The run's accounting and counts (written as summary.json)."""

    input_name: str
    input_format: str | None
    law_version: str
    as_of: str
    strict: bool
    rows_in: int = 0
    rows_decided: int = 0
    rows_rejected: int = 0
    persons_decided: int = 0
    persons_rejected: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=lambda: {d: Counter() for d in DIMENSIONS})
    rejected_by_field: Counter[str] = field(default_factory=Counter)
    file_problems: list[str] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    delimiter: str | None = None
    engine_version: str = ENGINE_VERSION
    """The engine that decided (with `strict`, a field every decision of the run shares: the compact
    decisions leave it out, `compact.RUN_FIELDS`)."""
    resumed_chunks: int = 0
    """Chunks an earlier, interrupted run completed and this one reused (`--resume`; not in summary.json:
    the files are the same either way)."""

    def to_json_dict(self) -> dict[str, Any]:
        """The summary as JSON data, keys in a fixed order, counts sorted by name."""
        data: dict[str, Any] = {
            "input": self.input_name,
            "format": self.input_format,
            "law_version": self.law_version,
            "engine_version": self.engine_version,
            "as_of": self.as_of,
            "strict": self.strict,
            "rows_in": self.rows_in,
            "rows_decided": self.rows_decided,
            "rows_rejected": self.rows_rejected,
            "persons_decided": self.persons_decided,
            "persons_rejected": self.persons_rejected,
            "accounting_holds": self.rows_in == self.rows_decided + self.rows_rejected,
        }
        for dimension in DIMENSIONS:
            data[f"by_{dimension}"] = dict(sorted(self.counts[dimension].items()))
        data["rejected_by_field"] = dict(sorted(self.rejected_by_field.items()))
        data["file_problems"] = list(self.file_problems)
        data["ignored_columns"] = list(self.ignored_columns)
        data["csv_delimiter"] = self.delimiter
        return data


def _problem(problem: RowProblem, language: str) -> str:
    """The `problem` column: as recorded (English) by default, else in `language` naming the field by
    its label and its column ('Дата совершения (offence_date): ...')."""
    return problem.problem if language == "en" else problem.message(language)


class OutputWriter:
    """Opens the output files, appends chunk results in order, and closes them (the caller publishes:
    `publish_run`). `out` must exist (a run's staging directory, `amnesty.batch.publish.Staging`)."""

    def __init__(
        self,
        out: Path,
        summary: Summary,
        zstd: bool = False,
        part: int | None = None,
        rejected_language: str = "en",
    ) -> None:
        self.rejected_language = rejected_language
        self.out = out
        self.summary = summary
        self.part = part
        self.rejected_lines = 0
        jsonl = DECISIONS_JSONL_ZST if zstd else DECISIONS_JSONL
        self._files = {
            name: self._path(name) for name in (DECISIONS_PARQUET, DECISIONS_CSV, jsonl, REJECTED_CSV)
        }
        self._handles: list[Any] = []
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._csv_digest = hashlib.sha256()
        """The SHA-256 of decisions.csv, the largest file, computed as it is written (for the manifest)."""
        try:
            self._parquet = self._opened(parquet_writer(self._files[DECISIONS_PARQUET], DECISION_SCHEMA))
            self._csv: IO[bytes] = self._opened(self._files[DECISIONS_CSV].open("wb"))
            self._write_csv((",".join(DECISION_COLUMNS) + "\n").encode("utf-8"))
            self._jsonl: IO[bytes] | pa.NativeFile = self._opened(
                pa.CompressedOutputStream(str(self._files[jsonl]), "zstd")
                if zstd
                else self._files[jsonl].open("wb")
            )
            self._rejected_file: IO[str] = self._opened(
                self._files[REJECTED_CSV].open("w", encoding="utf-8", newline="")
            )
        except BaseException:
            self.abort()
            raise
        self._rejected = csv.writer(self._rejected_file, lineterminator="\n")
        self._rejected.writerow(REJECTED_COLUMNS)

    def _opened(self, handle: T) -> T:
        self._handles.append(handle)
        return handle

    def _path(self, name: str) -> Path:
        """Where an output goes: `out/NAME`, or for one part of a partitioned output dataset
        `out/NAME/part-00000.EXT` (each part a whole file of its own, with its header)."""
        if self.part is None:
            return self.out / name
        extension = name.partition(".")[2]
        directory = self.out / name
        directory.mkdir(exist_ok=True)  # in the run's staging directory, never re-created
        return directory / f"part-{self.part:05d}.{extension}"

    def write_problems(self, problems: list[RowProblem]) -> None:
        """Append rejected-row lines."""
        language = self.rejected_language
        self._rejected.writerows(
            safe_row(("" if p.row is None else p.row, p.person_id or "", p.field, _problem(p, language)))
            for p in problems
        )
        self.rejected_lines += len(problems)
        self.summary.rejected_by_field.update(p.field for p in problems)

    def write(self, result: ChunkResult) -> None:
        """Append one chunk's results (chunks must come in order)."""
        if result.table.num_rows:
            self._pending.append(result.table)
            self._pending_rows += result.table.num_rows
            if self._pending_rows >= ROW_GROUP_ROWS:
                self._flush_parquet(final=False)
        self._write_csv(result.csv)
        self._jsonl.write(result.jsonl)
        self.write_problems(result.rejected)
        summary = self.summary
        summary.rows_decided += result.rows_decided
        summary.rows_rejected += result.rows_rejected
        summary.persons_decided += result.persons_decided
        summary.persons_rejected += result.persons_rejected
        for dimension, counter in result.counts.items():
            summary.counts[dimension].update(counter)

    def _write_csv(self, data: bytes) -> None:
        self._csv.write(data)
        self._csv_digest.update(data)

    def _flush_parquet(self, final: bool) -> None:
        """Write full row groups of ROW_GROUP_ROWS rows (and, at the end, the rest): the Parquet file
        then depends only on the decisions, never on how the input was cut into chunks."""
        table = pa.concat_tables(self._pending)
        start = 0
        while table.num_rows - start >= ROW_GROUP_ROWS:
            self._parquet.write_table(table.slice(start, ROW_GROUP_ROWS))
            start += ROW_GROUP_ROWS
        rest = table.slice(start)
        if final and rest.num_rows:
            self._parquet.write_table(rest)
            rest = rest.slice(rest.num_rows)
        self._pending = [rest] if rest.num_rows else []
        self._pending_rows = rest.num_rows

    def close(self) -> Summary:
        """Write what is pending and close the files (raises `OSError` when the outputs cannot be
        written); the summary."""
        if self._pending:
            self._flush_parquet(final=True)
        for handle in self._handles:
            handle.close()
        self._handles = []
        return self.summary

    def abort(self) -> None:
        """Close every file without finishing it (after a failure: nothing of it will be published)."""
        for handle in self._handles:
            with contextlib.suppress(Exception):
                handle.close()
        self._handles = []

    def entries(self) -> list[FileEntry]:
        """The manifest entries of the closed files (paths under `out`)."""
        decided = self.summary.persons_decided
        return [
            file_entry(
                self.out,
                path,
                self.rejected_lines if name == REJECTED_CSV else decided,
                self._csv_digest.hexdigest() if name == DECISIONS_CSV else None,
            )
            for name, path in self._files.items()
        ]


def output_failure(error: OSError, out: Path) -> RunFailedError:
    """The run's failure for an error writing its outputs."""
    return RunFailedError(Failure.OUTPUT, f"could not write the outputs in {out}: {describe(error)}")


def check_accounting(summary: Summary) -> None:
    """Fail loudly if the accounting does not hold (a bug, never the input's fault)."""
    if summary.rows_in != summary.rows_decided + summary.rows_rejected:
        raise AccountingError(
            f"rows_in {summary.rows_in} != rows_decided {summary.rows_decided} + "
            f"rows_rejected {summary.rows_rejected}"
        )


def publish_run(staging: Staging, summary: Summary, entries: list[FileEntry]) -> Summary:
    """Check the accounting, then publish the complete files, `summary.json` and `manifest.json`."""
    check_accounting(summary)
    text = json.dumps(summary.to_json_dict(), ensure_ascii=False, indent=2) + "\n"
    header = {
        "input": summary.input_name,
        "rows_in": summary.rows_in,
        "rows_decided": summary.rows_decided,
        "rows_rejected": summary.rows_rejected,
        "persons_decided": summary.persons_decided,
        "persons_rejected": summary.persons_rejected,
    }
    staging.publish(entries, text, header)
    return summary
