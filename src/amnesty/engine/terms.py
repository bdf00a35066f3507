"""Sentence arithmetic (LAW.md section 5, rule A1): terms in years, months and days, exact fractions.

Conventions, each a parameter of the law pack's `arithmetic` section:
- the last day of a term is start + years + months + days - 1 day, month ends clipped
  (31 January + 1 month = 28 February);
- a cut by a fraction f keeps (1 - f) of the term: whole months are kept exactly as a fraction, the
  fraction of a month becomes days at `days_per_month` days, and days are rounded down (in the
  convict's favour);
- a reduced end date is never later than the original end date (`cap_at_original_end`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Rounding = Literal["down", "up", "half_up"]


@dataclass(frozen=True, order=False)
class Term:
    """A length of time as a court writes it: years, months, days (all non-negative)."""

    years: int = 0
    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if min(self.years, self.months, self.days) < 0:
            raise ValueError("a term cannot be negative")

    @property
    def total_months(self) -> int:
        """Years and months together, in months."""
        return 12 * self.years + self.months

    def sort_key(self) -> tuple[int, int]:
        """Order of terms: by whole months, then days (no month is assumed to have a length)."""
        return (self.total_months, self.days)

    def is_zero(self) -> bool:
        """True for a term of no length."""
        return self.total_months == 0 and self.days == 0

    def as_dict(self) -> dict[str, int]:
        """The contract's JSON shape of a term."""
        return {"years": self.years, "months": self.months, "days": self.days}

    @classmethod
    def from_months_days(cls, months: int, days: int) -> Term:
        """Normalise whole months into years and months."""
        return cls(years=months // 12, months=months % 12, days=days)

    def describe(self) -> str:
        """'2 years 3 months 5 days', leaving out zero parts."""
        parts = [
            f"{value} {unit}{'' if value == 1 else 's'}"
            for value, unit in ((self.years, "year"), (self.months, "month"), (self.days, "day"))
            if value
        ]
        return " ".join(parts) if parts else "0 days"

    def as_param(self) -> str:
        """The term as a message parameter, spelt out in each language by the message renderer."""
        return f"term:{self.years},{self.months},{self.days}"


def add_months(start: dt.date, months: int) -> dt.date:
    """Add calendar months, clipping to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def add_years(start: dt.date, years: int) -> dt.date:
    """Add calendar years (29 February + 1 year = 28 February)."""
    return add_months(start, 12 * years)


def last_day(start: dt.date, term: Term) -> dt.date:
    """The last day of a term that begins on `start` (inclusive)."""
    return add_months(start, term.total_months) + dt.timedelta(days=term.days - 1)


def _round(value: Fraction, rounding: Rounding) -> int:
    if rounding == "down":
        return math.floor(value)
    if rounding == "up":
        return math.ceil(value)
    return math.floor(value + Fraction(1, 2))


def cut_term(term: Term, fraction: Fraction, days_per_month: int = 30, rounding: Rounding = "down") -> Term:
    """Remove `fraction` of a term; return the part kept (LAW.md section 5).

    >>> cut_term(Term(years=7, months=6), Fraction(3, 4))
    Term(years=1, months=10, days=15)
    """
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must be between 0 and 1")
    keep = 1 - fraction
    kept_months_exact = term.total_months * keep
    whole_months = math.floor(kept_months_exact)
    kept_days_exact = (kept_months_exact - whole_months) * days_per_month + term.days * keep
    kept_days = _round(kept_days_exact, rounding)
    return Term.from_months_days(whole_months, kept_days)


def scale_amount(amount: float, fraction: Fraction) -> float:
    """Indicative amount (fine, hours) after removing `fraction`, rounded down to two decimals."""
    kept = Fraction(str(amount)) * (1 - fraction)
    return math.floor(kept * 100) / 100


@dataclass(frozen=True)
class ReducedSentence:
    """The outcome of a reduction: kept term and both end dates."""

    original_term: Term
    new_term: Term
    start_date: dt.date
    original_end_date: dt.date
    new_end_date: dt.date


def reduce_sentence(
    term: Term,
    start: dt.date,
    fraction: Fraction,
    days_per_month: int = 30,
    rounding: Rounding = "down",
    cap_at_original_end: bool = True,
) -> ReducedSentence:
    """Cut a term that began on `start` and give the new last day (never after the original one)."""
    kept = cut_term(term, fraction, days_per_month, rounding)
    original_end = last_day(start, term)
    new_end = last_day(start, kept)
    if cap_at_original_end and new_end > original_end:
        new_end = original_end
    return ReducedSentence(term, kept, start, original_end, new_end)


def one_year_limit(entry_into_force: dt.date, threshold_months: int = 12) -> dt.date:
    """The latest end date whose unserved part on entry into force is 'at most one year'."""
    return add_months(entry_into_force, threshold_months) - dt.timedelta(days=1)


def unserved_days(on: dt.date, end: dt.date) -> int:
    """Days of a term left on day `on`, counting both `on` and `end`; 0 when already over."""
    return max(0, (end - on).days + 1)


def elapsed(first: dt.date, day: dt.date) -> Term:
    """The time from `first` to `day` as a court counts it: whole months forward from `first` (in years
    and months), then the days left; nothing when `day` is not after `first` (from 8 December 2021 to
    1 June 2022: 5 months 24 days). A served part is `elapsed(start, day)`, an unserved part on a day
    `elapsed(day, last_day)`."""
    if day <= first:
        return Term()
    months = (day.year - first.year) * 12 + day.month - first.month
    while months > 0 and add_months(first, months) > day:
        months -= 1
    return Term.from_months_days(months, (day - add_months(first, months)).days)
