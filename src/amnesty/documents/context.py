"""The data a document template sees: the person, the charges, the decision, terms, dates, legal basis.

Everything is already put into words in the document's language (dates, terms, categories), so the
templates only arrange text. The record is optional: a document made from a decision alone shows the
person's registry identifier only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from amnesty.documents.names import name_forms
from amnesty.domain.decision import Decision, TermOut
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord
from amnesty.law.loader import Law
from amnesty.render.citations import article_words
from amnesty.render.decisions import OUTCOME_WORDS, cites_text, headline, override_headline, reason_text
from amnesty.render.formats import format_date, format_number, format_term
from amnesty.render.validation import field_label

LANGUAGES = ("ru", "kk", "en")


@dataclass(frozen=True)
class Labels:
    """The word lists of one language (`templates/<lang>/labels.yaml`)."""

    data: dict[str, Any]

    def word(self, group: str, key: str) -> str:
        """A word from a group, or the key itself when the lawyer's file lacks it."""
        value = self.data.get(group, {}).get(key)
        return str(value) if value is not None else key


@dataclass(frozen=True)
class Authority:
    """Who made the decision a document states (`amnesty.store.in_force`): the engine, or a reviewer
    whose override is in force, by whom and when; a reviewer's outcome, figures, citation and reasons."""

    source: str
    decided_by: str
    decided_at: dt.date
    outcome: Outcome | None = None
    citation: str = ""
    justification: str = ""
    release_date: dt.date | None = None
    new_end_date: dt.date | None = None
    number: str | None = None

    @property
    def by_reviewer(self) -> bool:
        """Whether a reviewer's decision is in force (else the engine's)."""
        return self.source == "reviewer" and self.outcome is not None

    def outcome_of(self, decision: Decision) -> Outcome:
        """The outcome the document states."""
        return self.outcome if self.by_reviewer and self.outcome is not None else decision.outcome


@dataclass(frozen=True)
class AnsweredQuestion:
    """A fact a user set by answering a question of the decision, with the source document named."""

    field: str
    source: str
    answered_on: dt.date
    answered_by: str


def _answers(answers: tuple[AnsweredQuestion, ...], language: str) -> list[dict[str, str]]:
    return [
        {
            "field": field_label(a.field, language),
            "source": a.source,
            "date": format_date(a.answered_on, language),
            "by": a.answered_by,
        }
        for a in answers
    ]


def _authority_block(
    authority: Authority | None, as_of: dt.date, language: str, labels: Labels
) -> dict[str, Any]:
    """The lines naming who decided: the engine (by whose action, when; or, for a decision not stored
    in the register, the date of the calculation) or the reviewer (name, date, citation, reasons)."""
    if authority is None:
        line = labels.word("words", "computed_by_engine").format(date=format_date(as_of, language))
        return {"source": "engine", "line": line, "citation": None, "justification": None}
    key = "decided_by_reviewer" if authority.by_reviewer else "decided_by_engine"
    line = labels.word("words", key).format(
        by=authority.decided_by, date=format_date(authority.decided_at, language)
    )
    return {
        "source": "reviewer" if authority.by_reviewer else "engine",
        "line": line,
        "citation": authority.citation if authority.by_reviewer else None,
        "justification": authority.justification if authority.by_reviewer else None,
    }


def _term(term: TermOut | None, language: str) -> str | None:
    return format_term(term.years, term.months, term.days, language) if term is not None else None


def _number(value: float | None, language: str) -> str | None:
    return format_number(value, language) if value is not None else None


def _akimat(labels: Labels, region: str | None) -> str | None:
    if region is None:
        return None
    pattern = labels.word("words", "akimat")
    name = labels.word("region", region)
    return pattern.replace("{region}", name) if "{region}" in pattern else f"{pattern} {name}"


def _charge_ref(article: int | str, part: int | str | None, language: str) -> str:
    """The charge's article as the citations write it ('Ст. 272 ч. 2', 'Art. 272 part 2',
    '272-бабы 2-бөлігі'), capitalised at the start of its cell."""
    text = article_words(article, part, language)
    return text[:1].upper() + text[1:]


def document_context(
    decision: Decision,
    record: CaseRecord | None,
    law: Law,
    language: str,
    labels: Labels,
    authority: Authority | None = None,
    answers: tuple[AnsweredQuestion, ...] = (),
) -> dict[str, Any]:
    """Everything a template needs, in words of `language`: the decision in force (`authority`: the
    engine's, or the reviewer's outcome, figures and reasons over the engine's facts) and the facts
    set by answering its questions, each with its source document (`answers`)."""
    by_reviewer = authority is not None and authority.by_reviewer
    outcome = authority.outcome_of(decision) if authority is not None else decision.outcome
    birth = record.effective_birth_date if record is not None else None
    person = {
        "person_id": decision.person_id,
        "full_name": record.full_name if record is not None else None,
        "name": name_forms(record.full_name if record is not None else None, decision.person_id, language),
        "iin": record.iin if record is not None else None,
        "birth_date": format_date(birth, language) if birth is not None else None,
        "region": labels.word("region", record.region) if record is not None and record.region else None,
        "case_number": record.case_number if record is not None else None,
    }
    charges = []
    for index, charge in enumerate(decision.charges):
        offence = record.charges[index].offence_date if record is not None else None
        charges.append(
            {
                "ref": _charge_ref(charge.article, charge.part, language),
                "article": charge.article,
                "part": charge.part,
                "title": law.title(charge.article, charge.part, language) or charge.title,
                "category": labels.word("category", charge.category.value if charge.category else "unknown"),
                "covered": labels.word("covered", str(charge.covered).lower()),
                "offence_date": format_date(offence, language) if offence is not None else None,
                "reasons": [
                    {
                        "text": reason_text(r, language, law),
                        "rule": r.rule,
                        "cites": cites_text(r, language),
                        "provenance": labels.word("provenance", r.provenance.value),
                    }
                    for r in charge.reasons
                ],
            }
        )
    sentence = decision.sentence
    sentence_data: dict[str, Any] | None = None
    if sentence is not None:
        sentence_data = {
            "punishment": labels.word(
                "punishment", sentence.punishment.value if sentence.punishment else "none"
            ),
            "original_term": _term(sentence.original_term, language),
            "new_term": _term(sentence.new_term, language),
            "start_date": format_date(sentence.start_date, language) if sentence.start_date else None,
            "original_end_date": (
                format_date(sentence.original_end_date, language) if sentence.original_end_date else None
            ),
            "new_end_date": format_date(sentence.new_end_date, language) if sentence.new_end_date else None,
            "release": labels.word("release", sentence.release.value) if sentence.release else None,
            "release_date": None,
            "fraction_removed": sentence.fraction_removed,
            "indicative_fine_mci": _number(sentence.indicative_fine_mci, language),
            "indicative_hours": _number(sentence.indicative_hours, language),
        }
    if by_reviewer and authority is not None and sentence_data is not None:
        # the reviewer's figures replace the engine's: a new end date, a release date, or none
        sentence_data |= {
            "new_term": None,
            "fraction_removed": None,
            "new_end_date": (
                format_date(authority.new_end_date, language) if authority.new_end_date else None
            ),
            "release": None,
            "release_date": (
                format_date(authority.release_date, language) if authority.release_date else None
            ),
        }
    reasons = [
        {
            "text": reason_text(r, language, law),
            "rule": r.rule,
            "cites": cites_text(r, language),
            "provenance": labels.word("provenance", r.provenance.value),
            "code": r.code,
        }
        for r in decision.reasons
    ]
    if by_reviewer and authority is not None:
        headline_text = override_headline(
            outcome,
            authority.decided_by,
            authority.decided_at,
            authority.release_date,
            authority.new_end_date,
            language,
        )
    else:
        headline_text = headline(decision, language)
    return {
        "lang": language,
        "labels": labels.data,
        "words": labels.data.get("words", {}),
        "law_title": getattr(law.pack.title, language),
        "law_version": decision.law_version,
        "engine_version": decision.engine_version,
        "as_of": format_date(decision.as_of, language),
        "outcome": outcome.value,
        "outcome_words": OUTCOME_WORDS[outcome][language],
        "headline": headline_text,
        "authority": _authority_block(authority, decision.as_of, language, labels),
        "document_number": (authority.number if authority is not None else None) or "______________",
        "acting_body": labels.word("acting_body", decision.acting_body.value),
        "acting_body_code": decision.acting_body.value,
        "person": person,
        "charges": charges,
        "sentence": sentence_data,
        "reasons": [] if by_reviewer else reasons,
        "engine_reasons": reasons,
        "answers": _answers(answers, language),
        "flags": [] if by_reviewer else [labels.word("flag", flag.value) for flag in decision.flags],
        "tasks": []
        if outcome is not decision.outcome
        else [
            {
                "kind": labels.word("task", task.kind.value),
                "akimat": _akimat(labels, task.region),
            }
            for task in decision.resocialisation
        ],
    }
