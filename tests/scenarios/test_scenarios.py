"""Runs the YAML scenarios of this folder: one case record each, with the decision a lawyer expects.

Every `*.yaml` file here is a list of scenarios (see README.md in this folder). For each scenario the
record is validated as the contract says (`parse_record`), evaluated with the bundled law pack, and
every expectation it states is checked; a failure message says, in words, what was expected, what the
engine decided, and why (its reason trace). A scenario marked `xfail_reason` records a disagreement
between the engine and the law as we read it: it must fail (strict xfail) until the engine is fixed.

The suite also checks its own reach: every reason code, every outcome and every rule of the law pack
must be produced by (and expected in) at least one scenario that passes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord, field_errors, parse_record
from amnesty.engine.codes import ReasonCode
from amnesty.engine.evaluate import evaluate
from amnesty.law.loader import Law, load_law
from amnesty.law.registry import DEFAULT_LAW_ID, get_law, pack_folder

HERE = Path(__file__).parent

SCENARIO_KEYS = {
    "name",
    "law",
    "as_of",
    "strict",
    "record",
    "expect",
    "xfail_reason",
    "note",
    "law_parameters",
}
REQUIRED_KEYS = {"name", "law", "record", "expect"}
EXPECT_KEYS = {
    "outcome",
    "reasons",
    "absent_reasons",
    "charge_reasons",
    "covered",
    "categories",
    "flags",
    "acting_body",
    "original_term",
    "new_term",
    "original_end_date",
    "new_end_date",
    "release",
    "indicative_fine_mci",
    "indicative_hours",
    "unserved_days_on_entry_into_force",
    "tasks",
    "questions",
    "unanswerable",
}
QUESTION_KEYS = {"field", "rule", "options", "leads_to"}


@dataclass(frozen=True)
class Scenario:
    """One scenario as written in a YAML file."""

    file: str
    name: str
    law: str
    record: dict[str, Any]
    expect: dict[str, Any]
    as_of: dt.date | None = None
    strict: bool = False
    xfail_reason: str | None = None
    note: str | None = field(default=None)
    law_parameters: dict[str, Any] | None = None
    law_id: str = DEFAULT_LAW_ID
    """The registered law the scenario is decided under: the default law for this folder's files, the
    folder's law for the files of a subfolder named after a law (`kz_2021_81_vii/`)."""

    @property
    def test_id(self) -> str:
        return f"{self.file}: {self.name}"


def _scenario_problems(item: Any, where: str) -> list[str]:
    """What is wrong with the shape of one scenario (empty when it is well formed)."""
    if not isinstance(item, dict):
        return [f"{where}: a scenario must be a mapping with name, law, record and expect"]
    problems = [f"{where}: missing '{key}'" for key in sorted(REQUIRED_KEYS - item.keys())]
    problems += [f"{where}: unknown key '{key}'" for key in sorted(item.keys() - SCENARIO_KEYS)]
    expect = item.get("expect")
    if not isinstance(expect, dict):
        problems.append(f"{where}: 'expect' must be a mapping")
    else:
        problems += [f"{where}: unknown expectation '{key}'" for key in sorted(expect.keys() - EXPECT_KEYS)]
        if "outcome" not in expect:
            problems.append(f"{where}: every scenario must expect an outcome")
        for number, question in enumerate(expect.get("questions") or [], start=1):
            if not isinstance(question, dict) or "field" not in question:
                problems.append(f"{where}: expected question {number} must be a mapping with a 'field'")
            else:
                problems += [
                    f"{where}: expected question {number} has an unknown key '{key}'"
                    for key in sorted(question.keys() - QUESTION_KEYS)
                ]
    if "law_parameters" in item and not isinstance(item["law_parameters"], dict):
        problems.append(f"{where}: 'law_parameters' must be a mapping overlaid on the law pack")
    if "as_of" in item and not isinstance(item["as_of"], dt.date):
        problems.append(f"{where}: 'as_of' must be a date written as YYYY-MM-DD")
    return problems


def scenario_files() -> list[tuple[Path, str]]:
    """The scenario files with the law each is decided under: this folder's under the default law, a
    subfolder's (named after a law's folder, `kz_2021_81_vii`) under that law."""
    files = [(path, DEFAULT_LAW_ID) for path in sorted(HERE.glob("*.yaml"))]
    for folder in sorted(p for p in HERE.iterdir() if p.is_dir() and not p.name.startswith("_")):
        law_id = folder.name.replace("_", "-")
        files += [(path, law_id) for path in sorted(folder.glob("*.yaml"))]
    return files


@cache
def load_scenarios() -> tuple[Scenario, ...]:
    """Every scenario of every YAML file in this folder and its law subfolders, in file order; malformed
    files fail loudly."""
    scenarios: list[Scenario] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path, law_id in scenario_files():
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(items, list):
            problems.append(f"{path.name}: the file must be a list of scenarios")
            continue
        for index, item in enumerate(items):
            where = f"{path.name}, scenario {index + 1}"
            found = _scenario_problems(item, where)
            if found:
                problems += found
                continue
            name = str(item["name"])
            if name in seen:
                problems.append(f"{where}: name '{name}' is already used in {seen[name]}")
            seen[name] = path.name
            scenarios.append(
                Scenario(
                    file=path.stem,
                    name=name,
                    law=str(item["law"]),
                    record=item["record"],
                    expect=item["expect"],
                    as_of=item.get("as_of"),
                    strict=bool(item.get("strict", False)),
                    law_id=law_id,
                    xfail_reason=item.get("xfail_reason"),
                    note=item.get("note"),
                    law_parameters=item.get("law_parameters"),
                )
            )
    if problems:
        raise ValueError("Malformed scenario files:\n  " + "\n  ".join(problems))
    return tuple(scenarios)


def parse_scenario_record(scenario: Scenario) -> CaseRecord:
    """The scenario's record, validated as the contract requires (a clear failure when it is not)."""
    try:
        return parse_record(scenario.record)
    except ValidationError as error:
        details = "; ".join(f"{e.field}: {e.problem}" for e in field_errors(error))
        pytest.fail(f"The record of scenario '{scenario.name}' is not a valid case record: {details}")


def decide(scenario: Scenario) -> Decision:
    """Evaluate the scenario's record with the bundled law (with the parameters the scenario changes, if
    any), as of its date and in its mode."""
    law = (
        get_law(scenario.law_id)
        if scenario.law_parameters is None
        else _law_with(scenario.law_id, scenario.law_parameters)
    )
    return evaluate(parse_scenario_record(scenario), law=law, as_of=scenario.as_of, strict=scenario.strict)


def _law_with(law_id: str, parameters: dict[str, Any]) -> Law:
    key = law_id + json.dumps(parameters, sort_keys=True, default=str)
    if key not in _VARIANTS:
        _VARIANTS[key] = load_law(
            folder=pack_folder(law_id), variant=parameters, variant_source="scenario law_parameters"
        )
    return _VARIANTS[key]


_VARIANTS: dict[str, Law] = {}


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _term_text(term: Any) -> str:
    if term is None:
        return "none"
    data = term if isinstance(term, dict) else term.model_dump()
    return f"{data.get('years', 0)} y {data.get('months', 0)} m {data.get('days', 0)} d"


def describe_decision(decision: Decision) -> str:
    """The decision in words, so a reader of a failure sees what the engine did and why."""
    lines = [
        f"  outcome: {decision.outcome.value} (acting body: {decision.acting_body.value})",
        f"  flags: {[flag.value for flag in decision.flags] or 'none'}",
        "  reasons:",
    ]
    lines += [f"    - {r.code} ({r.rule}): {r.text}" for r in decision.reasons] or ["    (none)"]
    for number, charge in enumerate(decision.charges, start=1):
        category = charge.category.value if charge.category else "unknown category"
        lines.append(
            f"  charge {number}: art. {charge.article}"
            + (f" part {charge.part}" if charge.part is not None else "")
            + f", {category}, covered: {charge.covered}"
        )
        lines += [f"    - {r.code} ({r.rule}): {r.text}" for r in charge.reasons]
    sentence = decision.sentence
    if sentence is not None:
        lines.append(
            f"  sentence: {_term_text(sentence.original_term)} ending {_iso(sentence.original_end_date)}"
            f" -> {_term_text(sentence.new_term)} ending {_iso(sentence.new_end_date)},"
            f" release: {sentence.release.value if sentence.release else None}"
        )
    if decision.resocialisation:
        lines.append(f"  resocialisation tasks: {[task.kind.value for task in decision.resocialisation]}")
    for question in decision.questions:
        leads = {k: v.value for k, v in (question.leads_to or {}).items()}
        lines.append(f"  question on {question.field} ({question.rule}, {question.code}): leads to {leads}")
    for item in decision.unanswerable:
        lines.append(f"  no fact settles {item.code} ({item.rule})")
    return "\n".join(lines)


def _codes(reasons: Iterable[Any]) -> list[str]:
    return [reason.code for reason in reasons]


def _check_list_per_charge(decision: Decision, expected: list[Any], what: str, problems: list[str]) -> bool:
    if len(expected) != len(decision.charges):
        problems.append(
            f"{what}: the scenario lists {len(expected)} charge(s) but the decision has {len(decision.charges)}"
        )
        return False
    return True


def check_expectations(decision: Decision, expect: dict[str, Any]) -> list[str]:
    """Every expectation the scenario states that the decision does not meet, in words."""
    problems: list[str] = []
    outcome = decision.outcome.value
    if expect["outcome"] != outcome:
        problems.append(f"expected the outcome '{expect['outcome']}', but the engine decided '{outcome}'")

    person_codes = _codes(decision.reasons)
    for code in expect.get("reasons", []):
        if code not in person_codes:
            problems.append(f"expected the reason {code} in the decision, but it is not there")

    all_codes = set(decision.reason_codes())
    for code in expect.get("absent_reasons", []):
        if code in all_codes:
            problems.append(f"expected no reason {code} anywhere in the decision, but it is given")

    if "charge_reasons" in expect and _check_list_per_charge(
        decision, expect["charge_reasons"], "charge_reasons", problems
    ):
        for number, (codes, charge) in enumerate(
            zip(expect["charge_reasons"], decision.charges, strict=True), start=1
        ):
            for code in codes or []:
                if code not in _codes(charge.reasons):
                    problems.append(f"expected the reason {code} on charge {number}, but it is not there")

    if "covered" in expect and _check_list_per_charge(decision, expect["covered"], "covered", problems):
        for number, (wanted, charge) in enumerate(zip(expect["covered"], decision.charges, strict=True), 1):
            if wanted != charge.covered:
                problems.append(
                    f"expected charge {number} to be covered: {wanted}, but the engine says {charge.covered}"
                )

    if "categories" in expect and _check_list_per_charge(
        decision, expect["categories"], "categories", problems
    ):
        for number, (wanted, charge) in enumerate(
            zip(expect["categories"], decision.charges, strict=True), 1
        ):
            got = charge.category.value if charge.category is not None else None
            if wanted != got:
                problems.append(
                    f"expected charge {number} to be of category {wanted}, but the engine has {got}"
                )

    if "flags" in expect:
        wanted_flags = sorted(expect["flags"] or [])
        got_flags = sorted(flag.value for flag in decision.flags)
        if wanted_flags != got_flags:
            problems.append(f"expected exactly the flags {wanted_flags}, but the decision has {got_flags}")

    if "acting_body" in expect and expect["acting_body"] != decision.acting_body.value:
        problems.append(
            f"expected the acting body '{expect['acting_body']}', but the engine names"
            f" '{decision.acting_body.value}'"
        )

    _check_sentence(decision, expect, problems)
    _check_questions(decision, expect, problems)

    if "tasks" in expect:
        wanted_tasks = sorted(expect["tasks"] or [])
        got_tasks = sorted(task.kind.value for task in decision.resocialisation)
        if wanted_tasks != got_tasks:
            problems.append(
                f"expected exactly the resocialisation tasks {wanted_tasks}, but the decision has {got_tasks}"
            )
    return problems


def _check_sentence(decision: Decision, expect: dict[str, Any], problems: list[str]) -> None:
    sentence = decision.sentence
    for key in ("original_term", "new_term"):
        if key not in expect:
            continue
        got = getattr(sentence, key) if sentence is not None else None
        got_dict = got.model_dump() if got is not None else None
        wanted = expect[key]
        wanted_dict = {"years": 0, "months": 0, "days": 0, **wanted} if isinstance(wanted, dict) else wanted
        if wanted_dict != got_dict:
            problems.append(
                f"expected the {key.replace('_', ' ')} {_term_text(wanted_dict)},"
                f" but the engine has {_term_text(got_dict)}"
            )
    for key in ("original_end_date", "new_end_date"):
        if key not in expect:
            continue
        got = getattr(sentence, key) if sentence is not None else None
        if _iso(expect[key]) != _iso(got):
            problems.append(
                f"expected the {key.replace('_', ' ')} {_iso(expect[key])}, but the engine has {_iso(got)}"
            )
    if "release" in expect:
        got_release = sentence.release.value if sentence is not None and sentence.release else None
        if expect["release"] != got_release:
            problems.append(f"expected release '{expect['release']}', but the engine has '{got_release}'")
    for key in ("indicative_fine_mci", "indicative_hours", "unserved_days_on_entry_into_force"):
        if key not in expect:
            continue
        got_amount = getattr(sentence, key) if sentence is not None else None
        if expect[key] != got_amount:
            problems.append(
                f"expected the {key.replace('_', ' ')} {expect[key]}, but the engine has {got_amount}"
            )


def _answer_key(value: Any) -> str:
    """An answer as `leads_to` names it: yes/no as true/false, numbers and words as written."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _check_questions(decision: Decision, expect: dict[str, Any], problems: list[str]) -> None:
    """`questions`: exactly these fields are asked, each with the rule, options and outcomes given;
    `unanswerable`: exactly these causes are said to be beyond any fact of the record."""
    if "questions" in expect:
        wanted = {str(q["field"]): q for q in expect["questions"] or []}
        asked = {q.field: q for q in decision.questions}
        if sorted(wanted) != sorted(asked):
            problems.append(
                f"expected questions on exactly {sorted(wanted)}, but the decision asks about {sorted(asked)}"
            )
        for path in sorted(wanted.keys() & asked.keys()):
            spec, question = wanted[path], asked[path]
            if "rule" in spec and spec["rule"] != question.rule:
                problems.append(
                    f"expected the question on {path} to be asked by {spec['rule']}, not {question.rule}"
                )
            if "options" in spec:
                options = list(question.options) if question.options is not None else None
                if spec["options"] != options:
                    problems.append(
                        f"expected the options {spec['options']} for {path}, but they are {options}"
                    )
            if "leads_to" in spec:
                want = (
                    {_answer_key(k): v for k, v in spec["leads_to"].items()}
                    if spec["leads_to"] is not None
                    else None
                )
                got = (
                    {k: v.value for k, v in question.leads_to.items()}
                    if question.leads_to is not None
                    else None
                )
                if want != got:
                    problems.append(
                        f"expected the answers on {path} to lead to {want}, but they lead to {got}"
                    )
    if "unanswerable" in expect:
        wanted_codes = sorted(expect["unanswerable"] or [])
        got_codes = sorted(item.code for item in decision.unanswerable)
        if wanted_codes != got_codes:
            problems.append(
                f"expected exactly {wanted_codes} to be beyond any fact of the record, but the decision says {got_codes}"
            )


def _params() -> list[Any]:
    return [
        pytest.param(
            scenario,
            id=scenario.test_id,
            marks=[pytest.mark.xfail(reason=scenario.xfail_reason, strict=True)]
            if scenario.xfail_reason
            else [],
        )
        for scenario in load_scenarios()
    ]


@pytest.mark.parametrize("scenario", _params())
def test_scenario(scenario: Scenario) -> None:
    """The engine gives the decision the scenario expects under the rule(s) it names."""
    decision = decide(scenario)
    problems = check_expectations(decision, scenario.expect)
    if problems:
        pytest.fail(
            f"Scenario '{scenario.name}' ({scenario.law}):\n"
            + "\n".join(f"- {problem}" for problem in problems)
            + "\nThe engine decided:\n"
            + describe_decision(decision),
            pytrace=False,
        )


def _passing(law_id: str = DEFAULT_LAW_ID) -> list[Scenario]:
    return [s for s in load_scenarios() if s.xfail_reason is None and s.law_id == law_id]


def _scenario_laws() -> list[str]:
    return sorted({scenario.law_id for scenario in load_scenarios()} - {DEFAULT_LAW_ID})


@pytest.mark.parametrize("law_id", _scenario_laws())
def test_every_rule_and_own_code_of_another_law_is_exercised_and_expected(law_id: str) -> None:
    """For a law other than the default: every rule of its pack gives a reason in some passing scenario
    under it, every reason code its pack words itself is produced and expected, and every outcome its
    rules can give is expected (the law's own vocabulary, as the default law's is checked below)."""
    law = get_law(law_id)
    rules: set[str] = set()
    produced: set[str] = set()
    expected: set[str] = set()
    outcomes: set[str] = set()
    for scenario in _passing(law_id):
        decision = decide(scenario)
        rules.update(reason.rule for reason in decision.reasons)
        rules.update(reason.rule for charge in decision.charges for reason in charge.reasons)
        produced.update(decision.reason_codes())
        expected |= _expected_codes(scenario)
        outcomes.add(scenario.expect["outcome"])
    own = set(law.pack.messages)
    assert not sorted(set(law.pack.rules) - rules), (
        f"rules never exercised: {sorted(set(law.pack.rules) - rules)}"
    )
    assert not sorted(own - produced), f"codes never produced: {sorted(own - produced)}"
    assert not sorted(own - expected), f"codes never expected: {sorted(own - expected)}"
    gives = {o.value for o in Outcome} - {Outcome.EXPUNGE_CONVICTION.value}
    assert not sorted(gives - outcomes), f"outcomes never expected: {sorted(gives - outcomes)}"


def _expected_codes(scenario: Scenario) -> set[str]:
    codes = set(scenario.expect.get("reasons", []))
    for charge_codes in scenario.expect.get("charge_reasons", []):
        codes.update(charge_codes or [])
    return codes


def test_every_reason_code_and_outcome_is_produced() -> None:
    """Every reason code and every outcome of the engine's vocabulary appears in some scenario's decision."""
    produced_codes: set[str] = set()
    produced_outcomes: set[str] = set()
    for scenario in _passing():
        decision = decide(scenario)
        produced_codes.update(decision.reason_codes())
        produced_outcomes.add(decision.outcome.value)
    missing_codes = sorted({code.value for code in ReasonCode} - produced_codes)
    missing_outcomes = sorted({outcome.value for outcome in Outcome} - produced_outcomes)
    assert not missing_codes, f"no passing scenario produces the reason codes {missing_codes}"
    assert not missing_outcomes, f"no passing scenario produces the outcomes {missing_outcomes}"


def test_every_reason_code_and_outcome_is_expected() -> None:
    """Every reason code and outcome is not only produced but *checked* by some passing scenario."""
    expected_codes: set[str] = set()
    expected_outcomes: set[str] = set()
    for scenario in _passing():
        expected_codes |= _expected_codes(scenario)
        expected_outcomes.add(scenario.expect["outcome"])
    missing_codes = sorted({code.value for code in ReasonCode} - expected_codes)
    missing_outcomes = sorted({outcome.value for outcome in Outcome} - expected_outcomes)
    assert not missing_codes, f"no passing scenario expects the reason codes {missing_codes}"
    assert not missing_outcomes, f"no passing scenario expects the outcomes {missing_outcomes}"


def test_every_rule_of_the_law_pack_is_exercised() -> None:
    """Every rule of the law pack gives a reason in some passing scenario; the arithmetic convention (A1),
    which gives no reason of its own, is exercised by scenarios that state a new term and end date."""
    rules_cited: set[str] = set()
    for scenario in _passing():
        decision = decide(scenario)
        rules_cited.update(reason.rule for reason in decision.reasons)
        rules_cited.update(reason.rule for charge in decision.charges for reason in charge.reasons)
        if "new_term" in scenario.expect and "new_end_date" in scenario.expect:
            rules_cited.add("A1")
    missing = sorted(set(get_law().pack.rules) - rules_cited)
    assert not missing, f"no passing scenario exercises the rules {missing}"


# The rule each reason code belongs to, as LAW.md and CONTRACT.md name them (the engine's own codes,
# whose rule is the engine's choice, are left out).
RULE_OF_CODE = {
    "IN_SCOPE": "S4",
    "OUT_OF_WINDOW": "S1",
    "OFFENCE_SPANS_WINDOW": "S1",
    "OUTSIDE_TERRITORY": "S2",
    "CONTEXT_UNRELATED": "S3",
    "CONTEXT_UNKNOWN": "S3",
    "ARTICLE_NOT_LISTED": "S4",
    "PART_NOT_LISTED": "S4",
    "ARTICLE_LIST_INCOMPLETE": "S4",
    "EXCLUDED_TERRORIST": "X1",
    "EXCLUDED_EXTREMIST": "X2",
    "EXCLUDED_CORRUPTION": "X3",
    "EXCLUDED_TREASON": "X4",
    "EXCLUDED_SEIZURE_OF_POWER": "X5",
    "EXCLUDED_RIOT_ORGANISER": "X6",
    "MINOR_ORGANISER_EXCEPTION": "X6",
    "EXCLUDED_TORTURE": "X7",
    "EXCLUDED_SEXUAL_OFFENCE_MINOR": "X8",
    "EXCLUDED_RECIDIVISM": "X9",
    "TERMINATE_CASE": "R1",
    "RELEASE_FROM_PUNISHMENT": "R2",
    "EXPUNGE_CONVICTION": "R3",
    "ALREADY_EXPUNGED": "R3",
    "REDUCE_GRAVE": "R4",
    "REDUCE_ESPECIALLY_GRAVE": "R5",
    "REDUCE_AT_SENTENCING": "R6",
    "NO_EXPUNGEMENT_GRAVE": "R7",
    "ONE_YEAR_RULE": "R8",
    "REDUCED_TERM_SERVED": "R8",
    "PARTIAL_COVERAGE": "M1",
    "AGGREGATE_BY_GRAVEST": "M1",
    "NON_CUSTODIAL_GRAVE": "N1",
    "CONDITIONAL_SENTENCE_GRAVE": "N1",
    "RESOCIALISATION_TASKS": "T1",
}


def test_every_reason_names_its_rule_citation_and_sentence() -> None:
    """Each reason of each decision carries the rule LAW.md gives its code, the rule's citation, and a
    sentence in English, Russian and Kazakh (CONTRACT.md: code, rule, cites, text)."""
    problems: list[str] = []
    for scenario in [s for law_id in [DEFAULT_LAW_ID, *_scenario_laws()] for s in _passing(law_id)]:
        law = get_law(scenario.law_id)
        decision = decide(scenario)
        reasons = list(decision.reasons) + [r for charge in decision.charges for r in charge.reasons]
        for reason in reasons:
            where = f"{scenario.name}: {reason.code}"
            wanted_rule = RULE_OF_CODE.get(reason.code) if scenario.law_id == DEFAULT_LAW_ID else None
            if wanted_rule is not None and reason.rule != wanted_rule:
                problems.append(f"{where} cites rule {reason.rule}, LAW.md places it under {wanted_rule}")
            if reason.rule not in law.pack.rules:
                problems.append(f"{where} cites rule {reason.rule}, which the law pack does not have")
            elif reason.cites != law.pack.rules[reason.rule].cites:
                problems.append(f"{where} cites '{reason.cites}', not the citation of rule {reason.rule}")
            missing = [lang for lang in ("en", "ru", "kk") if not reason.texts.get(lang, "").strip()]
            if missing or any("{" in text for text in reason.texts.values()):
                problems.append(f"{where} lacks a finished sentence (languages missing: {missing})")
    assert not problems, "\n".join(problems)


def test_scenario_names_are_unique_and_files_are_well_formed() -> None:
    """Loading the files succeeds (no malformed scenario, no duplicate name) and there are enough of them."""
    scenarios = load_scenarios()
    assert len(scenarios) >= 70
    assert len({scenario.name for scenario in scenarios}) == len(scenarios)


def test_russian_and_kazakh_sentences_have_no_english_words_left() -> None:
    """The Russian and Kazakh texts are wholly translated: no English word (beyond the accepted 'KZ'-style
    codes and placeholders) is left in a reason's sentence."""
    leftovers: list[str] = []
    for scenario in [s for law_id in [DEFAULT_LAW_ID, *_scenario_laws()] for s in _passing(law_id)]:
        decision = decide(scenario)
        for reason in list(decision.reasons) + [r for charge in decision.charges for r in charge.reasons]:
            if reason.code == "ADDITIONAL_PUNISHMENT_UNCHANGED":
                continue  # quotes the record's own words for the additional punishment
            for language in ("ru", "kk"):
                words = re.findall(r"\b[A-Za-z]{3,}\b", reason.texts[language])
                if words:
                    leftovers.append(f"{scenario.name}: {reason.code} ({language}): {words}")
    assert not leftovers, "\n".join(leftovers)
