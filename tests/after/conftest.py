"""Fixtures for the after-the-decision tests: hand-made records and a small synthetic set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord, parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.impact.demo import demo_records

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "variants"


def grave_serving(person_id: str, years: int, region: str = "Almaty", **extra: Any) -> dict[str, Any]:
    """A grave riot charge, imprisonment from 6 January 2022."""
    return {
        "person_id": person_id,
        "full_name": "Әбілов Нұрлан",
        "iin": None,
        "region": region,
        "stage": "serving",
        "charges": [
            {"article": 272, "part": 2, "category": "grave", "offence_date": "2022-01-05", "context": "riot"}
        ],
        "sentence": {
            "punishment": "imprisonment",
            "term": {"years": years, "months": 0, "days": 0},
            "start_date": "2022-01-06",
        },
        **extra,
    }


def medium_pre_trial(person_id: str, region: str = "Astana") -> dict[str, Any]:
    """A medium-gravity theft under investigation."""
    return {
        "person_id": person_id,
        "region": region,
        "stage": "pre_trial",
        "charges": [
            {"article": 188, "part": 2, "category": "medium", "offence_date": "2022-01-06", "context": "riot"}
        ],
    }


@pytest.fixture(scope="session")
def sample_records() -> list[CaseRecord]:
    """A varied synthetic set (deterministic)."""
    return demo_records(300, seed=7)


@pytest.fixture(scope="session")
def one_per_outcome(sample_records: list[CaseRecord]) -> dict[Outcome, tuple[CaseRecord, Decision]]:
    """The first record of the synthetic set for every outcome it contains."""
    found: dict[Outcome, tuple[CaseRecord, Decision]] = {}
    for record in sample_records:
        decision = evaluate(record)
        found.setdefault(decision.outcome, (record, decision))
    return found


@pytest.fixture
def records_file(tmp_path: Path, sample_records: list[CaseRecord]) -> Path:
    """The synthetic set as JSON Lines."""
    path = tmp_path / "records.jsonl"
    path.write_text(
        "".join(r.model_dump_json(exclude_none=True) + "\n" for r in sample_records), encoding="utf-8"
    )
    return path


def write_json(path: Path, data: Any) -> Path:
    """Write data as JSON and return the path."""
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def record(data: dict[str, Any]) -> CaseRecord:
    """Validate a record dict."""
    return parse_record(data)


@pytest.fixture
def make_grave() -> Any:
    """Factory for grave serving records."""
    return grave_serving


@pytest.fixture
def make_medium() -> Any:
    """Factory for medium pre-trial records."""
    return medium_pre_trial
