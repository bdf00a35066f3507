"""The columnar neutralisation of bulk CSV writers equals the cell-wise one (`neutralise`)."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from amnesty.io.safe_cells import FORMULA_TRIGGERS, neutralise, safe_frame

texts = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.builds(lambda t, rest: t + rest, st.sampled_from(FORMULA_TRIGGERS), st.text(max_size=4)),
)


@given(st.lists(texts, min_size=1, max_size=20), st.lists(st.integers(-10, 10), min_size=1, max_size=1))
def test_safe_frame_equals_neutralise_cell_by_cell(values: list[str | None], number: list[int]) -> None:
    frame = pl.DataFrame(
        {"text": values, "number": number * len(values)}, schema={"text": pl.String, "number": pl.Int64}
    )
    out = safe_frame(frame)
    assert out["text"].to_list() == [None if v is None else neutralise(v) for v in values]
    assert out["number"].to_list() == frame["number"].to_list()
