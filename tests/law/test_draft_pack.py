"""A draft made with `amnesty law new ID --from ID` (law/draft.py), from each shipped law: every fact it
carries from the source, its data files' entries included, is unverified, and its starter scenarios are
records the draft decides on, dated by the source law's own dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from amnesty.domain.enums import Flag, Outcome
from amnesty.domain.records import parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.law.draft import SCENARIO_FILE, write_draft
from amnesty.law.registry import LAW_PATH_VARIABLE, get_law, pack_folder
from tests.scenarios.test_scenarios import _scenario_problems

SOURCES = ("kz-2022-152-vii", "kz-2021-81-vii")
DRAFT = "kz-2026-7-viii"


def _provenances(data: Any) -> list[str]:
    if isinstance(data, dict):
        own = [str(data["provenance"])] if "provenance" in data else []
        return own + [p for value in data.values() for p in _provenances(value)]
    if isinstance(data, list):
        return [p for item in data for p in _provenances(item)]
    return []


def _draft(source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = write_draft(DRAFT, source, tmp_path / "laws")
    monkeypatch.setenv(LAW_PATH_VARIABLE, str(tmp_path / "laws"))
    return folder


@pytest.mark.parametrize("source", SOURCES)
def test_every_fact_a_draft_carries_from_its_source_is_unverified(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _draft(source, tmp_path, monkeypatch)
    shipped = sorted(p.name for p in Path(str(pack_folder(source))).glob("*.yaml"))
    assert sorted(p.name for p in folder.glob("*.yaml")) == sorted({*shipped, SCENARIO_FILE})
    for name in shipped:
        source_data = yaml.safe_load(Path(str(pack_folder(source))).joinpath(name).read_text("utf-8"))
        draft_data = yaml.safe_load((folder / name).read_text("utf-8"))
        found = _provenances(draft_data)
        assert len(found) >= len(_provenances(source_data)) > 0, name  # the pack gains the draft's note
        assert set(found) == {"unverified"}, name  # nothing the source verified is verified here


def test_a_draft_from_the_2021_law_carries_its_lists_unverified_and_decides_with_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _draft("kz-2021-81-vii", tmp_path, monkeypatch)
    lists = yaml.safe_load((folder / "exclusion_lists.yaml").read_text("utf-8"))
    assert lists["law"] == DRAFT
    assert len(lists["entries"]) > 200
    murder = parse_record(
        {
            "person_id": "L-1",
            "stage": "serving",
            "charges": [{"code": "kz-2014", "article": 99, "part": 1, "offence_date": "2021-03-01"}],
            "sentence": {"punishment": "imprisonment", "term": {"years": 10}, "start_date": "2021-05-01"},
        }
    )
    source, draft = get_law("kz-2021-81-vii"), get_law(DRAFT)
    as_source = evaluate(murder, law=source)
    assert as_source.outcome is Outcome.EXCLUDED
    assert "LIST_ENTRY_UNVERIFIED" not in {r.code for r in as_source.reasons}
    as_draft = evaluate(murder, law=draft)
    assert as_draft.outcome is Outcome.EXCLUDED  # the copied entry still excludes, provisionally
    assert "LIST_ENTRY_UNVERIFIED" in {r.code for r in as_draft.reasons}
    assert Flag.PROVISIONAL_BASIS in as_draft.flags
    strict = evaluate(murder, law=draft, strict=True)
    assert strict.outcome is Outcome.NEEDS_REVIEW  # a lawyer has not checked the entry against the text
    assert evaluate(murder, law=source, strict=True).outcome is Outcome.EXCLUDED


@pytest.mark.parametrize("source", SOURCES)
def test_a_fresh_drafts_scenarios_are_dated_by_its_source_and_decided_under_the_draft(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _draft(source, tmp_path, monkeypatch)
    law = get_law(DRAFT)
    dates = get_law(source).pack.dates
    scenarios = yaml.safe_load((folder / SCENARIO_FILE).read_text("utf-8"))
    assert {s["as_of"] for s in scenarios} == {
        dates.entry_into_force.value,
        dates.implementation_deadline.value,
    }
    for index, scenario in enumerate(scenarios, start=1):
        # the file is a scenario file the suite reads; only the lawyer's expectations are missing
        assert _scenario_problems(scenario, "s") == ["s: every scenario must expect an outcome"]
        record = parse_record(scenario["record"])
        for charge in record.charges:
            assert charge.offence_date is not None
            assert charge.offence_date < law.entry_into_force
            if dates.offence_window is not None:
                assert dates.offence_window.start <= charge.offence_date <= dates.offence_window.end
        if record.sentence is not None and record.sentence.start_date is not None:
            assert record.sentence.start_date < law.entry_into_force
        as_of: dt.date = scenario["as_of"]
        decision = evaluate(record, law=law, as_of=as_of)
        assert decision.law == DRAFT, index
        assert Flag.BEFORE_ENTRY_INTO_FORCE not in decision.flags, index
        assert decision.outcome is not Outcome.NOT_COVERED, (index, decision.outcome)
        assert Flag.PROVISIONAL_BASIS in decision.flags, index  # every fact of a draft is unverified
