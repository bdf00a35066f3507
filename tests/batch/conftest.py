"""Fixtures for the bulk-run tests: small synthetic registries in every input format."""

from __future__ import annotations

from pathlib import Path

import pytest

from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset
from amnesty.synth.write import write_registry


@pytest.fixture(scope="session")
def january_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same 150 January persons as CSV, Parquet, JSON Lines and XLSX."""
    directory = tmp_path_factory.mktemp("january")
    files = {}
    for extension in ("csv", "parquet", "jsonl", "xlsx"):
        path = directory / f"january.{extension}"
        write_registry(generate(Preset.JANUARY, 150, seed=11), path)
        files[extension] = path
    return files


@pytest.fixture(scope="session")
def mixed_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A national registry with January cases: 1,500 persons, Parquet."""
    path = tmp_path_factory.mktemp("national") / "national.parquet"
    write_registry(generate(Preset.NATIONAL, 1_500, seed=5), path)
    return path


@pytest.fixture(scope="session")
def operator_registry(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """20,000 January persons as CSV and Parquet, made by `amnesty synth` as an operator would (their
    decisions.csv is over 3 MB: long enough a run to kill in the middle)."""
    from .as_operator import amnesty

    directory = tmp_path_factory.mktemp("operator")
    files = {}
    for extension in ("csv", "parquet"):
        path = directory / f"january.{extension}"
        made = amnesty("synth", "--preset", "january", "--persons", "20000", "--out", str(path))
        assert made.returncode == 0, made.stderr
        files[extension] = path
    return files
