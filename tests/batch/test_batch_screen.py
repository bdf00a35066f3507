"""The columnar path (typed-column validation + screen + the engine's parts) equals the engine.

Every comparison runs the same input twice, with the columnar path and with `fast_path=False`
(every person validated by the record model and decided by the engine), and compares the output
files byte for byte: on both synthetic presets, on a corpus of bad rows, and on random corpora
(Hypothesis) mixing good and bad rows.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from amnesty.batch import process
from amnesty.batch.compact import COMPACT_EXCLUDE
from amnesty.batch.frames import engine_frame, json_lines, null_openers
from amnesty.batch.outputs import decisions_path, read_output
from amnesty.batch.process import RunSettings, process_chunk
from amnesty.batch.run import run_batch
from amnesty.batch.typed import CROSS_FIELD_CHECKS, model_validator_names
from amnesty.domain.decision import Decision
from amnesty.domain.iin import make_iin
from amnesty.domain.records import parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.io.tabular import open_source
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset
from amnesty.synth.write import SCHEMA, flatten, write_registry

FILES = ("decisions.parquet", "decisions.csv", "decisions.jsonl.zst", "rejected.csv", "summary.json")


def _both_ways(path: Path, out: Path, **options: Any) -> None:
    """Run the columnar path and the plain path; every file must be the same bytes."""
    fast = run_batch(path, out / "fast", RunSettings(fast_path=True, **options), jobs=1, rows_per_chunk=500)
    plain = run_batch(
        path, out / "plain", RunSettings(fast_path=False, **options), jobs=1, rows_per_chunk=500
    )
    assert fast.rows_in == fast.rows_decided + fast.rows_rejected
    assert (fast.rows_decided, fast.rows_rejected) == (plain.rows_decided, plain.rows_rejected)
    for name in FILES:
        assert (out / "fast" / name).read_bytes() == (out / "plain" / name).read_bytes(), name


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("as_of", [None, dt.date(2023, 6, 1), dt.date(2022, 1, 1)])
def test_columnar_path_equals_engine_on_both_presets(
    tmp_path: Path, strict: bool, as_of: dt.date | None
) -> None:
    for preset, persons in ((Preset.NATIONAL, 6_000), (Preset.JANUARY, 2_380)):
        path = tmp_path / f"{preset.value}.parquet"
        write_registry(generate(preset, persons, seed=21), path)
        _both_ways(path, tmp_path / preset.value, strict=strict, as_of=as_of)


def test_a_registry_written_by_polars_takes_the_screen_and_equals_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arrow = tmp_path / "arrow.parquet"
    write_registry(generate(Preset.NATIONAL, 1_500, seed=8), arrow)
    path = tmp_path / "polars.parquet"
    pl.read_parquet(arrow).write_parquet(path)  # Polars writes its strings as large_string
    assert pa.types.is_large_string(pq.read_schema(path).field("person_id").type)
    _both_ways(path, tmp_path / "out")
    screened: list[object] = []
    original = process._plain_frame

    def counting(*args: Any) -> Any:
        screened.append(args[0].height)
        return original(*args)

    monkeypatch.setattr(process, "_plain_frame", counting)
    process_chunk(next(iter(open_source(path).chunks(500))), RunSettings())
    assert screened
    assert screened[0] > 0


def _persons_by_engine(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """From now on, the chunk-local number of every person the engine decides (appended as decided)."""
    by_engine: list[int] = []
    original = process._Collector.engine

    def counting(self: process._Collector, *args: Any) -> Any:
        by_engine.append(args[0])
        return original(self, *args)

    monkeypatch.setattr(process._Collector, "engine", counting)
    return by_engine


def test_the_screen_is_actually_taken_on_a_national_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "national.parquet"
    write_registry(generate(Preset.NATIONAL, 3_000, seed=4), path)
    by_engine = _persons_by_engine(monkeypatch)
    decided = sum(
        process_chunk(chunk, RunSettings()).persons_decided for chunk in open_source(path).chunks(500)
    )
    assert decided == 3_000
    assert len(by_engine) < 0.25 * 3_000, "most persons of a national registry are screened"


def test_persons_with_kinds_of_the_charge_alone_are_screened_and_equal_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of the window, a corruption charge excludes the person (X3), a sexual offence with the
    victim's age unknown leaves the exclusion uncertain (X8), a point or a victim's age decides the
    kind: each is fixed by the charge's own facts, so such persons are screened. A mass-riots charge
    that may be organisation (X6 reads the age on the offence date) goes to the engine."""
    charges: list[dict[str, Any]] = [
        {"article": 366, "part": 3},
        {"article": 120, "part": 1, "victim_minor": None},
        {"article": 120, "part": 1, "victim_minor": True},
        {"article": 120, "part": 1, "victim_minor": False},
        {"article": 189, "part": 3, "point": 2},
        {"article": 189, "part": 3, "point": 1},
        {"article": 189, "part": 3},
        {"article": 123, "part": None},
        {"article": 272, "part": 1},
    ]
    rows: list[dict[str, Any]] = []
    organisers = 0
    persons = 360
    for index in range(persons):
        own = [charges[index % len(charges)], charges[(index // len(charges)) % len(charges)]][
            : 1 + index % 2
        ]
        organisers += any(charge["article"] == 272 for charge in own)
        for number, facts in enumerate(own):
            rows.append(
                {
                    **GOOD,
                    "person_id": f"K-{index:04d}",
                    "iin": None,
                    "category": "grave",
                    "stage": ("trial", "serving", "served")[index % 3],
                    "recidivism": "recidivism" if index % 7 == 0 else "none",
                    "offence_date": dt.date(2019, 1, 5 + number),
                    **facts,
                }
            )
    path = _write(rows, tmp_path / "kinds.parquet")
    by_engine = _persons_by_engine(monkeypatch)
    _both_ways(path, tmp_path)  # the columnar path first, then the plain one (every person by the engine)
    by_the_screen_run = len(by_engine) - persons
    fast = read_output(tmp_path / "fast" / "decisions.jsonl.zst").decode("utf-8").splitlines()
    decisions = [json.loads(line) for line in fast]
    assert len(decisions) == persons
    assert {decision["outcome"] for decision in decisions} == {"excluded", "not_covered"}
    codes = {reason["code"] for decision in decisions for reason in decision["reasons"]}
    assert {"EXCLUDED_CORRUPTION", "EXCLUSION_VICTIM_AGE_UNKNOWN", "EXCLUDED_RECIDIVISM"} <= codes
    assert by_the_screen_run >= organisers, "a possible organiser is decided by the engine"
    assert by_the_screen_run < organisers + 150, "the others are screened (but the first of each shell)"


def test_frame_json_is_the_models_json() -> None:
    decisions = [evaluate(parse_record(data)) for data in generate(Preset.JANUARY, 400, seed=2)]
    frame = engine_frame(
        decisions, range(len(decisions)), [("trial", None, "participant", 0)] * len(decisions)
    )
    lines = json_lines(frame).decode("utf-8").splitlines()
    assert lines == [
        decision.model_dump_json(exclude=COMPACT_EXCLUDE, exclude_none=True) for decision in decisions
    ]


def test_a_null_first_member_is_dropped_as_the_model_drops_it() -> None:
    """`SentenceResult.punishment` may be None and opens its object: the one such field today."""
    assert null_openers(Decision, COMPACT_EXCLUDE) == {"punishment"}
    decisions = [evaluate(parse_record(data)) for data in generate(Preset.JANUARY, 200, seed=3)]
    with_sentence = [decision for decision in decisions if decision.sentence is not None][:5]
    assert with_sentence
    odd = [
        decision.model_copy(update={"sentence": decision.sentence.model_copy(update={"punishment": None})})
        for decision in with_sentence
        if decision.sentence is not None
    ]
    frame = engine_frame(odd, range(len(odd)), [("trial", None, "participant", 0)] * len(odd))
    lines = json_lines(frame).decode("utf-8").splitlines()
    assert lines == [decision.model_dump_json(exclude=COMPACT_EXCLUDE, exclude_none=True) for decision in odd]
    assert all('"sentence":{"start_date"' in line or '"sentence":{}' in line for line in lines)


def test_every_model_validator_has_a_column_form() -> None:
    assert model_validator_names() == set(CROSS_FIELD_CHECKS)


GOOD: dict[str, Any] = {
    "person_id": "P-1",
    "iin": "850315300128",
    "birth_date": dt.date(1985, 3, 15),
    "region": "Almaty",
    "stage": "serving",
    "article": 188,
    "part": 2,
    "category": "medium",
    "offence_date": dt.date(2019, 1, 5),
    "territory": "KZ",
    "context": "unrelated",
    "sentence_punishment": "imprisonment",
    "sentence_years": 4,
    "sentence_start_date": dt.date(2019, 1, 6),
}
BAD_CHANGES: list[dict[str, Any]] = [
    {"birth_date": dt.date(2023, 1, 1)},
    {"birth_date": None, "iin": "230101500009"},
    {"offence_date": None},
    {"sentence_years": -1},
    {"sentence_years": 100_001},
    {"stage": "released"},
    {"stage": None},
    {"context": "protest"},
    {"region": "Atlantis"},
    {"region": "almaty city"},
    {"iin": "850315300129"},
    {"birth_date": dt.date(1985, 3, 16)},
    {"article": 0},
    {"article": 501},
    {"part": 21},
    {"tags": "terrorist;nonsense"},
    {"tags": "terrorist"},
    {"territory": "KAZ"},
    {"territory": "kz"},
    {"offence_end_date": dt.date(2018, 1, 1)},
    {"sentence_punishment": None},
    {"sentence_fine_amount_mci": -1.0},
    {"sentence_fine_amount_mci": float("inf")},
    {"full_name": "x" * 201},
    {"person_id": " P-1 "},
    {"person_id": ""},
    {"recidivism": "dangerous"},
    {"recidivism": "sometimes"},
    {"role": "military"},
]


def _write(rows: list[dict[str, Any]], path: Path) -> Path:
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), path)
    return path


def test_bad_rows_get_the_same_files_both_ways(tmp_path: Path) -> None:
    persons = list(generate(Preset.NATIONAL, 60, seed=8))
    rows = [dict(zip(SCHEMA.names, values, strict=True)) for person in persons for values in flatten(person)]
    for index, change in enumerate(BAD_CHANGES):
        rows[index + 1].update(change)
    path = _write(rows, tmp_path / "bad.parquet")
    _both_ways(path, tmp_path)
    rejected = (tmp_path / "fast" / "rejected.csv").read_text(encoding="utf-8")
    assert ",stage," in rejected
    assert ",iin," in rejected
    assert ",region," in rejected


_DATES = st.dates(dt.date(1950, 1, 1), dt.date(2026, 12, 31))
_WINDOW = st.dates(dt.date(2021, 12, 25), dt.date(2022, 1, 15))


def _cell(good: st.SearchStrategy[Any], *bad: Any) -> st.SearchStrategy[Any]:
    return st.one_of(good, st.none(), st.sampled_from(bad)) if bad else st.one_of(good, st.none())


_ROW = st.fixed_dictionaries(
    {
        "person_id": st.sampled_from(["P-1", "P-2", "P-3", "P-4", " P-5", "", "P-6", "\x1cP-7", "P-8\u3000"]),
        "iin": st.one_of(
            st.none(),
            st.builds(
                lambda day, serial: make_iin(day, serial),
                st.dates(dt.date(1950, 1, 1), dt.date(2004, 12, 31)),
                st.integers(0, 999),
            ),
            st.sampled_from(["850315300129", "12345"]),
        ),
        "birth_date": _cell(st.dates(dt.date(1950, 1, 1), dt.date(2005, 12, 31)), dt.date(2024, 1, 1)),
        "region": _cell(st.sampled_from(["Almaty", "Astana", "Mangystau Region"]), "Atlantis", "almaty", ""),
        "role": _cell(st.sampled_from(["participant", "law_enforcement"]), "king"),
        "recidivism": _cell(st.sampled_from(["none", "none", "recidivism", "dangerous"]), "often"),
        "stage": _cell(st.sampled_from(["pre_trial", "trial", "serving", "served"]), "released"),
        "conviction_expunged": st.one_of(st.none(), st.booleans()),
        "sentence_punishment": _cell(
            st.sampled_from(["imprisonment", "fine", "restriction_of_freedom"]), "exile"
        ),
        "sentence_years": _cell(st.integers(0, 12), -1),
        "sentence_months": _cell(st.integers(0, 11)),
        "sentence_start_date": _cell(_DATES),
        "sentence_conditional": st.one_of(st.none(), st.booleans()),
        "sentence_fine_amount_mci": _cell(st.floats(0, 1000, allow_nan=False), -5.0),
        "sentence_additional": _cell(st.sampled_from(["ban", "ban;fine"]), ";;"),
        "article": st.one_of(
            st.sampled_from(
                [1, 73, 106, 120, 123, 146, 175, 188, 189, 190, 207, 218, 255, 272, 293, 366, 380, 500]
            ),
            st.sampled_from([0, 501]),
        ),
        "part": _cell(st.integers(1, 5), 0, 21),
        "category": _cell(st.sampled_from(["small", "medium", "grave", "especially_grave"]), "huge"),
        "offence_date": st.one_of(_DATES, _WINDOW, st.none()),
        "offence_end_date": _cell(st.one_of(_DATES, _WINDOW)),
        "territory": _cell(st.sampled_from(["KZ", "KG"]), "kz", "KAZ"),
        "context": _cell(st.sampled_from(["riot", "suppression", "unrelated", "unknown"]), "protest"),
        "tags": _cell(st.sampled_from(["terrorist", "corruption"]), "nonsense", ""),
        "point": _cell(st.integers(1, 3), 0),
        "victim_minor": st.one_of(st.none(), st.booleans()),
    }
)


@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(_ROW, min_size=1, max_size=30),
    as_of=st.sampled_from([None, dt.date(2022, 1, 1)]),
    strict=st.booleans(),
)
def test_random_corpus_gives_the_same_files_both_ways(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, Any]], as_of: dt.date | None, strict: bool
) -> None:
    directory = tmp_path_factory.mktemp("random")
    path = _write(
        [{column: row.get(column) for column in SCHEMA.names} for row in rows], directory / "in.parquet"
    )
    _both_ways(path, directory, as_of=as_of, strict=strict)


def test_compact_decisions_have_codes_and_citations_without_sentences(
    tmp_path: Path, mixed_parquet: Path
) -> None:
    run_batch(mixed_parquet, tmp_path / "out", jobs=1)
    first = json.loads(read_output(decisions_path(tmp_path / "out")).decode("utf-8").splitlines()[0])
    reason = first["charges"][0]["reasons"][0]
    assert set(reason) == {"code", "rule", "cites", "provenance"}
    assert "title" not in first["charges"][0]
    assert pl.read_parquet(tmp_path / "out" / "decisions.parquet").height == 1_500
