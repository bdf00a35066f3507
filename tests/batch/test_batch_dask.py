"""The Dask engine gives the same files, byte for byte, as the local engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from amnesty.batch.run import Engine, run_batch

FILES = ("decisions.parquet", "decisions.csv", "decisions.jsonl", "rejected.csv", "summary.json")


@pytest.fixture(scope="module")
def scheduler() -> object:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield cluster.scheduler_address


def test_dask_run_equals_local_run(tmp_path: Path, mixed_parquet: Path, scheduler: str) -> None:
    local = run_batch(mixed_parquet, tmp_path / "local", jobs=1, rows_per_chunk=200)
    remote = run_batch(
        mixed_parquet, tmp_path / "dask", engine=Engine.DASK, scheduler=scheduler, rows_per_chunk=200
    )
    assert remote.rows_in == local.rows_in == remote.rows_decided + remote.rows_rejected
    for name in FILES:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


def test_dask_run_with_bad_rows_equals_local_run(tmp_path: Path, scheduler: str) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "person_id,stage,article,part,category,offence_date,context\n"
        "P-1,trial,272,2,grave,2022-01-05,riot\n"
        "P-2,trial,272,2,grave,2022-01-45,riot\n"
        "P-3,served,188,1,small,2019-03-01,unrelated\n"
        "P-1,trial,188,1,small,2022-01-05,riot\n",
        encoding="utf-8",
    )
    run_batch(source, tmp_path / "local", jobs=1, rows_per_chunk=1)
    run_batch(source, tmp_path / "dask", engine=Engine.DASK, scheduler=scheduler, rows_per_chunk=1)
    for name in FILES:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
