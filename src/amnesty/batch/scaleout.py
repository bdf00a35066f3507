"""Scale-out on Dask for a Parquet registry: workers read their own partitions and write their own parts.

The client only plans and merges:
1. **Plan.** The file's row groups are cut into partitions of about `rows_per_part` rows (from the
   footer, nothing else is read on the client).
2. **Survey** (one task per partition, on the workers): the partition's first and last person_id and
   a stable 64-bit hash of each person_id that starts a run of rows. The client finds the hashes that
   start more than one run in the whole file (a run continuing across a partition boundary counts
   once); a second round of tasks names the keys behind those hashes, so the answer never depends on
   the hash. Those persons are *scattered* (their rows are not next to each other).
3. **Decide** (one task per partition): the worker reads its row groups in chunks, leaves out the
   scattered persons, skips the leading rows of a person that began in the previous partition, and
   reads on into the next row groups to finish its own last person; each chunk goes through the
   same `process_chunk` as a local run; the worker writes part `NNNNN` of each output dataset
   (`decisions.parquet/part-NNNNN.parquet`, `decisions.csv/part-NNNNN.csv`,
   `decisions.jsonl/part-NNNNN.jsonl`, `rejected.csv/part-NNNNN.csv`) and returns its summary.
4. The scattered persons, gathered whole from the whole file by one more task, are the last part.
The client adds the parts' summaries up into `summary.json` (rows_in from the footer). Every person is
decided once, whole; the parts read in order hold the same rows as a local run's files.

The output directory must be one the workers can write to (a shared file system); the input one they
can read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from amnesty.batch.dask_engine import connect
from amnesty.batch.outputs import OutputWriter, Summary, output_failure
from amnesty.batch.process import ChunkResult, RunSettings, process_chunk
from amnesty.batch.publish import FileEntry
from amnesty.io.assemble import missing_required
from amnesty.io.columns import ALL_COLUMNS
from amnesty.io.sources import FileReadError, SourceInfo, SourceRow, arrow_rows, open_parquet, parquet_reader
from amnesty.io.tabular import (
    KEY_HASH_SEEDS,
    ROW_COLUMN,
    Chunk,
    arrow_keys,
    key_series,
    last_boundary,
    run_starts,
)

_KNOWN = frozenset(ALL_COLUMNS)


@dataclass(frozen=True)
class Partition:
    """A run of consecutive row groups, with the number of its first row in the file (1-based)."""

    index: int
    row_groups: tuple[int, ...]
    first_row: int
    following: tuple[int, ...]
    """The row groups after it, read only to finish a person who continues past its end."""


@dataclass(frozen=True)
class Survey:
    """What the planning pass learns of one partition."""

    first_key: str | None
    last_key: str | None
    starts: np.ndarray[Any, np.dtype[np.uint64]]


def plan_partitions(path: Path, rows_per_part: int) -> list[Partition]:
    """Cut the file's row groups into partitions of at least `rows_per_part` rows (from the footer)."""
    metadata = parquet_reader(path).metadata
    groups = [(index, metadata.row_group(index).num_rows) for index in range(metadata.num_row_groups)]
    groups = [(index, rows) for index, rows in groups if rows]
    partitions: list[Partition] = []
    current: list[int] = []
    current_rows, first_row, next_row = 0, 1, 1
    for position, (index, rows) in enumerate(groups):
        current.append(index)
        current_rows += rows
        next_row += rows
        if current_rows >= rows_per_part or position == len(groups) - 1:
            following = tuple(group for group, _ in groups[position + 1 :])
            partitions.append(Partition(len(partitions), tuple(current), first_row, following))
            current, current_rows, first_row = [], 0, next_row
    return partitions


def survey(path: Path, partition: Partition) -> Survey:
    """Worker task: the partition's first and last key and the hashes of its run-starting keys."""
    parquet = parquet_reader(path)
    if "person_id" not in parquet.schema_arrow.names:
        return Survey(None, None, np.zeros(0, dtype=np.uint64))
    table = parquet.read_row_groups(list(partition.row_groups), columns=["person_id"])
    keys = key_series(table)
    starts = keys.filter(run_starts(keys)).hash(**KEY_HASH_SEEDS).to_numpy()
    first = keys[0] if keys.len() else None
    last = keys[-1] if keys.len() else None
    return Survey(first, last, starts)


def keys_of(path: Path, partition: Partition, hashes: frozenset[int]) -> list[tuple[int, str]]:
    """Worker task: (row within the partition, key) of each run start whose key hashes into `hashes`."""
    parquet = parquet_reader(path)
    table = parquet.read_row_groups(list(partition.row_groups), columns=["person_id"])
    keys = key_series(table)
    frame = pl.DataFrame({"key": keys, "hash": keys.hash(**KEY_HASH_SEEDS)}).with_row_index("row")
    found = frame.filter(run_starts(keys) & pl.col("hash").is_in(list(hashes)))
    return [(int(row), str(key)) for row, key in found.select("row", "key").iter_rows()]


def _continues(surveys: list[Survey], index: int) -> bool:
    """True when partition `index` begins with the person the previous partition ended with."""
    if index == 0:
        return False
    first, previous = surveys[index].first_key, surveys[index - 1].last_key
    return first is not None and first == previous


def scattered_keys(
    client: Any, path: Path, partitions: list[Partition]
) -> tuple[list[Survey], frozenset[str]]:
    """Survey every partition on the cluster; the keys whose rows are not all next to each other."""
    surveys: list[Survey] = client.gather(
        [client.submit(survey, path, part, pure=False) for part in partitions]
    )
    arrays = [
        survey.starts[1:] if _continues(surveys, index) else survey.starts
        for index, survey in enumerate(surveys)
    ]
    every = np.sort(np.concatenate(arrays)) if arrays else np.zeros(0, dtype=np.uint64)
    candidates = frozenset(int(value) for value in every[1:][every[1:] == every[:-1]].tolist())
    if not candidates:
        return surveys, frozenset()
    found = client.gather([client.submit(keys_of, path, part, candidates, pure=False) for part in partitions])
    counts: Counter[str] = Counter()
    for index, starts in enumerate(found):
        for row, key in starts:
            if row == 0 and _continues(surveys, index):
                continue
            counts[key] += 1
    return surveys, frozenset(key for key, runs in counts.items() if runs > 1)


def _with_rows(batch: pa.RecordBatch, first_row: int) -> pa.Table:
    table = pa.Table.from_batches([batch])
    numbers = pa.array(range(first_row, first_row + table.num_rows), type=pa.int64())
    return table.append_column(ROW_COLUMN, numbers)


def partition_chunks(
    path: Path,
    partition: Partition,
    skip_key: str | None,
    scattered: frozenset[str],
    rows_per_chunk: int,
) -> Iterator[Chunk]:
    """The partition's persons in chunks of whole persons, as a local run would cut the same rows."""
    parquet = parquet_reader(path)
    columns = [name for name in parquet.schema_arrow.names if name in _KNOWN]
    row = partition.first_row
    carry: pa.Table | None = None
    skipping = skip_key is not None
    index = 0
    for batch in parquet.iter_batches(
        batch_size=rows_per_chunk, row_groups=list(partition.row_groups), columns=columns
    ):
        table = _with_rows(batch, row)
        row += table.num_rows
        keys = arrow_keys(table)
        if skipping:
            lead = 0
            while lead < len(keys) and keys[lead] == skip_key:
                lead += 1
            skipping = lead == len(keys)
            table, keys = table.slice(lead), keys[lead:]
        if scattered:
            mask = pa.array([key is None or key not in scattered for key in keys])
            table = table.filter(mask)
            keys = [key for key in keys if key is None or key not in scattered]
        if carry is not None:
            table = pa.concat_tables([carry, table])
            keys = arrow_keys(table)
            carry = None
        cut = last_boundary(keys)
        if cut < len(keys):
            carry, table = table.slice(cut), table.slice(0, cut)
        if table.num_rows:
            yield Chunk(index, (), table, ())
            index += 1
    if carry is not None and carry.num_rows:
        last = arrow_keys(carry.slice(carry.num_rows - 1))[0]
        tail = [carry]
        if last is not None and last not in scattered:
            tail += list(_continuation(parquet, partition, columns, row, last))
        yield Chunk(index, (), pa.concat_tables(tail), ())


def _continuation(
    parquet: pq.ParquetFile, partition: Partition, columns: list[str], row: int, key: str
) -> Iterator[pa.Table]:
    """The rows of the following row groups that continue the person `key` (until another person)."""
    if not partition.following:
        return
    for batch in parquet.iter_batches(
        batch_size=10_000, row_groups=list(partition.following), columns=columns
    ):
        table = _with_rows(batch, row)
        row += table.num_rows
        keys = arrow_keys(table)
        lead = 0
        while lead < len(keys) and keys[lead] == key:
            lead += 1
        if lead:
            yield table.slice(0, lead)
        if lead < len(keys):
            return


def _part_summary(settings: RunSettings, law_version: str, as_of: str) -> Summary:
    return Summary("", "parquet", law_version, as_of, settings.strict)


@dataclass(frozen=True)
class PartWritten:
    """What a worker's part adds to the run: its summary and its files' manifest entries."""

    summary: Summary
    entries: list[FileEntry]


def _write_part(
    out: Path,
    part: int,
    head: tuple[str, str],
    settings: RunSettings,
    zstd: bool,
    rejected_language: str,
    results: Iterator[ChunkResult],
) -> PartWritten:
    """Write one part of every output dataset; on any failure its files are closed (and the client
    publishes nothing)."""
    try:
        writer = OutputWriter(out, _part_summary(settings, *head), zstd, part, rejected_language)
    except OSError as error:
        raise output_failure(error, out.parent) from None
    try:
        for result in results:
            writer.write(result)
        summary = writer.close()
        return PartWritten(summary, writer.entries())
    except OSError as error:
        writer.abort()
        raise output_failure(error, out.parent) from None
    except BaseException:
        writer.abort()
        raise


def decide_partition(
    path: Path,
    partition: Partition,
    skip_key: str | None,
    scattered: frozenset[str],
    settings: RunSettings,
    out: Path,
    rows_per_chunk: int,
    zstd: bool,
    head: tuple[str, str],
    rejected_language: str = "en",
) -> PartWritten:
    """Worker task: decide one partition and write its part of every output dataset."""
    chunks = partition_chunks(path, partition, skip_key, scattered, rows_per_chunk)
    results = (process_chunk(chunk, settings) for chunk in chunks)
    return _write_part(out, partition.index, head, settings, zstd, rejected_language, results)


def decide_scattered(
    path: Path,
    scattered: frozenset[str],
    part: int,
    settings: RunSettings,
    out: Path,
    zstd: bool,
    head: tuple[str, str],
    rejected_language: str = "en",
) -> PartWritten:
    """Worker task: gather the scattered persons whole from the whole file and decide them (last part)."""
    parquet = parquet_reader(path)
    columns = [name for name in parquet.schema_arrow.names if name in _KNOWN]
    wanted = pa.array(sorted(scattered), type=pa.string())
    rows: dict[str, list[SourceRow]] = {}
    row = 1
    for batch in parquet.iter_batches(batch_size=100_000, columns=columns):
        table = _with_rows(batch, row)
        row += table.num_rows
        stripped = pc.utf8_trim_whitespace(table.column("person_id").cast(pa.string()))
        table = table.filter(pc.is_in(stripped, value_set=wanted))
        numbers = table.column(ROW_COLUMN).to_pylist()
        for source_row in arrow_rows(table.drop_columns([ROW_COLUMN]), numbers):
            key = source_row.person_key
            assert key is not None
            rows.setdefault(key, []).append(source_row)
    ordered = sorted(rows.values(), key=lambda group: group[0].row)
    chunk = Chunk(0, tuple(tuple(group) for group in ordered), None, ())
    results = iter([process_chunk(chunk, settings)])
    return _write_part(out, part, head, settings, zstd, rejected_language, results)


def _merge(total: Summary, part: Summary) -> None:
    total.rows_decided += part.rows_decided
    total.rows_rejected += part.rows_rejected
    total.persons_decided += part.persons_decided
    total.persons_rejected += part.persons_rejected
    for dimension, counter in part.counts.items():
        total.counts[dimension].update(counter)
    total.rejected_by_field.update(part.rejected_by_field)


def can_scale_out(path: Path) -> bool:
    """True for a Parquet file with a readable footer and every required column (anything else runs on
    the client-read path, which reports the file's or the columns' problem row by row)."""
    info = SourceInfo()
    try:
        open_parquet(path, info)
    except FileReadError:
        return False
    return not missing_required(info.columns)


def run_scaleout(
    path: Path,
    out: Path,
    settings: RunSettings,
    summary: Summary,
    scheduler: str,
    rows_per_chunk: int,
    zstd: bool,
    rejected_language: str = "en",
) -> list[FileEntry]:
    """Plan, decide the partitions on the cluster at `scheduler` writing their parts into `out` (the
    run's staging directory), merge the summaries into `summary` (see module doc); the parts'
    manifest entries."""
    info = SourceInfo()
    parquet = open_parquet(path, info)
    summary.input_format = "parquet"
    summary.ignored_columns = info.ignored_columns
    summary.rows_in = parquet.metadata.num_rows
    partitions = plan_partitions(path, rows_per_chunk)
    head = (summary.law_version, summary.as_of)
    entries: list[FileEntry] = []
    with connect(scheduler) as client:
        surveys, scattered = scattered_keys(client, path, partitions)
        tasks = [
            client.submit(
                decide_partition,
                path,
                part,
                surveys[part.index - 1].last_key if _continues(surveys, part.index) else None,
                scattered,
                settings,
                out,
                rows_per_chunk,
                zstd,
                head,
                rejected_language,
                pure=False,
            )
            for part in partitions
        ]
        if scattered:
            tasks.append(
                client.submit(
                    decide_scattered,
                    path,
                    scattered,
                    len(partitions),
                    settings,
                    out,
                    zstd,
                    head,
                    rejected_language,
                    pure=False,
                )
            )
        for written in client.gather(tasks):
            _merge(summary, written.summary)
            entries += written.entries
    return entries
