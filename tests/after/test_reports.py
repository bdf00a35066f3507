"""Statistics of decisions and `amnesty report`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from amnesty.batch.outputs import read_output
from amnesty.cli.main import app
from amnesty.domain.records import CaseRecord
from amnesty.engine.evaluate import evaluate
from amnesty.render.vocabulary import table_word
from amnesty.reports.inputs import looks_like_decisions, read_decisions
from amnesty.reports.statistics import DIMENSIONS, Statistics, stat_row


def test_counts_match_the_decisions(sample_records: list[CaseRecord]) -> None:
    decisions = [evaluate(r) for r in sample_records]
    stats = Statistics.of(stat_row(d, r) for d, r in zip(decisions, sample_records, strict=True))
    assert stats.counts("outcome") == dict(Counter(d.outcome.value for d in decisions).items())
    assert stats.counts("region") == dict(sorted(Counter(r.region for r in sample_records).items()))
    assert stats.counts("stage") == dict(sorted(Counter(r.stage.value for r in sample_records).items()))
    for dimension in DIMENSIONS:
        assert sum(stats.counts(dimension).values()) == len(sample_records)
    table = stats.table("region")
    outcome_columns = table.header[3:]
    for row in table.rows:
        assert row[1] == sum(row[3 : 3 + len(outcome_columns)])  # type: ignore[arg-type]


def test_cli_report_from_records_writes_tables_and_charts(records_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", str(records_file), "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "report.json").read_text(encoding="utf-8"))
    persons = len(records_file.read_text(encoding="utf-8").splitlines())
    assert summary["persons"] == persons
    workbook = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    assert {table_word(d, "en") for d in DIMENSIONS} <= set(workbook.sheetnames)  # for people: in words
    region_rows = list(workbook["Region"].iter_rows(values_only=True))
    assert sum(row[1] for row in region_rows[1:-1]) == persons
    assert region_rows[-1][:2] == ("Total", persons)
    assert (out / "chart_outcome.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (out / "chart_region.svg").read_bytes()[:2000]
    assert (out / "by_offence_month.csv").read_text(encoding="utf-8-sig").startswith("offence_month,")


def test_cli_report_from_decisions_jsonl(sample_records: list[CaseRecord], tmp_path: Path) -> None:
    path = tmp_path / "decisions.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for record in sample_records[:40]:
            data = evaluate(record).to_json_dict()
            data["region"] = record.region
            handle.write(json.dumps(data, ensure_ascii=False) + "\n")
        handle.write("{not json\n")
    assert looks_like_decisions(path)
    read = read_decisions(path)
    assert len(read.decisions) == 40
    assert len(read.errors) == 1
    assert read.errors[0].line == 41
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", str(path), "--out", str(out)])
    assert result.exit_code == 1
    summary = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert summary["persons"] == 40
    assert summary["region"] == dict(sorted(Counter(r.region for r in sample_records[:40]).items()))
    assert summary["stage"] == {"unknown": 40}


def test_cli_report_joins_decisions_with_their_records(
    sample_records: list[CaseRecord], records_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "decisions.jsonl"
    path.write_text("".join(evaluate(r).model_dump_json() + "\n" for r in sample_records), encoding="utf-8")
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", str(path), "--records", str(records_file), "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert summary["stage"] == dict(sorted(Counter(r.stage.value for r in sample_records).items()))
    assert summary["role"] == dict(sorted(Counter(r.role.value for r in sample_records).items()))


def test_report_reads_the_compact_decisions_of_a_batch_run(records_file: Path, tmp_path: Path) -> None:
    """`amnesty batch` writes compact lines (no run-wide fields, no nulls); `amnesty report` reads them
    back with the run's summary.json into the very decisions the engine made."""
    out = tmp_path / "batch"
    ran = CliRunner().invoke(app, ["batch", str(records_file), "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    first = json.loads(read_output(out / "decisions.jsonl.zst").decode("utf-8").splitlines()[0])
    assert "engine_version" not in first
    found = read_decisions(out / "decisions.jsonl.zst")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert not found.errors
    assert len(found.decisions) == summary["persons_decided"] > 0
    assert all(decision.engine_version == summary["engine_version"] for decision in found.decisions)


def test_cli_report_refuses_a_zst_file_that_is_not_zstd(tmp_path: Path) -> None:
    path = tmp_path / "decisions.jsonl.zst"
    path.write_text('{"outcome": "release", "law_version": "x"}\n', encoding="utf-8")  # not compressed
    result = CliRunner().invoke(app, ["report", str(path), "--out", str(tmp_path / "report")])
    assert result.exit_code == 2
    assert "is not a zstd-compressed file" in result.output
    assert not (tmp_path / "report").exists()
