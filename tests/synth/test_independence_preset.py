"""The `independence-2021` synthetic preset: reproducible, valid, calibrated on its table, and every
record built so that the 2021 law's rules (LAW-2021.md) can give its kind's outcome."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.domain.enums import Category, CriminalCode, Damage, Punishment, Sex, Stage
from amnesty.domain.records import CaseRecord, parse_record
from amnesty.engine.category import code_category
from amnesty.engine.terms import Term, add_years, last_day, one_year_limit
from amnesty.law.packs.kz_2021_81_vii.lists import Tri, match_charge
from amnesty.law.registry import DEFAULT_LAW_ID, get_law
from amnesty.synth.generate import generate, generate_2021
from amnesty.synth.independence import vulnerable
from amnesty.synth.independence_table import (
    ENTRY_INTO_FORCE,
    FORECAST,
    INDEPENDENCE_DEFAULT_PERSONS,
    SHARES,
    Kind2021,
    Population,
)
from amnesty.synth.presets import Preset
from amnesty.synth.write import write_registry

D = ENTRY_INTO_FORCE
K = Kind2021
SIZE = 12_000
COVERED = {
    K.PRISON_RELEASE,
    K.PRISON_REDUCE,
    K.PRISON_ONE_YEAR_GRAVE,
    K.PRISON_RECIDIVIST,
    K.PRISON_VIOLATOR,
    K.PRISON_GROUP,
    K.PRISON_OBJECTS,
    K.PROBATION_RELEASE,
    K.PROBATION_REDUCE,
    K.PROBATION_ONE_YEAR_GRAVE,
    K.PROBATION_RECIDIVIST,
    K.PROBATION_GROUP,
    K.PROBATION_VIOLATOR,
    K.PROBATION_OBJECTS,
    K.PENDING_TERMINATE,
    K.PENDING_REDUCE,
    K.PENDING_RECIDIVIST,
    K.PENDING_GROUP,
    K.PENDING_OBJECTS,
    K.SERVED,
}
LISTED = {K.PRISON_LISTED, K.PROBATION_LISTED, K.PENDING_LISTED}
POPULATION = {share.kind: share.population for share in SHARES}


@cache
def _sample(size: int = SIZE, seed: int = 5) -> tuple[tuple[Kind2021, CaseRecord], ...]:
    return tuple((kind, parse_record(data)) for kind, data in generate_2021(size, seed))


def _minor(record: CaseRecord) -> bool:
    birth = record.effective_birth_date
    assert birth is not None
    return any(charge.offence_date < add_years(birth, 18) for charge in record.charges)


def _end(record: CaseRecord) -> dt.date | None:
    sentence = record.sentence
    if sentence is None or sentence.term is None or sentence.start_date is None:
        return None
    term = Term(sentence.term.years, sentence.term.months, sentence.term.days)
    return last_day(sentence.start_date, term)


def test_same_seed_same_persons_and_bytes(tmp_path: Path) -> None:
    first, second, other = (tmp_path / f"{name}.jsonl" for name in ("a", "b", "c"))
    write_registry(generate(Preset.INDEPENDENCE_2021, 600, seed=1), first)
    write_registry(generate(Preset.INDEPENDENCE_2021, 600, seed=1), second)
    write_registry(generate(Preset.INDEPENDENCE_2021, 600, seed=2), other)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    kinds = [kind for kind, _ in generate_2021(600, seed=1)]
    assert kinds == [kind for kind, _ in generate_2021(600, seed=1)]


def test_every_record_validates_and_is_complete_where_the_rules_read() -> None:
    for kind, record in _sample():
        assert record.effective_birth_date is not None
        assert record.sex is not None
        assert record.iin is None or (int(record.iin[6]) % 2 == 0) == (record.sex is Sex.FEMALE)
        if kind not in {K.PRISON_UNKNOWN, K.PROBATION_UNKNOWN, K.PENDING_UNKNOWN}:
            assert all(charge.category is not None for charge in record.charges), kind
            assert all(charge.damage is not None for charge in record.charges), kind


def test_kinds_land_within_tolerance_of_the_table() -> None:
    counts = Counter(kind for kind, _ in _sample())
    for share in SHARES:
        p = share.persons / INDEPENDENCE_DEFAULT_PERSONS
        expected = SIZE * p
        tolerance = 4 * math.sqrt(SIZE * p * (1 - p)) + 2
        assert abs(counts[share.kind] - expected) <= tolerance, (share.kind, counts[share.kind], expected)


def test_the_table_carries_the_forecast() -> None:
    assert INDEPENDENCE_DEFAULT_PERSONS == 80_000
    by_population = Counter[Population]()
    for share in SHARES:
        by_population[share.population] += share.persons
    assert by_population[Population.PRISON] == 30_000
    assert by_population[Population.PROBATION] == 25_000
    for (population, outcome), persons in FORECAST.items():
        assert sum(s.persons for s in SHARES if (s.population, s.outcome) == (population, outcome)) == persons


def test_person_facts_have_plausible_shares() -> None:
    prisoners = [r for k, r in _sample() if POPULATION[k] is Population.PRISON]
    women = [r for r in prisoners if r.sex is Sex.FEMALE]
    assert 0.07 <= len(women) / len(prisoners) <= 0.13
    assert sum(bool(r.children_under_18) for r in women) / len(women) >= 0.4
    everyone = [r for _, r in _sample()]
    assert sum(bool(r.veteran) for r in everyone) / len(everyone) < 0.01
    assert 0.003 < sum(r.disability_group in (1, 2) for r in everyone) / len(everyone) < 0.03
    assert sum(r.objects for r in everyone) / len(everyone) < 0.001
    assert sum(bool(r.negative_conduct) for r in prisoners) / len(prisoners) > 0.15
    assert any(r.malicious_violator for r in prisoners)
    assert any(r.crime_while_serving for r in prisoners)
    assert any(c.criminal_group for r in everyone for c in r.charges)
    damages = Counter(c.damage for r in everyone for c in r.charges)
    assert {Damage.NONE, Damage.REPAID, Damage.OUTSTANDING} <= set(damages)
    traffic = [c for r in everyone for c in r.charges if c.article in (345, 346)]
    assert traffic
    assert all(c.intoxicated is not None for c in traffic if c.part != 3 or c.article == 346)
    older = sum(_age_on_d(r) >= 60 for r in prisoners) / len(prisoners)
    assert 0.005 < older < 0.1


def _age_on_d(record: CaseRecord) -> int:
    birth = record.effective_birth_date
    assert birth is not None
    return D.year - birth.year - ((D.month, D.day) < (birth.month, birth.day))


def test_no_offence_on_or_after_entry_into_force_and_each_in_its_codes_time() -> None:
    for _, record in _sample():
        for charge in record.charges:
            assert charge.offence_date < D
            assert charge.offence_end_date is None or charge.offence_end_date < D
            if charge.code is CriminalCode.KZ_2014:
                assert charge.offence_date >= dt.date(2015, 1, 1)
            elif charge.code is CriminalCode.KZ_1997:
                assert dt.date(1998, 1, 1) <= charge.offence_date < dt.date(2015, 1, 1)
            else:
                assert charge.offence_date < dt.date(1998, 1, 1)
            if record.sentence is not None and record.sentence.start_date is not None:
                assert charge.offence_date < record.sentence.start_date <= D


def test_articles_are_in_the_catalogue_or_carry_a_category() -> None:
    law = get_law(DEFAULT_LAW_ID)
    codes = Counter[CriminalCode]()
    for kind, record in _sample():
        for charge in record.charges:
            codes[charge.code] += 1
            assert charge.point is None or isinstance(charge.point, int), "flat files hold numbered points"
            catalogued = charge.code is CriminalCode.KZ_2014 and code_category(
                law, charge.article, charge.part
            )
            if catalogued:
                assert charge.category in (None, catalogued), (charge.article, charge.part)
            elif kind not in {K.PRISON_UNKNOWN, K.PROBATION_UNKNOWN}:
                assert charge.category is not None, (kind, charge.code, charge.article)
    total = sum(codes.values())
    assert codes[CriminalCode.KZ_2014] / total > 0.9
    assert 0.003 < codes[CriminalCode.KZ_1997] / total < 0.05
    assert 0 < codes[CriminalCode.KAZSSR_1959] < total * 0.002


def _listed(record: CaseRecord, index: int) -> Tri:
    charge = record.charges[index]
    return match_charge(
        charge.code.value, charge.article, charge.part, charge.point, _minor(record), charge.intoxicated
    ).answer


def test_covered_kinds_are_off_the_lists_and_listed_kinds_on_them() -> None:
    for kind, record in _sample():
        if kind in COVERED:
            assert all(_listed(record, i) is Tri.NO for i in range(len(record.charges))), (
                kind,
                record.charges,
            )
        elif kind in LISTED:
            assert _listed(record, 0) is Tri.YES, (kind, record.charges[0])


def test_stages_sentences_and_the_one_year_line() -> None:
    limit = one_year_limit(D)
    short = Counter[Kind2021]()
    for kind, record in _sample():
        population, sentence, end = POPULATION[kind], record.sentence, _end(record)
        if population is Population.PENDING:
            assert record.stage in (Stage.PRE_TRIAL, Stage.TRIAL)
            assert sentence is None
            continue
        assert sentence is not None
        if population is Population.SERVED:
            assert record.stage is Stage.SERVED
            assert end is not None
            assert end < D
            continue
        assert record.stage is Stage.SERVING
        if population is Population.PROBATION:
            assert sentence.punishment is Punishment.RESTRICTION_OF_FREEDOM or sentence.conditional
        elif sentence.punishment is not Punishment.LIFE_IMPRISONMENT:
            assert sentence.punishment is Punishment.IMPRISONMENT
            assert not sentence.conditional
        if kind is K.PRISON_LIFE:
            assert sentence.punishment is Punishment.LIFE_IMPRISONMENT
            continue
        assert end is not None
        assert end >= D
        short[kind] += end <= limit
        if kind in (K.PRISON_ONE_YEAR_GRAVE, K.PROBATION_ONE_YEAR_GRAVE):
            assert end <= limit
            assert record.negative_conduct is False
            assert record.charges[0].category is Category.GRAVE
        if kind in (K.PRISON_REDUCE, K.PROBATION_REDUCE):
            assert end > limit
    assert short[K.PRISON_RELEASE] > 0
    assert short[K.PRISON_LISTED] > 0


def test_release_and_reduction_are_routed_by_the_facts_the_rules_read() -> None:
    limit = one_year_limit(D)
    for kind, record in _sample():
        if kind not in {K.PRISON_RELEASE, K.PROBATION_RELEASE, K.PENDING_TERMINATE} | {
            K.PRISON_REDUCE,
            K.PROBATION_REDUCE,
            K.PENDING_REDUCE,
        }:
            continue
        data = record.model_dump(mode="python")
        data["sex"] = record.sex.value if record.sex else None
        birth = record.effective_birth_date
        assert birth is not None
        weak = vulnerable(data, birth)
        end = _end(record)
        r4 = end is not None and end <= limit and record.negative_conduct is False
        categories = {charge.category for charge in record.charges}
        r2 = all(
            charge.damage in (Damage.NONE, Damage.REPAID) or charge.civil_claim is False
            for charge in record.charges
        )
        if kind in (K.PRISON_RELEASE, K.PROBATION_RELEASE, K.PENDING_TERMINATE):
            assert categories <= {Category.SMALL, Category.MEDIUM}
            assert Category.MEDIUM not in categories or r2 or weak or r4
        elif Category.MEDIUM in categories:
            assert not r2, "R5: a medium charge that R2 would release"
            assert not weak, "R5: a medium charge that R3 would release"
            assert not r4, "R5: a medium charge that R4 would release"
        else:
            assert categories <= {Category.GRAVE, Category.ESPECIALLY_GRAVE}


def test_cli_writes_the_preset(tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    result = CliRunner().invoke(
        app, ["synth", "--preset", "independence-2021", "--persons", "40", "--seed", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 40
    assert all(parse_record(json.loads(line)) for line in lines)


@pytest.mark.parametrize("kind", [K.PRISON_UNKNOWN, K.PROBATION_UNKNOWN, K.PENDING_UNKNOWN])
def test_unknown_kinds_miss_a_fact_the_decision_turns_on(kind: Kind2021) -> None:
    for drawn, record in _sample():
        if drawn is not kind:
            continue
        main = record.charges[0]
        missing_category = main.category is None
        missing_damage = main.damage is None
        open_list = _listed(record, 0) is Tri.UNKNOWN
        assert missing_category or missing_damage or open_list, record.charges


@pytest.mark.parametrize("extension", ["parquet", "csv"])
def test_flat_files_carry_the_new_facts(tmp_path: Path, extension: str) -> None:
    import polars as pl

    from amnesty.synth.write import FACT_SCHEMA, SCHEMA

    first, second = tmp_path / f"a.{extension}", tmp_path / f"b.{extension}"
    for out in (first, second):
        write_registry(generate(Preset.INDEPENDENCE_2021, 300, seed=4), out, facts=True)
    assert first.read_bytes() == second.read_bytes()
    frame = pl.read_parquet(first) if extension == "parquet" else pl.read_csv(first)
    assert frame.columns == [*SCHEMA.names, *FACT_SCHEMA.names]
    persons = list(generate(Preset.INDEPENDENCE_2021, 300, seed=4))
    rows = [(p, c) for p in persons for c in p["charges"]]
    assert frame.height == len(rows)
    assert frame["sex"].to_list() == [p["sex"] for p, _ in rows]
    assert frame["code"].to_list() == [c["code"] for _, c in rows]
    assert frame["damage"].to_list() == [c["damage"] for _, c in rows]
    assert frame["sentence_death_commuted"].to_list() == [
        (p["sentence"] or {}).get("death_commuted") for p, _ in rows
    ]


def test_the_2021_law_gives_each_kind_its_tables_outcome() -> None:
    """Under kz-2021-81-vii every person gets the outcome the table names for their kind, so the
    outcome counts of a registry are the table's shares (the forecast's, for the kinds it sizes)."""
    from amnesty.engine.evaluate import evaluate

    law = get_law("kz-2021-81-vii")
    expected = {share.kind: share.outcome for share in SHARES}
    outcomes = Counter[tuple[Population, str]]()
    for kind, record in _sample()[:4_000]:
        outcome = evaluate(record, law, questions=False, sentences=False).outcome
        assert outcome is expected[kind], (kind, record.person_id, outcome)
        outcomes[(POPULATION[kind], outcome.value)] += 1
    for (population, outcome), persons in FORECAST.items():
        share = persons / INDEPENDENCE_DEFAULT_PERSONS
        assert abs(outcomes[(population, outcome.value)] - 4_000 * share) <= 4 * math.sqrt(4_000 * share) + 2
