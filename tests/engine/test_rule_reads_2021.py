"""The 2021 Independence amnesty's rules read only what they declare (issue 21, item 5; issue 22).

The same property as for Law 152-VII (`test_rule_reads.py`, whose record strategy, mutation and check
this file reuses): for each rule of the engine `kz_2021_81_vii`, changing any fact of the record that the
rule does not declare never changes its answer; and dropping a declared fact is caught.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from amnesty.domain.enums import Category, Tri
from amnesty.domain.records import CaseRecord
from amnesty.engine.rules import rules_of
from amnesty.law.loader import Law
from amnesty.law.packs.kz_2021_81_vii import rules as rules_2021
from amnesty.law.packs.kz_2021_81_vii.relief import REDUCTION
from amnesty.law.registry import get_law
from tests.engine.test_rule_reads import ANSWER, Inputs, check_reads

LAW_2021 = get_law("kz-2021-81-vii")
RULES_2021 = rules_of(LAW_2021.pack.engine)
Answer = Callable[[CaseRecord, Law, Inputs], object]


def _function(rule_id: str) -> Callable[..., object]:
    return RULES_2021[rule_id].function


def _per_charge(rule_id: str) -> Answer:
    return lambda r, law, g: tuple(_function(rule_id)(c, law) for c in r.charges)


def _scopes(r: CaseRecord, law: Law) -> list[rules_2021.ChargeScope]:
    return [rules_2021.scope_charge(c, law) for c in r.charges]


def _exclusion(rule_id: str) -> Answer:
    return lambda r, law, g: _function(rule_id)(r, law, g.strict)


def _by_category(rule_id: str) -> Answer:
    return lambda r, law, g: _function(rule_id)(r, law, g.category)


def _reduction(rule_id: str) -> Answer:
    """R5-R8 cut by their table: asked with a category the rule has a fraction for."""
    categories = sorted(REDUCTION[rule_id], key=lambda c: c.gravity)

    def answer(r: CaseRecord, law: Law, g: Inputs) -> object:
        category = g.category if g.category in REDUCTION[rule_id] else categories[-1]
        return _function(rule_id)(r, law, category, rule_id)

    return answer


ANSWER_2021: dict[str, Answer] = {
    "S1": _per_charge("S1"),
    "S2": _per_charge("S2"),
    "C1": ANSWER["C1"],
    "M1": lambda r, law, g: rules_2021.m1_several_charges(_scopes(r, law), law),
    "X8": lambda r, law, g: rules_2021.x8_aggregate(_scopes(r, law), law),
    **{
        rule_id: _exclusion(rule_id)
        for rule_id in ("X1", "X2", "X3", "X4", "X5", "X6", "X7", "X10", "X11", "X12", "X13")
    },
    "V1": lambda r, law, g: _function("V1")(r, law),
    **{rule_id: _by_category(rule_id) for rule_id in ("R1", "R2", "R4", "R9")},
    "R3": lambda r, law, g: _function("R3")(r, law, g.category, Tri.YES if g.strict else Tri.UNKNOWN),
    **{rule_id: _reduction(rule_id) for rule_id in ("R5", "R6", "R7", "R8")},
    "N1": lambda r, law, g: _function("N1")(r, law, g.outcome),
    "P1": lambda r, law, g: _function("P1")(r, law),
    "T1": lambda r, law, g: _function("T1")(r, law, g.outcome, g.as_of),
}
"""How each rule of the 2021 law is asked about a record, as its order of application asks it."""


def test_every_rule_of_the_2021_engine_is_asked() -> None:
    assert set(ANSWER_2021) == set(RULES_2021)


@pytest.mark.parametrize("rule_id", sorted(RULES_2021))
def test_a_2021_rule_reads_only_what_it_declares(rule_id: str) -> None:
    check_reads(rule_id, RULES_2021[rule_id].reads, examples=40, law=LAW_2021, answers=ANSWER_2021)


@pytest.mark.parametrize(
    ("rule_id", "dropped"),
    [
        ("S1", "charges[].offence_date"),
        ("X10", "malicious_violator"),
        ("P1", "objects"),
        ("X6", "charges[].criminal_group"),
    ],
)
def test_a_dropped_2021_declaration_is_caught(rule_id: str, dropped: str) -> None:
    reads = RULES_2021[rule_id].reads
    assert dropped in reads
    with pytest.raises(AssertionError, match=f"{rule_id} changed"):
        check_reads(
            rule_id,
            reads - {dropped},
            examples=200,
            only=dropped,
            derandomize=True,
            law=LAW_2021,
            answers=ANSWER_2021,
        )


def test_the_category_input_is_a_category() -> None:
    assert all(isinstance(category, Category) for category in REDUCTION["R6"])
