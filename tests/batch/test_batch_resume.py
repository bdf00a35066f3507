"""`amnesty batch --resume`: a killed run continues from its completed chunks, and the files are the
bytes an uninterrupted run writes; a resume with another input or other settings is refused.

Driven as an operator would: `amnesty synth` makes a national registry, `amnesty batch` runs in a
process of its own and is killed with SIGKILL in the middle.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from amnesty.batch import outputs
from amnesty.batch.process import RunSettings
from amnesty.batch.publish import JOURNAL_NAME, MANIFEST_JSON, RunFailedError
from amnesty.batch.resume import ResumeRefusedError
from amnesty.batch.run import run_batch

from .as_operator import AMNESTY, OUTPUTS, amnesty, environment

FILES = (*OUTPUTS, MANIFEST_JSON)
CHUNK = "500"


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """20,000 national persons as CSV and Parquet, made by `amnesty synth`."""
    directory = tmp_path_factory.mktemp("resume")
    files = {}
    for extension in ("csv", "parquet"):
        path = directory / f"national.{extension}"
        made = amnesty(
            "synth", "--preset", "national", "--persons", "20000", "--seed", "3", "--out", str(path)
        )
        assert made.returncode == 0, made.stderr
        files[extension] = path
    return files


def _files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in FILES}


def _completed(out: Path) -> int:
    return len(list((out / JOURNAL_NAME).glob("chunk-*.json")))


def _journal_started(out: Path) -> tuple[int, int] | None:
    """The inode and time of the journal's fingerprint (a new journal has others)."""
    try:
        found = (out / JOURNAL_NAME / "fingerprint.json").stat()
    except FileNotFoundError:
        return None
    return found.st_ino, found.st_mtime_ns


def _kill_midway(registry: Path, out: Path, *extra: str) -> int:
    """Start a run, SIGKILL it once a few chunks of its own journal are complete; the completed chunks."""
    earlier = _journal_started(out)
    process = subprocess.Popen(
        [AMNESTY, "batch", str(registry), "--out", str(out), "--jobs", "1", "--chunk-rows", CHUNK, *extra],
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while (
            (_journal_started(out) in (None, earlier) or _completed(out) < 4)
            and process.poll() is None
            and time.monotonic() < deadline
        ):
            time.sleep(0.01)
        assert process.poll() is None, "the run ended before it could be killed in the middle"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert not (out / MANIFEST_JSON).exists()
    return _completed(out)


def test_a_killed_run_resumed_gives_the_bytes_of_an_uninterrupted_run(
    tmp_path: Path, national: dict[str, Path]
) -> None:
    registry = national["csv"]
    clean = tmp_path / "clean"
    ran = amnesty("batch", str(registry), "--out", str(clean), "--jobs", "1", "--chunk-rows", CHUNK)
    assert ran.returncode == 0, ran.stderr
    assert not (clean / JOURNAL_NAME).exists(), "a published run removes its journal"
    expected = _files(clean)

    out = tmp_path / "out"
    completed = _kill_midway(registry, out, "--lang", "ru")
    assert completed >= 4
    summary = json.loads(expected["summary.json"])
    assert completed * int(CHUNK) < summary["rows_in"], "killed before the end"

    # another setting (here the languages): refused, and the interrupted run's journal kept
    other = amnesty(
        "batch", str(registry), "--out", str(out), "--jobs", "1", "--chunk-rows", CHUNK, "--resume"
    )
    assert other.returncode == 2, other.stderr
    assert "cannot resume" in other.stderr
    assert "languages" in other.stderr
    assert _completed(out) == completed

    # a run of the same settings without --resume starts over
    again = _kill_midway(registry, out)
    assert again >= 4
    resumed = amnesty(
        "batch", str(registry), "--out", str(out), "--jobs", "2", "--chunk-rows", CHUNK, "--resume"
    )
    assert resumed.returncode == 0, resumed.stderr
    reused = int(resumed.stderr.split("resumed: ", 1)[1].split()[0])
    assert reused >= again, "the completed chunks were reused, not decided again"
    assert _files(out) == expected
    assert not (out / JOURNAL_NAME).exists()


def test_a_resume_of_another_input_is_refused(tmp_path: Path, national: dict[str, Path]) -> None:
    out = tmp_path / "out"
    _kill_midway(national["csv"], out)
    copy = tmp_path / "national.csv"
    copy.write_bytes(national["csv"].read_bytes()[:-200])
    refused = amnesty("batch", str(copy), "--out", str(out), "--chunk-rows", CHUNK, "--resume")
    assert refused.returncode == 2
    assert "cannot resume" in refused.stderr
    assert "input_bytes" in refused.stderr
    assert (out / JOURNAL_NAME / "fingerprint.json").exists(), "nothing is removed by a refusal"


def test_a_failed_run_resumes_from_its_completed_chunks(
    tmp_path: Path, national: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run whose outputs failed part-way (a write error on chunk 6) keeps its journal; --resume
    then gives the bytes of an uninterrupted run (Parquet input, the columnar path)."""
    registry = national["parquet"]
    settings = RunSettings()
    clean = tmp_path / "clean"
    run_batch(registry, clean, settings, jobs=1, rows_per_chunk=int(CHUNK))
    expected = _files(clean)

    write = outputs.OutputWriter.write

    def failing(self: outputs.OutputWriter, result: outputs.ChunkResult) -> None:
        if result.index == 6:
            raise OSError(27, "File too large")
        write(self, result)

    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        patch.setattr(outputs.OutputWriter, "write", failing)
        with pytest.raises(RunFailedError):
            run_batch(registry, out, settings, jobs=1, rows_per_chunk=int(CHUNK))
    assert _completed(out) == 6
    with pytest.raises(ResumeRefusedError):
        run_batch(registry, out, RunSettings(strict=True), jobs=1, rows_per_chunk=int(CHUNK), resume=True)
    summary = run_batch(registry, out, settings, jobs=1, rows_per_chunk=int(CHUNK), resume=True)
    assert summary.resumed_chunks == 6
    assert _files(out) == expected
