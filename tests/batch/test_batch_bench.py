"""`amnesty bench`: the figures it reports (never their values: timings are not asserted)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from amnesty.cli.main import app

KEYS = {
    "persons",
    "seconds",
    "persons_per_second",
    "io_floor_seconds",
    "ratio_to_floor",
    "peak_rss_mb",
    "peak_pss_mb",
    "cpu_count",
}


def test_bench_json_reports_the_figures_and_caches_the_registry(tmp_path: Path) -> None:
    arguments = ["bench", "--persons", "300", "--json", "--data-dir", str(tmp_path), "--jobs", "1"]
    first = CliRunner().invoke(app, arguments)
    assert first.exit_code == 0, first.output
    figures = json.loads(first.stdout)
    assert figures.keys() >= KEYS
    assert figures["persons"] == 300
    assert figures["persons_decided"] == 300
    assert figures["generate_seconds"] is not None
    assert 0 < figures["peak_pss_mb"] <= figures["peak_rss_mb"]
    second = json.loads(CliRunner().invoke(app, arguments).stdout)
    assert second["generate_seconds"] is None, "the registry is reused"
    assert (tmp_path / "national-300-seed0.parquet").exists()
