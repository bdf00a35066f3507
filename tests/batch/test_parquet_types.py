"""Parquet whose dates, numbers and flags are stored as text (or as Arrow dictionary or large_string
columns) is read as the same values in a CSV are, on the default fast path too: `amnesty batch` gives
the same decisions for each form of the same registry."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from amnesty.batch.outputs import REJECTED_CSV
from amnesty.cli.main import app
from amnesty.io.tabular import model_typed
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset
from amnesty.synth.write import write_registry

runner = CliRunner()


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _as_text(table: pa.Table) -> pa.Table:
    """Every column of the table as text, written as a CSV writer writes its values."""
    columns = [
        pa.array([_text(value) for value in column.to_pylist()], pa.string()) for column in table.columns
    ]
    return pa.table(columns, names=table.column_names)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One registry as typed Parquet, text Parquet, dictionary/large_string Parquet and CSV."""
    directory = tmp_path_factory.mktemp("types")
    typed = directory / "typed.parquet"
    write_registry(generate(Preset.NATIONAL, 600, seed=23), typed)
    text = _as_text(pq.read_table(typed))
    pq.write_table(text, directory / "text.parquet")
    encoded = [
        column.dictionary_encode() if index % 2 else column.cast(pa.large_string())
        for index, column in enumerate(text.columns)
    ]
    pq.write_table(pa.table(encoded, names=text.column_names), directory / "encoded.parquet")
    pa_csv.write_csv(text, directory / "text.csv")
    return {path.stem + path.suffix: path for path in directory.iterdir()}


def _batch(path: Path, out: Path, *options: str) -> str:
    result = runner.invoke(app, ["batch", str(path), "--out", str(out), "--jobs", "1", *options])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return (out / "decisions.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["text.parquet", "encoded.parquet"])
def test_text_typed_parquet_decides_as_its_csv(registry: dict[str, Path], name: str, tmp_path: Path) -> None:
    from_csv = _batch(registry["text.csv"], tmp_path / "csv")
    from_typed = _batch(registry["typed.parquet"], tmp_path / "typed")
    decided = _batch(registry[name], tmp_path / "fast")
    slow = _batch(registry[name], tmp_path / "slow", "--no-fast-path")
    assert decided.count("\n") > 600
    assert decided == from_csv == from_typed == slow


def test_text_columns_become_the_model_types() -> None:
    table = pa.table(
        {
            "person_id": pa.array(["P-1", "P-2"]).dictionary_encode(),
            "offence_date": pa.array(["2022-01-05", ""], pa.large_string()),
            "article": pa.array(["272", "15"]),
            "victim_minor": pa.array(["true", None]),
            "sentence_fine_amount_mci": pa.array(["1.5", "20"]),
        }
    )
    typed = model_typed(table)
    assert typed is not None
    assert typed.schema.field("person_id").type == pa.string()
    assert typed.schema.field("offence_date").type == pa.date32()
    assert typed.column("offence_date").to_pylist()[1] is None
    assert typed.schema.field("article").type == pa.int64()
    assert typed.column("victim_minor").to_pylist() == [True, None]
    assert typed.column("sentence_fine_amount_mci").to_pylist() == [1.5, 20.0]


@pytest.mark.parametrize("cell", [" 2022-01-05", "05.01.2022", "2022-02-30", "soon"])
def test_a_text_not_in_canonical_form_is_read_row_by_row(cell: str) -> None:
    table = pa.table({"person_id": ["P-1"], "offence_date": [cell]})
    assert model_typed(table) is None


def test_a_bad_text_date_in_parquet_names_its_row(registry: dict[str, Path], tmp_path: Path) -> None:
    table = pq.read_table(registry["text.parquet"])
    dates = table.column("offence_date").to_pylist()
    dates[4] = "2022-13-45"
    table = table.set_column(table.column_names.index("offence_date"), "offence_date", pa.array(dates))
    path = tmp_path / "bad.parquet"
    pq.write_table(table, path)
    _batch(path, tmp_path / "out")
    with (tmp_path / "out" / REJECTED_CSV).open(encoding="utf-8", newline="") as handle:
        rejected = list(csv.DictReader(handle))
    named = [(line["row"], line["field"]) for line in rejected if line["field"] != "(person)"]
    assert named == [("5", "offence_date")]
    assert "month" in rejected[0]["problem"]
    assert {line["person_id"] for line in rejected} == {rejected[0]["person_id"]}
