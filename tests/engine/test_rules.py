"""Unit tests per rule: each rule function, called directly, answers as LAW.md says."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from amnesty.domain.decision import Decision, Reason
from amnesty.domain.enums import Category, KindCondition, Outcome, Tag, Tri
from amnesty.domain.records import CaseRecord
from amnesty.engine import exclusions as kinds
from amnesty.engine.laws import engine_of
from amnesty.engine.rules import Finding, rules_of
from amnesty.law.loader import Law, default_law
from amnesty.law.packs.kz_2022_152_vii import exclusions, relief, resocialisation, scope
from amnesty.law.packs.kz_2022_152_vii.rules import m1_several_charges, scope_charge
from amnesty.law.registry import get_law

LAW_MD = Path(__file__).resolve().parents[3] / "shared" / "spec" / "LAW.md"
MakeRecord = Callable[..., CaseRecord]


def _codes(finding: object) -> list[str]:
    return [r.code for r in getattr(finding, "reasons", ())]


def test_every_rule_of_law_md_has_one_function_citing_the_pack(law: Law) -> None:
    registered_by = (scope, exclusions, relief, resocialisation)  # importing a module registers its rules
    assert all(module.__doc__ for module in registered_by)
    ids = set(re.findall(r"\*\*([SXR]\d)\b", LAW_MD.read_text())) if LAW_MD.exists() else set()
    ids |= {"S1", "S2", "S3", "S4", *(f"X{i}" for i in range(1, 10)), *(f"R{i}" for i in range(1, 9))}
    rules = rules_of(law.pack.engine)
    for rule_id in sorted(ids | {"M1", "N1", "T1"}):
        assert rule_id in rules, f"rule {rule_id} has no function"
        assert rules[rule_id].cites == law.pack.rules[rule_id].cites, (
            f"{rule_id}: code and pack cite differently"
        )
        assert rules[rule_id].function.__doc__, f"{rule_id}: the function must explain itself"


@pytest.mark.parametrize(
    ("day", "end", "answer", "code"),
    [
        ("2022-01-03", None, Tri.NO, "OUT_OF_WINDOW"),
        ("2022-01-04", None, Tri.YES, None),
        ("2022-01-07", None, Tri.YES, None),
        ("2022-01-08", None, Tri.NO, "OUT_OF_WINDOW"),
        ("2022-01-06", "2022-01-07", Tri.YES, None),
        ("2022-01-06", "2022-02-01", Tri.UNKNOWN, "OFFENCE_SPANS_WINDOW"),
    ],
)
def test_s1_window(
    make_record: MakeRecord, law: Law, day: str, end: str | None, answer: Tri, code: str | None
) -> None:
    record = make_record(charge={"offence_date": day, "offence_end_date": end})
    finding = scope.s1_offence_window(record.charges[0], law)
    assert finding.answer is answer
    assert _codes(finding) == ([code] if code else [])


def test_s2_territory(make_record: MakeRecord, law: Law) -> None:
    assert scope.s2_territory(make_record().charges[0], law).answer is Tri.YES
    abroad = scope.s2_territory(make_record(charge={"territory": "kg"}).charges[0], law)
    assert abroad.answer is Tri.NO
    assert _codes(abroad) == ["OUTSIDE_TERRITORY"]


@pytest.mark.parametrize(
    ("context", "answer", "codes"),
    [
        ("riot", Tri.YES, []),
        ("suppression", Tri.YES, []),
        ("unrelated", Tri.NO, ["CONTEXT_UNRELATED"]),
        ("unknown", Tri.UNKNOWN, ["CONTEXT_UNKNOWN"]),
    ],
)
def test_s3_context(make_record: MakeRecord, law: Law, context: str, answer: Tri, codes: list[str]) -> None:
    finding = scope.s3_context(make_record(charge={"context": context}).charges[0], law)
    assert finding.answer is answer
    assert _codes(finding) == codes


@pytest.mark.parametrize(
    ("article", "part", "strict", "answer", "codes"),
    [
        (188, 2, False, Tri.YES, []),
        (105, None, False, Tri.NO, ["ARTICLE_NOT_LISTED"]),
        (106, 3, False, Tri.NO, ["PART_NOT_LISTED"]),
        (106, 1, False, Tri.YES, []),
        (106, None, False, Tri.UNKNOWN, ["PART_UNKNOWN"]),
        (300, 1, False, Tri.UNKNOWN, ["ARTICLE_LIST_INCOMPLETE"]),
        (272, 2, False, Tri.YES, ["LIST_ENTRY_INFERRED"]),
        (293, 1, False, Tri.YES, ["LIST_ENTRY_UNVERIFIED"]),
        (293, 1, True, Tri.UNKNOWN, ["LIST_ENTRY_UNVERIFIED"]),
    ],
)
def test_s4_listed_article(
    make_record: MakeRecord,
    law: Law,
    article: int,
    part: int | None,
    strict: bool,
    answer: Tri,
    codes: list[str],
) -> None:
    record = make_record(charge={"article": article, "part": part})
    finding = scope.s4_listed_article(record.charges[0], law, strict)
    assert finding.answer is answer
    assert _codes(finding) == codes
    assert finding.provisional == (article == 293)


def test_scope_charge_reports_every_failing_condition(make_record: MakeRecord, law: Law) -> None:
    record = make_record(charge={"article": 105, "offence_date": "2021-12-01", "context": "unrelated"})
    result = scope_charge(record.charges[0], law, strict=False)
    assert result.answer is Tri.NO
    assert [r.code for r in result.result.reasons] == [
        "OUT_OF_WINDOW",
        "CONTEXT_UNRELATED",
        "ARTICLE_NOT_LISTED",
    ]


@pytest.mark.parametrize(
    ("rule", "article", "part", "code"),
    [
        (exclusions.x1_terrorist, 255, None, "EXCLUDED_TERRORIST"),
        (exclusions.x1_terrorist, 269, 1, "EXCLUDED_TERRORIST"),
        (exclusions.x2_extremist, 182, 1, "EXCLUDED_EXTREMIST"),
        (exclusions.x2_extremist, 179, 1, "EXCLUDED_EXTREMIST"),
        (exclusions.x3_corruption, 366, 1, "EXCLUDED_CORRUPTION"),
        (exclusions.x4_treason, 175, None, "EXCLUDED_TREASON"),
        (exclusions.x5_seizure_of_power, 179, 1, "EXCLUDED_SEIZURE_OF_POWER"),
        (exclusions.x7_torture, 146, 2, "EXCLUDED_TORTURE"),
        (exclusions.x8_sexual_offence_minor, 122, 1, "EXCLUDED_SEXUAL_OFFENCE_MINOR"),
    ],
)
def test_the_codes_kinds_exclude_without_a_tag(
    make_record: MakeRecord, law: Law, rule: Callable[..., object], article: int, part: int | None, code: str
) -> None:
    """Kinds read in the Code (art. 3) or named by the law apply to a charge with no tag, firmly."""
    record = make_record(charge={"article": article, "part": part})
    finding = rule(record, law, False)
    assert finding.answer is Tri.YES
    assert _codes(finding) == [code]
    assert finding.provisional is False
    assert rule(record, law, True).answer is Tri.YES


def test_an_unverified_kind_excludes_provisionally(make_record: MakeRecord, law: Law) -> None:
    record = make_record(charge={"article": 146, "part": 1})
    finding = exclusions.x7_torture(record, law, False)
    assert finding.answer is Tri.YES
    assert _codes(finding) == ["EXCLUDED_TORTURE", "EXCLUSION_TAG_UNVERIFIED"]
    assert finding.provisional is True
    assert exclusions.x7_torture(record, law, True).answer is Tri.UNKNOWN  # strict: not enough alone


@pytest.mark.parametrize(
    ("rule", "article", "part", "code"),
    [
        (exclusions.x8_sexual_offence_minor, 120, 1, "EXCLUSION_VICTIM_AGE_UNKNOWN"),
        (exclusions.x8_sexual_offence_minor, 123, 1, "EXCLUSION_VICTIM_AGE_UNKNOWN"),
        (exclusions.x3_corruption, 362, 4, "EXCLUSION_POINT_UNKNOWN"),
        (exclusions.x3_corruption, 190, 3, "EXCLUSION_POINT_UNKNOWN"),
    ],
)
def test_a_kind_resting_on_a_missing_fact_is_uncertain(
    make_record: MakeRecord, law: Law, rule: Callable[..., object], article: int, part: int, code: str
) -> None:
    record = make_record(charge={"article": article, "part": part})
    finding = rule(record, law, False)
    assert finding.answer is Tri.UNKNOWN
    assert _codes(finding) == [code]
    assert not kinds.has_no_tags(record, law)


def _conditional_entries() -> list[tuple[int, int, KindCondition, tuple[int, ...], Tag]]:
    """Every (article, part) whose kind the catalogue conditions on a fact of the charge."""
    found = []
    for entry in default_law().catalogue.entries:
        for kind in entry.kinds:
            if kind.condition is not KindCondition.ALWAYS:
                found.append((entry.article, entry.part or 1, kind.condition, kind.points, kind.tag))
    return found


_RULE_OF_TAG: dict[Tag, Callable[..., Finding]] = {
    Tag.CORRUPTION: exclusions.x3_corruption,
    Tag.SEXUAL_OFFENCE_MINOR: exclusions.x8_sexual_offence_minor,
}


@pytest.mark.parametrize(("article", "part", "condition", "points", "tag"), _conditional_entries())
def test_a_conditional_kind_follows_the_fact_recorded_on_the_charge(
    make_record: MakeRecord,
    law: Law,
    article: int,
    part: int,
    condition: KindCondition,
    points: tuple[int, ...],
    tag: Tag,
) -> None:
    rule = _RULE_OF_TAG[tag]
    if condition is KindCondition.VICTIM_MINOR:
        fact, meets, misses, unknown_code = "victim_minor", True, False, "EXCLUSION_VICTIM_AGE_UNKNOWN"
    else:
        fact, meets, misses, unknown_code = "point", points[0], max(points) + 1, "EXCLUSION_POINT_UNKNOWN"
    charge = {"article": article, "part": part}
    unknown = rule(make_record(charge={**charge, fact: None}), law, False)
    assert (unknown.answer, _codes(unknown)) == (Tri.UNKNOWN, [unknown_code])
    stated = rule(make_record(charge={**charge, fact: meets}), law, True)
    assert stated.answer is Tri.YES
    assert _codes(stated) == [law.exclusion_by_tag[tag].code]
    contrary = make_record(charge={**charge, fact: misses})
    assert rule(contrary, law, True) == Finding(Tri.NO)
    assert tag not in kinds.charge_tags(contrary.charges[0], law)
    tagged = make_record(charge={**charge, fact: misses, "tags": [tag.value]})
    assert rule(tagged, law, True).answer is Tri.YES  # a tag recorded on the charge still adds


def test_every_conditional_kind_of_the_catalogue_is_tested() -> None:
    conditions = {condition for _, _, condition, _, _ in _conditional_entries()}
    assert conditions == {KindCondition.VICTIM_MINOR, KindCondition.POINT}
    assert {tag for *_, tag in _conditional_entries()} <= set(_RULE_OF_TAG)


def test_tag_on_charge_is_a_firm_exclusion(make_record: MakeRecord, law: Law) -> None:
    record = make_record(charge={"article": 188, "tags": ["terrorist"]})
    finding = exclusions.x1_terrorist(record, law, True)
    assert finding.answer is Tri.YES
    assert not finding.provisional
    assert exclusions.x2_extremist(record, law, False).answer is Tri.NO


@pytest.mark.parametrize(
    ("birth", "answer", "code"),
    [
        ("1990-01-01", Tri.YES, "EXCLUDED_RIOT_ORGANISER"),
        ("2004-01-05", Tri.YES, "EXCLUDED_RIOT_ORGANISER"),  # 18th birthday on the offence day: an adult
        ("2004-01-06", Tri.NO, "MINOR_ORGANISER_EXCEPTION"),  # 17 on the offence day
        (None, Tri.UNKNOWN, "AGE_UNKNOWN"),
    ],
)
def test_x6_riot_organiser_with_minor_exception(
    make_record: MakeRecord, law: Law, birth: str | None, answer: Tri, code: str
) -> None:
    record = make_record(charge={"part": 1}, birth_date=birth)
    finding = exclusions.x6_riot_organiser(record, law, False)
    assert finding.answer is answer
    assert _codes(finding) == [code]


def test_x9_recidivism(make_record: MakeRecord, law: Law) -> None:
    assert exclusions.x9_recidivism(make_record(), law, False).answer is Tri.NO
    for kind in ("recidivism", "dangerous"):
        finding = exclusions.x9_recidivism(make_record(recidivism=kind), law, False)
        assert finding.answer is Tri.YES
        assert _codes(finding) == ["EXCLUDED_RECIDIVISM"]


def test_age_on_birthdays() -> None:
    assert kinds.age_on(dt.date(2004, 1, 5), dt.date(2022, 1, 5)) == 18
    assert kinds.age_on(dt.date(2004, 1, 6), dt.date(2022, 1, 5)) == 17
    assert kinds.age_on(dt.date(2004, 2, 29), dt.date(2022, 2, 28)) == 17


AS_OF = dt.date(2022, 11, 3)


def test_r1_to_r3_lesser_categories(make_record: MakeRecord, law: Law) -> None:
    pre_trial = make_record(stage="pre_trial", sentence=None)
    assert relief.r1_terminate_case(pre_trial, law, Category.MEDIUM).outcome.value == "terminate_case"
    serving = make_record(charge={"category": "small"})
    released = relief.r2_release(serving, law, Category.SMALL)
    assert released.outcome.value == "release"
    assert released.sentence is not None
    assert released.sentence.release is not None
    served = make_record(stage="served")
    assert relief.r3_expunge(served, law, Category.MISDEMEANOUR).outcome.value == "expunge_conviction"
    expunged = make_record(stage="served", conviction_expunged=True)
    result = relief.r3_expunge(expunged, law, Category.MISDEMEANOUR)
    assert result.outcome.value == "no_relief"
    assert [r.code for r in result.reasons] == ["ALREADY_EXPUNGED"]


def test_r4_r5_reduce_and_r8_exception(make_record: MakeRecord, law: Law) -> None:
    grave = relief.r4_reduce_grave(make_record(), law, AS_OF, Category.GRAVE)
    assert grave.outcome.value == "reduce_sentence"
    assert grave.sentence is not None
    assert grave.sentence.new_term is not None
    assert (grave.sentence.new_term.years, grave.sentence.new_end_date) == (2, dt.date(2024, 1, 5))
    especially = relief.r5_reduce_especially_grave(
        make_record(
            sentence={"punishment": "imprisonment", "term": {"years": 15}, "start_date": "2022-01-06"}
        ),
        law,
        AS_OF,
        Category.ESPECIALLY_GRAVE,
    )
    assert especially.sentence is not None
    assert especially.sentence.new_term is not None
    assert (especially.sentence.new_term.years, especially.sentence.new_term.months) == (7, 6)
    # 4 years from 6 Jan 2022 cut by 3/4: 1 year, ending 5 Jan 2023, within a year of entry into force
    short = make_record(
        sentence={"punishment": "imprisonment", "term": {"years": 4}, "start_date": "2022-01-06"}
    )
    one_year = relief.r4_reduce_grave(short, law, AS_OF, Category.GRAVE)
    assert one_year.outcome.value == "release"
    assert [r.code for r in one_year.reasons] == ["REDUCE_GRAVE", "ONE_YEAR_RULE", "ENTRY_INTO_FORCE_ASSUMED"]
    assert one_year.provisional


def test_r8_reduced_term_already_served(make_record: MakeRecord, law: Law) -> None:
    record = make_record(
        sentence={"punishment": "imprisonment", "term": {"years": 2}, "start_date": "2022-01-06"}
    )
    result = relief.r4_reduce_grave(record, law, AS_OF, Category.GRAVE)
    assert result.outcome.value == "release"
    assert "REDUCED_TERM_SERVED" in [r.code for r in result.reasons]


def test_r6_court_calculator_and_r7(make_record: MakeRecord, law: Law) -> None:
    trial = make_record(stage="trial")
    result = relief.r6_reduce_at_sentencing(trial, law, Category.GRAVE)
    assert result.outcome.value == "reduce_at_sentencing"
    assert [r.code for r in result.reasons] == ["REDUCE_AT_SENTENCING", "SENTENCING_CALCULATION"]
    assert result.sentence is not None
    assert result.sentence.new_end_date == dt.date(2024, 1, 5)
    served = relief.r7_no_expungement_grave(make_record(stage="served"), law, Category.GRAVE)
    assert served.outcome.value == "no_relief"


def test_missing_sentence_is_needs_review(make_record: MakeRecord, law: Law) -> None:
    for sentence in (
        None,
        {"punishment": "imprisonment", "start_date": "2022-01-06"},
        {"punishment": "arrest", "term": {"months": 3}},
    ):
        result = relief.r4_reduce_grave(make_record(sentence=sentence), law, AS_OF, Category.GRAVE)
        assert result.outcome.value == "needs_review"
        assert [r.code for r in result.reasons] == ["MISSING_SENTENCE"]


def test_n1_non_custodial_grave(make_record: MakeRecord, law: Law) -> None:
    fine = make_record(sentence={"punishment": "fine", "fine_amount_mci": 1000, "start_date": "2022-03-01"})
    result = relief.r4_reduce_grave(fine, law, AS_OF, Category.GRAVE)
    assert result.outcome.value == "needs_review"
    assert result.sentence is not None
    assert result.sentence.indicative_fine_mci == 250
    conditional = make_record(
        sentence={
            "punishment": "imprisonment",
            "term": {"years": 4},
            "start_date": "2022-03-01",
            "conditional": True,
        }
    )
    assert [r.code for r in relief.r4_reduce_grave(conditional, law, AS_OF, Category.GRAVE).reasons] == [
        "CONDITIONAL_SENTENCE_GRAVE"
    ]


def test_m1_several_charges(make_record: MakeRecord, law: Law) -> None:
    covered = make_record().charges[0]
    lesser = make_record(charge={"article": 188, "category": "medium"}).charges[0]
    outside = make_record(charge={"article": 105}).charges[0]
    scopes = [scope_charge(c, law, False) for c in (covered, lesser)]
    outcome, category, reasons = m1_several_charges(scopes, law)
    assert (outcome, category, [r.code for r in reasons]) == (None, Category.GRAVE, ["AGGREGATE_BY_GRAVEST"])
    outcome, _, reasons = m1_several_charges([scope_charge(c, law, False) for c in (covered, outside)], law)
    assert outcome is not None
    assert (outcome.value, [r.code for r in reasons]) == ("needs_review", ["PARTIAL_COVERAGE"])


def test_t1_tasks_only_for_release_from_custody(make_record: MakeRecord, law: Law) -> None:
    from amnesty.domain.enums import Outcome

    record = make_record(
        fixed_residence=False, able_bodied=False, needs_medical_care=False, needs_documents=True
    )
    tasks, _ = resocialisation.t1_tasks(record, law, Outcome.RELEASE, AS_OF)
    assert [t.kind.value for t in tasks] == ["social_assistance", "resocialisation_centre", "documents"]
    assert tasks[0].akimat == "Akimat of Almaty"
    assert resocialisation.t1_tasks(record, law, Outcome.REDUCE_SENTENCE, AS_OF) == ((), ())
    fine = make_record(sentence={"punishment": "fine", "fine_amount_mci": 10})
    assert resocialisation.t1_tasks(fine, law, Outcome.RELEASE, AS_OF) == ((), ())


def test_reasons_carry_the_provenance_of_the_fact_they_rest_on(make_record: MakeRecord, law: Law) -> None:
    from amnesty.engine.evaluate import evaluate

    inferred = evaluate(make_record(), law)
    assert [(r.code, r.provenance.value) for r in inferred.charges[0].reasons] == [
        ("IN_SCOPE", "inferred"),
        ("LIST_ENTRY_INFERRED", "inferred"),
    ]
    unverified = evaluate(make_record(charge={"article": 293, "part": 3}), law)
    assert [(r.code, r.provenance.value) for r in unverified.charges[0].reasons] == [
        ("IN_SCOPE", "unverified"),
        ("LIST_ENTRY_UNVERIFIED", "unverified"),
    ]
    verified = evaluate(make_record(charge={"article": 188, "part": 2}), law)
    assert verified.charges[0].reasons[0].provenance.value == "verified"


def test_a_birth_date_after_the_offence_is_refused(make_record: MakeRecord) -> None:
    from pydantic import ValidationError

    from amnesty.domain.records import field_errors

    with pytest.raises(ValidationError) as error:
        make_record(birth_date="2023-01-01")
    assert [e.field for e in field_errors(error.value)] == ["birth_date"]
    assert "born on 2023-01-01" in field_errors(error.value)[0].problem


def test_a_decision_without_sentences_is_the_decision_with_them_emptied(law: Law) -> None:
    """`evaluate(..., sentences=False)` (compact bulk runs) changes nothing but the reasons' sentences,
    and leaves the rendering of later decisions as it was."""
    from amnesty.domain.records import parse_record
    from amnesty.engine.evaluate import evaluate
    from amnesty.synth.generate import generate
    from amnesty.synth.presets import Preset

    def emptied(decision: Decision) -> Decision:
        def bare(reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
            return tuple(reason.model_copy(update={"text": "", "texts": {}}) for reason in reasons)

        charges = tuple(
            charge.model_copy(update={"reasons": bare(charge.reasons)}) for charge in decision.charges
        )
        return decision.model_copy(update={"reasons": bare(decision.reasons), "charges": charges})

    records = [parse_record(data) for data in generate(Preset.JANUARY, 300, seed=3)]
    for record in records:
        worded = evaluate(record, law)
        bare = evaluate(record, law, sentences=False)
        assert bare == emptied(worded)
        assert all(reason.text == "" and reason.texts == {} for reason in bare.reasons)
        assert evaluate(record, law) == worded, "the sentences come back outside sentences=False"
    assert {decision.outcome for decision in (evaluate(r, law) for r in records)} >= {
        Outcome.TERMINATE_CASE,
        Outcome.EXCLUDED,
        Outcome.NOT_COVERED,
    }


def test_every_rule_of_the_2021_law_has_one_function_citing_its_pack() -> None:
    """The 2021 Independence amnesty's rules (LAW-2021.md), keyed by (engine, rule): each rule its pack
    words has a function of that law's engine (or a shared one) citing the same articles, explaining
    itself; E1 (the date a decision is asked for) is the order of application's, not a rule function."""
    law = get_law("kz-2021-81-vii")
    engine_of(law)  # imports the law's package, which registers its rules
    rules = rules_of(law.pack.engine)
    for rule_id, text in law.pack.rules.items():
        if rule_id == "E1":
            continue
        assert rule_id in rules, f"rule {rule_id} of the 2021 law has no function"
        assert rules[rule_id].cites == text.cites, f"{rule_id}: code and pack cite differently"
        assert rules[rule_id].function.__doc__, f"{rule_id}: the function must explain itself"
    assert rules_of("kz_2022_152_vii")["S1"].function is not rules["S1"].function  # two laws, two S1
