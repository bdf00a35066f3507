"""The batch runner: read the input in chunks of whole persons, decide them on an engine, write
the outputs in input order.

Engines: `local` runs the chunks in this process (`jobs=1`) or in a pool of worker processes (one
per core by default); `dask` sends them to a Dask cluster (`amnesty.batch.dask_engine`). Every
engine calls the same `process_chunk` on the same chunks, so the files are the same byte for byte.
At most a few chunks per worker are in flight, so memory stays bounded however large the input.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from enum import StrEnum
from functools import partial
from multiprocessing import forkserver
from pathlib import Path
from typing import TypeVar

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from amnesty.batch.dask_engine import dask_map
from amnesty.batch.orphans import die_with
from amnesty.batch.outputs import OutputWriter, Summary, output_failure, publish_run
from amnesty.batch.process import ChunkResult, RunSettings, process_chunk, settings_law
from amnesty.batch.publish import JOURNAL_NAME, Failure, FileEntry, RunFailedError, Staging, describe
from amnesty.batch.resume import Journal, ResumeRefusedError, RunIdentity
from amnesty.batch.scaleout import can_scale_out, run_scaleout
from amnesty.domain.decision import Decision
from amnesty.domain.records import CaseRecord
from amnesty.engine.evaluate import evaluate
from amnesty.io.assemble import RowProblem
from amnesty.io.sources import FileReadError, InputFormat, detect_format
from amnesty.io.tabular import Source, open_source

DEFAULT_ROWS_PER_CHUNK = 20_000
POLARS_THREADS = "POLARS_MAX_THREADS"
"""The environment variable that sets the size of Polars' thread pool in a process (read at import)."""
WARNINGS = "PYTHONWARNINGS"
QUIET_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"


class Engine(StrEnum):
    """Where the chunks are decided."""

    LOCAL = "local"
    DASK = "dask"


def progress_wanted() -> bool:
    """A progress bar on a terminal; none when output is redirected or under CI."""
    ci = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
    return sys.stderr.isatty() and not ci


R = TypeVar("R")
T = TypeVar("T")


def _in_window(submit: Callable[[T], Future[R]], chunks: Iterator[T], window: int) -> Iterator[R]:
    """Submit chunks keeping at most `window` in flight; yield results in chunk order."""
    pending: deque[Future[R]] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def map_chunks(
    function: Callable[[T], R],
    chunks: Iterator[T],
    engine: Engine = Engine.LOCAL,
    jobs: int | None = None,
    scheduler: str | None = None,
) -> Iterator[R]:
    """The chunked runner: `function` applied to every chunk, in this process (`jobs=1`), in a pool of
    worker processes (default: one per core) or on a Dask cluster; results in chunk order, with at
    most two chunks per worker in flight. `function` must be picklable (a module-level function or a
    `functools.partial` of one). Batch, impact and re-evaluation runs all go through here; a chunk is
    usually an input `Chunk`, or a list of records (`decide_batches`)."""
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if engine is Engine.DASK:
        if scheduler is None:
            raise ValueError("--engine dask needs --scheduler ADDRESS")
        return dask_map(function, chunks, scheduler)
    if jobs <= 1:
        return (function(chunk) for chunk in chunks)
    return _processes(function, chunks, jobs)


def _processes(function: Callable[[T], R], chunks: Iterator[T], jobs: int) -> Iterator[R]:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["amnesty.batch.process"])
    _start_fork_server(jobs)
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=die_with, initargs=(os.getpid(),)
    ) as pool:
        yield from _in_window(lambda chunk: pool.submit(function, chunk), chunks, 2 * jobs)


def _start_fork_server(jobs: int) -> None:
    """Start the fork server the workers are forked from (if it is not running yet) with Polars' thread
    pool sized to the workers' share of the cores: with a worker per core, one thread each, so that a
    worker's queries do not hand small chunks between threads competing with the other workers. A
    value the user set in the environment is kept; this process's environment is left as it was.

    The resource tracker started with it does not warn of "leaked" semaphores when a killed run's
    workers end (`QUIET_TRACKER`): the tracker removes them all the same."""
    saved = {name: os.environ.get(name) for name in (POLARS_THREADS, WARNINGS)}
    os.environ[POLARS_THREADS] = saved[POLARS_THREADS] or str(max(1, (os.cpu_count() or 1) // jobs))
    os.environ[WARNINGS] = ",".join(filter(None, (saved[WARNINGS], QUIET_TRACKER)))
    try:
        forkserver.ensure_running()  # starts the resource tracker first
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def _decide(records: list[CaseRecord], settings: RunSettings) -> list[Decision]:
    law = settings_law(settings)
    return [evaluate(record, law, settings.as_of, settings.strict) for record in records]


def decide_batches(
    batches: Iterator[list[CaseRecord]],
    settings: RunSettings | None = None,
    *,
    engine: Engine = Engine.LOCAL,
    jobs: int | None = None,
    scheduler: str | None = None,
) -> Iterator[list[Decision]]:
    """The engine's full decision for each record of each batch, batch by batch in order, decided on
    the chunked runner (`amnesty db reevaluate` re-evaluates a store's cases this way after a law or
    engine update: its process stores one batch while the workers decide the next ones)."""
    work = partial(_decide, settings=settings or RunSettings())
    return map_chunks(work, batches, engine, jobs, scheduler)


def _progress(enabled: bool) -> AbstractContextManager[Progress | None]:
    if not enabled:
        return nullcontext(None)
    return Progress(
        TextColumn("[bold]deciding[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
        transient=True,
    )


def _is_parquet(path: Path) -> bool:
    try:
        return path.is_file() and detect_format(path) is InputFormat.PARQUET
    except FileReadError:
        return False


class _InputStoppedError(Exception):
    """Reading the input stopped part-way (an input problem, not a failure of the run)."""

    def __init__(self, error: OSError | ValueError) -> None:
        super().__init__(error)
        self.error = error


@contextmanager
def _closing(results: Iterator[R]) -> Iterator[None]:
    """Close the results' generator (and with it the worker pool or the Dask client) when done."""
    try:
        yield
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()


def _read(chunks: Iterator[T]) -> Iterator[T]:
    """The input's chunks, with an error of reading told apart from the engine's and the output's."""
    try:
        yield from chunks
    except FileReadError:
        raise
    except (OSError, ValueError) as error:
        raise _InputStoppedError(error) from error


def run_batch(
    input_path: Path,
    out: Path,
    settings: RunSettings | None = None,
    *,
    engine: Engine = Engine.LOCAL,
    jobs: int | None = None,
    scheduler: str | None = None,
    encoding: str = "utf-8",
    rows_per_chunk: int = DEFAULT_ROWS_PER_CHUNK,
    show_progress: bool = False,
    zstd: bool = True,
    rejected_language: str = "en",
    resume: bool = False,
) -> Summary:
    """Decide every person of `input_path` and publish the outputs in `out`; returns the summary.

    The decisions go to `decisions.jsonl.zst` by default (`zstd=False`: plain `decisions.jsonl`). The
    earlier run's outputs in `out` are removed first; the files are written into a staging directory
    and published with `summary.json` and `manifest.json` only when all are complete
    (`amnesty.batch.publish`). Raises `RunFailedError` when the outputs cannot be written or the engine
    or cluster fails (nothing is published then); an input problem is a rejected row or file.

    Each completed chunk is recorded in a journal (`amnesty.batch.resume`); with `resume`, the chunks an
    earlier, interrupted run of the same input and settings completed are reused (the same bytes as an
    uninterrupted run), and a journal of another input or settings raises `ResumeRefusedError`."""
    settings = settings or RunSettings()
    law = settings_law(settings)
    as_of = settings.as_of or law.entry_into_force
    summary = Summary(input_path.name, None, law.version, as_of.isoformat(), settings.strict)
    scale_out = engine is Engine.DASK and _is_parquet(input_path)
    if scale_out and scheduler is None:
        raise ValueError("--engine dask needs --scheduler ADDRESS")
    scale_out = scale_out and scheduler is not None and can_scale_out(input_path)
    if resume and scale_out:
        raise ResumeRefusedError(
            "cannot resume a Dask run over Parquet (its workers write the parts): run without --resume"
        )
    identity = RunIdentity(
        input_path, settings, law.version, as_of, encoding, rows_per_chunk, zstd, rejected_language
    )
    journal = Journal(out, identity)
    keep = JOURNAL_NAME if resume else None
    with Staging(out, keep=keep, prepare=partial(journal.prepare, resume)) as staging:
        if scale_out and scheduler is not None:
            try:
                entries = run_scaleout(
                    input_path, staging.directory, settings, summary, scheduler, rows_per_chunk, zstd,
                    rejected_language,
                )  # fmt: skip
            except RunFailedError:
                raise
            except Exception as error:
                raise RunFailedError(Failure.ENGINE, f"the Dask run failed: {describe(error)}") from error
        else:
            local = _Local(staging.directory, summary, zstd, rejected_language, journal)
            entries = local.run(input_path, settings, engine, jobs, scheduler, encoding, rows_per_chunk,
                                show_progress)  # fmt: skip
        published = publish_run(staging, summary, entries)
    journal.remove()
    return published


class _Local:
    """A run whose input this process reads and whose outputs it writes (every engine but the Dask
    scale-out over Parquet)."""

    def __init__(
        self, directory: Path, summary: Summary, zstd: bool, rejected_language: str, journal: Journal
    ) -> None:
        self.directory = directory
        self.summary = summary
        self.journal = journal
        try:
            self.writer = OutputWriter(directory, summary, zstd, rejected_language=rejected_language)
            journal.start()
        except OSError as error:
            raise output_failure(error, directory.parent) from None

    def run(
        self,
        input_path: Path,
        settings: RunSettings,
        engine: Engine,
        jobs: int | None,
        scheduler: str | None,
        encoding: str,
        rows_per_chunk: int,
        show_progress: bool,
    ) -> list[FileEntry]:
        writer = self.writer
        try:
            for done in self.journal.replay(self.journal.completed):
                writer.write(done)
                self.summary.resumed_chunks += 1
            self._decide(
                input_path, settings, engine, jobs, scheduler, encoding, rows_per_chunk, show_progress
            )
            writer.close()
            self.journal.finish()
            return writer.entries()
        except OSError as error:  # the engine's and the input's errors are told apart below
            self._abort()
            raise output_failure(error, self.directory.parent) from None
        except BaseException:
            self._abort()
            raise

    def _abort(self) -> None:
        """Close the outputs unfinished; the chunks already completed stay recorded (for --resume)."""
        self.writer.abort()
        with contextlib.suppress(Exception):
            self.journal.finish()

    def _decide(
        self,
        input_path: Path,
        settings: RunSettings,
        engine: Engine,
        jobs: int | None,
        scheduler: str | None,
        encoding: str,
        rows_per_chunk: int,
        show_progress: bool,
    ) -> None:
        summary = self.summary
        source: Source | None = None
        try:
            source = open_source(input_path, encoding)
            summary.input_format = source.format.value
            with _progress(show_progress) as bar:
                work = partial(process_chunk, settings=settings)
                chunks = self.journal.skip(_read(source.chunks(rows_per_chunk)))
                results = map_chunks(work, chunks, engine, jobs, scheduler)
                with _closing(results):
                    self._write(results, source, bar)
            summary.rows_in = source.rows_total or 0
        except FileReadError as problem:
            self._file_problem(str(problem))
        except (_InputStoppedError, ValueError) as stopped:
            error = stopped.error if isinstance(stopped, _InputStoppedError) else stopped
            self._file_problem(f"reading stopped: {type(error).__name__}: {error}")
        except OSError as error:
            if source is not None:
                raise  # writing: the output failed
            if isinstance(error, FileNotFoundError) and not input_path.exists():
                raise
            self._file_problem(f"reading stopped: {type(error).__name__}: {error}")
        if source is not None:
            summary.ignored_columns = source.info.ignored_columns
            summary.delimiter = source.info.delimiter

    def _file_problem(self, message: str) -> None:
        """The input could not be read (from some point on): one `(file)` line, counted as read."""
        summary = self.summary
        summary.file_problems.append(message)
        self.writer.write_problems([RowProblem(None, None, "(file)", message)])
        summary.rows_in = summary.rows_decided + summary.rows_rejected

    def _write(self, results: Iterator[ChunkResult], source: Source, bar: Progress | None) -> None:
        """Write the results in order; a failure of the engine (anything but the input's, the output's
        or the cluster's errors) stops the run."""
        task = bar.add_task("deciding", total=None) if bar is not None else None
        while True:
            try:
                result = next(results, None)
            except (_InputStoppedError, FileReadError, RunFailedError):
                raise
            except Exception as error:
                raise RunFailedError(Failure.ENGINE, f"deciding failed: {describe(error)}") from error
            if result is None:
                return
            self.writer.write(result)
            self.journal.record(result)
            if bar is not None and task is not None:
                advance = result.rows_decided + result.rows_rejected
                bar.update(task, total=source.rows_total, advance=advance)
