"""What every law's relief shares: the body that holds a case at its stage, whether a person is in
custody, the sentence as imposed (no reduction, with its end date) and a category as a message
parameter. Each law's relief rules are in its package (Law 152-VII's R1-R8 and N1, the 2021 law's
R1-R9).
"""

from __future__ import annotations

from amnesty.domain.decision import SentenceResult, TermOut
from amnesty.domain.enums import ActingBody, Category, ReleaseMode, Stage
from amnesty.domain.records import CaseRecord, Sentence
from amnesty.engine.messages import word
from amnesty.engine.terms import Term, last_day

IMPOSED = ("sentence.punishment", "sentence.term", "sentence.start_date")
"""What the sentence as imposed reads (`plain_sentence`, the reduction's arithmetic)."""
BODY = ("stage", "sentence.punishment", "sentence.conditional")
"""What the body holding the case reads (`default_body`)."""


def category_word(category: Category) -> str:
    """The category as a message parameter (spelt out in each language)."""
    return word("category", category.value)


def default_body(record: CaseRecord) -> ActingBody:
    """The body that holds the case at its stage (who must act on a refusal or a review)."""
    if record.stage is Stage.PRE_TRIAL:
        return ActingBody.INVESTIGATOR
    if record.stage is Stage.TRIAL:
        return ActingBody.COURT
    if record.stage is Stage.SERVED:
        return ActingBody.LEGAL_STATISTICS
    return ActingBody.PENITENTIARY if in_custody(record.sentence) else ActingBody.PROBATION


def in_custody(sentence: Sentence | None) -> bool:
    """A person serving a custodial punishment in an institution (a suspended sentence is supervised by
    the probation service). Without a sentence on record, custody is assumed: the penitentiary acts."""
    return sentence is None or (sentence.punishment.is_custodial and not sentence.conditional)


def term_of(sentence: Sentence | None) -> Term | None:
    """The imposed term as arithmetic's `Term` (None without a sentence or a term)."""
    if sentence is None or sentence.term is None:
        return None
    return Term(sentence.term.years, sentence.term.months, sentence.term.days)


def term_out(term: Term | None) -> TermOut | None:
    """A term as the decision's `TermOut`."""
    return TermOut(**term.as_dict()) if term is not None else None


def plain_sentence(sentence: Sentence | None, release: ReleaseMode | None) -> SentenceResult | None:
    """The sentence as imposed (no reduction), with its end date when it is a term."""
    if sentence is None:
        return None
    term = term_of(sentence)
    end = last_day(sentence.start_date, term) if term is not None and sentence.start_date else None
    return SentenceResult.model_construct(  # fields already of their declared types
        punishment=sentence.punishment,
        start_date=sentence.start_date,
        original_term=term_out(term),
        new_term=None,
        original_end_date=end,
        new_end_date=None,
        release=release,
    )
