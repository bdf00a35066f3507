"""The memoised path for plainly uncovered persons gives exactly the engine's bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from amnesty.batch.fastpath import NotCoveredPath
from amnesty.batch.process import RunSettings
from amnesty.batch.rows import decision_row
from amnesty.batch.run import run_batch
from amnesty.domain.records import parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.law.loader import default_law
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset
from amnesty.synth.write import write_registry

OUTPUTS = ("decisions.parquet", "decisions.csv", "decisions.jsonl", "rejected.csv", "summary.json")


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("as_of", [None, dt.date(2023, 6, 1)])
def test_fast_path_equals_engine_on_both_presets(strict: bool, as_of: dt.date | None) -> None:
    law = default_law()
    path = NotCoveredPath(law, as_of or law.entry_into_force, strict)
    taken = 0
    for preset, persons in ((Preset.NATIONAL, 20_000), (Preset.JANUARY, 3_000)):
        for data in generate(preset, persons, seed=3):
            record = parse_record(data)
            quick = path.decide(record)
            if quick is None:
                continue
            taken += 1
            decision = evaluate(record, law, as_of, strict)
            assert quick[0] == decision.model_dump_json()
            assert quick[1] == decision_row(record, decision)
    assert taken > 15_000, "the fast path must actually be taken on a national registry"


def test_fast_path_covers_odd_charges_exactly() -> None:
    law = default_law()
    path = NotCoveredPath(law, law.entry_into_force, False)
    base = {"person_id": "P-1", "stage": "serving", "region": "Almaty"}
    charges = [
        {"article": 188, "offence_date": "2021-12-31", "offence_end_date": "2022-01-03", "context": "riot"},
        {"article": 106, "part": 3, "offence_date": "2022-01-08", "territory": "KG"},
        {"article": 999 % 500 or 1, "offence_date": "2020-02-29"},
        {"article": 187, "offence_date": "2019-05-05", "context": "unknown"},
    ]
    sentences = [None, {"punishment": "imprisonment", "term": {"years": 3}, "start_date": "2020-01-31"}]
    for charge in charges:
        for sentence in sentences:
            record = parse_record({**base, "charges": [charge, charges[0]], "sentence": sentence})
            quick = path.decide(record)
            assert quick is not None
            decision = evaluate(record, law)
            assert quick[0] == decision.model_dump_json()
            assert quick[1] == decision_row(record, decision)


def test_fast_path_declines_an_offence_running_into_the_window() -> None:
    law = default_law()
    path = NotCoveredPath(law, law.entry_into_force, False)
    charge = {
        "article": 188,
        "offence_date": "2021-12-31",
        "offence_end_date": "2022-01-05",
        "context": "riot",
    }
    record = parse_record({"person_id": "P-1", "stage": "pre_trial", "charges": [charge]})
    assert path.decide(record) is None
    assert evaluate(record, law).outcome.value == "needs_review"


def test_fast_path_declines_what_it_does_not_know() -> None:
    law = default_law()
    path = NotCoveredPath(law, law.entry_into_force, False)
    inside = {
        "person_id": "P-1",
        "stage": "trial",
        "charges": [{"article": 272, "offence_date": "2022-01-05"}],
    }
    tagged = {**inside, "charges": [{"article": 366, "offence_date": "2019-01-05"}]}
    recidivist = {
        **inside,
        "recidivism": "recidivism",
        "charges": [{"article": 188, "offence_date": "2019-01-05"}],
    }
    quoted = {**inside, "person_id": 'P-"1"', "charges": [{"article": 188, "offence_date": "2019-01-05"}]}
    for data in (inside, tagged, recidivist, quoted):
        assert path.decide(parse_record(data)) is None
    early = NotCoveredPath(law, dt.date(2022, 6, 1), False)
    assert (
        early.decide(parse_record({**inside, "charges": [{"article": 188, "offence_date": "2019-01-05"}]}))
        is None
    )


def test_batch_files_are_identical_with_and_without_the_fast_path(tmp_path: Path) -> None:
    source = tmp_path / "national.parquet"
    write_registry(generate(Preset.NATIONAL, 4_000, seed=9), source)
    run_batch(source, tmp_path / "fast", RunSettings(fast_path=True), jobs=1, rows_per_chunk=1_000)
    run_batch(source, tmp_path / "engine", RunSettings(fast_path=False), jobs=1, rows_per_chunk=1_000)
    for name in OUTPUTS:
        assert (tmp_path / "fast" / name).read_bytes() == (tmp_path / "engine" / name).read_bytes(), name
