"""The column form of the IIN checks (`iin.iin_arrays`, and the record model's IIN validator's in
`batch.typed.COLUMN_VALIDATORS`) gives exactly what the scalar functions give, string by string."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from amnesty.batch.typed import COLUMN_VALIDATORS, _accepted_unchanged
from amnesty.domain.iin import birth_date_from_iin, iin_arrays, make_iin, validate_iin
from amnesty.domain.records import CaseRecord

SETTINGS = settings(max_examples=300, deadline=None)

ascii_digits = st.text(alphabet="0123456789", min_size=12, max_size=12)
"""Twelve ASCII digits: mostly wrong check digits and impossible dates, every century digit."""
issued = st.builds(
    make_iin,
    st.dates(dt.date(1800, 1, 1), dt.date(2099, 12, 31)),
    st.integers(0, 9_999),
    st.booleans(),
)
"""Valid IINs, every century."""
odd = st.one_of(
    st.text(alphabet="0123456789 ab٣٨²", max_size=14),
    st.text(max_size=13),
    issued.map(lambda iin: f" {iin}"),
    issued.map(lambda iin: iin.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))),
)
"""Blanks, letters, Unicode digits (which `int` reads, or, like '²', does not), other lengths."""
strings = st.one_of(
    st.lists(st.one_of(ascii_digits, issued, odd), max_size=30),
    st.lists(st.one_of(ascii_digits, issued), max_size=30),  # only 12 ASCII digits: the array path alone
)


def _scalar(iin: str) -> tuple[bool, dt.date | None]:
    try:
        validate_iin(iin)
    except ValueError:
        return False, None
    return True, birth_date_from_iin(iin)


@SETTINGS
@given(strings)
def test_iin_arrays_are_validate_iin_and_birth_date_from_iin(iins: list[str]) -> None:
    accepted, births = iin_arrays(iins)
    assert accepted.dtype == np.bool_
    assert births.dtype == np.dtype("datetime64[D]")
    valid, born = accepted.tolist(), births.astype(object).tolist()
    assert list(zip(valid, born, strict=True)) == [_scalar(iin) for iin in iins]


@SETTINGS
@given(strings)
def test_column_validators_are_the_models_validators(values: list[str]) -> None:
    for (model, name), column_form in COLUMN_VALIDATORS.items():
        verdicts = column_form(pl.Series(values, dtype=pl.String)).to_list()
        kept = [value for value, ok in zip(values, verdicts, strict=True) if ok]
        assert kept == _accepted_unchanged(model, name, values)


def test_the_iin_validator_has_its_column_form() -> None:
    assert (CaseRecord, "iin") in COLUMN_VALIDATORS
    accepted, births = iin_arrays([])
    assert (accepted.tolist(), births.tolist()) == ([], [])
