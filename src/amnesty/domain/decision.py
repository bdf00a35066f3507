"""The decision: the output of the engine for one person (CONTRACT.md, decision).

Decisions are frozen Pydantic models whose JSON form is exactly the contract's shape, extended with
optional fields (`texts` in every language, `provenance`, indicative figures, resocialisation tasks,
and, for a `needs_review` decision, the `questions` whose answers would settle it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from amnesty.domain.enums import (
    ActingBody,
    AnswerKind,
    Category,
    Flag,
    Outcome,
    Provenance,
    Punishment,
    ReleaseMode,
    TaskKind,
    TaskStatus,
)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class TermOut(_Out):
    """A term in the contract's JSON shape."""

    years: int
    months: int
    days: int


class Reason(_Out):
    """One step of the reason trace: code, rule, citation, the facts it rests on (`params`: dates as
    ISO dates, numbers, vocabulary and terms as values) and the sentence a person reads (`text` in
    English, `texts` per language), rendered from code and params by `amnesty.render` (a compact
    decision, as a bulk run writes it by default, leaves the sentences out: they default to empty)."""

    code: str
    rule: str
    cites: str
    text: str = ""
    texts: dict[str, str] = {}
    provenance: Provenance
    params: dict[str, str] = Field(default_factory=dict)


class ChargeResult(_Out):
    """Scope result for one charge."""

    article: int | str
    part: int | str | None
    category: Category | None
    category_source: str | None
    title: str | None = None
    covered: bool | None
    reasons: tuple[Reason, ...]


class SentenceResult(_Out):
    """The sentence before and after the amnesty, with the arithmetic shown."""

    punishment: Punishment | None
    start_date: dt.date | None
    original_term: TermOut | None
    new_term: TermOut | None
    original_end_date: dt.date | None
    new_end_date: dt.date | None
    release: ReleaseMode | None
    fraction_removed: str | None = None
    indicative_fine_mci: float | None = None
    indicative_hours: float | None = None
    unserved_days_on_entry_into_force: int | None = None


class ResocialisationTask(_Out):
    """A duty of the akimat of the person's region towards a released person (LAW.md section 6)."""

    kind: TaskKind
    region: str | None
    akimat: str | None
    status: TaskStatus
    opened_on: dt.date
    rule: str
    cites: str


class Question(_Out):
    """A fact the record lacks, asked so that it settles a `needs_review` (CONTRACT.md, questions).

    `field` is the path in the case record that the answer sets (`charges[0].context`, `birth_date`);
    `options` the allowed answers when the set is closed (null for dates, terms, parts); `leads_to` the
    outcome each option gives, found by evaluating the record with that answer (for a part: the parts
    the law or the catalogue names and the next one up; null for dates and terms). Extensions: `code`
    (the reason that asks), `answer` (the kind of value), `option_texts` (each option in every
    language)."""

    field: str
    rule: str
    code: str
    answer: AnswerKind
    text: dict[str, str]
    options: tuple[str | bool, ...] | None
    option_texts: dict[str, dict[str, str]] | None
    leads_to: dict[str, Outcome] | None


class Unanswerable(_Out):
    """A cause of `needs_review` that no fact of the case record can settle (the law's list after
    Art. 207, a question of law for the court), with a sentence in every language saying so."""

    code: str
    rule: str
    text: dict[str, str]


class Decision(_Out):
    """What the law gives one person, with every reason."""

    person_id: str
    law: str
    law_version: str
    engine_version: str
    as_of: dt.date
    strict: bool
    outcome: Outcome
    acting_body: ActingBody
    charges: tuple[ChargeResult, ...]
    sentence: SentenceResult | None
    reasons: tuple[Reason, ...]
    flags: tuple[Flag, ...]
    resocialisation: tuple[ResocialisationTask, ...]
    questions: tuple[Question, ...] = ()
    unanswerable: tuple[Unanswerable, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        """The decision as plain JSON data (dates as ISO strings)."""
        return self.model_dump(mode="json")

    def reason_codes(self) -> list[str]:
        """Every reason code in the decision: person level first, then per charge."""
        codes = [reason.code for reason in self.reasons]
        for charge in self.charges:
            codes.extend(reason.code for reason in charge.reasons)
        return codes
