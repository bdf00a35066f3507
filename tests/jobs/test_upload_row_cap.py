"""The row cap of an upload (`xlsx_guard.UPLOAD_LIMITS.max_rows`) holds XLSX workbooks only: a CSV or
Parquet file of more rows is read whole (its size is bounded by the upload's bytes), an XLSX of the
same rows is refused naming the cap."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from amnesty.io.json_records import ParsedRecord
from amnesty.jobs import inputs
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset
from amnesty.synth.write import write_registry

PERSONS = 30
CAP = 10
"""Rows of records the test's cap allows (the registry has more rows than that in every format)."""


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "UPLOAD_LIMITS", dataclasses.replace(inputs.UPLOAD_LIMITS, max_rows=CAP + 1))


def _registry(tmp_path: Path, extension: str) -> Path:
    path = tmp_path / f"registry.{extension}"
    rows = write_registry(generate(Preset.NATIONAL, PERSONS, seed=2), path)
    assert rows > CAP
    return path


@pytest.mark.usefixtures("small_cap")
@pytest.mark.parametrize("extension", ["csv", "parquet"])
def test_csv_and_parquet_uploads_are_not_held_to_the_row_cap(tmp_path: Path, extension: str) -> None:
    items = inputs.read_path(_registry(tmp_path, extension))
    assert len(items) == PERSONS
    assert all(isinstance(item, ParsedRecord) for item in items)


@pytest.mark.usefixtures("small_cap")
def test_an_xlsx_upload_over_the_row_cap_is_refused(tmp_path: Path) -> None:
    with pytest.raises(inputs.UnreadableFileError) as refused:
        inputs.read_path(_registry(tmp_path, "xlsx"))
    assert refused.value.code == "workbook_too_many_rows"
    assert f"{CAP:,} rows" in str(refused.value)
