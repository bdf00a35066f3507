"""Every registered law over a grid of dates and facts: no gap and no silent outcome.

For each law of the registry, a record is built for every combination of an offence date around the
law's window (the day before, the first and last days, the day after, a continuing offence that runs
past the end), the connection with the events, the category (or none), the stage, recidivism and three
kinds of article (listed, not listed, above the part of the list the text gives). Each decision must
come with its reasons, each reason citing a rule the law declares; "not covered" must mean no charge is
covered; "needs review" must say what would settle it (a question, or a cause no fact settles), and a
covered charge must never end in "not covered". The grid is what a maintainer runs over a new pack.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import Any

import pytest

from amnesty.domain.enums import Category, Context, Outcome, Recidivism, Stage
from amnesty.domain.records import parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.law.loader import Law
from amnesty.law.registry import registered_laws

DAY = dt.timedelta(days=1)


def _dates(law: Law) -> list[tuple[dt.date, dt.date | None]]:
    """Around the law's window; for a law that reaches every offence before it came into force, around
    that day (long before, the day before, the day itself, the day after, a continuing offence over it)."""
    window = law.pack.dates.offence_window
    if window is None:
        day = law.entry_into_force
        return [
            (day - 700 * DAY, None),
            (day - DAY, None),
            (day, None),
            (day + DAY, None),
            (day - 5 * DAY, day + 3 * DAY),
        ]
    return [
        (window.start - DAY, None),
        (window.start, None),
        (window.end, None),
        (window.end + DAY, None),
        (window.start, window.end + 2 * DAY),
    ]


def _articles(law: Law) -> list[tuple[int, int | None]]:
    """A listed article, an unlisted one and one above the known list; for a law with no article list,
    three articles of the Code's catalogue (the gravest category, a lesser one) and one it lacks."""
    if law.pack.article_list is None:
        return [(188, 2), (99, 1), (106, 1), (499, None)]
    listed = law.pack.article_list.entries[0]
    parts = listed.parts
    part = None if parts == "all" else parts[0]
    above = law.pack.article_list.known_through + 1
    unlisted = next(
        a for a in range(1, 500) if a not in law.list_by_article and a < law.pack.article_list.known_through
    )
    return [(listed.article, part), (unlisted, None), (above, None)]


def _sentence(stage: Stage, start: dt.date) -> dict[str, Any] | None:
    if stage is Stage.PRE_TRIAL:
        return None
    term = {"punishment": "imprisonment", "term": {"years": 5}}
    if stage is Stage.TRIAL:
        return term
    return term | {"start_date": (start + 2 * DAY).isoformat()}


def _grid(law: Law) -> list[dict[str, Any]]:
    records = []
    combos = itertools.product(
        _dates(law), list(Context), [None, *Category], list(Stage), list(Recidivism), _articles(law)
    )
    for index, ((start, end), context, category, stage, recidivism, (article, part)) in enumerate(combos):
        charge: dict[str, Any] = {
            "article": article,
            "part": part,
            "offence_date": start.isoformat(),
            "offence_end_date": end.isoformat() if end else None,
            "context": context.value,
            "category": category.value if category else None,
        }
        records.append(
            {
                "person_id": f"G-{index}",
                "stage": stage.value,
                "recidivism": recidivism.value,
                "charges": [charge],
                "sentence": _sentence(stage, start),
                "conviction_expunged": False,
            }
        )
    return records


@pytest.mark.parametrize("law", registered_laws(), ids=lambda law: law.pack.id)
def test_no_gap_and_no_silent_outcome_over_the_grid(law: Law) -> None:
    outcomes: Counter[Outcome] = Counter()
    for data in _grid(law):
        decision = evaluate(parse_record(data), law)
        outcomes[decision.outcome] += 1
        where = f"{law.pack.id}, {data}"
        assert decision.law == law.pack.id
        assert decision.reasons or any(c.reasons for c in decision.charges), f"no reason: {where}"
        for reason in [*decision.reasons, *(r for c in decision.charges for r in c.reasons)]:
            assert reason.rule in law.pack.rules, (
                f"{reason.code} cites undeclared rule {reason.rule}: {where}"
            )
            assert reason.cites == law.pack.rules[reason.rule].cites
        for charge in decision.charges:
            assert charge.reasons, f"a charge without a reason: {where}"
        if decision.outcome is Outcome.NOT_COVERED:
            assert all(c.covered is False for c in decision.charges), where
        if any(c.covered for c in decision.charges):
            assert decision.outcome is not Outcome.NOT_COVERED, where
        if decision.outcome is Outcome.NEEDS_REVIEW:
            assert decision.questions or decision.unanswerable, f"needs review without a question: {where}"
    # the grid reaches every kind of answer the law gives, not only one
    assert {Outcome.NOT_COVERED, Outcome.NEEDS_REVIEW, Outcome.EXCLUDED} <= set(outcomes), outcomes
    assert outcomes.keys() & {Outcome.TERMINATE_CASE, Outcome.RELEASE, Outcome.REDUCE_SENTENCE}, outcomes
