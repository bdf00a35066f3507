"""Law 152-VII's order of application, its per-charge scope and its several-charges rule M1.

Order (LAW.md): exclusions (X1-X9, per person) before scope (S1-S4, per charge); then the
several-charges rule (M1) and the relief table (R1-R8, N1); then resocialisation (T1); a
`needs_review` decision then gets the questions whose answers would settle it (`questions.py`).
Importing this module registers the engine `kz_2022_152_vii` that decides under every pack naming it.
"""

from __future__ import annotations

import datetime as dt

from amnesty.domain.decision import ChargeResult, Decision, Reason
from amnesty.domain.enums import Category, Context, Flag, Outcome, Recidivism, Tri
from amnesty.domain.records import CaseRecord, Charge
from amnesty.engine.category import charge_category
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.evaluate import ENGINE_VERSION, ChargeScope, by_gravest
from amnesty.engine.exclusions import has_no_tags
from amnesty.engine.laws import LawEngine, ScreenRules, register_engine
from amnesty.engine.messages import word
from amnesty.engine.relief import default_body, plain_sentence
from amnesty.engine.rules import Finding, article_ref, implements, reason
from amnesty.law.loader import Law
from amnesty.law.packs.kz_2022_152_vii.exclusions import EXCLUSION_RULES, person_level_kinds
from amnesty.law.packs.kz_2022_152_vii.names import CITES, ENGINE
from amnesty.law.packs.kz_2022_152_vii.questions import with_questions
from amnesty.law.packs.kz_2022_152_vii.relief import Relief, relief_for
from amnesty.law.packs.kz_2022_152_vii.resocialisation import t1_tasks
from amnesty.law.packs.kz_2022_152_vii.scope import (
    s1_offence_window,
    s2_territory,
    s3_context,
    s4_listed_article,
)

_CONTEXT_WORDS = {
    Context.RIOT: {
        "en": "in connection with the mass riots",
        "ru": "в связи с массовыми беспорядками",
        "kk": "жаппай тәртіпсіздіктерге байланысты",
    },
    Context.SUPPRESSION: {
        "en": "while suppressing the mass riots",
        "ru": "при подавлении массовых беспорядков",
        "kk": "жаппай тәртіпсіздіктерді басу кезінде",
    },
}


def scope_charge(charge: Charge, law: Law, strict: bool) -> ChargeScope:
    """Apply S1-S4 to one charge; every rule runs, so every failing condition is reported."""
    findings = (
        s1_offence_window(charge, law),
        s2_territory(charge, law),
        s3_context(charge, law),
        s4_listed_article(charge, law, strict),
    )
    answers = {finding.answer for finding in findings}
    answer = Tri.NO if Tri.NO in answers else Tri.UNKNOWN if Tri.UNKNOWN in answers else Tri.YES
    reasons: list[Reason] = []
    ref = article_ref(charge.article, charge.part)
    if answer is Tri.YES:
        entry = law.list_by_article[charge.article]
        words = _CONTEXT_WORDS.get(charge.context, _CONTEXT_WORDS[Context.RIOT])
        reasons.append(
            reason(
                law,
                C.IN_SCOPE,
                "S4",
                entry.provenance,
                article_ref=ref,
                date=charge.offence_date.isoformat(),
                provenance=word("provenance", entry.provenance.value),
                context_en=words["en"],
                context_ru=words["ru"],
                context_kk=words["kk"],
            )
        )
    for finding in findings:
        reasons.extend(finding.reasons)
    provisional = any(f.provisional for f in findings)
    category = charge_category(charge, law)
    reasons.extend(category.reasons)
    provisional = provisional or category.provisional
    covered = {Tri.YES: True, Tri.NO: False, Tri.UNKNOWN: None}[answer]
    result = ChargeResult.model_construct(  # every field below is already of its declared type
        article=charge.article,
        part=charge.part,
        category=category.category,
        category_source=category.source,
        title=law.title(charge.article, charge.part),
        covered=covered,
        reasons=tuple(reasons),
    )
    return ChargeScope(result, answer, provisional, category.conflict)


@implements(
    "M1",
    f"{CITES}; Criminal Code art. 58",
    engine=ENGINE,
    reads=(
        "charges[].offence_date",
        "charges[].offence_end_date",
        "charges[].territory",
        "charges[].context",
        "charges[].article",
        "charges[].part",
        "charges[].category",
    ),
)
def m1_several_charges(
    scopes: list[ChargeScope], law: Law
) -> tuple[Outcome | None, Category | None, list[Reason]]:
    """M1: a person whose charges are all outside the law is not covered; some covered and some not is
    `PARTIAL_COVERAGE` (the court re-aggregates); any uncertain charge is `COVERAGE_UNCERTAIN`; all
    covered: the relief follows the gravest category (`AGGREGATE_BY_GRAVEST` when several), a charge with
    no known category is `MISSING_CATEGORY`, and a recorded category the Criminal Code contradicts is
    `CATEGORY_CONFLICT` (rule C1). Returns (final outcome or None, category)."""
    answers = [scope.answer for scope in scopes]
    if all(answer is Tri.NO for answer in answers):
        return Outcome.NOT_COVERED, None, [reason(law, C.NOT_COVERED, "M1")]
    if Tri.UNKNOWN in answers:
        return Outcome.NEEDS_REVIEW, None, [reason(law, C.COVERAGE_UNCERTAIN, "M1")]
    if Tri.NO in answers:
        return Outcome.NEEDS_REVIEW, None, [reason(law, C.PARTIAL_COVERAGE, "M1")]
    return by_gravest(scopes, law)


_NO_EXCLUSION = [Finding(Tri.NO)] * len(EXCLUSION_RULES)


def _exclusions(record: CaseRecord, law: Law, strict: bool) -> list[Finding]:
    if record.recidivism is Recidivism.NONE and has_no_tags(record, law):
        return _NO_EXCLUSION  # every rule X1-X9 would answer a plain NO (no tag, no recidivism)
    return [rule(record, law, strict) for rule in EXCLUSION_RULES]


def decide(record: CaseRecord, law: Law, as_of: dt.date, strict: bool) -> Decision:
    """The decision without its questions."""
    flags: set[Flag] = {Flag.STRICT_MODE} if strict else set()
    person_reasons: list[Reason] = []
    provisional = False
    if as_of < law.entry_into_force:
        flags.add(Flag.BEFORE_ENTRY_INTO_FORCE)
        person_reasons.append(
            reason(
                law,
                C.BEFORE_ENTRY_INTO_FORCE,
                "E1",
                as_of=as_of.isoformat(),
                entry_into_force=law.entry_into_force.isoformat(),
            )
        )

    scopes = [scope_charge(charge, law, strict) for charge in record.charges]
    exclusion_findings = _exclusions(record, law, strict)
    excluded = [f for f in exclusion_findings if f.answer is Tri.YES]
    uncertain = [f for f in exclusion_findings if f.answer is Tri.UNKNOWN]
    exceptions = [r for f in exclusion_findings if f.answer is Tri.NO for r in f.reasons]

    outcome: Outcome
    relief: Relief | None = None
    if excluded:
        outcome = Outcome.EXCLUDED
        person_reasons += [r for f in excluded for r in f.reasons] + exceptions
        provisional = all(f.provisional for f in excluded)
    else:
        person_reasons += exceptions
        coverage_outcome, category, notes = m1_several_charges(scopes, law)
        person_reasons += notes
        if coverage_outcome is Outcome.NOT_COVERED:
            outcome = coverage_outcome
            person_reasons += [r for f in uncertain for r in f.reasons]
        elif uncertain:
            outcome = Outcome.NEEDS_REVIEW
            person_reasons += [r for f in uncertain for r in f.reasons]
            provisional = any(f.provisional for f in uncertain)
        elif coverage_outcome is not None:
            outcome = coverage_outcome
        else:
            assert category is not None
            relief = relief_for(record, law, category, as_of)
            outcome = relief.outcome
            person_reasons += relief.reasons
            provisional = relief.provisional or any(scope.provisional for scope in scopes)
            if relief.favourable_reading:
                flags.add(Flag.INTERPRETATION)
            if len(scopes) > 1:
                flags.add(Flag.INTERPRETATION)

    if provisional:
        flags.add(Flag.PROVISIONAL_BASIS)

    sentence = relief.sentence if relief is not None else plain_sentence(record.sentence, None)
    if (
        record.sentence is not None
        and record.sentence.additional
        and outcome in (Outcome.REDUCE_SENTENCE, Outcome.RELEASE, Outcome.REDUCE_AT_SENTENCING)
    ):
        person_reasons.append(
            reason(
                law, C.ADDITIONAL_PUNISHMENT_UNCHANGED, "N1", additional=", ".join(record.sentence.additional)
            )
        )
    tasks, task_reasons = t1_tasks(record, law, outcome, as_of)
    person_reasons += task_reasons

    return Decision.model_construct(  # every field below is already of its declared type
        person_id=record.person_id,
        law=law.pack.id,
        law_version=law.version,
        engine_version=ENGINE_VERSION,
        as_of=as_of,
        strict=strict,
        outcome=outcome,
        acting_body=relief.acting_body if relief is not None else default_body(record),
        charges=tuple(scope.result for scope in scopes),
        sentence=sentence,
        reasons=tuple(person_reasons),
        flags=tuple(sorted(flags, key=lambda flag: flag.value)),
        resocialisation=tasks,
    )


def charge_result(charge: Charge, law: Law, strict: bool) -> ChargeResult:
    """A charge's result as `decide` gives it (the bulk run's screen reuses it per charge signature)."""
    return scope_charge(charge, law, strict).result


RIOT_ENGINE = register_engine(
    LawEngine(
        ENGINE,
        decide,
        with_questions,
        requires=("offence_window", "article_list", "relief"),
        screen=ScreenRules(
            territory=s2_territory,
            context=s3_context,
            article=s4_listed_article,
            person_level_kinds=person_level_kinds,
            charge_result=charge_result,
        ),
    )
)
"""Law 152-VII's order of application (exclusions, scope, M1, relief, N1, T1) and its questions."""
