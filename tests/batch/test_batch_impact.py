"""Impact on the chunked runner equals the one-record-at-a-time comparison, on every engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from amnesty.batch.process import RunSettings
from amnesty.impact.compare import run_impact
from amnesty.impact.runner import run_impact_file
from amnesty.impact.variant import parse_variant, variant_law
from amnesty.io.tabular import read_records
from amnesty.law.loader import default_law
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset
from amnesty.synth.write import write_registry

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "variants"


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A national registry with a larger share of January persons (two presets, one file)."""
    path = tmp_path_factory.mktemp("impact") / "registry.parquet"
    persons = list(generate(Preset.NATIONAL, 1_200, seed=9))
    january = [
        {**person, "person_id": f"J-{index:05d}"}
        for index, person in enumerate(generate(Preset.JANUARY, 600, seed=9))
    ]
    write_registry(iter(persons + january), path)
    return path


@pytest.mark.parametrize("variant_file", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
@pytest.mark.parametrize("as_of", [None, dt.date(2023, 3, 1)])
def test_runner_impact_equals_record_by_record_impact(
    registry: Path, variant_file: Path, as_of: dt.date | None
) -> None:
    text = variant_file.read_text(encoding="utf-8")
    variant = parse_variant(text, str(variant_file))
    records = [item.record for item in read_records(registry) if hasattr(item, "record")]
    expected = run_impact(records, default_law(), variant_law(variant), variant.name, as_of)
    got = run_impact_file(
        registry,
        RunSettings(as_of=as_of),
        RunSettings(as_of=as_of, variant=(text, str(variant_file))),
        variant.name,
        jobs=1,
        rows_per_chunk=400,
    )
    assert got.changes == expected.changes
    assert got.to_json_dict() == expected.to_json_dict()


def test_runner_impact_in_worker_processes(registry: Path) -> None:
    variant_file = EXAMPLES / "grave-half.yaml"
    text = variant_file.read_text(encoding="utf-8")
    settings = (RunSettings(), RunSettings(variant=(text, str(variant_file))))
    one = run_impact_file(registry, *settings, "grave-half", jobs=1, rows_per_chunk=300)
    two = run_impact_file(registry, *settings, "grave-half", jobs=2, rows_per_chunk=300)
    assert one.to_json_dict() == two.to_json_dict()
    assert one.total().outcome_changed > 0


def test_cli_impact_on_a_parquet_registry_uses_the_runner(registry: Path) -> None:
    import json

    from typer.testing import CliRunner

    from amnesty.cli.main import app

    variant_file = EXAMPLES / "grave-half.yaml"
    result = CliRunner().invoke(
        app, ["impact", str(registry), "--variant", str(variant_file), "--json", "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    records = [item.record for item in read_records(registry) if hasattr(item, "record")]
    variant = parse_variant(variant_file.read_text(encoding="utf-8"), str(variant_file))
    expected = run_impact(records, default_law(), variant_law(variant), variant.name)
    assert data == json.loads(json.dumps(expected.to_json_dict()))


def test_decide_batches_on_the_runner_gives_the_engines_decisions() -> None:
    from amnesty.batch.run import decide_batches
    from amnesty.domain.records import parse_record
    from amnesty.engine.evaluate import evaluate

    records = [parse_record(data) for data in generate(Preset.JANUARY, 300, seed=5)]
    expected = [evaluate(record) for record in records]

    def decided(jobs: int) -> list[object]:
        batches = iter([records[start : start + 64] for start in range(0, len(records), 64)])
        return [decision for batch in decide_batches(batches, jobs=jobs) for decision in batch]

    assert decided(jobs=1) == expected
    assert decided(jobs=2) == expected
