"""Every registered law that declares its order of application, over a grid of dates and facts: the order
settles every case, with no gap (`NO_RULE_APPLIES`) and no conflict (`RULE_CONFLICT`).

The records are those of the law grid (`test_law_grid._grid`: offence dates around the law's dates,
categories, stages, articles), with a person who does or does not object, a damage none, repaid,
outstanding or unrecorded, a conduct rating recorded or not, and a decision on the day the law came into
force or the day before. Recidivism and the events' context vary in the law grid; here one value of each
is kept (recidivism excludes the person in the first stage, whatever follows)."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections import Counter
from typing import Any

import pytest

from amnesty.domain.enums import Context, Outcome, Recidivism, Tri
from amnesty.domain.records import parse_record
from amnesty.engine.defaults import NOT_APPLICABLE, OrderCode, RuleAnswer, Settled, law_order, resolve
from amnesty.engine.evaluate import evaluate
from amnesty.law.loader import Law
from amnesty.law.registry import registered_laws
from tests.engine.test_law_grid import _grid

ORDERED = [law for law in registered_laws() if law.pack.order]

FACTS: list[dict[str, Any]] = [
    {"objects": objects, "negative_conduct": conduct, "damage": damage}
    for objects, conduct, damage in itertools.product(
        (False, True), (None, False), (None, "none", "repaid", "outstanding")
    )
]


def _records(law: Law) -> list[dict[str, Any]]:
    records = []
    for data in _grid(law):
        charge = data["charges"][0]
        if data["recidivism"] != Recidivism.NONE.value or charge["context"] != next(iter(Context)).value:
            continue
        for facts in FACTS:
            record = copy.deepcopy(data)
            record["objects"] = facts["objects"]
            record["negative_conduct"] = facts["negative_conduct"]
            record["charges"][0]["damage"] = facts["damage"]
            record["charges"][0]["civil_claim"] = True if facts["damage"] == "outstanding" else None
            records.append(record)
    return records


def test_some_registered_law_declares_its_order() -> None:
    assert ORDERED, "no registered law declares an order of application"


@pytest.mark.parametrize("law", ORDERED, ids=lambda law: law.pack.id)
def test_the_order_finds_no_gap_and_no_conflict_over_the_grid(law: Law) -> None:
    outcomes: Counter[Outcome] = Counter()
    days = (law.entry_into_force, law.entry_into_force - dt.timedelta(days=1))
    for data, as_of in itertools.product(_records(law), days):
        decision = evaluate(parse_record(data), law, as_of=as_of, questions=False, sentences=False)
        outcomes[decision.outcome] += 1
        codes = set(decision.reason_codes())
        assert not codes & {code.value for code in OrderCode}, f"{law.pack.id}: {sorted(codes)} for {data}"
    # the grid reaches every stage of the order, not only the first
    assert {Outcome.EXCLUDED, Outcome.NOT_COVERED, Outcome.NO_RELIEF, Outcome.NEEDS_REVIEW} <= set(outcomes)
    assert outcomes.keys() & {Outcome.TERMINATE_CASE, Outcome.RELEASE, Outcome.REDUCE_SENTENCE}, outcomes


@pytest.mark.parametrize("law", ORDERED, ids=lambda law: law.pack.id)
def test_the_same_order_is_unsettled_when_no_label_applies_or_two_disagree(law: Law) -> None:
    """The grid test can fail: the law's own order, given answers where no label applies, or two labels
    of one rank with no exception between them apply and yield different outcomes, is not settled."""
    order = law_order(law)
    nothing = dict.fromkeys(order.labels, lambda: NOT_APPLICABLE)
    assert resolve(order, nothing).settled is Settled.NO_RULE
    pairs = [
        (a, b)
        for stage in order.stages
        for a, b in itertools.combinations(stage.labels, 2)
        if a.outcome is not None
        and b.outcome is not None
        and (a.outcome == "rule" or b.outcome == "rule" or a.outcome != b.outcome)
        and b.label not in order.beats[a.label]
        and a.label not in order.beats[b.label]
    ]
    assert pairs, "no two labels of one rank could disagree: the conflict check is never exercised"
    for a, b in pairs:
        answers = dict(nothing)
        answers[a.label] = lambda: RuleAnswer(Tri.YES, outcome=Outcome.RELEASE)
        answers[b.label] = lambda: RuleAnswer(Tri.YES, outcome=Outcome.REDUCE_SENTENCE)
        resolution = resolve(order, answers)
        assert resolution.settled is Settled.CONFLICT, (a.label, b.label)
        assert set(resolution.labels) == {a.label, b.label}
