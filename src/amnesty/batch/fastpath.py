"""A memoised path for the commonest case of a whole registry: a person the law plainly does not reach.

Most persons of a national registry were charged with offences committed outside the window of
4-7 January 2022, with no excluding kind of offence and no recidivism. For them the engine always
answers the same way: each charge is out of the window (S1) with the other scope findings of its
article, no exclusion applies, and M1 gives `not_covered`. Only the offence date changes the text
of a charge's result.

This module produces, for such a person, exactly the bytes the engine's decision would serialise
to, without building the decision: each charge's JSON is computed once by the engine itself
(`scope_charge`, then Pydantic's serialiser) for an article, part, category, territory, context and
recorded tags, and reused with the offence date put in its places (ISO in `params`, each language's
written form in the sentences); the sentence as imposed is written
field by field as `relief.plain_sentence` gives it (end date by the engine's `last_day`). Every
other case, and any case
this module is not sure of, goes to the engine. `tests/batch/test_batch_fastpath.py` checks the
bytes against the engine on large synthetic samples of both presets.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from amnesty.domain.enums import Recidivism
from amnesty.domain.records import CaseRecord, Charge
from amnesty.engine.codes import ReasonCode
from amnesty.engine.evaluate import ENGINE_VERSION, scope_charge
from amnesty.engine.exclusions import has_no_tags
from amnesty.engine.messages import LANGUAGES
from amnesty.engine.relief import default_body
from amnesty.engine.rules import reason
from amnesty.engine.terms import Term, last_day
from amnesty.law.loader import Law
from amnesty.render.formats import format_date

_MAX_TEMPLATES = 50_000


@dataclass(frozen=True, slots=True)
class _ChargeTemplate:
    """A charge result's JSON, split where its offence date goes, with what the flat row needs."""

    pieces: tuple[str, ...]
    forms: tuple[int, ...]
    category: Any
    codes: tuple[str, ...]


class NotCoveredPath:
    """Decides plainly uncovered persons for one law, as-of date and mode (see the module doc)."""

    def __init__(self, law: Law, as_of: dt.date, strict: bool) -> None:
        self.law = law
        self.as_of = as_of
        self.strict = strict
        self.usable = as_of >= law.entry_into_force
        window = law.pack.dates.offence_window
        self.window_start, self.window_end = window.start, window.end
        not_covered = reason(law, ReasonCode.NOT_COVERED, "M1")
        self._head = (
            '","law":' + json.dumps(law.pack.id, ensure_ascii=False)
            + ',"law_version":' + json.dumps(law.version, ensure_ascii=False)
            + ',"engine_version":' + json.dumps(ENGINE_VERSION, ensure_ascii=False)
            + ',"as_of":"' + as_of.isoformat()
            + '","strict":' + ("true" if strict else "false")
            + ',"outcome":"not_covered","acting_body":"'
        )  # fmt: skip
        self._tail = (
            ',"reasons":[' + not_covered.model_dump_json()
            + '],"flags":[' + ('"strict_mode"' if strict else "")
            + '],"resocialisation":[]}'
        )  # fmt: skip
        self._flags = "strict_mode" if strict else ""
        self._templates: dict[tuple[Any, ...], _ChargeTemplate] = {}

    def _template(self, charge: Charge) -> _ChargeTemplate:
        key = (charge.article, charge.part, charge.category, charge.territory, charge.context, charge.tags)
        template = self._templates.get(key)
        if template is None:
            result = scope_charge(charge, self.law, self.strict).result
            text = result.model_dump_json()
            forms = _date_forms(charge.offence_date)
            split = re.split("(" + "|".join(re.escape(form) for form in forms) + ")", text)
            pieces = tuple(split[0::2])
            kinds = tuple(forms.index(form) for form in split[1::2])
            template = _ChargeTemplate(pieces, kinds, result.category, tuple(r.code for r in result.reasons))
            if len(self._templates) >= _MAX_TEMPLATES:
                self._templates.clear()
            self._templates[key] = template
        return template

    def decide(self, record: CaseRecord) -> tuple[str, tuple[Any, ...]] | None:
        """The decision's JSON line and flat row, or None when the engine must decide."""
        if not self.usable or record.recidivism is not Recidivism.NONE:
            return None
        start, end = self.window_start, self.window_end
        for charge in record.charges:
            if charge.offence_date <= end and (charge.offence_end_date or charge.offence_date) >= start:
                return None  # in the window, or a continuing offence that runs into it: the engine decides
        person_id = record.person_id
        if not (person_id.isascii() and person_id.isprintable()) or '"' in person_id or "\\" in person_id:
            return None
        if not has_no_tags(record, self.law):
            return None
        fragments: list[str] = []
        codes: list[str] = ["NOT_COVERED"]
        gravest = None
        for charge in record.charges:
            template = self._template(charge)
            fragments.append(_fill(template, _date_forms(charge.offence_date)))
            codes.extend(template.codes)
            category = template.category
            if category is not None and (gravest is None or category.gravity > gravest.gravity):
                gravest = category
        body = default_body(record).value
        sentence_json, original_term, original_end = _plain_sentence_json(record)
        line = (
            '{"person_id":"' + person_id + self._head + body
            + '","charges":[' + ",".join(fragments)
            + '],"sentence":' + sentence_json
            + self._tail
        )  # fmt: skip
        row = (
            person_id,
            "not_covered",
            body,
            record.stage.value,
            gravest.value if gravest is not None else None,
            record.region,
            record.role.value,
            original_term,
            None,
            original_end,
            None,
            None,
            ";".join(codes),
            self._flags,
            self.as_of,
            self.law.version,
        )
        return line, row


def _date_forms(day: dt.date) -> tuple[str, ...]:
    """The ways a charge's JSON writes its offence date: ISO, then as each language's sentences do."""
    return (day.isoformat(), *(format_date(day, language) for language in LANGUAGES))


def _fill(template: _ChargeTemplate, forms: tuple[str, ...]) -> str:
    pieces = template.pieces
    parts = [pieces[0]]
    for kind, piece in zip(template.forms, pieces[1:], strict=True):
        parts.append(forms[kind])
        parts.append(piece)
    return "".join(parts)


_SENTENCE_TAIL = (
    ',"new_term":null,"original_end_date":{end},"new_end_date":null,"release":null,'
    '"fraction_removed":null,"indicative_fine_mci":null,"indicative_hours":null,'
    '"unserved_days_on_entry_into_force":null}}'
)


def _plain_sentence_json(record: CaseRecord) -> tuple[str, str | None, dt.date | None]:
    """The JSON of `relief.plain_sentence(record.sentence, None)` (the sentence as imposed, with its
    end date when it is a term), with the flat row's term text and end date."""
    sentence = record.sentence
    if sentence is None:
        return "null", None, None
    start = sentence.start_date
    head = '{"punishment":"' + sentence.punishment.value + '","start_date":'
    head += '"' + start.isoformat() + '"' if start is not None else "null"
    term_in = sentence.term
    if term_in is None:
        return head + ',"original_term":null' + _SENTENCE_TAIL.format(end="null"), None, None
    years, months, days = term_in.years, term_in.months, term_in.days
    end = last_day(start, Term(years, months, days)) if start is not None else None
    term = f'{{"years":{years},"months":{months},"days":{days}}}'
    end_json = '"' + end.isoformat() + '"' if end is not None else "null"
    text = head + ',"original_term":' + term + _SENTENCE_TAIL.format(end=end_json)
    return text, f"P{years}Y{months}M{days}D", end
