"""The synthetic registry: reproducible, calibrated, valid, invented."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from amnesty.domain.enums import Outcome, Punishment, Stage
from amnesty.domain.iin import birth_date_from_iin, validate_iin
from amnesty.domain.records import parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.synth.generate import generate
from amnesty.synth.names import female_from_iin
from amnesty.synth.presets import JANUARY_DEFAULT_PERSONS, Preset
from amnesty.synth.write import write_registry

SAMPLE = Path(__file__).parents[2] / "src" / "amnesty" / "synth" / "data" / "january-sample.jsonl"
COVERED = {
    Outcome.TERMINATE_CASE,
    Outcome.RELEASE,
    Outcome.REDUCE_SENTENCE,
    Outcome.REDUCE_AT_SENTENCING,
    Outcome.EXPUNGE_CONVICTION,
}


@pytest.mark.parametrize("extension", ["jsonl", "csv", "parquet", "xlsx"])
def test_same_seed_same_bytes(tmp_path: Path, extension: str) -> None:
    first, second, other = (tmp_path / f"{name}.{extension}" for name in ("a", "b", "c"))
    write_registry(generate(Preset.NATIONAL, 400, seed=1), first)
    write_registry(generate(Preset.NATIONAL, 400, seed=1), second)
    write_registry(generate(Preset.NATIONAL, 400, seed=2), other)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_january_is_calibrated_on_the_reported_figures() -> None:
    outcomes: Counter[Outcome] = Counter()
    convicted = custody = 0
    for data in generate(Preset.JANUARY, JANUARY_DEFAULT_PERSONS, seed=0):
        record = parse_record(data)
        outcomes[evaluate(record).outcome] += 1
        if record.stage in (Stage.SERVING, Stage.SERVED):
            convicted += 1
        sentence = record.sentence
        if record.stage is Stage.SERVING and sentence and sentence.punishment is Punishment.IMPRISONMENT:
            custody += not sentence.conditional
    covered = sum(outcomes[outcome] for outcome in COVERED)
    assert 1_350 <= covered <= 1_650, "LAW.md section 7: about 1,500 covered"
    assert 1_000 <= convicted <= 1_225, "1,112 convicted"
    assert 95 <= custody <= 160, "128 in custody"
    assert 327 <= outcomes[Outcome.REDUCE_AT_SENTENCING] <= 400, "363 grave cases pending"
    assert outcomes[Outcome.EXCLUDED] > 0
    assert outcomes[Outcome.NEEDS_REVIEW] > 0
    assert outcomes[Outcome.NOT_COVERED] > 0


def test_records_are_valid_and_invented() -> None:
    minors = recidivists = missing_region = 0
    for data in generate(Preset.JANUARY, 1_000, seed=4):
        record = parse_record(data)
        assert record.full_name is not None
        surname, given, patronymic = record.full_name.split(" ")
        assert all(
            re.fullmatch(r"[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+", word) for word in (surname, given, patronymic)
        )
        female = female_from_iin(record.iin)
        if female is not None:
            assert patronymic.endswith(("вна", "қызы")) == female, record.full_name
        if record.iin is not None:
            assert validate_iin(record.iin) == record.iin
            assert record.birth_date in (None, birth_date_from_iin(record.iin))
        birth = record.effective_birth_date
        if birth is not None:
            offence = record.charges[0].offence_date
            minors += (
                offence.year - birth.year - ((offence.month, offence.day) < (birth.month, birth.day))
            ) < 18
        recidivists += record.recidivism.value != "none"
        missing_region += record.region is None
    assert minors > 0
    assert recidivists > 0
    assert missing_region > 0


def test_national_is_mostly_outside_the_window() -> None:
    outcomes = Counter(
        evaluate(parse_record(data)).outcome for data in generate(Preset.NATIONAL, 3_000, seed=4)
    )
    assert outcomes[Outcome.NOT_COVERED] + outcomes[Outcome.EXCLUDED] > 0.9 * 3_000


def test_bundled_sample_is_the_generators_output(tmp_path: Path) -> None:
    regenerated = tmp_path / "sample.jsonl"
    write_registry(generate(Preset.JANUARY, 300, seed=2022), regenerated)
    assert SAMPLE.read_bytes() == regenerated.read_bytes()
