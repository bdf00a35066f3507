"""Law 152-VII does not move: the decisions of both synthetic presets under the default law are
byte-identical to those of the code before laws became packs, but for the law's version, the content
hash of its pack (tests/golden/digests.json says how the digests were made). A deliberate change to a
decision updates the digests with its reason."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.law.registry import DEFAULT_LAW_ID, get_law

DIGESTS = json.loads((Path(__file__).resolve().parents[1] / "golden" / "digests.json").read_text("utf-8"))
runner = CliRunner()


def _sha256(path: Path, version: str) -> str:
    """The file's digest with the law's version (the pack's content hash) written as <law_version>."""
    return hashlib.sha256(path.read_bytes().replace(version.encode(), b"<law_version>")).hexdigest()


@pytest.fixture(scope="module", params=["january", "national"])
def registry(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    preset = str(request.param)
    out = tmp_path_factory.mktemp(preset) / f"{preset}.parquet"
    result = runner.invoke(
        app, ["synth", "--preset", preset, "--persons", "3000", "--seed", "7", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return preset, out


@pytest.mark.parametrize("language", [None, "ru", "kk"])
def test_default_law_decisions_are_byte_identical(
    registry: tuple[str, Path], language: str | None, tmp_path: Path
) -> None:
    preset, source = registry
    args = ["batch", str(source), "--out", str(tmp_path), "--no-zst", "--jobs", "1", "--law", DEFAULT_LAW_ID]
    if language is not None:
        args += ["--lang", language]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    expected = DIGESTS[preset]
    version = get_law(DEFAULT_LAW_ID).version
    assert f'"law_version":"{version}"'.encode() in (tmp_path / "decisions.jsonl").read_bytes()
    key = "decisions.jsonl" + (f" {language}" if language else "")
    assert _sha256(tmp_path / "decisions.jsonl", version) == expected[key]
    assert _sha256(tmp_path / "decisions.csv", version) == expected["decisions.csv"]
