"""Measures of one decision used by the impact comparison: custody removed, the person's category.

Person-years of imprisonment removed (docs/after.md, "Person-years"): for a decision whose outcome is
`release` or `reduce_sentence` on a custodial punishment (imprisonment or arrest) with known dates, the
days of the original term that the person will no longer serve, counted from the day the decision takes
effect (its `as_of`):

    removed_days = max(0, original_end_date - max(served_until, as_of - 1 day))

where `served_until` is `as_of - 1 day` for an immediate release and `new_end_date` for a release on a
date. Days served before `as_of` are never counted as removed. Person-years = removed_days / 365.25.
Every other outcome removes 0 days.
"""

from __future__ import annotations

import datetime as dt

from amnesty.domain.decision import Decision
from amnesty.domain.enums import Category, Outcome, ReleaseMode

DAYS_PER_YEAR = 365.25
REDUCING_OUTCOMES = (Outcome.RELEASE, Outcome.REDUCE_SENTENCE)


def removed_custody_days(decision: Decision) -> int | None:
    """Days of custody the decision removes; 0 when it removes none; None when a reducing decision lacks
    the dates needed to measure it."""
    sentence = decision.sentence
    if decision.outcome not in REDUCING_OUTCOMES or sentence is None:
        return 0
    if sentence.punishment is None or not sentence.punishment.is_custodial:
        return 0
    if sentence.original_end_date is None:
        return None
    day_before = decision.as_of - dt.timedelta(days=1)
    if sentence.release is ReleaseMode.IMMEDIATE:
        served_until = day_before
    elif sentence.new_end_date is not None:
        served_until = sentence.new_end_date
    else:
        return None
    return max(0, (sentence.original_end_date - max(served_until, day_before)).days)


def gravest_category(decision: Decision) -> Category | None:
    """The gravest recorded category among the person's charges (None when none is known)."""
    categories = [charge.category for charge in decision.charges if charge.category is not None]
    return max(categories, key=lambda category: category.gravity) if categories else None
