"""Law 152-VII's relief rules R1-R8 and N1, per covered person (LAW.md section 4).

The person's category (the gravest among the charges, rule M1) and stage choose one base rule;
R8 (the one-year rule) is an explicit exception to R4/R5, and N1 covers punishments that are not
terms. Missing data (no sentence, no term, no start date) is `needs_review`, never "no".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from amnesty.domain.decision import Reason, SentenceResult
from amnesty.domain.enums import ActingBody, Category, Outcome, Provenance, ReleaseMode, Stage
from amnesty.domain.records import CaseRecord, Sentence
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.messages import word
from amnesty.engine.relief import (
    BODY,
    IMPOSED,
    category_word,
    default_body,
    in_custody,
    plain_sentence,
    term_of,
    term_out,
)
from amnesty.engine.rules import implements, reason
from amnesty.engine.terms import (
    ReducedSentence,
    Term,
    one_year_limit,
    reduce_sentence,
    scale_amount,
)
from amnesty.engine.terms import unserved_days as count_unserved_days
from amnesty.law.loader import Law
from amnesty.law.packs.kz_2022_152_vii.names import CITES, ENGINE

SERVING = (*BODY, *IMPOSED, "sentence.fine_amount_mci", "sentence.hours")
"""What a reduction while serving reads: the term and its start, or a non-term punishment's amount (N1)."""


@dataclass(frozen=True)
class Relief:
    """What a relief rule gives: the outcome, who acts, the sentence arithmetic and the reasons."""

    outcome: Outcome
    acting_body: ActingBody
    reasons: tuple[Reason, ...]
    sentence: SentenceResult | None = None
    provisional: bool = False
    favourable_reading: bool = False
    extra: tuple[Reason, ...] = field(default=())


def _fraction_text(fraction: Fraction) -> str:
    return f"{fraction.numerator}/{fraction.denominator}"


def _reduce(law: Law, term: Term, start: dt.date, fraction: Fraction) -> ReducedSentence:
    arithmetic = law.pack.arithmetic
    return reduce_sentence(
        term, start, fraction, arithmetic.days_per_month, arithmetic.rounding, arithmetic.cap_at_original_end
    )


def _reduced_result(
    sentence: Sentence, reduced: ReducedSentence, fraction: Fraction, release: ReleaseMode | None
) -> SentenceResult:
    return SentenceResult.model_construct(  # fields already of their declared types
        punishment=sentence.punishment,
        start_date=reduced.start_date,
        original_term=term_out(reduced.original_term),
        new_term=term_out(reduced.new_term),
        original_end_date=reduced.original_end_date,
        new_end_date=reduced.new_end_date,
        release=release,
        fraction_removed=_fraction_text(fraction),
    )


def _missing_sentence(law: Law, record: CaseRecord, rule_id: str, missing: str) -> Relief:
    return Relief(
        Outcome.NEEDS_REVIEW,
        default_body(record),
        (reason(law, C.MISSING_SENTENCE, rule_id, missing=word("missing", missing)),),
        plain_sentence(record.sentence, None),
    )


def _missing_term_parts(sentence: Sentence | None) -> str | None:
    if sentence is None:
        return "sentence"
    if sentence.term is None:
        return "term"
    if sentence.start_date is None:
        return "start_date"
    return None


@implements("R1", CITES, engine=ENGINE, reads=("stage",))
def r1_terminate_case(record: CaseRecord, law: Law, category: Category) -> Relief:
    """R1: misdemeanours and small or medium crimes before sentence: the case is closed."""
    body = ActingBody.INVESTIGATOR if record.stage is Stage.PRE_TRIAL else ActingBody.COURT
    words = category_word(category)
    return Relief(Outcome.TERMINATE_CASE, body, (reason(law, C.TERMINATE_CASE, "R1", category=words),))


@implements("R2", CITES, engine=ENGINE, reads=(*IMPOSED, "sentence.conditional"))
def r2_release(record: CaseRecord, law: Law, category: Category) -> Relief:
    """R2: misdemeanours and small or medium crimes while serving: released from every kind of punishment."""
    sentence = record.sentence
    body = ActingBody.PENITENTIARY if in_custody(sentence) else ActingBody.PROBATION
    words = category_word(category)
    return Relief(
        Outcome.RELEASE,
        body,
        (reason(law, C.RELEASE_FROM_PUNISHMENT, "R2", category=words),),
        plain_sentence(sentence, ReleaseMode.IMMEDIATE),
    )


@implements("R3", CITES, engine=ENGINE, reads=("conviction_expunged", *IMPOSED))
def r3_expunge(record: CaseRecord, law: Law, category: Category) -> Relief:
    """R3: misdemeanours and small or medium crimes, sentence served: the conviction is removed,
    unless it already has been (then nothing is left to grant)."""
    if record.conviction_expunged:
        return Relief(
            Outcome.NO_RELIEF, ActingBody.LEGAL_STATISTICS, (reason(law, C.ALREADY_EXPUNGED, "R3"),)
        )
    words = category_word(category)
    return Relief(
        Outcome.EXPUNGE_CONVICTION,
        ActingBody.LEGAL_STATISTICS,
        (reason(law, C.EXPUNGE_CONVICTION, "R3", category=words),),
        plain_sentence(record.sentence, None),
    )


@implements("R4", CITES, engine=ENGINE, reads=SERVING)
def r4_reduce_grave(record: CaseRecord, law: Law, as_of: dt.date, category: Category) -> Relief:
    """R4: grave crime, serving: the imposed main punishment is cut by three quarters (then R8)."""
    return _reduce_serving(record, law, as_of, category, "R4", C.REDUCE_GRAVE)


@implements("R5", CITES, engine=ENGINE, reads=SERVING)
def r5_reduce_especially_grave(record: CaseRecord, law: Law, as_of: dt.date, category: Category) -> Relief:
    """R5: especially grave crime, serving: the imposed main punishment is cut by half (then R8)."""
    return _reduce_serving(record, law, as_of, category, "R5", C.REDUCE_ESPECIALLY_GRAVE)


def _reduce_serving(
    record: CaseRecord, law: Law, as_of: dt.date, category: Category, rule_id: str, code: C
) -> Relief:
    sentence = record.sentence
    fraction = law.fraction_for(category)
    if fraction is None:  # a variant may drop the reduction for a category
        return Relief(Outcome.NO_RELIEF, default_body(record), (), plain_sentence(sentence, None))
    if sentence is None:
        return _missing_sentence(law, record, rule_id, "sentence")
    if not sentence.punishment.is_term or sentence.conditional:
        return n1_non_custodial_grave(record, sentence, law, category, fraction)
    missing = _missing_term_parts(sentence)
    if missing is not None:
        return _missing_sentence(law, record, rule_id, missing)
    term = term_of(sentence)
    assert term is not None
    assert sentence.start_date is not None
    reduced = _reduce(law, term, sentence.start_date, fraction)
    cut = reason(
        law,
        code,
        rule_id,
        original_term=reduced.original_term.as_param(),
        new_term=reduced.new_term.as_param(),
        new_end_date=reduced.new_end_date.isoformat(),
    )
    exception = r8_one_year_rule(record, law, as_of, sentence, reduced, fraction, cut)
    if exception is not None:
        return exception
    return Relief(
        Outcome.REDUCE_SENTENCE,
        ActingBody.COURT,
        (cut,),
        _reduced_result(sentence, reduced, fraction, ReleaseMode.ON_DATE),
    )


@implements("R6", CITES, engine=ENGINE, reads=(*BODY, *IMPOSED))
def r6_reduce_at_sentencing(record: CaseRecord, law: Law, category: Category) -> Relief:
    """R6: grave and especially grave crimes before sentence: the court applies R4/R5 when it
    sentences. When the record carries the sentence the court is about to impose, the court's
    calculator shows the amnestied term and end date."""
    fraction = law.fraction_for(category)
    if fraction is None:
        return Relief(Outcome.NO_RELIEF, default_body(record), ())
    main = reason(
        law,
        C.REDUCE_AT_SENTENCING,
        "R6",
        category=category_word(category),
        fraction=word("fraction", _fraction_text(fraction)),
    )
    sentence = record.sentence
    if sentence is None or not sentence.punishment.is_term or _missing_term_parts(sentence) is not None:
        return Relief(Outcome.REDUCE_AT_SENTENCING, ActingBody.COURT, (main,), plain_sentence(sentence, None))
    term = term_of(sentence)
    assert term is not None
    assert sentence.start_date is not None
    reduced = _reduce(law, term, sentence.start_date, fraction)
    calculation = reason(
        law,
        C.SENTENCING_CALCULATION,
        "R6",
        original_term=reduced.original_term.as_param(),
        start_date=reduced.start_date.isoformat(),
        new_term=reduced.new_term.as_param(),
        new_end_date=reduced.new_end_date.isoformat(),
    )
    return Relief(
        Outcome.REDUCE_AT_SENTENCING,
        ActingBody.COURT,
        (main, calculation),
        _reduced_result(sentence, reduced, fraction, None),
    )


@implements("R7", f"{CITES} (by inference)", engine=ENGINE, reads=IMPOSED)
def r7_no_expungement_grave(record: CaseRecord, law: Law, category: Category) -> Relief:
    """R7: grave and especially grave crimes, sentence served: the law removes no such conviction."""
    return Relief(
        Outcome.NO_RELIEF,
        ActingBody.LEGAL_STATISTICS,
        (reason(law, C.NO_EXPUNGEMENT_GRAVE, "R7", category=category_word(category)),),
        plain_sentence(record.sentence, None),
    )


@implements("R8", CITES, engine=ENGINE, reads=IMPOSED)
def r8_one_year_rule(
    record: CaseRecord,
    law: Law,
    as_of: dt.date,
    sentence: Sentence,
    reduced: ReducedSentence,
    fraction: Fraction,
    cut: Reason,
) -> Relief | None:
    """R8, an exception to R4/R5: release when, after the reduction, the unserved part on the day of
    entry into force is at most one year (`ONE_YEAR_RULE`), or the reduced term has already ended
    (`REDUCED_TERM_SERVED`). Measuring after the reduction is our reading, favourable to the convict
    (`one_year_rule_after_reduction`); the entry-into-force date is assumed, so the release is
    provisional. Exactly one year left counts as "at most one year" unless `one_year_inclusive` is off;
    either way a decision that turns on it says so (`ONE_YEAR_BOUNDARY`, flagged interpretation)."""
    relief = law.relief
    entry_into_force = law.entry_into_force
    measured_end = reduced.new_end_date if relief.one_year_rule_after_reduction else reduced.original_end_date
    limit = one_year_limit(entry_into_force, relief.one_year_threshold)
    at_boundary = measured_end == limit and reduced.new_end_date >= as_of
    params = {
        "new_end_date": reduced.new_end_date.isoformat(),
        "entry_into_force": entry_into_force.isoformat(),
        "as_of": as_of.isoformat(),
    }
    boundary = (
        reason(
            law,
            C.ONE_YEAR_BOUNDARY,
            "R8",
            reading=word("reading", "inclusive" if relief.one_year_inclusive else "exclusive"),
            **params,
        )
        if at_boundary
        else None
    )
    code: C | None = None
    if reduced.new_end_date < as_of:
        code = C.REDUCED_TERM_SERVED
    elif measured_end < limit or (measured_end == limit and relief.one_year_inclusive):
        code = C.ONE_YEAR_RULE
    if code is None:
        if boundary is None:
            return None
        return Relief(
            Outcome.REDUCE_SENTENCE,
            ActingBody.COURT,
            (cut, boundary),
            _reduced_result(sentence, reduced, fraction, ReleaseMode.ON_DATE),
            favourable_reading=True,
        )
    result = _reduced_result(sentence, reduced, fraction, ReleaseMode.IMMEDIATE)
    result = result.model_copy(
        update={
            "unserved_days_on_entry_into_force": count_unserved_days(entry_into_force, reduced.new_end_date)
        }
    )
    reasons = [cut, reason(law, code, "R8", **params)]
    if boundary is not None and code is C.ONE_YEAR_RULE:
        reasons.append(boundary)
    provisional = False
    if code is C.ONE_YEAR_RULE and law.pack.dates.entry_into_force.provenance is Provenance.ASSUMED:
        reasons.append(reason(law, C.ENTRY_INTO_FORCE_ASSUMED, "E1", Provenance.ASSUMED, **params))
        provisional = True
    favourable = code is C.ONE_YEAR_RULE and relief.one_year_rule_after_reduction
    return Relief(
        Outcome.RELEASE,
        ActingBody.COURT,
        tuple(reasons),
        result,
        provisional=provisional,
        favourable_reading=(favourable and reduced.original_end_date > limit) or boundary is not None,
    )


@implements("N1", CITES, engine=ENGINE, reads=SERVING)
def n1_non_custodial_grave(
    record: CaseRecord, sentence: Sentence, law: Law, category: Category, fraction: Fraction
) -> Relief:
    """N1: a fine, correctional labour or community service, or a conditional sentence, for a grave or
    especially grave crime: `needs_review`, with the indicative figures after the cut."""
    words = category_word(category)
    if sentence.conditional:
        term = term_of(sentence)
        indicative = None
        if term is not None and sentence.start_date is not None:
            reduced = _reduce(law, term, sentence.start_date, fraction)
            indicative = _reduced_result(sentence, reduced, fraction, None)
        new_term = indicative.new_term if indicative is not None else None
        new_term_text = Term(**new_term.model_dump()).as_param() if new_term is not None else "?"
        return Relief(
            Outcome.NEEDS_REVIEW,
            default_body(record),
            (reason(law, C.CONDITIONAL_SENTENCE_GRAVE, "N1", category=words, new_term=new_term_text),),
            indicative or plain_sentence(sentence, None),
        )
    fine = scale_amount(sentence.fine_amount_mci, fraction) if sentence.fine_amount_mci is not None else None
    hours = scale_amount(sentence.hours, fraction) if sentence.hours is not None else None
    if fine is not None:
        indicative_text, unit = str(fine), word("unit", "mci")
    elif hours is not None:
        indicative_text, unit = str(hours), word("unit", "hours")
    else:
        indicative_text, unit = "?", word("unit", "none")
    result = plain_sentence(sentence, None)
    assert result is not None
    result = result.model_copy(
        update={
            "indicative_fine_mci": fine,
            "indicative_hours": hours,
            "fraction_removed": _fraction_text(fraction),
        }
    )
    return Relief(
        Outcome.NEEDS_REVIEW,
        default_body(record),
        (
            reason(
                law,
                C.NON_CUSTODIAL_GRAVE,
                "N1",
                punishment=word("punishment", sentence.punishment.value),
                category=words,
                indicative=indicative_text,
                unit=unit,
            ),
        ),
        result,
    )


def relief_for(record: CaseRecord, law: Law, category: Category, as_of: dt.date) -> Relief:
    """Choose the base rule for the person's category and stage (the relief table of LAW.md)."""
    lesser = category in law.relief.lesser_categories
    stage = record.stage
    if lesser:
        if stage in (Stage.PRE_TRIAL, Stage.TRIAL):
            return r1_terminate_case(record, law, category)
        if stage is Stage.SERVING:
            return r2_release(record, law, category)
        return r3_expunge(record, law, category)
    if stage in (Stage.PRE_TRIAL, Stage.TRIAL):
        return r6_reduce_at_sentencing(record, law, category)
    if stage is Stage.SERVED:
        return r7_no_expungement_grave(record, law, category)
    if category is Category.ESPECIALLY_GRAVE:
        return r5_reduce_especially_grave(record, law, as_of, category)
    return r4_reduce_grave(record, law, as_of, category)
