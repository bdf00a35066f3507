"""Errors say what they are: a failed run exits 3 with one line and claims nothing; input problems stay
rows of rejected.csv (exit 1) or an unreadable file (exit 2).

Driven as an operator would: the installed `amnesty` in a process of its own, under a per-file size
limit (as a disk quota would stop it), or pointed at a Dask scheduler that is not there.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from amnesty.batch import run as run_module
from amnesty.batch.process import ChunkResult
from amnesty.batch.publish import MANIFEST_JSON, STAGING_PREFIX, Failure, RunFailedError
from amnesty.batch.run import run_batch

from .as_operator import AMNESTY, OUTPUTS, alive, amnesty, descendants, environment

LIMIT = 1_000_000


@pytest.fixture
def registry(operator_registry: dict[str, Path]) -> dict[str, Path]:
    return operator_registry


def _file_size_limit() -> None:
    """In the child: files may not grow past LIMIT bytes; a write past it fails with EFBIG."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def _claims_nothing(out: Path) -> None:
    assert not (out / "summary.json").exists()
    assert not (out / MANIFEST_JSON).exists()
    for name in OUTPUTS:
        assert not (out / name).exists(), name


def _earlier_run(registry: Path, out: Path) -> None:
    earlier = amnesty("batch", str(registry), "--out", str(out), "--jobs", "1")
    assert earlier.returncode == 0, earlier.stderr
    assert (out / MANIFEST_JSON).exists()


def test_a_write_error_fails_the_run_with_one_line(tmp_path: Path, registry: dict[str, Path]) -> None:
    out = tmp_path / "out"
    _earlier_run(registry["csv"], out)
    ran = amnesty("batch", str(registry["csv"]), "--out", str(out), "--jobs", "1", preexec=_file_size_limit)
    assert ran.returncode == 3, ran.stderr
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1, ran.stderr
    assert lines[0].startswith("error: the run failed (output): could not write the outputs in")
    assert "File too large" in lines[0]
    assert "Traceback" not in ran.stderr
    assert "reading stopped" not in ran.stderr + ran.stdout
    _claims_nothing(out)

    debug = amnesty(
        "batch", str(registry["csv"]), "--out", str(out), "--jobs", "2", "--debug", preexec=_file_size_limit
    )
    assert debug.returncode == 3
    assert "Traceback" in debug.stderr
    assert debug.stderr.strip().splitlines()[-1].startswith("error: the run failed (output)")
    _claims_nothing(out)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("extension", ["csv", "parquet"])
def test_an_unreachable_scheduler_fails_the_run(
    tmp_path: Path, registry: dict[str, Path], extension: str
) -> None:
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    address = f"tcp://127.0.0.1:{_closed_port()}"
    ran = amnesty(
        "batch",
        str(registry[extension]),
        "--out",
        str(out),
        "--engine",
        "dask",
        "--scheduler",
        address,
        env=environment(DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s"),
    )
    assert ran.returncode == 3, ran.stderr
    last = ran.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: the run failed (cluster): cannot reach the Dask scheduler at {address}")
    assert "Traceback" not in ran.stderr
    _claims_nothing(out)


def test_the_scheduler_connect_timeout_is_an_option(tmp_path: Path) -> None:
    """`--connect-timeout` bounds the attempts to reach the scheduler: a closed port fails the run
    with exit 3 and one line naming the scheduler and the timeout (however Dask is configured)."""
    pytest.importorskip("distributed")
    source = tmp_path / "in.csv"
    source.write_text("person_id,stage,article,offence_date\nP-1,trial,272,2022-01-05\n", encoding="utf-8")
    out = tmp_path / "out"
    address = f"tcp://127.0.0.1:{_closed_port()}"
    ran = amnesty(
        "batch", str(source), "--out", str(out), "--engine", "dask", "--scheduler", address,
        "--connect-timeout", "1.5",
        env=environment(DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="600s"),
        timeout=120,
    )  # fmt: skip
    assert ran.returncode == 3, ran.stderr
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1, ran.stderr
    assert lines[0].startswith(
        f"error: the run failed (cluster): cannot reach the Dask scheduler at {address}"
    )
    assert "after 1.5 s" in lines[0]
    _claims_nothing(out)


def test_an_engine_failure_fails_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "in.csv"
    source.write_text("person_id,stage,article,offence_date\nP-1,trial,272,2022-01-05\n", encoding="utf-8")

    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(run_module, "process_chunk", broken)
    with pytest.raises(RunFailedError) as failed:
        run_batch(source, tmp_path / "out", jobs=1)
    assert failed.value.kind is Failure.ENGINE
    assert "ZeroDivisionError: a bug" in failed.value.message
    _claims_nothing(tmp_path / "out")


def test_input_problems_are_rows_or_an_unreadable_file(tmp_path: Path) -> None:
    rejected = tmp_path / "bad.csv"
    rejected.write_text("person_id,stage,article,offence_date\nP-1,trial,272,2022-13-01\n", encoding="utf-8")
    ran = amnesty("batch", str(rejected), "--out", str(tmp_path / "rows"), "--jobs", "1")
    assert ran.returncode == 1, ran.stderr
    summary = json.loads((tmp_path / "rows" / "summary.json").read_text(encoding="utf-8"))
    assert summary["rows_in"] == summary["rows_rejected"] == 1
    assert (tmp_path / "rows" / MANIFEST_JSON).exists()

    unreadable = tmp_path / "broken.xlsx"
    unreadable.write_bytes(b"not a workbook")
    ran = amnesty("batch", str(unreadable), "--out", str(tmp_path / "file"), "--jobs", "1")
    assert ran.returncode == 2, ran.stderr
    lines = (tmp_path / "file" / "rejected.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith(",,(file),")
    assert (tmp_path / "file" / MANIFEST_JSON).exists()

    missing = amnesty("batch", str(tmp_path / "none.csv"), "--out", str(tmp_path / "none"))
    assert missing.returncode == 2


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_killed_run_leaves_no_process_behind(tmp_path: Path, registry: dict[str, Path]) -> None:
    """kill -9 of a run with worker processes: its workers, the fork server and the resource tracker
    end with it, and none of them prints a word."""
    out = tmp_path / "out"
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        process = subprocess.Popen(
            [AMNESTY, "batch", str(registry["csv"]), "--out", str(out), "--jobs", "2", "--chunk-rows", "500"],
            env=environment(),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    helpers: set[int] = set()
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None:
            helpers |= descendants(process.pid)
            if len(helpers) >= 4 and any(out.glob(f"{STAGING_PREFIX}*/decisions.csv")):
                break  # tracker, fork server and two workers, and decisions being written
            time.sleep(0.05)
        assert process.poll() is None, "the run was killed while it ran"
        assert len(helpers) >= 4, "the run had its workers"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        deadline = time.monotonic() + 60
        while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in helpers if alive(pid)], "every helper process ended with the run"
    finally:
        process.kill()
        for pid in helpers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert errors.read_text(encoding="utf-8") == ""
    _claims_nothing(out)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_killed_worker_fails_the_run(tmp_path: Path, registry: dict[str, Path]) -> None:
    """A worker process killed mid-run is an engine failure: exit 3, one line, nothing published."""
    out = tmp_path / "out"
    process = subprocess.Popen(
        [AMNESTY, "batch", str(registry["csv"]), "--out", str(out), "--jobs", "2", "--chunk-rows", "500"],
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    helpers: set[int] = set()
    try:
        deadline = time.monotonic() + 240
        workers: set[int] = set()
        while time.monotonic() < deadline and process.poll() is None and not workers:
            helpers |= descendants(process.pid)
            servers = {pid for pid in helpers if "forkserver" in _command(pid)}
            workers = {pid for pid in helpers if any(_parent(pid) == server for server in servers)}
            time.sleep(0.05)
        assert workers, "the run started its workers"
        os.kill(min(workers), signal.SIGKILL)
        _, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode == 3, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: the run failed (engine): deciding failed: BrokenProcessPool")
    _claims_nothing(out)
    deadline = time.monotonic() + 60
    while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in helpers if alive(pid)]


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="reads /proc")
def test_a_failed_part_closes_its_files(tmp_path: Path) -> None:
    """A Dask worker whose part fails closes the part's files at once (the task's error is kept)."""
    from amnesty.batch.process import RunSettings
    from amnesty.batch.scaleout import _write_part

    def failing() -> Iterator[ChunkResult]:
        raise ZeroDivisionError("a bug")
        yield  # pragma: no cover

    before = set(os.listdir("/proc/self/fd"))
    with pytest.raises(ZeroDivisionError) as failed:
        _write_part(tmp_path, 3, ("law", "2022-01-10"), RunSettings(), True, "en", failing())
    assert failed.value is not None  # the worker's frames, and its writer, are still referenced here
    assert (tmp_path / "decisions.csv" / "part-00003.csv").exists()
    opened = set(os.listdir("/proc/self/fd")) - before
    assert not [fd for fd in opened if str(tmp_path) in os.path.realpath(f"/proc/self/fd/{fd}")]
