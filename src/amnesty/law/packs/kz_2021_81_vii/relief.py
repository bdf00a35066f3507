"""Rules R1-R9 of the 2021 Independence amnesty: release (Art. 2) and reduction (Art. 3), by the gravest
category, social vulnerability (V1), the damage and the conduct (LAW-2021.md section 5).

Release (R1-R4) closes a pending case (`terminate_case`, by the investigator before trial, the court at
trial) or releases a convict from the rest of the **main** punishment (`release`). Reduction (R5-R8)
cuts the **unserved part of the main punishment on the day the Law came into force** (Art. 5 p. 2), not
the imposed term (section 8 of the reading: the unserved part counted from that day to the last day of
the term in whole years, months, days; the kept part by the pack's month/day convention; the new last
day is that day plus the kept part less one day); a pending case gets `reduce_at_sentencing`. R9
(Art. 3 p. 5, "is reduced" without a measure) follows the parameter `one_year_left`.

Each rule answers tri-state on its own facts; an unknown fact that decides between two outcomes makes the
decision `needs_review` naming that fact, never a guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from amnesty.domain.decision import Reason, SentenceResult, TermOut
from amnesty.domain.enums import ActingBody, Category, Damage, Outcome, Punishment, ReleaseMode, Stage, Tri
from amnesty.domain.records import CaseRecord
from amnesty.engine.messages import word
from amnesty.engine.relief import category_word, default_body, in_custody, plain_sentence
from amnesty.engine.rules import Finding, article_ref, implements, reason
from amnesty.engine.terms import Term, cut_term, elapsed, last_day, one_year_limit
from amnesty.law.loader import Law

ENGINE = "kz_2021_81_vii"
CITES = "Law 81-VII"
TERM_READS = ("sentence.punishment", "sentence.conditional", "sentence.term", "sentence.start_date")
"""The sentence facts the term arithmetic reads, with the conditional flag that decides who acts
(`default_body`: a suspended sentence is the probation service's)."""

REDUCTION = {
    "R5": {Category.MEDIUM: Fraction(1, 2)},
    "R6": {Category.GRAVE: Fraction(1, 2), Category.ESPECIALLY_GRAVE: Fraction(1, 4)},
    "R7": {Category.GRAVE: Fraction(1, 3), Category.ESPECIALLY_GRAVE: Fraction(1, 5)},
    "R8": {Category.GRAVE: Fraction(1, 5), Category.ESPECIALLY_GRAVE: Fraction(1, 6)},
}
"""The cuts of Art. 3 p. 1-4, by rule and category (verified in the text)."""


@dataclass(frozen=True)
class Relief2021:
    """What the relief rules give: the outcome, who acts, the reasons and the sentence arithmetic."""

    outcome: Outcome
    acting_body: ActingBody
    reasons: tuple[Reason, ...]
    sentence: SentenceResult | None = None
    provisional: bool = False
    interpretation: bool = False
    extra: tuple[Reason, ...] = field(default=())


def unserved_part(day: dt.date, last: dt.date) -> Term:
    """The unserved part on `day` of a term whose last day is `last` (LAW-2021.md section 8): whole
    years, then whole months counted forward from `day`, then the days left (`terms.elapsed`)."""
    return elapsed(day, last)


def term_end(record: CaseRecord) -> dt.date | None:
    """The last day of the recorded term, or None when the start or the term is not recorded."""
    sentence = record.sentence
    if sentence is None or sentence.term is None or sentence.start_date is None:
        return None
    term = Term(sentence.term.years, sentence.term.months, sentence.term.days)
    return last_day(sentence.start_date, term)


def _damage_settled(record: CaseRecord) -> bool | None:
    """Art. 2 p. 1 sp. 2 for every charge: no damage, or damage repaid in full, or no civil claim."""
    answers: list[bool | None] = []
    for charge in record.charges:
        if charge.damage in (Damage.NONE, Damage.REPAID) or charge.civil_claim is False:
            answers.append(True)
        elif charge.damage is Damage.OUTSTANDING and charge.civil_claim is True:
            answers.append(False)
        elif charge.damage is Damage.OUTSTANDING and charge.civil_claim is None:
            answers.append(None)
        else:
            answers.append(None)
    if any(answer is False for answer in answers):
        return False
    return None if any(answer is None for answer in answers) else True


def _damage_repaid(record: CaseRecord) -> bool | None:
    """Art. 3 p. 3 for every charge: the damage repaid in full and the claims satisfied, or no damage."""
    values = [charge.damage for charge in record.charges]
    if any(value is Damage.OUTSTANDING for value in values):
        return False
    return None if any(value is None for value in values) else True


def _first_unknown_charge(record: CaseRecord, repaid_only: bool) -> str:
    for charge in record.charges:
        unknown = (
            charge.damage is None
            if repaid_only
            else (charge.damage not in (Damage.NONE, Damage.REPAID) and charge.civil_claim is not False)
        )
        if unknown:
            return article_ref(charge.article, charge.part)
    return article_ref(record.charges[0].article, record.charges[0].part)


def _one_year_left(record: CaseRecord, law: Law) -> tuple[bool | None, dt.date | None]:
    """Whether a convict had at most one year left on the day the Law came into force (None when the
    term's dates are not recorded), with the term's last day."""
    if record.stage is not Stage.SERVING or record.sentence is None or not record.sentence.punishment.is_term:
        return False, None  # a fine, correctional labour or community service has no term left to count
    end = term_end(record)
    if end is None:
        return None, None
    return end <= one_year_limit(law.entry_into_force), end


@implements("R1", f"{CITES}, art. 2 p. 1 sp. 1", engine=ENGINE, reads=())
def r1_lesser(record: CaseRecord, law: Law, category: Category) -> Finding:
    """R1: misdemeanours and crimes of small gravity are released."""
    if category in (Category.MISDEMEANOUR, Category.SMALL):
        return Finding(Tri.YES, (reason(law, "RELEASE_LESSER", "R1", category=category_word(category)),))
    return Finding(Tri.NO)


@implements(
    "R2",
    f"{CITES}, art. 2 p. 1 sp. 2",
    engine=ENGINE,
    reads=("charges[].damage", "charges[].civil_claim", "charges[].article", "charges[].part"),
)
def r2_medium_no_damage(record: CaseRecord, law: Law, category: Category) -> Finding:
    """R2: a crime of medium gravity that caused no damage, or whose damage was repaid in full, or in which
    no civil claim was brought, is released."""
    if category is not Category.MEDIUM:
        return Finding(Tri.NO)
    settled = _damage_settled(record)
    if settled is True:
        return Finding(Tri.YES, (reason(law, "RELEASE_MEDIUM_NO_DAMAGE", "R2"),))
    if settled is None:
        ref = _first_unknown_charge(record, repaid_only=False)
        return Finding(Tri.UNKNOWN, (reason(law, "DAMAGE_UNKNOWN", "R2", article_ref=ref),))
    return Finding(Tri.NO)


@implements("R3", f"{CITES}, art. 2 p. 1 sp. 3", engine=ENGINE, reads=())
def r3_medium_vulnerable(record: CaseRecord, law: Law, category: Category, vulnerable: Tri) -> Finding:
    """R3: a socially vulnerable person who committed a crime of medium gravity is released, whatever the
    damage or the claim (vulnerability is V1's answer)."""
    if category is not Category.MEDIUM or vulnerable is Tri.NO:
        return Finding(Tri.NO)
    if vulnerable is Tri.YES:
        return Finding(Tri.YES, (reason(law, "RELEASE_MEDIUM_VULNERABLE", "R3"),))
    return Finding(Tri.UNKNOWN)


@implements("R4", f"{CITES}, art. 2 p. 2", engine=ENGINE, reads=("stage", "negative_conduct", *TERM_READS))
def r4_one_year_left(record: CaseRecord, law: Law, category: Category) -> Finding:
    """R4: a convict of a crime of medium gravity without a negative conduct rating who had at most one
    year left to serve on the day the Law came into force is released from the main punishment."""
    if (
        category is not Category.MEDIUM
        or record.stage is not Stage.SERVING
        or record.negative_conduct is True
    ):
        return Finding(Tri.NO)
    left, end = _one_year_left(record, law)
    if left is False:
        return Finding(Tri.NO)
    if left is None:
        eif = law.entry_into_force.isoformat()
        return Finding(Tri.UNKNOWN, (reason(law, "SENTENCE_END_UNKNOWN", "R4", entry_into_force=eif),))
    if record.negative_conduct is None:
        return Finding(Tri.UNKNOWN, (reason(law, "CONDUCT_UNKNOWN", "R4"),))
    assert end is not None
    found = reason(
        law,
        "RELEASE_ONE_YEAR_LEFT",
        "R4",
        entry_into_force=law.entry_into_force.isoformat(),
        end_date=end.isoformat(),
    )
    return Finding(Tri.YES, (found,), provisional=True)


def _released(record: CaseRecord, law: Law, reasons: tuple[Reason, ...]) -> Relief2021:
    """Release (R1-R4) by stage: a pending case is closed (the court at trial); a convict is released
    from the rest of the main punishment at once, additional punishments kept (Art. 2 p. 3-5)."""
    if record.stage in (Stage.PRE_TRIAL, Stage.TRIAL):
        return Relief2021(Outcome.TERMINATE_CASE, default_body(record), reasons)
    extra = (reason(law, "MAIN_PUNISHMENT_ONLY", "N1"),)
    return Relief2021(
        Outcome.RELEASE,
        ActingBody.COURT,
        reasons + extra,
        plain_sentence(record.sentence, ReleaseMode.IMMEDIATE),
    )


def reduction_rule(category: Category, vulnerable: Tri, repaid: bool | None) -> str | None:
    """Which of R5-R8 cuts the punishment: R5 for medium gravity; for grave and especially grave R6 when
    vulnerable, R7 when the damage is repaid (or there is none), R8 otherwise; None while V1 or the
    damage is unknown and decides it."""
    if category is Category.MEDIUM:
        return "R5"
    if vulnerable is Tri.YES:
        return "R6"
    if vulnerable is Tri.UNKNOWN:
        return None
    if repaid is None:
        return None
    return "R7" if repaid else "R8"


def _out(term: Term) -> TermOut:
    return TermOut(**term.as_dict())


REDUCE_READS = ("stage", *TERM_READS, "sentence.fine_unpaid_mci")


@implements("R5", f"{CITES}, art. 3 p. 1; {CITES}, art. 5 p. 2", engine=ENGINE, reads=REDUCE_READS)
@implements("R6", f"{CITES}, art. 3 p. 2; {CITES}, art. 5 p. 2", engine=ENGINE, reads=REDUCE_READS)
@implements("R7", f"{CITES}, art. 3 p. 3; {CITES}, art. 5 p. 2", engine=ENGINE, reads=REDUCE_READS)
@implements("R8", f"{CITES}, art. 3 p. 4; {CITES}, art. 5 p. 2", engine=ENGINE, reads=REDUCE_READS)
def reduce_unserved(record: CaseRecord, law: Law, category: Category, rule_id: str) -> Relief2021:
    """R5-R8: the unserved (or unexecuted) part of the main punishment on the day the Law came into force
    is cut by the rule's fraction for the category; a pending case is cut at sentencing."""
    fraction = REDUCTION[rule_id][category]
    cut = word("cut_by", f"{fraction.numerator}/{fraction.denominator}")
    eif = law.entry_into_force
    if record.stage in (Stage.PRE_TRIAL, Stage.TRIAL):
        found = reason(law, "REDUCE_AT_SENTENCING", rule_id, fraction=cut)
        return Relief2021(Outcome.REDUCE_AT_SENTENCING, ActingBody.COURT, (found,))
    sentence = record.sentence
    if sentence is None:
        found = reason(law, "SENTENCE_END_UNKNOWN", rule_id, entry_into_force=eif.isoformat())
        return Relief2021(Outcome.NEEDS_REVIEW, default_body(record), (found,))
    if sentence.punishment in (Punishment.FINE, Punishment.CORRECTIONAL_LABOUR, Punishment.COMMUNITY_SERVICE):
        return _reduce_amount(record, law, rule_id, fraction, cut)
    end = term_end(record)
    if end is None:
        found = reason(law, "SENTENCE_END_UNKNOWN", rule_id, entry_into_force=eif.isoformat())
        return Relief2021(
            Outcome.NEEDS_REVIEW, default_body(record), (found,), plain_sentence(sentence, None)
        )
    unserved = unserved_part(eif, end)
    arithmetic = law.pack.arithmetic
    kept = cut_term(unserved, fraction, arithmetic.days_per_month, arithmetic.rounding)
    new_end = last_day(eif, kept) if not kept.is_zero() else eif - dt.timedelta(days=1)
    new_end = min(new_end, end)
    assert sentence.term is not None  # `term_end` found a last day
    imposed = Term(sentence.term.years, sentence.term.months, sentence.term.days)
    result = SentenceResult.model_construct(
        punishment=sentence.punishment,
        start_date=sentence.start_date,
        original_term=_out(imposed),
        new_term=_out(kept),
        original_end_date=end,
        new_end_date=new_end,
        release=ReleaseMode.IMMEDIATE if kept.is_zero() else ReleaseMode.ON_DATE,
        fraction_removed=f"{fraction.numerator}/{fraction.denominator}",
        unserved_days_on_entry_into_force=max(0, (end - eif).days + 1),
    )
    found = reason(
        law,
        "REDUCE_UNSERVED",
        rule_id,
        entry_into_force=eif.isoformat(),
        unserved=unserved.as_param(),
        fraction=cut,
        kept=kept.as_param(),
        new_end_date=new_end.isoformat(),
    )
    return Relief2021(Outcome.REDUCE_SENTENCE, ActingBody.COURT, (found,), result, provisional=True)


def _reduce_amount(record: CaseRecord, law: Law, rule_id: str, fraction: Fraction, cut: str) -> Relief2021:
    """A fine or correctional labour is cut by its unpaid amount (`fine_unpaid_mci`); community service,
    or an amount not recorded, needs review."""
    sentence = record.sentence
    assert sentence is not None
    punishment = word("punishment", sentence.punishment.value)
    unpaid = sentence.fine_unpaid_mci
    if unpaid is None or sentence.punishment is Punishment.COMMUNITY_SERVICE:
        found = reason(law, "PUNISHMENT_REMAINDER_UNKNOWN", rule_id, punishment=punishment, fraction=cut)
        return Relief2021(
            Outcome.NEEDS_REVIEW, default_body(record), (found,), plain_sentence(sentence, None)
        )
    kept = float(Fraction(str(unpaid)) * (1 - fraction))
    kept = int(kept * 100) / 100
    found = reason(
        law, "REDUCE_AMOUNT", rule_id, punishment=punishment, unpaid=unpaid, fraction=cut, kept=kept
    )
    result = plain_sentence(sentence, None)
    if result is not None:
        result = result.model_copy(
            update={
                "fraction_removed": f"{fraction.numerator}/{fraction.denominator}",
                "indicative_fine_mci": kept,
            }
        )
    return Relief2021(Outcome.REDUCE_SENTENCE, ActingBody.COURT, (found,), result)


@implements("R9", f"{CITES}, art. 3 p. 5", engine=ENGINE, reads=("stage", "negative_conduct", *TERM_READS))
def r9_one_year_left(record: CaseRecord, law: Law, category: Category) -> Finding:
    """R9: a convict of a grave or especially grave crime without a negative conduct rating who had at
    most one year left on the day the Law came into force has the unserved part "reduced" (Art. 3 p. 5
    says not by how much): YES when it applies (the parameter `one_year_left` says what follows)."""
    if category not in (Category.GRAVE, Category.ESPECIALLY_GRAVE) or record.stage is not Stage.SERVING:
        return Finding(Tri.NO)
    if record.negative_conduct is True:
        return Finding(Tri.NO)
    left, end = _one_year_left(record, law)
    if left is False or (end is None and left is not None):
        return Finding(Tri.NO)
    if left is None:
        return Finding(Tri.NO)  # the dates are missing: the reduction itself asks for them
    if record.negative_conduct is None:
        return Finding(Tri.UNKNOWN, (reason(law, "CONDUCT_UNKNOWN", "R9"),))
    assert end is not None
    return Finding(Tri.YES, provisional=True)


def relief_2021(record: CaseRecord, law: Law, category: Category, vulnerable: Tri, v1: Finding) -> Relief2021:
    """The relief for a covered, not excluded person by the gravest category (see the module doc)."""
    if category in (Category.MISDEMEANOUR, Category.SMALL):
        return _released(record, law, r1_lesser(record, law, category).reasons)
    if category is Category.MEDIUM:
        answers = [
            r2_medium_no_damage(record, law, category),
            r3_medium_vulnerable(record, law, category, vulnerable),
            r4_one_year_left(record, law, category),
        ]
        released = [a for a in answers if a.answer is Tri.YES]
        if released:
            relief = _released(record, law, tuple(r for a in released for r in a.reasons))
            provisional = any(a.provisional for a in released)
            v1_reasons = v1.reasons if answers[1].answer is Tri.YES else ()
            return Relief2021(
                relief.outcome, relief.acting_body, v1_reasons + relief.reasons, relief.sentence, provisional
            )
        open_ = [a for a in answers if a.answer is Tri.UNKNOWN]
        if open_:
            reasons = tuple(r for a in open_ for r in a.reasons)
            if answers[1].answer is Tri.UNKNOWN:
                reasons = v1.reasons + reasons
            return Relief2021(
                Outcome.NEEDS_REVIEW, default_body(record), reasons, plain_sentence(record.sentence, None)
            )
        return reduce_unserved(record, law, category, "R5")
    # grave and especially grave
    rule_id = reduction_rule(category, vulnerable, _damage_repaid(record))
    if rule_id is None:
        open_reasons: tuple[Reason, ...] = ()
        if vulnerable is Tri.UNKNOWN:
            open_reasons += v1.reasons
        if vulnerable is not Tri.YES and _damage_repaid(record) is None:
            ref = _first_unknown_charge(record, repaid_only=True)
            open_reasons += (reason(law, "DAMAGE_UNKNOWN", "R7", article_ref=ref),)
        return Relief2021(
            Outcome.NEEDS_REVIEW, default_body(record), open_reasons, plain_sentence(record.sentence, None)
        )
    reduced = reduce_unserved(record, law, category, rule_id)
    v1_reasons = v1.reasons  # V1 chose between R6 and R7/R8
    one_year = r9_one_year_left(record, law, category)
    if one_year.answer is Tri.NO or reduced.outcome is not Outcome.REDUCE_SENTENCE:
        return Relief2021(
            reduced.outcome,
            reduced.acting_body,
            v1_reasons + reduced.reasons,
            reduced.sentence,
            reduced.provisional,
        )
    if one_year.answer is Tri.UNKNOWN:
        return Relief2021(
            Outcome.NEEDS_REVIEW,
            default_body(record),
            v1_reasons + one_year.reasons + reduced.reasons,
            reduced.sentence,
        )
    return _one_year_reading(record, law, reduced, v1_reasons, rule_id, category)


def _one_year_reading(
    record: CaseRecord,
    law: Law,
    reduced: Relief2021,
    v1_reasons: tuple[Reason, ...],
    rule_id: str,
    category: Category,
) -> Relief2021:
    """R9 by the parameter `one_year_left`: `review` (default) needs review with R6-R8's cut shown as an
    indication; `fraction` applies that cut; `release` releases from the rest of the main punishment."""
    setting = str(law.pack.parameters.get("one_year_left", "review"))
    end = term_end(record)
    assert end is not None
    assert reduced.sentence is not None
    eif = law.entry_into_force.isoformat()
    fraction = REDUCTION[rule_id][category]
    cut = word("cut_by", f"{fraction.numerator}/{fraction.denominator}")
    if setting == "review":
        found = reason(
            law,
            "ONE_YEAR_LEFT_UNQUANTIFIED",
            "R9",
            entry_into_force=eif,
            end_date=end.isoformat(),
            fraction=cut,
        )
        return Relief2021(
            Outcome.NEEDS_REVIEW,
            ActingBody.COURT,
            (*v1_reasons, found, *reduced.reasons),
            reduced.sentence,
            True,
        )
    reading = word("one_year_reading", setting)
    note = reason(law, "ONE_YEAR_LEFT_READING", "R9", entry_into_force=eif, reading=reading)
    if setting == "release":
        relief = _released(record, law, (*v1_reasons, note))
        return Relief2021(relief.outcome, relief.acting_body, relief.reasons, relief.sentence, True, True)
    return Relief2021(
        reduced.outcome,
        reduced.acting_body,
        v1_reasons + reduced.reasons + (note,),
        reduced.sentence,
        True,
        True,
    )


__all__ = ["Relief2021", "in_custody", "relief_2021", "term_end", "unserved_part"]
