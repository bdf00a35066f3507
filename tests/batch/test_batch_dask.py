"""The Dask engine on a LocalCluster of worker processes: the same rows as a local run.

For Parquet, the workers read their own row groups and write their own parts of each output dataset
(`decisions.parquet/part-NNNNN.parquet`, ...); the parts read in order hold the same rows as the local
run's files, persons whose rows sit in several partitions (or are scattered) decided once, whole. Other
formats are read by the client and give the very same files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from amnesty.batch.outputs import read_output
from amnesty.batch.run import Engine, run_batch
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset
from amnesty.synth.write import SCHEMA, flatten

FILES = ("decisions.parquet", "decisions.csv", "decisions.jsonl.zst", "rejected.csv", "summary.json")


@pytest.fixture(scope="module")
def scheduler() -> Any:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """National and January persons, small row groups, some persons scattered, some bad rows."""
    persons = list(generate(Preset.NATIONAL, 900, seed=6)) + [
        {**person, "person_id": f"J-{index:04d}"}
        for index, person in enumerate(generate(Preset.JANUARY, 300, seed=6))
    ]
    rows = [dict(zip(SCHEMA.names, values, strict=True)) for person in persons for values in flatten(person)]
    moved = [row for row in rows if row["person_id"] in {"P-00000010", "P-00000500", "J-0007"}][::2]
    rows = [row for row in rows if not any(row is other for other in moved)] + moved
    rows[40]["stage"] = "released"
    rows[41]["offence_date"] = None
    rows[300]["region"] = "Atlantis"
    rows[301]["person_id"] = None
    path = tmp_path_factory.mktemp("dask") / "registry.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), path, row_group_size=97)
    return path


def _parts(directory: Path, name: str) -> list[Path]:
    return sorted((directory / name).glob("part-*"))


def test_dask_workers_write_parts_with_the_local_rows(tmp_path: Path, registry: Path, scheduler: str) -> None:
    local = run_batch(registry, tmp_path / "local", jobs=1, rows_per_chunk=150)
    remote = run_batch(
        registry, tmp_path / "dask", engine=Engine.DASK, scheduler=scheduler, rows_per_chunk=150
    )
    assert remote.rows_in == local.rows_in == remote.rows_decided + remote.rows_rejected
    assert local.rows_rejected > 0
    dask_dir, local_dir = tmp_path / "dask", tmp_path / "local"
    parts = _parts(dask_dir, "decisions.parquet")
    assert len(parts) > 5, "the registry is cut into several partitions"
    table = pa.concat_tables([pq.read_table(part) for part in parts])
    assert table.equals(pq.read_table(local_dir / "decisions.parquet"))
    for name in ("decisions.csv", "rejected.csv"):
        lines = [
            line
            for part in _parts(dask_dir, name)
            for line in part.read_text(encoding="utf-8").splitlines()[1:]
        ]
        assert lines == (local_dir / name).read_text(encoding="utf-8").splitlines()[1:], name
    jsonl = b"".join(read_output(part) for part in _parts(dask_dir, "decisions.jsonl.zst"))
    assert jsonl == read_output(local_dir / "decisions.jsonl.zst")
    assert json.loads((dask_dir / "summary.json").read_text(encoding="utf-8")) == json.loads(
        (local_dir / "summary.json").read_text(encoding="utf-8")
    )


def test_dask_run_of_a_csv_equals_local_run(tmp_path: Path, scheduler: str) -> None:
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


def test_impact_on_dask_equals_local(tmp_path: Path, registry: Path, scheduler: str) -> None:
    from amnesty.batch.process import RunSettings
    from amnesty.impact.runner import run_impact_file

    variant = Path(__file__).resolve().parents[2] / "examples" / "variants" / "grave-half.yaml"
    settings = (RunSettings(), RunSettings(variant=(variant.read_text(encoding="utf-8"), str(variant))))
    local = run_impact_file(registry, *settings, "grave-half", jobs=1, rows_per_chunk=200)
    remote = run_impact_file(
        registry, *settings, "grave-half", engine=Engine.DASK, scheduler=scheduler, rows_per_chunk=200
    )
    assert remote.to_json_dict() == local.to_json_dict()


def test_dask_run_publishes_only_its_own_parts(tmp_path: Path, registry: Path, scheduler: str) -> None:
    """Parts of an earlier run (more of them than this run writes) never mix in; the manifest lists
    exactly this run's parts."""
    out = tmp_path / "out"
    stale = out / "decisions.parquet"
    stale.mkdir(parents=True)
    first = pq.read_table(registry).slice(0, 10)
    for index in (0, 98, 99):
        pq.write_table(first, stale / f"part-{index:05d}.parquet")
    (out / "summary.json").write_text('{"rows_in": 1}', encoding="utf-8")
    summary = run_batch(registry, out, engine=Engine.DASK, scheduler=scheduler, rows_per_chunk=150)
    parts = _parts(out, "decisions.parquet")
    assert "part-00099.parquet" not in {part.name for part in parts}
    assert sum(pq.read_metadata(part).num_rows for part in parts) == summary.persons_decided
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"] for entry in manifest["files"]}
    on_disk = {
        path.relative_to(out).as_posix()
        for path in out.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    }
    assert listed == on_disk - {"manifest.json"}
    decided = [entry for entry in manifest["files"] if entry["path"].startswith("decisions.parquet/")]
    assert sum(entry["rows"] for entry in decided) == summary.persons_decided


def test_dask_rejected_rows_in_the_language_asked(tmp_path: Path, registry: Path, scheduler: str) -> None:
    local = tmp_path / "local"
    run_batch(registry, local, jobs=1, rows_per_chunk=150, rejected_language="ru")
    run_batch(
        registry,
        tmp_path / "dask",
        engine=Engine.DASK,
        scheduler=scheduler,
        rows_per_chunk=150,
        rejected_language="ru",
    )
    lines = [
        line
        for part in _parts(tmp_path / "dask", "rejected.csv")
        for line in part.read_text(encoding="utf-8").splitlines()[1:]
    ]
    expected = (local / "rejected.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert lines == expected
    assert any("Дата совершения" in line or "Регион" in line for line in lines), lines[:3]
