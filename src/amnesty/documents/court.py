"""Documents a law asks for beyond the decision document, declared in its pack (`documents:`): the
representation of the institution or probation service to the court, and the letter to the person in
plain words (Law 81-VII art. 5 p. 3 is the first to ask for them).

The representation states the sentence, the part served and the part remaining on the day the law came
into force, the ground (the relief rule's place in the law, in the pack's words), the request (release
from the rest of the main punishment, or the unserved part cut to a new last day) and the checklist of
its attachments. The figures are those of the decision in force (`Authority`), the served and remaining
parts counted from the record's dates.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord
from amnesty.engine.messages import WORDS
from amnesty.engine.relief import in_custody
from amnesty.engine.terms import Term, elapsed
from amnesty.law.loader import Law
from amnesty.law.schema import PackDocuments
from amnesty.render.citations import article_words
from amnesty.render.formats import format_date, format_term


class DocumentKind(StrEnum):
    """Kinds of document: the decision document (every law, every outcome) and those a pack declares."""

    DECISION = "decision"
    COURT_REPRESENTATION = "court_representation"
    PERSON_LETTER = "person_letter"


class DocumentNotAvailableError(ValueError):
    """A kind of document the decision's law does not declare, or that its outcome does not call for."""


COURT_OUTCOMES = (Outcome.RELEASE, Outcome.REDUCE_SENTENCE)
"""Outcomes for which an institution asks the court: release from, or a cut of, a sentence served."""

PACK_LANGUAGES = ("ru", "kk")
"""Languages of the documents a pack declares (the court's and the person's)."""


def available_kinds(decision: Decision, law: Law, outcome: Outcome | None = None) -> tuple[DocumentKind, ...]:
    """The kinds of document for a decision (`outcome`: the outcome in force, the engine's by default):
    the decision document always; the pack's kinds for a release or a cut of a sentence being served."""
    declared = law.pack.documents
    in_force = outcome if outcome is not None else decision.outcome
    if declared is None or in_force not in COURT_OUTCOMES or decision.sentence is None:
        return (DocumentKind.DECISION,)
    return (DocumentKind.DECISION, *(DocumentKind(kind) for kind in declared.kinds))


def _term_words(term: Term | None, language: str) -> str | None:
    return format_term(term.years, term.months, term.days, language) if term is not None else None


def _ground_rule(decision: Decision, documents: PackDocuments) -> str | None:
    """The relief rule the decision rests on: its first reason whose rule the pack gives a ground for."""
    return next((r.rule for r in decision.reasons if r.rule in documents.grounds), None)


def _articles(decision: Decision, record: CaseRecord | None, language: str) -> list[str]:
    """Each charge's article with the Code's name: 'ст. 106 ч. 1 Уголовного кодекса 2014 года',
    '2014 жылғы Қылмыстық кодекстің 106-бабы 1-бөлігі'."""
    items = []
    for index, charge in enumerate(decision.charges):
        code = record.charges[index].code.value if record is not None else "kz-2014"
        code_name = WORDS["criminal_code"][code][language]
        ref = article_words(charge.article, charge.part, language)
        items.append(f"{code_name} {ref}" if language == "kk" else f"{ref} {code_name}")
    return items


def pack_document_context(
    decision: Decision,
    record: CaseRecord | None,
    law: Law,
    language: str,
    outcome: Outcome,
    new_end_date: dt.date | None,
    release_date: dt.date | None,
    by_reviewer: bool = False,
) -> dict[str, Any]:
    """The words of the representation and the letter (`court` in the template context): who sends it
    (`institution` for a custodial punishment, else `probation`; None without a record), the law's
    entry into force, the served and remaining parts on that day, the ground, the request and the
    attachments. `new_end_date` and `release_date` are the figures in force (a reviewer's, or the
    engine's); under a reviewer's decision (`by_reviewer`) the ground is the reviewer's citation, not the
    engine's rule, and the proofs of vulnerability stay listed when the engine's rule rested on it."""
    documents = law.pack.documents
    if documents is None:
        raise ValueError(f"law {law.pack.id} declares no documents")
    entry = law.entry_into_force
    sentence = decision.sentence
    start = sentence.start_date if sentence is not None else None
    last = sentence.original_end_date if sentence is not None else None
    served = elapsed(start, entry) if start is not None else None
    remaining = elapsed(entry, last) if last is not None else None
    rule = _ground_rule(decision, documents)
    fraction = sentence.fraction_removed if sentence is not None else None
    kept = sentence.new_term if sentence is not None and new_end_date == sentence.new_end_date else None
    if record is None or record.sentence is None:
        sender = None  # not known from a decision alone: the template names both
    else:
        sender = "institution" if in_custody(record.sentence) else "probation"
    return {
        "sender": sender,
        "entry_into_force": format_date(entry, language),
        "law_in_citation": documents.law_in_citation[language],
        "articles": _articles(decision, record, language),
        "start_date": format_date(start, language) if start is not None else None,
        "original_end_date": format_date(last, language) if last is not None else None,
        "served": _term_words(served, language),
        "remaining": _term_words(remaining, language),
        "ground_rule": rule,
        "ground": documents.grounds[rule][language] if rule is not None and not by_reviewer else None,
        "release": outcome is Outcome.RELEASE,
        "release_date": format_date(release_date, language) if release_date is not None else None,
        "fraction": WORDS["cut_by"][fraction][language] if fraction in WORDS["cut_by"] else None,
        "kept": _term_words(Term(kept.years, kept.months, kept.days), language) if kept else None,
        "new_end_date": format_date(new_end_date, language) if new_end_date is not None else None,
        "vulnerability_proofs": rule in documents.vulnerability_rules,
        "additional": list(record.sentence.additional) if record is not None and record.sentence else [],
    }
