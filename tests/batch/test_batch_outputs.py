"""Batch outputs: byte-identical re-runs, the same files from every input format and engine, the
single-case decisions, and the summary's accounting."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from amnesty.batch import run as run_module
from amnesty.batch.compact import COMPACT_EXCLUDE, RUN_FIELDS, decision_from_compact, decision_json
from amnesty.batch.outputs import decisions_path, read_output
from amnesty.batch.run import progress_wanted, run_batch
from amnesty.cli.main import app
from amnesty.domain.decision import Decision
from amnesty.domain.records import parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.law.loader import default_law
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset

DECISION_FILES = ("decisions.parquet", "decisions.csv", "decisions.jsonl.zst", "rejected.csv")
ALL_FILES = (*DECISION_FILES, "summary.json")


def _lines(out: Path) -> list[str]:
    """The decision lines of a run's output (`decisions.jsonl.zst` by default)."""
    return read_output(decisions_path(out)).decode("utf-8").splitlines()


def _bytes(directory: Path, names: tuple[str, ...]) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in names}


def test_rerun_gives_identical_bytes(tmp_path: Path, january_files: dict[str, Path]) -> None:
    run_batch(january_files["parquet"], tmp_path / "a", jobs=1, rows_per_chunk=40)
    run_batch(january_files["parquet"], tmp_path / "b", jobs=1, rows_per_chunk=40)
    assert _bytes(tmp_path / "a", ALL_FILES) == _bytes(tmp_path / "b", ALL_FILES)


def test_worker_processes_give_the_same_bytes(tmp_path: Path, january_files: dict[str, Path]) -> None:
    run_batch(january_files["csv"], tmp_path / "one", jobs=1, rows_per_chunk=40)
    run_batch(january_files["csv"], tmp_path / "two", jobs=2, rows_per_chunk=40)
    assert _bytes(tmp_path / "one", ALL_FILES) == _bytes(tmp_path / "two", ALL_FILES)


def test_every_input_format_gives_the_same_decisions(tmp_path: Path, january_files: dict[str, Path]) -> None:
    results = {}
    for extension, path in january_files.items():
        summary = run_batch(path, tmp_path / extension, jobs=1)
        assert summary.persons_decided == 150
        assert summary.rows_rejected == 0
        results[extension] = _bytes(tmp_path / extension, DECISION_FILES)
    assert results["csv"] == results["parquet"] == results["jsonl"] == results["xlsx"]


def test_decisions_are_the_single_case_decisions(tmp_path: Path, january_files: dict[str, Path]) -> None:
    run_batch(january_files["jsonl"], tmp_path / "out", jobs=1)
    lines = _lines(tmp_path / "out")
    expected = [
        decision_json(evaluate(parse_record(data))) for data in generate(Preset.JANUARY, 150, seed=11)
    ]
    assert lines == expected


def test_compact_lines_read_back_to_the_engines_decisions(
    tmp_path: Path, january_files: dict[str, Path]
) -> None:
    run_batch(january_files["parquet"], tmp_path / "out", jobs=1, rows_per_chunk=40)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    lines = _lines(tmp_path / "out")
    words = {name: value for name, value in COMPACT_EXCLUDE.items() if name not in RUN_FIELDS}
    engine = [evaluate(parse_record(data)) for data in generate(Preset.JANUARY, 150, seed=11)]
    assert len(lines) == len(engine) == 150
    for line, decision in zip(lines, engine, strict=True):
        assert "null" not in line
        assert not {"engine_version", "strict"} & set(json.loads(line))
        read = decision_from_compact(json.loads(line), summary)
        assert read == Decision.model_validate(decision.model_dump(exclude=words))
        assert read.engine_version == decision.engine_version
    with_sentence = [json.loads(line) for line in lines if '"sentence":' in line]
    assert with_sentence
    assert any(line["sentence"].get("new_term") is None for line in with_sentence)


def test_summary_and_flat_files_agree(tmp_path: Path, mixed_parquet: Path) -> None:
    summary = run_batch(mixed_parquet, tmp_path / "out", jobs=1, rows_per_chunk=300)
    data = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert data["rows_in"] == data["rows_decided"] + data["rows_rejected"]
    assert data["persons_decided"] == 1_500
    for dimension in ("outcome", "stage", "category", "region", "role"):
        assert sum(data[f"by_{dimension}"].values()) == data["persons_decided"]
    frame = pl.read_parquet(tmp_path / "out" / "decisions.parquet")
    with (tmp_path / "out" / "decisions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert frame.height == len(rows) == summary.persons_decided
    assert frame.get_column("person_id").to_list() == [row["person_id"] for row in rows]
    counts = frame.group_by("outcome").len()
    assert dict(zip(counts["outcome"], counts["len"], strict=True)) == data["by_outcome"]
    assert data["by_outcome"]["not_covered"] > 1_000, "a national registry is mostly outside the window"


def test_cli_batch_exit_codes(tmp_path: Path, january_files: dict[str, Path]) -> None:
    runner = CliRunner()
    good = runner.invoke(
        app, ["batch", str(january_files["csv"]), "--out", str(tmp_path / "ok"), "--jobs", "1"]
    )
    assert good.exit_code == 0, good.output
    assert (tmp_path / "ok" / "summary.json").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,stage,article,offence_date\nP-1,trial,272,2022-13-01\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(bad), "--out", str(tmp_path / "bad"), "--jobs", "1"])
    assert result.exit_code == 1
    rejected = (tmp_path / "bad" / "rejected.csv").read_text(encoding="utf-8")
    assert "2,P-1,offence_date," in rejected


def test_cli_dask_needs_a_scheduler(tmp_path: Path, january_files: dict[str, Path]) -> None:
    result = CliRunner().invoke(
        app, ["batch", str(january_files["csv"]), "--out", str(tmp_path / "x"), "--engine", "dask"]
    )
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("tty", "ci", "wanted"), [(True, "", True), (True, "true", False), (False, "", False)]
)
def test_progress_only_on_a_terminal_outside_ci(
    monkeypatch: pytest.MonkeyPatch, tty: bool, ci: str, wanted: bool
) -> None:
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(run_module.sys.stderr, "isatty", lambda: tty)
    assert progress_wanted() is wanted


def test_cli_lang_adds_sentences_in_the_languages_asked(
    tmp_path: Path, january_files: dict[str, Path]
) -> None:
    runner = CliRunner()
    out = tmp_path / "worded"
    args = ["batch", str(january_files["parquet"]), "--out", str(out), "--jobs", "1"]
    result = runner.invoke(app, [*args, "--lang", "ru", "--lang", "kk"])
    assert result.exit_code == 0, result.output
    lines = _lines(out)
    records = [parse_record(data) for data in generate(Preset.JANUARY, 150, seed=11)]
    assert lines == [decision_json(evaluate(record), ("ru", "kk"), default_law()) for record in records]
    first = json.loads(lines[0])
    assert set(first["reasons"][0]["texts"]) == {"ru", "kk"}
    assert "text" not in first["reasons"][0]
    bad = runner.invoke(app, [*args, "--lang", "de"])
    assert bad.exit_code == 2


def test_cli_writes_the_decisions_compressed_unless_asked_not_to(tmp_path: Path, mixed_parquet: Path) -> None:
    runner = CliRunner()
    for name, extra in (("plain", ["--no-zst"]), ("default", []), ("zst", ["--zst"])):
        result = runner.invoke(
            app, ["batch", str(mixed_parquet), "--out", str(tmp_path / name), "--jobs", "1", *extra]
        )
        assert result.exit_code == 0, result.output
    plain = (tmp_path / "plain" / "decisions.jsonl").read_bytes()
    assert not (tmp_path / "plain" / "decisions.jsonl.zst").exists()
    for name in ("default", "zst"):
        compressed = tmp_path / name / "decisions.jsonl.zst"
        assert not (tmp_path / name / "decisions.jsonl").exists()
        assert decisions_path(tmp_path / name) == compressed
        assert read_output(compressed) == plain
        assert compressed.stat().st_size * 10 < len(plain)
