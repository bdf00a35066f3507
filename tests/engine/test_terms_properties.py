"""Property tests (Hypothesis) for the sentence arithmetic of LAW.md section 5 (`amnesty.engine.terms`).

The properties hold for every term, start date and fraction, not only for the worked examples:
a cut never lengthens a term, a reduced end date never falls after the original one, cutting by 0 changes
nothing and cutting by 1 leaves nothing, the last day grows with the term, and month ends are clipped.
An independent oracle restates the rounding rule: the kept term, counted in 30-day months, is the exact
kept share rounded down once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from amnesty.engine.terms import Term, add_months, cut_term, last_day, reduce_sentence

SETTINGS = settings(max_examples=200, deadline=None)

terms = st.builds(
    Term,
    years=st.integers(min_value=0, max_value=30),
    months=st.integers(min_value=0, max_value=11),
    days=st.integers(min_value=0, max_value=400),
)
starts = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))
fractions = st.fractions(min_value=0, max_value=1, max_denominator=100)
law_fractions = st.sampled_from([Fraction(3, 4), Fraction(1, 2)])


@SETTINGS
@given(term=terms, fraction=fractions)
def test_a_cut_term_never_exceeds_the_original(term: Term, fraction: Fraction) -> None:
    kept = cut_term(term, fraction)
    assert kept.sort_key() <= term.sort_key()
    assert kept.total_months <= term.total_months


@SETTINGS
@given(term=terms, fraction=fractions)
def test_the_cut_rounds_down_once_in_thirty_day_months(term: Term, fraction: Fraction) -> None:
    keep = 1 - fraction
    kept = cut_term(term, fraction)
    assert kept.total_months == math.floor(term.total_months * keep)
    assert 30 * kept.total_months + kept.days == math.floor((30 * term.total_months + term.days) * keep)


@SETTINGS
@given(term=terms, start=starts, fraction=fractions)
def test_the_reduced_end_never_falls_after_the_original_end(
    term: Term, start: dt.date, fraction: Fraction
) -> None:
    reduced = reduce_sentence(term, start, fraction)
    assert reduced.new_end_date <= reduced.original_end_date
    assert reduced.original_end_date == last_day(start, term)


@SETTINGS
@given(term=terms, start=starts, fraction=law_fractions)
def test_the_law_s_fractions_need_no_cap(term: Term, start: dt.date, fraction: Fraction) -> None:
    """With a half or three quarters removed, even the uncapped new end is within the original term."""
    reduced = reduce_sentence(term, start, fraction, cap_at_original_end=False)
    assert reduced.new_end_date <= reduced.original_end_date
    assert reduced.new_end_date == last_day(start, reduced.new_term)


@SETTINGS
@given(term=terms)
def test_cutting_by_zero_changes_nothing(term: Term) -> None:
    assert cut_term(term, Fraction(0)) == term


@SETTINGS
@given(term=terms)
def test_cutting_by_one_leaves_nothing(term: Term) -> None:
    assert cut_term(term, Fraction(1)).is_zero()


@SETTINGS
@given(term=terms, start=starts, fraction=fractions)
def test_results_are_deterministic(term: Term, start: dt.date, fraction: Fraction) -> None:
    assert cut_term(term, fraction) == cut_term(Term(term.years, term.months, term.days), fraction)
    assert reduce_sentence(term, start, fraction) == reduce_sentence(term, start, fraction)


@SETTINGS
@given(
    start=starts,
    term=terms,
    more_months=st.integers(min_value=0, max_value=40),
    more_days=st.integers(min_value=0, max_value=400),
)
def test_last_day_grows_with_the_term(start: dt.date, term: Term, more_months: int, more_days: int) -> None:
    longer = Term.from_months_days(term.total_months + more_months, term.days + more_days)
    assert last_day(start, term) <= last_day(start, longer)


@SETTINGS
@given(start=starts, days=st.integers(min_value=1, max_value=400))
def test_a_term_of_days_ends_days_minus_one_later(start: dt.date, days: int) -> None:
    assert last_day(start, Term(days=days)) == start + dt.timedelta(days=days - 1)


@SETTINGS
@given(start=starts, months=st.integers(min_value=0, max_value=400))
def test_add_months_clips_month_ends(start: dt.date, months: int) -> None:
    result = add_months(start, months)
    index = start.year * 12 + start.month - 1 + months
    assert (result.year, result.month) == (index // 12, index % 12 + 1)
    month_length = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, month_length)


@SETTINGS
@given(start=starts, months=st.integers(min_value=0, max_value=400), later=st.integers(0, 60))
def test_add_months_is_monotone_in_the_start(start: dt.date, months: int, later: int) -> None:
    assert add_months(start, months) <= add_months(start + dt.timedelta(days=later), months)


def test_month_end_examples_of_law_md() -> None:
    """LAW.md section 5: 31 Jan + 1 month = 28 Feb (29 Feb in a leap year); 29 Feb + 1 year = 28 Feb."""
    assert add_months(dt.date(2022, 1, 31), 1) == dt.date(2022, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert last_day(dt.date(2022, 1, 31), Term(months=1)) == dt.date(2022, 2, 27)


def test_worked_examples_of_law_md() -> None:
    """LAW.md section 5: the four worked examples of the cut."""
    three_quarters, half = Fraction(3, 4), Fraction(1, 2)
    assert cut_term(Term(years=5), three_quarters) == Term(years=1, months=3)
    assert cut_term(Term(years=7, months=6), three_quarters) == Term(years=1, months=10, days=15)
    assert cut_term(Term(years=3, months=5), three_quarters) == Term(months=10, days=7)
    assert cut_term(Term(years=15), half) == Term(years=7, months=6)
