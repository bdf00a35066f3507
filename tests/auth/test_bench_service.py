"""`amnesty bench-service` on a tiny register: it seeds, serves as a process, finds the pages,
reports a page that does not exist as missing instead of failing, and measures every figure."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from amnesty.cli import bench_service
from amnesty.cli.bench_service import BenchOptions, render, run
from tests.service.conftest import PG_DATABASE, PG_HOST, PG_PORT, postgres_answers


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_small_run_measures_every_figure(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    url = None
    if backend == "postgresql":
        if not postgres_answers():
            pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
        url = f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{PG_DATABASE}"
    monkeypatch.setattr(bench_service, "PAGES", (*bench_service.PAGES, ("nowhere", ("/no-such-page",))))
    options = BenchOptions(
        persons=40, database_url=url, import_persons=30, warm=2, clients=4, requests_per_client=2, timeout=300
    )
    report = run(options)

    assert report.backend == backend
    assert report.persons == 40
    assert report.seed_persons_per_s is not None
    assert report.seed_persons_per_s > 0
    pages = {page.name: page for page in report.pages}
    assert pages["nowhere"].status == "missing"
    for name in ("dashboard", "cases list", "review queue", "person page", "law page"):
        assert pages[name].status == "ok", pages[name]
        assert pages[name].first_s is not None
        assert pages[name].warm_p95_ms is not None
        assert pages[name].after_write_s is not None
    assert report.import_status == "ok"
    assert report.import_persons == 30
    assert report.health_samples >= 1
    assert report.evaluate_requests == 8
    assert report.evaluate_errors == 0
    assert report.evaluate_p99_ms is not None
    assert report.rss_peak_mb is not None
    assert report.rss_peak_mb > 10
    assert json.loads(json.dumps(report.to_json_dict()))["targets"]["evaluate_p99_ms"] == 50.0
    console = Console(width=160, record=True)
    console.print(render(report))
    assert "missing" in console.export_text()
