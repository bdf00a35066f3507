"""A run's outputs are published whole or not at all, and readers trust only what a manifest vouches for.

Driven as an operator would: the installed `amnesty` in a process of its own, killed with SIGKILL in
the middle of a run into a directory that holds an earlier, complete run.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amnesty.batch.publish import MANIFEST_JSON, STAGING_PREFIX
from amnesty.cli.main import app

from .as_operator import AMNESTY, OUTPUTS, amnesty, environment


@pytest.fixture
def registry(operator_registry: dict[str, Path]) -> Path:
    """20,000 January persons as CSV (`conftest.operator_registry`)."""
    return operator_registry["csv"]


def _manifest(out: Path) -> dict[str, dict[str, object]]:
    data = json.loads((out / MANIFEST_JSON).read_text(encoding="utf-8"))
    return {entry["path"]: entry for entry in data["files"]}


def _check_manifest(out: Path) -> dict[str, dict[str, object]]:
    """Every output file is listed with its size and hash; nothing else is in the directory."""
    entries = _manifest(out)
    assert set(entries) == set(OUTPUTS)
    for name, entry in entries.items():
        data = (out / name).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    visible = {path.name for path in out.iterdir() if not path.name.startswith(".")}
    assert visible == {*OUTPUTS, MANIFEST_JSON}
    assert not list(out.glob(f"{STAGING_PREFIX}*")), "no staging directory is left"
    return entries


def test_a_run_publishes_its_files_with_a_manifest(tmp_path: Path, registry: Path) -> None:
    out = tmp_path / "out"
    ran = amnesty("batch", str(registry), "--out", str(out), "--jobs", "1")
    assert ran.returncode == 0, ran.stderr
    entries = _check_manifest(out)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["persons_decided"] == 20_000
    assert entries["decisions.csv"]["rows"] == summary["persons_decided"]
    assert entries["rejected.csv"]["rows"] == 0
    lines = (out / "decisions.csv").read_text(encoding="utf-8").count("\n")
    assert lines == 1 + summary["persons_decided"]


def _partial_bytes(out: Path) -> int:
    return sum(path.stat().st_size for path in out.glob(f"{STAGING_PREFIX}*/decisions.csv"))


def test_a_killed_run_leaves_nothing_that_claims_it(tmp_path: Path, registry: Path) -> None:
    out = tmp_path / "out"
    first = amnesty("batch", str(registry), "--out", str(out), "--jobs", "1")
    assert first.returncode == 0, first.stderr
    earlier = {name: (out / name).read_bytes() for name in OUTPUTS}
    process = subprocess.Popen(
        [AMNESTY, "batch", str(registry), "--out", str(out), "--jobs", "1", "--chunk-rows", "500"],
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while _partial_bytes(out) < 200_000 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert process.poll() is None, "the run ended before it could be killed in the middle"
        assert _partial_bytes(out) >= 200_000, "the run wrote part of its decisions"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert not (out / "summary.json").exists()
    assert not (out / MANIFEST_JSON).exists()
    for name in OUTPUTS:
        found = out / name
        assert not found.exists(), f"{name} of the earlier run is gone (it is not the killed run's)"
    staged = next(out.glob(f"{STAGING_PREFIX}*"))
    assert 0 < (staged / "decisions.csv").stat().st_size < len(earlier["decisions.csv"])

    # a reader refuses the partial files, saying why
    report = amnesty("report", str(staged / "decisions.jsonl.zst"), "--out", str(tmp_path / "report"))
    assert report.returncode == 2
    assert "did not finish" in report.stderr
    assert not (tmp_path / "report").exists()

    # the next run publishes the same files as the earlier one, and removes the killed run's
    again = amnesty("batch", str(registry), "--out", str(out), "--jobs", "1")
    assert again.returncode == 0, again.stderr
    _check_manifest(out)
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == earlier


def test_report_trusts_only_manifest_backed_output(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "person_id,stage,article,part,category,offence_date,context\n"
        "P-1,trial,272,2,grave,2022-01-05,riot\n"
        "P-2,served,188,1,small,2019-03-01,unrelated\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(app, ["batch", str(source), "--out", str(out), "--jobs", "1"]).exit_code == 0
    decisions = out / "decisions.jsonl.zst"
    good = runner.invoke(app, ["report", str(decisions), "--out", str(tmp_path / "r1")])
    assert good.exit_code == 0, good.output
    assert "2 decisions counted" in good.output

    (out / "summary.json").write_text("{}", encoding="utf-8")  # changed after the run
    changed = runner.invoke(app, ["report", str(decisions), "--out", str(tmp_path / "r2")])
    assert changed.exit_code != 0
    (out / MANIFEST_JSON).unlink()
    missing = runner.invoke(app, ["report", str(decisions), "--out", str(tmp_path / "r3")])
    assert missing.exit_code == 2
    assert "has no manifest.json" in missing.output
    assert "did not finish" in missing.output

    assert runner.invoke(app, ["batch", str(source), "--out", str(out), "--jobs", "1"]).exit_code == 0
    data = bytearray(decisions.read_bytes())
    data[-1] ^= 0xFF
    decisions.write_bytes(bytes(data))
    tampered = runner.invoke(app, ["report", str(decisions), "--out", str(tmp_path / "r4")])
    assert tampered.exit_code == 2
    assert "differs from what" in tampered.output


def test_a_second_run_into_the_same_directory_is_refused(tmp_path: Path) -> None:
    import fcntl

    from amnesty.batch.publish import LOCK_NAME

    source = tmp_path / "in.csv"
    source.write_text("person_id,stage,article,offence_date\nP-1,trial,272,2022-01-05\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with (out / LOCK_NAME).open("ab") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        refused = CliRunner().invoke(app, ["batch", str(source), "--out", str(out), "--jobs", "1"])
    assert refused.exit_code == 3
    assert "another run is writing to" in refused.output
    assert not (out / "summary.json").exists()
