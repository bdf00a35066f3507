"""The benchmark behind `amnesty bench`: an end-to-end batch against the I/O floor on the same data.

1. A national synthetic registry of N persons is generated once and cached as Parquet under the data
   directory (`bench-data/` by default, not committed).
2. The I/O floor: the same input file read in Arrow batches and written back out as Parquet, CSV and
   JSON Lines (the three formats a batch writes; the JSON Lines compressed with zstd when the batch's
   are, as by default), with no validation and no decisions.
3. The batch: `run_batch` over the same file (read, validate, decide, write every output).

Peak memory is the largest total resident memory of this process and its worker processes,
sampled every 200 ms during the batch.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

import polars as pl
import psutil
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]

from amnesty.batch.outputs import parquet_writer
from amnesty.batch.process import RunSettings
from amnesty.batch.run import run_batch
from amnesty.io.sources import parquet_reader
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset
from amnesty.synth.write import write_registry


class _PeakMemory:
    """Samples the memory and CPU time of this process and its descendants (worker processes) in a
    background thread.

    Two sums of memory: `peak` adds up the resident sets (RSS), which counts every page shared by the
    processes once per process (the libraries, among them Polars' and Arrow's, and what the worker
    processes share with the fork server that started them); `peak_pss` adds up the proportional
    sets (PSS, Linux), where a shared page counts once in all: the memory the run takes from the
    machine."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self.peak_pss = 0
        self._cpu: dict[int, float] = {}
        self._cpu_start = _cpu_of(psutil.Process())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        me = psutil.Process()
        total, proportional = _memory_of(me)
        self._cpu[me.pid] = _cpu_of(me) - self._cpu_start
        for child in me.children(recursive=True):
            try:
                rss, pss = _memory_of(child)
                self._cpu[child.pid] = _cpu_of(child)
            except psutil.Error:
                continue
            total += rss
            proportional += pss
        self.peak_pss = max(self.peak_pss, proportional)
        return int(total)

    @property
    def cpu_seconds(self) -> float:
        """CPU time (user + system) of this process since the start and of every descendant seen
        (sampled: the last instants of a short-lived worker may be missed)."""
        return sum(self._cpu.values())

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> _PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())


def _memory_of(process: psutil.Process) -> tuple[int, int]:
    """(RSS, PSS) of one process; PSS is the RSS where the system does not report it."""
    try:
        full = process.memory_full_info()
        return int(full.rss), int(getattr(full, "pss", full.rss))
    except psutil.AccessDenied:
        rss = int(process.memory_info().rss)
        return rss, rss


def _cpu_of(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def registry_path(data_dir: Path, persons: int, seed: int) -> Path:
    """Where the national registry of this size and seed is cached."""
    return data_dir / f"national-{persons}-seed{seed}.parquet"


def ensure_registry(data_dir: Path, persons: int, seed: int, log: bool) -> tuple[Path, float | None]:
    """The cached registry, generated first if missing; returns its path and generation time."""
    path = registry_path(data_dir, persons, seed)
    if path.exists():
        return path, None
    data_dir.mkdir(parents=True, exist_ok=True)
    if log:
        sys.stderr.write(f"generating a national registry of {persons:,} persons in {path} ...\n")
    partial = path.with_suffix(".partial.parquet")
    started = time.perf_counter()
    write_registry(generate(Preset.NATIONAL, persons, seed), partial)
    partial.replace(path)
    return path, time.perf_counter() - started


def io_floor(path: Path, out: Path, zstd: bool = True) -> float:
    """Seconds to read the input and write the same rows as Parquet, CSV and JSON Lines (zstd-compressed
    with `zstd`, as the batch writes its decisions by default)."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    source = parquet_reader(path)
    schema = source.schema_arrow
    with (
        parquet_writer(out / "floor.parquet", schema) as parquet,
        pacsv.CSVWriter(str(out / "floor.csv"), schema) as csv_writer,
        (
            pa.CompressedOutputStream(str(out / "floor.jsonl.zst"), "zstd")
            if zstd
            else (out / "floor.jsonl").open("wb")
        ) as jsonl,
    ):
        for batch in source.iter_batches(batch_size=100_000):
            parquet.write_batch(batch)
            csv_writer.write_batch(batch)
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            frame.write_ndjson(jsonl)
    return time.perf_counter() - started


def _size(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def run_bench(
    persons: int,
    data_dir: Path,
    jobs: int | None = None,
    seed: int = 0,
    keep_output: bool = False,
    log: bool = True,
    fast_path: bool = True,
    zstd: bool = True,
) -> dict[str, Any]:
    """Run the benchmark; returns the figures (see `amnesty bench --help`)."""
    path, generated = ensure_registry(data_dir, persons, seed, log)
    floor_dir = data_dir / "floor-out"
    batch_dir = data_dir / f"batch-out-{persons}"
    for directory in (floor_dir, batch_dir):
        shutil.rmtree(directory, ignore_errors=True)
    floor_seconds = io_floor(path, floor_dir, zstd)
    shutil.rmtree(floor_dir, ignore_errors=True)
    with _PeakMemory() as memory:
        started = time.perf_counter()
        summary = run_batch(path, batch_dir, RunSettings(fast_path=fast_path), jobs=jobs, zstd=zstd)
        seconds = time.perf_counter() - started
    output_bytes = _size(batch_dir)
    if not keep_output:
        shutil.rmtree(batch_dir, ignore_errors=True)
    result: dict[str, Any] = {
        "persons": persons,
        "rows": summary.rows_in,
        "seconds": round(seconds, 3),
        "persons_per_second": round(persons / seconds, 1),
        "io_floor_seconds": round(floor_seconds, 3),
        "ratio_to_floor": round(seconds / floor_seconds, 2),
        "peak_rss_mb": round(memory.peak / 2**20, 1),
        "peak_pss_mb": round(memory.peak_pss / 2**20, 1),
        "cpu_seconds": round(memory.cpu_seconds, 1),
        "cpu_count": os.cpu_count(),
        "jobs": jobs or os.cpu_count(),
        "input_mb": round(path.stat().st_size / 2**20, 1),
        "output_mb": round(output_bytes / 2**20, 1),
        "persons_decided": summary.persons_decided,
        "persons_rejected": summary.persons_rejected,
        "generate_seconds": round(generated, 1) if generated is not None else None,
        "fast_path": fast_path,
        "zst": zstd,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "output_mb_per_million_persons": round(output_bytes / 2**20 * 1_000_000 / max(persons, 1), 1),
    }
    return result
