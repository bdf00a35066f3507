"""The resolver of a law's order of application (labelled defaults, as Catala's default logic) and the
checks of the pack section `order` at load."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest

from amnesty.domain.enums import Outcome, Tri
from amnesty.domain.records import parse_record
from amnesty.engine.defaults import (
    NOT_APPLICABLE,
    UNSETTLED_TEXTS,
    OrderCode,
    RuleAnswer,
    Settled,
    compile_order,
    law_order,
    resolve,
)
from amnesty.engine.evaluate import evaluate
from amnesty.engine.messages import LANGUAGES, ORDER_MESSAGES, render
from amnesty.law.loader import LawPackError, build_law, catalogue_data, raw_pack
from amnesty.law.registry import get_law
from amnesty.law.schema import OrderStage

LAW_2021 = "kz-2021-81-vii"


def _order(*stages: dict[str, Any]) -> Any:
    return compile_order(tuple(OrderStage.model_validate(stage) for stage in stages))


# A base rule, its exception and the exception to the exception (Catala's `exception`), then a later stage.
CHAIN = _order(
    {
        "stage": "main",
        "labels": [
            {"label": "base", "rule": "R1", "outcome": "release"},
            {"label": "exception", "rule": "R2", "outcome": "no_relief", "overrides": ["base"]},
            {"label": "counter", "rule": "R3", "outcome": "reduce_sentence", "overrides": ["exception"]},
        ],
    },
    {"stage": "fallback", "labels": [{"label": "last", "rule": "R4", "outcome": "not_covered"}]},
)

YES = RuleAnswer(Tri.YES)
UNKNOWN = RuleAnswer(Tri.UNKNOWN)


def _answers(**given: RuleAnswer) -> dict[str, Any]:
    names = ("base", "exception", "counter", "last")
    return {name: (lambda answer=given.get(name, NOT_APPLICABLE): answer) for name in names}


def test_the_base_applies_when_no_exception_does() -> None:
    resolution = resolve(CHAIN, _answers(base=YES, last=YES))
    assert (resolution.settled, resolution.outcome, resolution.labels) == (
        Settled.WINS,
        Outcome.RELEASE,
        ("base",),
    )


def test_an_exception_beats_its_base() -> None:
    resolution = resolve(CHAIN, _answers(base=YES, exception=YES))
    assert resolution.outcome is Outcome.NO_RELIEF
    assert resolution.labels == ("exception",)


def test_an_exception_to_the_exception_beats_both_even_when_the_middle_one_does_not_apply() -> None:
    assert resolve(CHAIN, _answers(base=YES, exception=YES, counter=YES)).outcome is Outcome.REDUCE_SENTENCE
    assert resolve(CHAIN, _answers(base=YES, counter=YES)).outcome is Outcome.REDUCE_SENTENCE


def test_an_earlier_stage_wins_and_a_later_one_is_not_asked() -> None:
    asked: list[str] = []

    def last() -> RuleAnswer:
        asked.append("last")
        return YES

    answers = _answers(base=YES) | {"last": last}
    assert resolve(CHAIN, answers).outcome is Outcome.RELEASE
    assert asked == []
    assert resolve(CHAIN, _answers(last=YES)).outcome is Outcome.NOT_COVERED


def test_an_unknown_exception_blocks_its_base() -> None:
    resolution = resolve(CHAIN, _answers(base=YES, exception=RuleAnswer(Tri.UNKNOWN, outcome=None)))
    assert (resolution.settled, resolution.outcome, resolution.labels) == (
        Settled.UNKNOWN,
        Outcome.NEEDS_REVIEW,
        ("exception",),
    )


def test_an_unknown_label_that_the_winner_overrides_does_not_block() -> None:
    resolution = resolve(CHAIN, _answers(base=UNKNOWN, exception=YES))
    assert (resolution.settled, resolution.outcome) == (Settled.WINS, Outcome.NO_RELIEF)


def test_two_applicable_labels_of_one_rank_that_disagree_are_a_conflict() -> None:
    order = _order(
        {
            "stage": "main",
            "labels": [
                {"label": "release", "rule": "R1", "outcome": "release"},
                {"label": "reduce", "rule": "R2", "outcome": "reduce_sentence"},
                {"label": "also_release", "rule": "R3", "outcome": "release"},
            ],
        }
    )
    conflict = resolve(order, {"release": lambda: YES, "reduce": lambda: YES, "also_release": lambda: YES})
    assert (conflict.settled, conflict.outcome) == (Settled.CONFLICT, Outcome.NEEDS_REVIEW)
    assert set(conflict.labels) == {"release", "reduce", "also_release"}
    agree = resolve(
        order, {"release": lambda: YES, "reduce": lambda: NOT_APPLICABLE, "also_release": lambda: YES}
    )
    assert (agree.settled, agree.outcome, agree.labels) == (
        Settled.WINS,
        Outcome.RELEASE,
        ("release", "also_release"),
    )
    # an unknown label of the same rank that would yield another outcome blocks the winner
    blocked = resolve(
        order, {"release": lambda: YES, "reduce": lambda: UNKNOWN, "also_release": lambda: NOT_APPLICABLE}
    )
    assert (blocked.settled, blocked.labels) == (Settled.UNKNOWN, ("reduce",))


def test_no_applicable_label_is_no_rule_applies_and_an_unknown_one_is_unknown() -> None:
    assert resolve(CHAIN, _answers()).settled is Settled.NO_RULE
    assert resolve(CHAIN, _answers()).outcome is Outcome.NEEDS_REVIEW
    assert resolve(CHAIN, _answers(last=UNKNOWN)).settled is Settled.UNKNOWN


def test_a_label_with_no_outcome_marks_and_never_wins() -> None:
    order = _order(
        {"stage": "dates", "labels": [{"label": "early", "rule": "E1"}]},
        {"stage": "main", "labels": [{"label": "base", "rule": "R1", "outcome": "release"}]},
    )
    resolution = resolve(order, {"early": lambda: YES, "base": lambda: YES})
    assert (resolution.outcome, resolution.marks) == (Outcome.RELEASE, ("early",))
    assert resolve(order, {"early": lambda: YES, "base": lambda: NOT_APPLICABLE}).settled is Settled.NO_RULE


def test_a_label_may_yield_its_rules_own_outcome() -> None:
    order = _order({"stage": "relief", "labels": [{"label": "relief", "rule": "R1", "outcome": "rule"}]})
    found = RuleAnswer(Tri.YES, outcome=Outcome.TERMINATE_CASE)
    assert resolve(order, {"relief": lambda: found}).outcome is Outcome.TERMINATE_CASE


def _pack_with_order(order: list[dict[str, Any]]) -> Any:
    data = copy.deepcopy(raw_pack(LAW_2021))
    data["order"] = order
    return data


@pytest.mark.parametrize(
    ("order", "problem"),
    [
        (
            [
                {
                    "stage": "main",
                    "labels": [
                        {"label": "a", "rule": "R1", "outcome": "release", "overrides": ["c"]},
                        {"label": "b", "rule": "R2", "outcome": "release", "overrides": ["a"]},
                        {"label": "c", "rule": "R3", "outcome": "release", "overrides": ["b"]},
                    ],
                }
            ],
            "`overrides` go round in a cycle: a -> c -> b -> a",
        ),
        (
            [{"stage": "main", "labels": [{"label": "a", "rule": "R1", "overrides": ["a"]}]}],
            "label `a` overrides itself",
        ),
        (
            [{"stage": "main", "labels": [{"label": "a", "rule": "Z9", "outcome": "release"}]}],
            "label `a` cites rule Z9, which has no entry under `rules`",
        ),
        (
            [{"stage": "main", "labels": [{"label": "a", "rule": "R1", "overrides": ["nowhere"]}]}],
            "label `a` overrides `nowhere`, which is not in `order`",
        ),
        (
            [
                {"stage": "first", "labels": [{"label": "a", "rule": "R1", "outcome": "release"}]},
                {"stage": "second", "labels": [{"label": "b", "rule": "R2", "overrides": ["a"]}]},
            ],
            "label `b` overrides `a` of an earlier stage",
        ),
        (
            [{"stage": "a", "labels": [{"label": "a", "rule": "R1"}]}],
            "`a` is named twice",
        ),
    ],
)
def test_a_faulty_order_is_refused_at_load_naming_the_label(
    order: list[dict[str, Any]], problem: str
) -> None:
    with pytest.raises(LawPackError, match="order: ") as error:
        build_law(_pack_with_order(order), catalogue_data(), "pack.yaml", "catalogue.yaml")
    assert problem in str(error.value)


def test_a_law_with_no_order_hashes_as_before_and_an_order_changes_the_hash() -> None:
    data = raw_pack(LAW_2021)
    catalogue = catalogue_data()
    with_order = build_law(data, catalogue, "a", "b")
    without = build_law({key: value for key, value in data.items() if key != "order"}, catalogue, "a", "b")
    assert with_order.version != without.version
    # the content hash of a pack with no `order` is over its data without the key, as before the section
    law = get_law("kz-2022-152-vii")
    assert not law.pack.order
    canonical = json.dumps(
        {
            "pack": law.pack.model_dump(mode="json", exclude={"order"}),
            "catalogue": law.catalogue.model_dump(mode="json"),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    assert law.version == "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def test_the_2021_order_declares_its_stages_and_exceptions() -> None:
    order = law_order(get_law(LAW_2021))
    assert [stage.stage for stage in order.stages] == [
        "entry_into_force",
        "exclusions",
        "coverage",
        "objection",
        "relief",
    ]
    assert "release_lesser" in order.beats["x1_terrorist"]
    assert "not_covered" not in order.beats["x1_terrorist"]  # an uncertain exclusion leaves it alone
    assert order.beats["one_year_left"] == {"reduce_vulnerable", "reduce_repaid", "reduce_other"}
    assert order.beats["reduce_vulnerable"] == {"reduce_repaid", "reduce_other"}


def test_the_resolvers_own_reasons_are_worded_in_every_language() -> None:
    assert set(ORDER_MESSAGES) == {code.value for code in OrderCode} == set(UNSETTLED_TEXTS)
    law = get_law(LAW_2021)
    for code in OrderCode:
        for language in LANGUAGES:
            assert UNSETTLED_TEXTS[code][language]
            text = render(code, language, {"rules": "R1, R2"}, law)
            assert text
            assert "{" not in text
        assert render(code, "ru", {"rules": "x"}, law) != render(code, "en", {"rules": "x"}, law)


def test_a_2021_decision_under_an_order_with_a_conflict_is_needs_review_naming_it() -> None:
    """Under a variant of the 2021 order where the objection stands beside `not_covered` with no exception
    between them, a person outside the Law who objects gets `needs_review` with `RULE_CONFLICT` (naming
    both rules) and a cause no fact settles, not one of the two outcomes picked silently."""
    data = copy.deepcopy(raw_pack(LAW_2021))
    stages = {stage["stage"]: stage for stage in data["order"]}
    objection = stages.pop("objection")["labels"][0]
    stages["coverage"]["labels"].append({**objection, "overrides": []})
    for label in stages["exclusions"]["labels"]:
        label["overrides"] = ["coverage_unsettled", "person_objects", "relief"]
    data["order"] = list(stages.values())
    law = build_law(data, catalogue_data(), "variant", "catalogue")
    charge = {"article": 188, "part": 2, "offence_date": "2022-03-01", "category": "medium"}
    record = parse_record({"person_id": "C-1", "stage": "pre_trial", "charges": [charge], "objects": True})
    decision = evaluate(record, law)
    assert decision.outcome is Outcome.NEEDS_REVIEW
    conflict = next(r for r in decision.reasons if r.code == OrderCode.RULE_CONFLICT)
    assert conflict.params["rules"] == "M1, P1"
    assert [u.code for u in decision.unanswerable] == [OrderCode.RULE_CONFLICT]
    # the shipped order settles the same person: not covered
    assert evaluate(record, get_law(LAW_2021)).outcome is Outcome.NOT_COVERED
