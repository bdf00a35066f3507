"""Guided questions across the scenarios: every cause of `needs_review` is classified, every cause a
missing fact produces is asked about, and filling in a missing fact never settles a decision whose
questions did not ask for it.

The YAML scenarios state the questions and what each answer leads to (`questions`, `unanswerable`,
checked in test_scenarios.py); this file checks the reach of those expectations and the engine's
table of causes (engine/questions.py, `CAUSES`) against the scenarios' decisions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError
from tests.scenarios.test_scenarios import Scenario, _law_with, _passing, decide, parse_scenario_record

from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord, Sentence, TermIn
from amnesty.engine.codes import ReasonCode
from amnesty.engine.evaluate import evaluate
from amnesty.engine.questions import field_type, record_with
from amnesty.law.loader import Law, default_law
from amnesty.law.packs.kz_2022_152_vii.questions import CAUSES, Ask, CannotAsk

# Facts that never decide the outcome (identity, resocialisation needs, the additional punishment,
# the region's akimat) or that an IIN duplicates (the birth date is filled in instead).
NOT_DECISIVE = {
    "iin",
    "full_name",
    "case_number",
    "region",
    "fixed_residence",
    "able_bodied",
    "needs_medical_care",
    "needs_documents",
    "tags",
    "additional",
}

SAMPLE_VALUES: dict[Any, list[Any]] = {
    int: [1, 2, 3],
    float: [100.0],
    bool: [True, False],
    dt.date: ["1980-01-01", "2006-01-01"],
    TermIn: [{"years": 5}],
    Sentence: [
        {"punishment": "imprisonment", "term": {"years": 5}, "start_date": "2022-01-06"},
        {"punishment": "fine", "fine_amount_mci": 100},
    ],
}


def test_every_reason_code_is_classified_as_asked_unanswerable_or_no_cause() -> None:
    """The table of causes names every reason code of the engine, so a new code cannot slip past it."""
    missing = sorted({code.value for code in ReasonCode} - {code.value for code in CAUSES})
    assert not missing, f"engine/questions.py CAUSES does not classify {missing}"


def test_every_asked_field_is_a_field_of_the_record() -> None:
    """Each `Ask` entry names a field the case record has (charges[] standing for any charge)."""
    for code, entry in CAUSES.items():
        if isinstance(entry, Ask):
            assert field_type(entry.field.replace("[]", "[0]")) is not None, code


def test_each_question_is_asked_by_a_rule_its_table_entry_names() -> None:
    """The rule of each question (and of each unanswerable cause) is one its table entry names."""
    problems = []
    for scenario in _passing():
        decision = decide(scenario)
        for item in [*decision.questions, *decision.unanswerable]:
            entry = CAUSES[ReasonCode(item.code)]
            if entry is None or item.rule not in entry.rules:
                problems.append(f"{scenario.name}: {item.code} asked by {item.rule}, the table names {entry}")
    assert not problems, "\n".join(problems)


def _law(scenario: Scenario) -> Law:
    """The law the scenario is decided under (the bundled one, or with the parameters it changes)."""
    return (
        default_law()
        if scenario.law_parameters is None
        else _law_with(scenario.law_id, scenario.law_parameters)
    )


def _scenarios_stating(key: str) -> list[tuple[Scenario, Decision]]:
    return [(s, decide(s)) for s in _passing() if key in s.expect]


def test_every_missing_fact_cause_is_asked_in_a_scenario() -> None:
    """Each cause a fact of the record settles is asked, with its answers' outcomes stated, in some
    scenario; each cause no fact settles is stated as unanswerable in some scenario."""
    asked = {q.code for _, d in _scenarios_stating("questions") for q in d.questions}
    said = {u.code for _, d in _scenarios_stating("unanswerable") for u in d.unanswerable}
    ask_codes = {code.value for code, entry in CAUSES.items() if isinstance(entry, Ask)}
    cannot_codes = {code.value for code, entry in CAUSES.items() if isinstance(entry, CannotAsk)}
    assert not ask_codes - asked, f"no scenario states the question of {sorted(ask_codes - asked)}"
    assert not cannot_codes - said, f"no scenario states {sorted(cannot_codes - said)} as unanswerable"


def test_every_needs_review_decision_asks_or_says_why_it_cannot() -> None:
    """A needs_review decision has questions or names what no fact can settle (so every cause that
    makes a decision needs_review is classified); any other decision has neither."""
    problems = []
    for scenario in _passing():
        decision = decide(scenario)
        review = decision.outcome is Outcome.NEEDS_REVIEW
        has_any = bool(decision.questions or decision.unanswerable)
        if review != has_any:
            problems.append(
                f"{scenario.name}: {decision.outcome.value} with {len(decision.questions)} question(s) and "
                f"{len(decision.unanswerable)} unanswerable cause(s); reasons {decision.reason_codes()}"
            )
    assert not problems, "\n".join(problems)


def _missing_fields(record: CaseRecord) -> Iterator[tuple[str, Any]]:
    """Every field of the record that is empty or 'unknown', with the type of its value."""

    def walk(model: BaseModel, prefix: str) -> Iterator[tuple[str, Any]]:
        for name in type(model).model_fields:
            if name in NOT_DECISIVE:
                continue
            value = getattr(model, name)
            path = f"{prefix}{name}"
            if value is None or (isinstance(value, Enum) and value.value == "unknown"):
                yield path, field_type(path)
            elif isinstance(value, BaseModel):
                yield from walk(value, path + ".")
            elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
                for index, item in enumerate(value):
                    yield from walk(item, f"{path}[{index}].")

    yield from walk(record, "")


def _samples(kind: Any) -> list[Any]:
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [member.value for member in kind if member.value != "unknown"]
    return SAMPLE_VALUES.get(kind, [])


def test_a_missing_fact_that_settles_a_decision_was_asked_for() -> None:
    """Fill each missing fact of each needs_review scenario with sample values: whenever one value
    settles the decision (an outcome other than needs_review), the decision asked for that fact."""
    problems = []
    tried = 0
    for scenario in _passing():
        law = _law(scenario)
        decision = decide(scenario)
        if decision.outcome is not Outcome.NEEDS_REVIEW:
            continue
        record = parse_scenario_record(scenario)
        asked = [q.field for q in decision.questions]
        for path, kind in _missing_fields(record):
            for value in _samples(kind):
                try:
                    answered = record_with(record, path, value)
                except ValidationError:
                    continue
                tried += 1
                outcome = evaluate(answered, law, scenario.as_of, scenario.strict, questions=False).outcome
                covered = any(
                    path == f or path.startswith(f + ".") or f.startswith(path + ".") for f in asked
                )
                if outcome is not Outcome.NEEDS_REVIEW and not covered:
                    problems.append(
                        f"{scenario.name}: {path} = {value!r} gives {outcome.value}, but the decision asks "
                        f"only about {asked} (reasons {decision.reason_codes()})"
                    )
    assert tried > 50
    assert not problems, "\n".join(problems)


def test_each_answer_leads_where_evaluating_the_answered_record_leads() -> None:
    """`leads_to` is what the engine decides for the record with that answer (same date and mode)."""
    checked = 0
    for scenario in _passing():
        law = _law(scenario)
        decision = decide(scenario)
        record = parse_scenario_record(scenario)
        for question in decision.questions:
            for key, outcome in (question.leads_to or {}).items():
                value: Any = int(key) if key.isdigit() else {"true": True, "false": False}.get(key, key)
                answered = record_with(record, question.field, value)
                assert evaluate(answered, law, scenario.as_of, scenario.strict).outcome is outcome
                checked += 1
    assert checked >= 20
