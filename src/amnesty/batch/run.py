"""The batch runner: read the input in chunks of whole persons, decide them on an engine, write
the outputs in input order.

Engines: `local` runs the chunks in this process (`jobs=1`) or in a pool of worker processes (one
per core by default); `dask` sends them to a Dask cluster (`amnesty.batch.dask_engine`). Every
engine calls the same `process_chunk` on the same chunks, so the files are the same byte for byte.
At most a few chunks per worker are in flight, so memory stays bounded however large the input.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from amnesty.batch.outputs import OutputWriter, Summary
from amnesty.batch.process import ChunkResult, RunSettings, law_for, process_chunk
from amnesty.io.assemble import RowProblem
from amnesty.io.sources import FileReadError
from amnesty.io.tabular import Chunk, Source, open_source

DEFAULT_ROWS_PER_CHUNK = 20_000


class Engine(StrEnum):
    """Where the chunks are decided."""

    LOCAL = "local"
    DASK = "dask"


def progress_wanted() -> bool:
    """A progress bar on a terminal; none when output is redirected or under CI."""
    ci = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
    return sys.stderr.isatty() and not ci


def _serial(chunks: Iterator[Chunk], settings: RunSettings) -> Iterator[ChunkResult]:
    for chunk in chunks:
        yield process_chunk(chunk, settings)


def _in_window(
    submit: Callable[[Chunk], Future[ChunkResult]], chunks: Iterator[Chunk], window: int
) -> Iterator[ChunkResult]:
    """Submit chunks keeping at most `window` in flight; yield results in chunk order."""
    pending: deque[Future[ChunkResult]] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _processes(chunks: Iterator[Chunk], settings: RunSettings, jobs: int) -> Iterator[ChunkResult]:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["amnesty.batch.process"])
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from _in_window(lambda chunk: pool.submit(process_chunk, chunk, settings), chunks, 2 * jobs)


def _results(
    chunks: Iterator[Chunk],
    settings: RunSettings,
    engine: Engine,
    jobs: int,
    scheduler: str | None,
) -> Iterator[ChunkResult]:
    if engine is Engine.DASK:
        from amnesty.batch.dask_engine import dask_results

        if scheduler is None:
            raise ValueError("--engine dask needs --scheduler ADDRESS")
        return dask_results(chunks, settings, scheduler)
    if jobs <= 1:
        return _serial(chunks, settings)
    return _processes(chunks, settings, jobs)


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
    rejected_language: str = "en",
) -> Summary:
    """Decide every person of `input_path` and write the outputs to `out`; returns the summary."""
    settings = settings or RunSettings()
    law = law_for(settings.law_pack)
    as_of = settings.as_of or law.entry_into_force
    summary = Summary(input_path.name, None, law.version, as_of.isoformat(), settings.strict)
    writer = OutputWriter(out, summary, rejected_language)
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    source: Source | None = None
    try:
        source = open_source(input_path, encoding)
        summary.input_format = source.format.value
        with _progress(show_progress) as bar:
            task = bar.add_task("deciding", total=None) if bar is not None else None
            for result in _results(source.chunks(rows_per_chunk), settings, engine, jobs, scheduler):
                writer.write(result)
                if bar is not None and task is not None:
                    bar.update(
                        task, total=source.rows_total, advance=result.rows_decided + result.rows_rejected
                    )
        summary.rows_in = source.rows_total or 0
    except FileReadError as problem:
        summary.file_problems.append(str(problem))
        writer.write_problems([RowProblem(None, None, "(file)", str(problem))])
        summary.rows_in = summary.rows_decided + summary.rows_rejected
    except (OSError, ValueError) as error:
        if isinstance(error, FileNotFoundError) and not input_path.exists():
            raise
        message = f"reading stopped: {type(error).__name__}: {error}"
        summary.file_problems.append(message)
        writer.write_problems([RowProblem(None, None, "(file)", message)])
        summary.rows_in = summary.rows_decided + summary.rows_rejected
    if source is not None:
        summary.ignored_columns = source.info.ignored_columns
        summary.delimiter = source.info.delimiter
    return writer.close()
