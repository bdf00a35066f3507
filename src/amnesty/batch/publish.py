"""Publishing a run's outputs: never half-written, never mixed with an earlier run's.

A bulk run (`amnesty batch`) into `DIR`:

1. takes `DIR/.amnesty.lock` (an advisory lock the system drops when the process ends, however it
   ends): a second run into the same directory at the same time is refused;
2. supersedes the earlier run **first**: removes `manifest.json`, then `summary.json`, then the earlier
   output files and any staging directory a killed run left behind;
3. writes every file into a fresh staging directory `DIR/.amnesty-run-XXXXXXXX` (on a Dask run the
   workers write their parts there too, so no part of another run can mix in);
4. only when every file is complete: renames each into `DIR`, then `summary.json`, and writes
   `manifest.json` last (each file's path, size, SHA-256 and rows).

So a run that is killed, or fails, leaves nothing that claims it: the earlier run's outputs are gone,
and the staging directory holds the partial files (removed by the next run into `DIR`). Beside it, the
journal of the run's completed chunks (`DIR/.amnesty-journal`, `amnesty.batch.resume`) lets
`--resume` continue the run; a run without `--resume` removes it too, a published run its own. Readers
(`amnesty report`) trust a run's files only when `manifest.json` lists them with their size and hash
(`verified_file`).

This module reads and writes no Arrow data (the report command imports it at start).
"""

from __future__ import annotations

import contextlib
import enum
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

DECISIONS_PARQUET = "decisions.parquet"
DECISIONS_CSV = "decisions.csv"
DECISIONS_JSONL = "decisions.jsonl"
DECISIONS_JSONL_ZST = DECISIONS_JSONL + ".zst"
REJECTED_CSV = "rejected.csv"
SUMMARY_JSON = "summary.json"
MANIFEST_JSON = "manifest.json"
OUTPUT_NAMES = (DECISIONS_PARQUET, DECISIONS_CSV, DECISIONS_JSONL, DECISIONS_JSONL_ZST, REJECTED_CSV)
"""The files (or, on a Dask run, directories of parts) a run publishes besides the summary."""
STAGING_PREFIX = ".amnesty-run-"
LOCK_NAME = ".amnesty.lock"
JOURNAL_NAME = ".amnesty-journal"
"""The completed chunks of a run not yet published (`amnesty.batch.resume`): superseded as a staging
directory is, unless a run resumes from it."""
MANIFEST_FORMAT = "amnesty-batch-manifest/1"
_BLOCK = 1 << 20


class Failure(enum.StrEnum):
    """What made a run fail (never the input: input problems go to rejected.csv)."""

    OUTPUT = "output"
    """Writing the outputs failed (a full disk, a quota, a file-size limit, no permission)."""
    ENGINE = "engine"
    """Deciding failed (a worker process died, a bug)."""
    CLUSTER = "cluster"
    """The Dask cluster could not be reached or was lost."""


EXIT_FAILED = 3
"""The exit code of a command whose run failed (docs/batch.md)."""


class RunFailedError(Exception):
    """The run failed and published nothing; `message` is one line saying why."""

    def __init__(self, kind: Failure, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return f"{self.kind.value} failure: {self.message}"


def describe(error: BaseException) -> str:
    """One line for an exception: the system's words for an OS error (with its file), else its type
    and message."""
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror}{where}"
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@dataclass(frozen=True)
class FileEntry:
    """One published file: its path under the output directory, size, SHA-256 and rows (data rows,
    without a header; None for the summary)."""

    path: str
    size: int
    sha256: str
    rows: int | None

    def to_json_dict(self) -> dict[str, Any]:
        return {"path": self.path, "bytes": self.size, "sha256": self.sha256, "rows": self.rows}

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any]) -> FileEntry:
        return cls(str(data["path"]), int(data["bytes"]), str(data["sha256"]), data.get("rows"))


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def file_entry(root: Path, path: Path, rows: int | None, sha256: str | None = None) -> FileEntry:
    """The manifest entry of `path` (a file under `root`); its SHA-256 read from the file unless given
    (computed while it was written)."""
    digest = sha256 if sha256 is not None else sha256_of(path)
    return FileEntry(path.relative_to(root).as_posix(), path.stat().st_size, digest, rows)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _write_atomically(path: Path, text: str) -> None:
    """Write `path` under a temporary name beside it, flushed to disk, then rename it into place."""
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


class Staging:
    """A run's output directory while the run writes: the lock, the superseded earlier run, and the
    staging directory (see the module's description). Use as a context manager: on an exception the
    staging directory is removed and nothing is published."""

    def __init__(
        self, out: Path, *, keep: str | None = None, prepare: Callable[[], None] | None = None
    ) -> None:
        self.out = out
        self.directory = out
        self.keep = keep
        """A name the supersede spares (the journal of a run being resumed, `batch.resume`)."""
        self.prepare = prepare
        """Called under the lock before anything is removed (it may refuse the run by raising)."""
        self._lock: IO[bytes] | None = None

    def __enter__(self) -> Staging:
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self._lock = (self.out / LOCK_NAME).open("ab")
        except OSError as error:
            raise RunFailedError(Failure.OUTPUT, f"cannot write to {self.out}: {describe(error)}") from None
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._release()
            raise RunFailedError(
                Failure.OUTPUT, f"another run is writing to {self.out}; wait for it or choose another --out"
            ) from None
        try:
            if self.prepare is not None:
                self.prepare()
        except BaseException:
            self._release()
            raise
        try:
            self._supersede()
            self.directory = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.out))
        except OSError as error:
            self._release()
            raise RunFailedError(Failure.OUTPUT, f"cannot write to {self.out}: {describe(error)}") from None
        return self

    def _supersede(self) -> None:
        """Remove the earlier run: what claims it first (manifest, summary), then its files."""
        for name in (MANIFEST_JSON, SUMMARY_JSON, *OUTPUT_NAMES):
            _remove(self.out / name)
        for left in [*self.out.glob(f"{STAGING_PREFIX}*"), self.out / JOURNAL_NAME]:
            if left.name != self.keep:
                _remove(left)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.directory != self.out:
            with contextlib.suppress(OSError):
                _remove(self.directory)
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing drops the lock
            self._lock = None

    def publish(self, entries: Iterable[FileEntry], summary_text: str, header: Mapping[str, Any]) -> None:
        """Move the complete files into the output directory, then the summary, then write the manifest
        (`header`: the run's accounting, put before the list of files)."""
        files = sorted(entries, key=lambda entry: entry.path)
        try:
            summary = self.directory / SUMMARY_JSON
            summary.write_text(summary_text, encoding="utf-8")
            for name in sorted({entry.path.split("/", 1)[0] for entry in files}):
                _remove(self.out / name)
                os.replace(self.directory / name, self.out / name)
            os.replace(summary, self.out / SUMMARY_JSON)
            listed = [*files, file_entry(self.out, self.out / SUMMARY_JSON, None)]
            manifest = {
                "format": MANIFEST_FORMAT,
                **header,
                "files": [entry.to_json_dict() for entry in sorted(listed, key=lambda e: e.path)],
            }
            _write_atomically(
                self.out / MANIFEST_JSON, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
            )
        except OSError as error:
            for name in (MANIFEST_JSON, SUMMARY_JSON):
                with contextlib.suppress(OSError):
                    _remove(self.out / name)
            raise RunFailedError(
                Failure.OUTPUT, f"could not publish the outputs in {self.out}: {describe(error)}"
            ) from None


class UnpublishedError(ValueError):
    """A run's output that no manifest vouches for (the run did not finish, or the file changed)."""


def is_run_directory(directory: Path) -> bool:
    """True when `directory` holds (or held) a bulk run's outputs: a manifest, a summary, rejected
    rows, a run's lock or a staging directory."""
    markers = (MANIFEST_JSON, SUMMARY_JSON, REJECTED_CSV, LOCK_NAME, JOURNAL_NAME)
    return any((directory / name).exists() for name in markers) or any(directory.glob(f"{STAGING_PREFIX}*"))


def read_manifest(directory: Path) -> dict[str, FileEntry]:
    """The files the manifest of a run's output directory lists, by path; raises `UnpublishedError`
    when there is no (readable) manifest."""
    path = directory / MANIFEST_JSON
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [FileEntry.from_json_dict(item) for item in data["files"]]
    except FileNotFoundError:
        raise UnpublishedError(
            f"{directory} has no {MANIFEST_JSON}: the batch run that wrote it did not finish (it was "
            "stopped or failed), so its files are not trusted; run `amnesty batch` again"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise UnpublishedError(f"{path} is not a readable manifest: {describe(error)}") from None
    return {entry.path: entry for entry in entries}


def verified_file(path: Path) -> None:
    """Check a file of a run's output directory against the run's manifest (listed, same size, same
    SHA-256); a file outside any run's directory is not checked. Raises `UnpublishedError`."""
    directory = path.parent
    if not is_run_directory(directory):
        return
    entries = read_manifest(directory)
    entry = entries.get(path.name)
    if entry is None:
        raise UnpublishedError(f"{path} is not listed in {directory / MANIFEST_JSON}: not this run's output")
    try:
        size = path.stat().st_size
        digest = sha256_of(path) if size == entry.size else ""
    except OSError as error:
        raise UnpublishedError(f"{path}: {describe(error)}") from None
    if size != entry.size or digest != entry.sha256:
        raise UnpublishedError(
            f"{path} differs from what {directory / MANIFEST_JSON} records (size or SHA-256): "
            "it changed after the run wrote it"
        )
