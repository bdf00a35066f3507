"""Shared fixtures: the bundled law and a builder for case records."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from amnesty.domain.records import CaseRecord, parse_record
from amnesty.law.loader import Law, default_law

BASE_RECORD: dict[str, Any] = {
    "person_id": "P-TEST",
    "region": "Almaty",
    "stage": "serving",
    "charges": [
        {"article": 272, "part": 2, "category": "grave", "offence_date": "2022-01-05", "context": "riot"}
    ],
    "sentence": {"punishment": "imprisonment", "term": {"years": 8}, "start_date": "2022-01-06"},
}


@pytest.fixture(scope="session")
def law() -> Law:
    """The bundled law pack with its catalogue."""
    return default_law()


@pytest.fixture
def make_record() -> Callable[..., CaseRecord]:
    """Build a validated record from the base record with fields replaced (charge fields via `charge=`)."""

    def build(charge: dict[str, Any] | None = None, **fields: Any) -> CaseRecord:
        data = copy.deepcopy(BASE_RECORD)
        if charge is not None:
            data["charges"] = [{**data["charges"][0], **charge}]
        data.update(fields)
        return parse_record(data)

    return build
