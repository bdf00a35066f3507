"""Resuming a killed run from its completed chunks (`amnesty batch ... --resume`).

While a run writes its outputs, it also records each completed chunk in a journal beside its staging
directory, `DIR/.amnesty-journal`:

- `fingerprint.json`: what the run read and how (the input's path, size and modification time; the
  law, its version, the as-of date, strict mode, the languages, compression, the encoding and the
  chunk size; the engine's version): written first;
- for each chunk, in order: `chunk-000000.arrow` (its decisions' rows, Arrow IPC), `chunk-000000.bin`
  (its CSV and JSON Lines bytes, zstd-compressed) and, written last, `chunk-000000.json` (the rejected
  rows, the counts, and the size and SHA-256 of the two other files). A chunk without its `.json`, or
  whose files differ from it, is not complete.

`--resume` reuses the journal when its fingerprint is the run's: the completed chunks are written to
the outputs again as they were recorded (in order, by the same writer), the input's chunks up to them
are read but not decided, and the run goes on from the first chunk not complete. The files are
therefore the bytes an uninterrupted run writes. A journal of other settings or another input is
refused (`ResumeRefusedError`: nothing is removed then). A run without `--resume` starts a new journal;
a published run removes its journal; a failed run keeps it (to resume once the cause is fixed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
from collections import Counter, deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from amnesty.batch.process import ChunkResult, RunSettings
from amnesty.batch.publish import JOURNAL_NAME
from amnesty.engine.evaluate import ENGINE_VERSION
from amnesty.io.assemble import RowProblem
from amnesty.io.tabular import Chunk

FINGERPRINT_JSON = "fingerprint.json"
JOURNAL_FORMAT = "amnesty-batch-journal/1"
_CODEC = "zstd"


class ResumeRefusedError(ValueError):
    """`--resume` cannot continue the earlier run (another input or other settings): a bad option."""


@dataclass(frozen=True)
class RunIdentity:
    """What makes two runs write the same bytes: the input file and every setting that reaches the
    outputs (not the engine, the number of workers or the progress bar)."""

    input_path: Path
    settings: RunSettings
    law_version: str
    as_of: dt.date
    encoding: str
    rows_per_chunk: int
    zstd: bool
    rejected_language: str

    def fingerprint(self) -> dict[str, Any]:
        """The identity as JSON data (a missing input file is left to the run to report)."""
        path = self.input_path.resolve()
        stat = path.stat() if path.exists() else None
        settings = self.settings
        pack = Path(settings.law_pack).resolve() if settings.law_pack else None
        variant = settings.variant
        return {
            "format": JOURNAL_FORMAT,
            "input": str(path),
            "input_bytes": stat.st_size if stat else None,
            "input_mtime_ns": stat.st_mtime_ns if stat else None,
            "law_id": settings.law_id,
            "law_pack": str(pack) if pack else None,
            "law_pack_mtime_ns": pack.stat().st_mtime_ns if pack and pack.exists() else None,
            "law_version": self.law_version,
            "variant_sha256": hashlib.sha256(variant[0].encode()).hexdigest() if variant else None,
            "as_of": self.as_of.isoformat(),
            "strict": settings.strict,
            "fast_path": settings.fast_path,
            "languages": list(settings.languages),
            "rejected_language": self.rejected_language,
            "zst": self.zstd,
            "encoding": self.encoding,
            "chunk_rows": self.rows_per_chunk,
            "engine_version": ENGINE_VERSION,
        }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    """Write under a temporary name, then rename: the file is whole or absent."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _table_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression=_CODEC)
    with pa.ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())


def _problem_json(problem: RowProblem) -> list[Any]:
    return [problem.row, problem.person_id, problem.field, problem.problem, problem.code, problem.params]


def _problem(data: list[Any]) -> RowProblem:
    row, person_id, field, text, code, params = data
    return RowProblem(row, person_id, field, text, code, tuple((str(k), str(v)) for k, v in params))


class Journal:
    """The completed chunks of a run (see the module's description)."""

    def __init__(self, out: Path, identity: RunIdentity) -> None:
        self.directory = out / JOURNAL_NAME
        self.fingerprint = identity.fingerprint()
        self.completed = 0
        """How many chunks, from the first, an earlier run completed (and this run reuses)."""
        self._recorder: ThreadPoolExecutor | None = None
        self._recording: deque[Future[None]] = deque()

    def prepare(self, resume: bool) -> None:
        """Called under the output directory's lock, before anything is removed: with `resume`, check
        that the journal is this run's and count its completed chunks (raises `ResumeRefusedError`
        for another run's journal); without, nothing (the journal is superseded with the rest)."""
        if not resume:
            return
        path = self.directory / FINGERPRINT_JSON
        try:
            recorded = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return  # nothing to resume: the run starts from the first chunk
        except (OSError, ValueError) as error:
            raise ResumeRefusedError(f"cannot resume: {path} is not readable ({error})") from None
        differing = sorted(
            key
            for key in self.fingerprint.keys() | recorded.keys()
            if self.fingerprint.get(key) != recorded.get(key)
        )
        if differing:
            raise ResumeRefusedError(
                f"cannot resume: the interrupted run in {self.directory.parent} had another input or "
                f"other settings ({', '.join(differing)}); run without --resume to start over"
            )
        self.completed = self._count_completed()

    def _chunk(self, index: int, suffix: str) -> Path:
        return self.directory / f"chunk-{index:06d}{suffix}"

    def _count_completed(self) -> int:
        count = 0
        while self._chunk(count, ".json").exists():
            count += 1
        return count

    def start(self) -> None:
        """Open the journal for writing: a new one (its fingerprint first), or the one being resumed
        (any chunk after the completed ones removed)."""
        if self.completed == 0:
            with contextlib.suppress(FileNotFoundError):
                shutil.rmtree(self.directory)
            self.directory.mkdir()
            _write_atomically(
                self.directory / FINGERPRINT_JSON,
                (json.dumps(self.fingerprint, ensure_ascii=False, indent=2) + "\n").encode(),
            )
            return
        self._drop_from(self.completed)

    def _drop_from(self, first: int) -> None:
        """Remove the records of chunk `first` and every later one (files of a chunk not complete)."""
        for path in self.directory.glob("chunk-*"):
            number = path.name.split(".", 1)[0].removeprefix("chunk-")
            if not number.isdigit() or int(number) >= first:
                path.unlink(missing_ok=True)

    def record(self, result: ChunkResult) -> None:
        """Record one completed chunk (called after it was written to the outputs, chunks in order), in
        a thread of its own: compressing and hashing do not hold up the outputs (at most two chunks
        wait; an error writing the journal is raised here or by `finish`)."""
        if self._recorder is None:
            self._recorder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal")
        self._recording.append(self._recorder.submit(self._record, result))
        while len(self._recording) > 2:
            self._recording.popleft().result()

    def finish(self) -> None:
        """Wait for the chunks being recorded (raises the error of one that could not be)."""
        try:
            while self._recording:
                self._recording.popleft().result()
        finally:
            if self._recorder is not None:
                self._recorder.shutdown(wait=True, cancel_futures=True)
                self._recorder = None

    def _record(self, result: ChunkResult) -> None:
        table = _table_bytes(result.table)
        texts = result.csv + result.jsonl
        packed = pa.compress(texts, codec=_CODEC, asbytes=True)
        self._chunk(result.index, ".arrow").write_bytes(table)
        self._chunk(result.index, ".bin").write_bytes(packed)
        entry = {
            "index": result.index,
            "arrow_bytes": len(table),
            "arrow_sha256": _sha256(table),
            "bin_bytes": len(packed),
            "bin_sha256": _sha256(packed),
            "csv_bytes": len(result.csv),
            "jsonl_bytes": len(result.jsonl),
            "rows_decided": result.rows_decided,
            "rows_rejected": result.rows_rejected,
            "persons_decided": result.persons_decided,
            "persons_rejected": result.persons_rejected,
            "counts": {name: dict(counter) for name, counter in result.counts.items()},
            "rejected": [_problem_json(problem) for problem in result.rejected],
        }
        _write_atomically(self._chunk(result.index, ".json"), json.dumps(entry, ensure_ascii=False).encode())

    def replay(self, limit: int) -> Iterator[ChunkResult]:
        """The first `limit` recorded chunks, as the results they were (each file checked against its
        record: a chunk whose files differ ends the replay, and the run decides it again)."""
        for index in range(limit):
            result = self._load(index)
            if result is None:
                self.completed = index
                self._drop_from(index)
                return
            yield result

    def _load(self, index: int) -> ChunkResult | None:
        try:
            entry: Mapping[str, Any] = json.loads(self._chunk(index, ".json").read_text(encoding="utf-8"))
            table = self._chunk(index, ".arrow").read_bytes()
            packed = self._chunk(index, ".bin").read_bytes()
        except (OSError, ValueError):
            return None
        if _sha256(table) != entry["arrow_sha256"] or _sha256(packed) != entry["bin_sha256"]:
            return None
        texts = pa.decompress(
            packed, decompressed_size=entry["csv_bytes"] + entry["jsonl_bytes"], codec=_CODEC, asbytes=True
        )
        with pa.ipc.open_file(pa.py_buffer(table)) as reader:
            frame = reader.read_all()
        return ChunkResult(
            index=index,
            table=frame,
            csv=texts[: entry["csv_bytes"]],
            jsonl=texts[entry["csv_bytes"] :],
            rejected=[_problem(item) for item in entry["rejected"]],
            rows_decided=entry["rows_decided"],
            rows_rejected=entry["rows_rejected"],
            persons_decided=entry["persons_decided"],
            persons_rejected=entry["persons_rejected"],
            counts={name: Counter(counter) for name, counter in entry["counts"].items()},
        )

    def skip(self, chunks: Iterator[Chunk]) -> Iterator[Chunk]:
        """The input's chunks after the completed ones (those are read, to keep the reader's place, but
        not decided)."""
        for chunk in chunks:
            if chunk.index >= self.completed:
                yield chunk

    def remove(self) -> None:
        """Remove the journal (the run was published)."""
        self.finish()
        with contextlib.suppress(OSError):
            shutil.rmtree(self.directory)
