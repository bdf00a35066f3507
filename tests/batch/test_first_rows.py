"""The person-level sameness of `batch.typed.row_checks` gathers each row's person's first value
(`_first_rows`) when persons are numbered in row order: the same as a window over the persons."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from amnesty.batch.typed import _first_rows

SETTINGS = settings(max_examples=300, deadline=None)


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 3), st.one_of(st.none(), st.integers(0, 2))), max_size=40))
def test_gathering_the_first_row_is_the_window_over_persons(rows: list[tuple[int, int | None]]) -> None:
    steps, values = zip(*rows, strict=True) if rows else ((), ())
    persons = [sum(steps[: index + 1]) for index in range(len(steps))]  # never going down
    frame = pl.DataFrame(
        {"person": persons, "value": list(values)}, schema={"person": pl.Int64, "value": pl.Int64}
    )
    first_rows = _first_rows(frame.get_column("person"))
    assert first_rows is not None
    gathered = frame.select(pl.col("value").gather(first_rows)).to_series()
    window = frame.select(pl.col("value").first().over("person")).to_series()
    assert gathered.to_list() == window.to_list()


def test_persons_out_of_order_keep_the_window() -> None:
    assert _first_rows(pl.Series([0, 1, 0])) is None
    assert _first_rows(pl.Series([0, None, 1])) is None
    assert _first_rows(pl.Series([], dtype=pl.Int64)) is not None
