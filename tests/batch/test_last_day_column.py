"""The column form of `terms.last_day` (`process.last_day_column`) gives the engine's last day for any
start and term, month ends and leap days included."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from amnesty.batch.process import last_day_column
from amnesty.engine.terms import Term, last_day

_PARTS = st.one_of(st.none(), st.integers(min_value=0, max_value=40))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2060, 12, 31)),
            _PARTS,
            _PARTS,
            st.one_of(st.none(), st.integers(min_value=0, max_value=800)),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_the_column_form_gives_the_engines_last_day(
    rows: list[tuple[dt.date, int | None, int | None, int | None]],
) -> None:
    frame = pl.DataFrame(
        rows, schema={"start": pl.Date, "years": pl.Int32, "months": pl.Int32, "days": pl.Int32}, orient="row"
    )
    found = frame.select(
        last_day_column(pl.col("start"), pl.col("years"), pl.col("months"), pl.col("days"))
    ).to_series()
    expected = [
        last_day(start, Term(years or 0, months or 0, days or 0)) for start, years, months, days in rows
    ]
    assert found.to_list() == expected


def test_month_ends_and_leap_days() -> None:
    starts = [dt.date(2020, 1, 31), dt.date(2020, 2, 29), dt.date(2019, 8, 31), dt.date(2021, 3, 1)]
    terms = [(0, 1, 0), (1, 0, 0), (0, 6, 0), (0, 0, 0)]
    frame = pl.DataFrame(
        {
            "start": starts,
            "years": [t[0] for t in terms],
            "months": [t[1] for t in terms],
            "days": [t[2] for t in terms],
        }
    )
    found = frame.select(
        last_day_column(pl.col("start"), pl.col("years"), pl.col("months"), pl.col("days"))
    ).to_series()
    assert found.to_list() == [
        dt.date(2020, 2, 28),
        dt.date(2021, 2, 27),
        dt.date(2020, 2, 28),
        dt.date(2021, 2, 28),
    ]
    assert found.to_list() == [last_day(s, Term(*t)) for s, t in zip(starts, terms, strict=True)]
