"""IIN validation and the term arithmetic conventions of LAW.md section 5."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from amnesty.domain.iin import IinError, birth_date_from_iin, make_iin, validate_iin
from amnesty.engine.terms import Term, add_months, cut_term, last_day, one_year_limit, reduce_sentence


def test_contract_iin_is_valid_and_gives_the_birth_date() -> None:
    assert validate_iin("850315300128") == "850315300128"
    assert birth_date_from_iin("850315300128") == dt.date(1985, 3, 15)


@pytest.mark.parametrize(
    ("iin", "problem"),
    [
        ("85031530012", "exactly 12 digits"),
        ("85031530012a", "exactly 12 digits"),
        ("850315300129", "check digit"),
    ],
)
def test_invalid_iins(iin: str, problem: str) -> None:
    with pytest.raises(IinError, match=problem):
        validate_iin(iin)


def test_make_iin_round_trips_the_birth_date() -> None:
    for birth, female in (
        (dt.date(2004, 6, 1), False),
        (dt.date(1999, 12, 31), True),
        (dt.date(1960, 2, 29), False),
    ):
        iin = make_iin(birth, 42, female)
        assert validate_iin(iin) == iin
        assert birth_date_from_iin(iin) == birth


@pytest.mark.parametrize(
    ("term", "fraction", "kept"),
    [
        (Term(5), Fraction(3, 4), Term(1, 3)),
        (Term(7, 6), Fraction(3, 4), Term(1, 10, 15)),
        (Term(3, 5), Fraction(3, 4), Term(0, 10, 7)),
        (Term(15), Fraction(1, 2), Term(7, 6)),
        (Term(0, 0, 10), Fraction(3, 4), Term(0, 0, 2)),
    ],
)
def test_law_md_worked_examples(term: Term, fraction: Fraction, kept: Term) -> None:
    assert cut_term(term, fraction) == kept


def test_month_end_clipping_and_inclusive_last_day() -> None:
    assert add_months(dt.date(2022, 1, 31), 1) == dt.date(2022, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert last_day(dt.date(2022, 1, 6), Term(8)) == dt.date(2030, 1, 5)
    assert last_day(dt.date(2022, 1, 31), Term(0, 1)) == dt.date(2022, 2, 27)


def test_contract_reduction_and_one_year_limit() -> None:
    reduced = reduce_sentence(Term(8), dt.date(2022, 1, 6), Fraction(3, 4))
    assert (reduced.new_term, reduced.original_end_date, reduced.new_end_date) == (
        Term(2),
        dt.date(2030, 1, 5),
        dt.date(2024, 1, 5),
    )
    assert one_year_limit(dt.date(2022, 11, 3)) == dt.date(2023, 11, 2)


def test_negative_term_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Term(-1)
