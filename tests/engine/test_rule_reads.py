"""Each rule reads only the facts it declares (`@implements(..., reads=...)`).

For every registered rule, Hypothesis draws a valid case record and the rule's other arguments, then
changes one to three facts of the record the rule does not declare (copied from a second random
record) and checks that the rule's answer (its Finding, Relief or result, reasons and sentences
included) is the same. A path under an optional or repeated field also reads its presence, so a
rule that declares `sentence.term` is never given a record with the sentence added or taken away.
`test_a_dropped_declaration_is_caught` shows the check can fail: with a fact left out of a rule's
declaration, a counterexample is found.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from amnesty.domain.enums import (
    Category,
    Context,
    CriminalCode,
    Damage,
    Outcome,
    PersonRole,
    Punishment,
    Recidivism,
    Sex,
    Stage,
    Tag,
)
from amnesty.domain.iin import make_iin
from amnesty.domain.records import CaseRecord, number_order
from amnesty.engine.category import charge_category
from amnesty.engine.codes import ReasonCode
from amnesty.engine.rules import implements, reason, record_paths, rules_of
from amnesty.engine.terms import Term
from amnesty.law.loader import Law
from amnesty.law.packs import kz_2022_152_vii as _law  # noqa: F401  (registers its rules)
from amnesty.law.packs.kz_2022_152_vii.relief import _reduce, n1_non_custodial_grave, r8_one_year_rule
from amnesty.law.packs.kz_2022_152_vii.rules import m1_several_charges, scope_charge
from amnesty.law.registry import get_law

LAW = get_law()
RULES = rules_of(LAW.pack.engine)
"""The rules of the engine the default law is decided by (its own and the shared ones), by rule ID."""
_ARTICLES = sorted(
    set(LAW.list_by_article)
    | {entry.article for entry in LAW.catalogue.entries}
    | {LAW.pack.article_list.known_through + 1, 499},
    key=number_order,  # the catalogue names inserted articles too ("188-1")
)
_WINDOW = LAW.pack.dates.offence_window


@st.composite
def _charges(draw: st.DrawFn) -> dict[str, Any]:
    inside = st.dates(_WINDOW.start, _WINDOW.end)
    near = st.dates(_WINDOW.start - dt.timedelta(days=10), _WINDOW.end + dt.timedelta(days=10))
    start = draw(st.one_of(inside, near, st.dates(dt.date(2015, 1, 1), dt.date(2024, 12, 31))))
    end = draw(st.one_of(st.none(), st.integers(0, 20).map(lambda days: start + dt.timedelta(days=days))))
    return {
        "article": draw(st.sampled_from(_ARTICLES)),
        "part": draw(st.one_of(st.none(), st.integers(1, 6))),
        "category": draw(st.one_of(st.none(), st.sampled_from(Category))),
        "offence_date": start,
        "offence_end_date": end,
        "territory": draw(st.sampled_from(["KZ", "KZ", "KG"])),
        "context": draw(st.sampled_from(Context)),
        "tags": tuple(draw(st.lists(st.sampled_from(Tag), max_size=2, unique=True))),
        "victim_minor": draw(st.one_of(st.none(), st.booleans())),
        "point": draw(st.one_of(st.none(), st.integers(1, 5))),
        "code": draw(st.sampled_from([CriminalCode.KZ_2014, CriminalCode.KZ_2014, *CriminalCode])),
        "damage": draw(st.one_of(st.none(), st.sampled_from(Damage))),
        "civil_claim": draw(st.one_of(st.none(), st.booleans())),
        "criminal_group": draw(st.booleans()),
        "intoxicated": draw(st.one_of(st.none(), st.booleans())),
    }


_SENTENCES = st.fixed_dictionaries(
    {
        "punishment": st.sampled_from([Punishment.IMPRISONMENT, *Punishment]),
        "term": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {"years": st.integers(0, 15), "months": st.integers(0, 11), "days": st.integers(0, 30)}
            ),
        ),
        "start_date": st.one_of(st.none(), st.dates(dt.date(2012, 1, 1), dt.date(2023, 12, 31))),
        "conditional": st.booleans(),
        "fine_amount_mci": st.one_of(st.none(), st.integers(0, 2000).map(float)),
        "hours": st.one_of(st.none(), st.integers(0, 600)),
        "additional": st.sampled_from([(), ("ban",)]),
        "death_commuted": st.booleans(),
        "fine_unpaid_mci": st.one_of(st.none(), st.integers(0, 2000).map(float)),
    }
)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A valid record, as the data `CaseRecord.model_validate` takes (birth before every offence)."""
    born = draw(st.dates(dt.date(1950, 1, 1), dt.date(2008, 12, 31)))
    known = draw(st.sampled_from(["none", "birth_date", "iin", "both"]))
    maybe_bool = st.one_of(st.none(), st.booleans())
    return {
        "person_id": draw(st.sampled_from(["P-1", "P-2"])),
        "iin": make_iin(born, draw(st.integers(0, 999))) if known in ("iin", "both") else None,
        "birth_date": born if known in ("birth_date", "both") else None,
        "full_name": draw(st.sampled_from([None, "A. B."])),
        "case_number": draw(st.sampled_from([None, "C-1"])),
        "region": draw(st.sampled_from([None, "Almaty", "Astana"])),
        "role": draw(st.sampled_from(PersonRole)),
        "recidivism": draw(st.sampled_from([Recidivism.NONE, Recidivism.NONE, *Recidivism])),
        "stage": draw(st.sampled_from(Stage)),
        "charges": draw(st.lists(_charges(), min_size=1, max_size=3)),
        "sentence": draw(st.one_of(st.none(), _SENTENCES)),
        "conviction_expunged": draw(st.booleans()),
        "fixed_residence": draw(maybe_bool),
        "able_bodied": draw(maybe_bool),
        "needs_medical_care": draw(maybe_bool),
        "needs_documents": draw(maybe_bool),
        "sex": draw(st.one_of(st.none(), st.sampled_from(Sex))),
        "veteran": draw(maybe_bool),
        "pregnant": draw(maybe_bool),
        "children_under_18": draw(maybe_bool),
        "sole_parent": draw(maybe_bool),
        "disabled_dependant": draw(maybe_bool),
        "disability_group": draw(st.one_of(st.none(), st.integers(0, 3))),
        "negative_conduct": draw(maybe_bool),
        "malicious_violator": draw(st.booleans()),
        "crime_while_serving": draw(st.booleans()),
        "objects": draw(st.booleans()),
    }


def _under(path: str, ancestor: str) -> bool:
    return path.startswith(ancestor + ".") or path.startswith(ancestor + "[].")


def undeclared(reads: frozenset[str]) -> list[str]:
    """The facts a rule declaring `reads` must not depend on: no declared path is the same, above it
    (the whole value) or below it (a path below reads the presence of what is above)."""
    return sorted(p for p in record_paths() if not any(p == r or _under(p, r) or _under(r, p) for r in reads))


def _copy(target: dict[str, Any], source: dict[str, Any], segments: list[str]) -> None:
    """Copy the fact at `segments` from `source` into `target` (each charge from the charge of the
    same position in `source`, cycling; nothing when an optional parent is absent on either side)."""
    head, rest = segments[0], segments[1:]
    if head.endswith("[]"):
        key = head[:-2]
        into, out = target[key], source[key]
        for index, item in enumerate(into):
            _copy(item, out[index % len(out)], rest)
    elif not rest:
        target[head] = source[head]
    elif target[head] is not None and source[head] is not None:
        _copy(target[head], source[head], rest)


def changed(data: dict[str, Any], other: dict[str, Any], paths: list[str]) -> CaseRecord | None:
    """`data` with the facts at `paths` taken from `other`; None when that makes no valid record."""
    result = {**data, "charges": [dict(c) for c in data["charges"]]}
    if result["sentence"] is not None:
        result["sentence"] = dict(result["sentence"])
    for path in paths:
        _copy(result, other, path.split("."))
    try:
        return CaseRecord.model_validate(result)
    except ValidationError:
        return None  # e.g. an IIN that now disagrees with the birth date


class Inputs:
    """A rule's arguments besides the record."""

    def __init__(self, strict: bool, category: Category, as_of: dt.date, outcome: Outcome) -> None:
        self.strict, self.category, self.as_of, self.outcome = strict, category, as_of, outcome


def _r8(record: CaseRecord, law: Law, given: Inputs) -> object:
    sentence = record.sentence
    if sentence is None or sentence.term is None or sentence.start_date is None:
        return None
    fraction = Fraction(3, 4)
    term = Term(sentence.term.years, sentence.term.months, sentence.term.days)
    reduced = _reduce(law, term, sentence.start_date, fraction)
    cut = reason(law, ReasonCode.REDUCE_GRAVE, "R4", original_term="t", new_term="t", new_end_date="d")
    return r8_one_year_rule(record, law, given.as_of, sentence, reduced, fraction, cut)


def _n1(record: CaseRecord, law: Law, given: Inputs) -> object:
    if record.sentence is None:
        return None
    return n1_non_custodial_grave(record, record.sentence, law, given.category, Fraction(1, 2))


def _per_charge(rule_id: str) -> Callable[[CaseRecord, Law, Inputs], object]:
    function = RULES[rule_id].function
    if rule_id == "S4":
        return lambda r, law, g: tuple(function(c, law, g.strict) for c in r.charges)
    return lambda r, law, g: tuple(function(c, law) for c in r.charges)


def _with_category(rule_id: str) -> Callable[[CaseRecord, Law, Inputs], object]:
    function = RULES[rule_id].function
    return lambda r, law, g: function(r, law, g.category)


def _with_date(rule_id: str) -> Callable[[CaseRecord, Law, Inputs], object]:
    function = RULES[rule_id].function
    return lambda r, law, g: function(r, law, g.as_of, g.category)


def _exclusion(rule_id: str) -> Callable[[CaseRecord, Law, Inputs], object]:
    function = RULES[rule_id].function
    return lambda r, law, g: function(r, law, g.strict)


ANSWER: dict[str, Callable[[CaseRecord, Law, Inputs], object]] = {
    **{rule_id: _per_charge(rule_id) for rule_id in ("S1", "S2", "S3", "S4")},
    "C1": lambda r, law, g: tuple(charge_category(c, law) for c in r.charges),
    "M1": lambda r, law, g: m1_several_charges([scope_charge(c, law, g.strict) for c in r.charges], law),
    **{f"X{n}": _exclusion(f"X{n}") for n in range(1, 10)},
    **{rule_id: _with_category(rule_id) for rule_id in ("R1", "R2", "R3", "R6", "R7")},
    **{rule_id: _with_date(rule_id) for rule_id in ("R4", "R5")},
    "R8": _r8,
    "N1": _n1,
    "T1": lambda r, law, g: RULES["T1"].function(r, law, g.outcome, g.as_of),
}
"""How each rule is asked about a record: per-charge rules over every charge; C1 as applied to a
charge (`charge_category`); M1 over the charges' scopes (`scope_charge`), as the evaluator asks it."""

_INPUTS = st.builds(
    Inputs,
    st.booleans(),
    st.sampled_from(Category),
    st.sampled_from([LAW.entry_into_force, dt.date(2022, 1, 1), dt.date(2023, 6, 1), dt.date(2030, 1, 1)]),
    st.sampled_from([Outcome.RELEASE, Outcome.RELEASE, *Outcome]),
)


def check_reads(
    rule_id: str,
    reads: frozenset[str],
    examples: int = 60,
    only: str | None = None,
    derandomize: bool = False,
    law: Law = LAW,
    answers: Mapping[str, Callable[[CaseRecord, Law, Inputs], object]] = ANSWER,
) -> None:
    """Hypothesis: changing facts outside `reads` (or only the fact `only`) never changes the answer
    of rule `rule_id` of `law` (asked as `answers` says)."""
    paths = [only] if only is not None else undeclared(reads)
    answer = answers[rule_id]

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=derandomize,
        suppress_health_check=[HealthCheck.filter_too_much],
    )
    @given(
        data=records(),
        other=records(),
        chosen=st.lists(st.sampled_from(paths), min_size=1, max_size=3, unique=True),
        inputs=_INPUTS,
    )
    def property_holds(
        data: dict[str, Any], other: dict[str, Any], chosen: list[str], inputs: Inputs
    ) -> None:
        record = CaseRecord.model_validate(data)
        mutated = changed(data, other, chosen)
        assume(mutated is not None)
        assert mutated is not None
        before, after = answer(record, law, inputs), answer(mutated, law, inputs)
        assert before == after, f"{rule_id} changed with {chosen}, which it does not declare"

    property_holds()


def test_every_rule_is_asked() -> None:
    assert set(ANSWER) == set(RULES)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_a_rule_reads_only_what_it_declares(rule_id: str) -> None:
    check_reads(rule_id, RULES[rule_id].reads)


@pytest.mark.parametrize(
    ("rule_id", "dropped"),
    [
        ("S1", "charges[].offence_end_date"),
        ("S3", "charges[].context"),
        ("X9", "recidivism"),
        ("R1", "stage"),
        ("R3", "conviction_expunged"),
        ("S4", "charges[].article"),
        ("C1", "charges[].category"),
    ],
)
def test_a_dropped_declaration_is_caught(rule_id: str, dropped: str) -> None:
    reads = RULES[rule_id].reads
    assert dropped in reads
    with pytest.raises(AssertionError, match=f"{rule_id} changed"):
        check_reads(rule_id, reads - {dropped}, examples=200, only=dropped, derandomize=True)


def test_a_declared_path_must_be_a_fact_of_the_record() -> None:
    with pytest.raises(RuntimeError, match=re.escape("charges[].offense_date")):
        implements("Z9", "nowhere", engine="test", reads=("charges[].offense_date",))
