"""The bulk screen follows the pack: under a law added as a folder, whose window, fractions and article
list differ from Law 152-VII's, the fast path's decisions are byte-identical to the engine's
(`--no-fast-path`). A screen written by hand for one law would fail here."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.law.loader import deep_merge, raw_pack
from amnesty.law.registry import LAW_PATH_VARIABLE

runner = CliRunner()
OTHER = "kz-2099-screen-check"


@pytest.fixture
def other_law(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    data = raw_pack()
    entries = [e for e in data["article_list"]["entries"] if e["article"] not in (293, 294)]
    pack = deep_merge(
        data,
        {
            "id": OTHER,
            "dates": {"offence_window": {"start": "2022-01-05", "end": "2022-01-20"}},
            "relief": {"reduction": {"grave": "1/2", "especially_grave": "1/3"}},
            "article_list": {"entries": entries},
        },
    )
    folder = tmp_path / "laws" / OTHER.replace("-", "_")
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(LAW_PATH_VARIABLE, str(tmp_path / "laws"))
    return OTHER


@pytest.mark.parametrize("preset", ["january", "national"])
def test_fast_path_equals_the_engine_under_another_law(other_law: str, preset: str, tmp_path: Path) -> None:
    source = tmp_path / f"{preset}.parquet"
    made = runner.invoke(
        app, ["synth", "--preset", preset, "--persons", "2000", "--seed", "3", "--out", str(source)]
    )
    assert made.exit_code == 0, made.output
    outputs = {}
    for fast in (True, False):
        out = tmp_path / f"out-{fast}"
        args = ["batch", str(source), "--out", str(out), "--no-zst", "--jobs", "1", "--law", other_law]
        result = runner.invoke(app, [*args, "--fast-path" if fast else "--no-fast-path"])
        assert result.exit_code == 0, result.output
        outputs[fast] = (out / "decisions.jsonl").read_bytes()
    assert b'"law":"kz-2099-screen-check"' in outputs[True]
    assert outputs[True] == outputs[False]
