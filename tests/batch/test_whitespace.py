"""The column forms of stripping strip what Python's `str.strip()` strips: the whitespace set, the
person keys of Arrow rows (`io.tabular.arrow_key_column`) and the expression form of the person_id
validator (`batch.typed.EXPRESSION_VALIDATORS`)."""

from __future__ import annotations

import sys

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from amnesty.batch.typed import EXPRESSION_VALIDATORS, _accepted_unchanged
from amnesty.domain.records import CaseRecord
from amnesty.io.tabular import arrow_keys
from amnesty.io.whitespace import PYTHON_WHITESPACE

SETTINGS = settings(max_examples=300, deadline=None)

texts = st.text(alphabet=st.sampled_from([*PYTHON_WHITESPACE, "P", "-", "1", "é", "\u200b", "\ufeff"]))
"""Strings of Python's whitespace, a few letters, and characters that look blank but are not
whitespace to `str.isspace` (zero-width space, byte-order mark)."""


def test_the_set_is_what_str_isspace_calls_whitespace() -> None:
    every = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert set(PYTHON_WHITESPACE) == every
    assert len(PYTHON_WHITESPACE) == len(every)


@SETTINGS
@given(st.lists(st.one_of(st.none(), texts), max_size=20), st.sampled_from(["string", "large_string"]))
def test_arrow_keys_strip_as_python_strips(values: list[str | None], kind: str) -> None:
    table = pa.table({"person_id": pa.array(values, getattr(pa, kind)())})
    assert arrow_keys(table) == [None if value is None else (value.strip() or None) for value in values]


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.integers(-5, 5)), max_size=10))
def test_arrow_keys_of_numbers_are_their_text(values: list[int | None]) -> None:
    table = pa.table({"person_id": pa.array(values, pa.int64())})
    assert arrow_keys(table) == [None if value is None else str(value) for value in values]


def test_arrow_keys_of_string_view_and_of_no_column() -> None:
    view = pa.table({"person_id": pa.array([" P-1\x1c", "", None], pa.string_view())})
    assert arrow_keys(view) == ["P-1", None, None]
    assert arrow_keys(pa.table({"other": [1, 2]})) == [None, None]


@SETTINGS
@given(st.lists(texts, max_size=20))
def test_expression_validators_are_the_models_validators(values: list[str]) -> None:
    for (model, name), expression_form in EXPRESSION_VALIDATORS.items():
        frame = pl.DataFrame({"cell": values}, schema={"cell": pl.String})
        verdicts = frame.select(expression_form(pl.col("cell"))).to_series().to_list()
        kept = [value for value, ok in zip(values, verdicts, strict=True) if ok]
        assert kept == _accepted_unchanged(model, name, values)


def test_the_person_id_validator_has_its_expression_form() -> None:
    assert (CaseRecord, "person_id") in EXPRESSION_VALIDATORS
