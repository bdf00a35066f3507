"""Under the 2021 law a bulk run's fast path (rules reused by the facts they declare they read:
`amnesty.engine.memo`) writes the same bytes as the plain path (`--no-fast-path`, every rule computed
for every person), on the registry of its own synthetic preset (issue 22)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from amnesty.cli.main import app

runner = CliRunner()
FILES = ("decisions.jsonl", "decisions.csv", "rejected.csv")


def test_fast_path_equals_the_plain_path_under_the_2021_law(tmp_path: Path) -> None:
    source = tmp_path / "independence.parquet"
    made = runner.invoke(
        app,
        ["synth", "--preset", "independence-2021", "--persons", "3000", "--seed", "5", "--out", str(source)],
    )
    assert made.exit_code == 0, made.output
    outputs = {}
    for fast in (True, False):
        out = tmp_path / f"out-{fast}"
        args = ["batch", str(source), "--out", str(out), "--no-zst", "--jobs", "1", "--law", "kz-2021-81-vii"]
        result = runner.invoke(app, [*args, "--fast-path" if fast else "--no-fast-path"])
        assert result.exit_code == 0, result.output
        outputs[fast] = {name: (out / name).read_bytes() for name in FILES}
    assert b'"outcome":"excluded"' in outputs[True]["decisions.jsonl"]
    assert b'"outcome":"release"' in outputs[True]["decisions.jsonl"]
    assert outputs[True] == outputs[False]
