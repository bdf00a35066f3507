"""Guided questions, what every law shares: the record's field paths (a question's field, the
answers its type allows, the record with an answer put in) and `question_for`, which builds the
question for a fact with where each answer leads (the decision worked out again with that answer).

Each law's package says which reasons ask which fact and in what words (Law 152-VII's causes table,
the 2021 law's `questions.py`). Questions are computed only for `needs_review` decisions.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import types
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from amnesty.domain.decision import Decision, Question, Reason
from amnesty.domain.enums import AnswerKind, Outcome
from amnesty.domain.records import CaseRecord, Sentence, TermIn, number_order, parse_record
from amnesty.engine.messages import LANGUAGES, with_article_ref
from amnesty.law.loader import Law

Texts = Mapping[str, str]
"""A sentence per language (en, ru, kk), with `{named}` parameters."""

Params = Mapping[str, str | Mapping[str, str]]
"""Parameters of a text: one value for every language, or a value per language."""


# ----------------------------------------------------------------------------------------------------
# Record paths: `charges[0].context`, `sentence.start_date`, `birth_date`.

_STEP = re.compile(r"([a-z_][a-z0-9_]*)(?:\[(\d+)\])?")


class FieldPathError(ValueError):
    """A path that names no field of the case record."""


def _steps(path: str) -> list[tuple[str, int | None]]:
    steps: list[tuple[str, int | None]] = []
    for piece in path.split("."):
        match = _STEP.fullmatch(piece)
        if match is None:
            raise FieldPathError(f"{path}: not a field path of the case record")
        steps.append((match[1], int(match[2]) if match[2] is not None else None))
    return steps


def _unwrap(annotation: Any) -> Any:
    """The type inside `X | None`, `Annotated[X, ...]` and `tuple[X, ...]`."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            inner = [arg for arg in get_args(annotation) if arg is not type(None)]
            annotation = inner[0]
        elif origin is tuple:
            annotation = get_args(annotation)[0]
        else:
            return annotation


def field_type(path: str) -> Any:
    """The type of the value at `path` in a case record (`charges[0].context` -> `Context`)."""
    model: Any = CaseRecord
    annotation: Any = None
    for name, _ in _steps(path):
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or name not in model.model_fields:
            raise FieldPathError(f"{path}: the case record has no field '{name}' there")
        annotation = _unwrap(model.model_fields[name].annotation)
        model = annotation
    return annotation


def answer_kind(path: str) -> AnswerKind:
    """How a value for `path` is given: a choice, a date, a whole number, a term or a whole sentence."""
    kind = field_type(path)
    if kind is bool or (isinstance(kind, type) and issubclass(kind, Enum)):
        return AnswerKind.CHOICE
    if kind is dt.date:
        return AnswerKind.DATE
    if kind is int:
        return AnswerKind.INTEGER
    if kind is TermIn:
        return AnswerKind.TERM
    if kind is Sentence:
        return AnswerKind.SENTENCE
    raise FieldPathError(f"{path}: no question can ask for a value of type {kind!r}")


def options_for(path: str) -> tuple[str | bool, ...] | None:
    """The allowed answers when the field's values are a closed set (an enum, yes/no), else None.
    The 'unknown' value of an enum is what the question replaces, so it is not an answer."""
    kind = field_type(path)
    if kind is bool:
        return (True, False)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return tuple(member.value for member in kind if member.value != "unknown")
    return None


_PART = re.compile(r"charges\[(\d+)\]\.(part|point)")


def telling_parts(record: CaseRecord, path: str, law: Law) -> tuple[int | str, ...] | None:
    """For a question on a charge's part or point (open values), the values whose outcome is worth
    showing: the article's parts the catalogue knows (with any the law's list names); where the catalogue
    knows none, the parts the list names and the next one up, standing for any other; for a point, the
    points a kind of offence names for the part and the next one up."""
    match = _PART.fullmatch(path)
    if match is None:
        return None
    charge = record.charges[int(match[1])]
    named: set[int | str] = set()
    if match[2] == "part":
        catalogued: set[int | str] = {
            part for (_, part), _ in law.catalogue_parts(charge.article) if part is not None
        }
        entry = law.list_by_article.get(charge.article)
        listed: set[int | str] = set(entry.parts) if entry is not None and entry.parts != "all" else set()
        if catalogued:  # the catalogue knows the article's parts: those (and any the list names) are all
            return tuple(sorted(catalogued | listed, key=number_order))
        named = listed
    else:
        named = {
            point for kind in law.facts(charge.article, charge.part).conditional for point in kind.points
        }
    if not named:
        return None
    highest = max(named, key=number_order)
    return (*sorted(named, key=number_order), number_order(highest)[0] + 1)


def option_key(value: str | bool | int) -> str:
    """An option as a JSON object key (`leads_to`): enum values as they are, yes/no as true/false."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def set_field(data: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of the record's JSON data with `value` put at `path` (missing objects on the way are
    created). The result is plain data: validate it with `parse_record`."""
    result: dict[str, Any] = copy.deepcopy(dict(data))
    steps = _steps(path)
    node: Any = result
    for depth, (name, index) in enumerate(steps):
        last = depth == len(steps) - 1
        if index is None:
            if last:
                node[name] = value
            else:
                if not isinstance(node.get(name), dict):
                    node[name] = {}
                node = node[name]
            continue
        items = node.get(name)
        if not isinstance(items, list) or index >= len(items):
            raise FieldPathError(f"{path}: the record has no {name}[{index}]")
        if last:
            items[index] = value
        else:
            node = items[index]
    return result


def record_with(record: CaseRecord, path: str, value: Any) -> CaseRecord:
    """The record with `value` (JSON data) at `path`, validated as any record is; raises
    `ValidationError` when the answer makes the record invalid (a birth date after the offence)."""
    return parse_record(set_field(record.model_dump(mode="json"), path, value))


# ----------------------------------------------------------------------------------------------------
# Building a question.


def fill_texts(texts: Texts, params: Params) -> dict[str, str]:
    """Each language's text with its parameters filled in (`{article_ref}` in the language's form)."""
    result: dict[str, str] = {}
    for language in LANGUAGES:
        values = {key: value if isinstance(value, str) else value[language] for key, value in params.items()}
        template = texts[language]
        if "article_ref" in values:
            template, values["article_ref"] = with_article_ref(template, values["article_ref"], language)
        result[language] = template.format_map(values)
    return result


def question_for(
    record: CaseRecord,
    path: str,
    cause: Reason,
    text: dict[str, str],
    option_texts: Callable[[str, tuple[str | bool, ...]], dict[str, dict[str, str]]],
    law: Law,
    decide: Callable[[CaseRecord], Decision],
) -> Question:
    """The question for the fact at `path` that `cause` waits on, with where each answer leads: the
    decision worked out again with that answer put in (the closed set of answers, or the telling parts
    and points); every law's questions are built here, each law wording its own texts."""
    options = options_for(path)
    tried = options if options is not None else telling_parts(record, path, law)
    leads_to = None
    if tried is not None:
        leads_to = {}
        for value in tried:
            try:
                answered = record_with(record, path, value)
            except ValidationError:
                continue
            leads_to[option_key(value)] = decide(answered).outcome
    return Question(
        field=path,
        rule=cause.rule,
        code=cause.code,
        answer=answer_kind(path),
        text=text,
        options=options,
        option_texts=option_texts(path, options) if options is not None else None,
        leads_to=leads_to,
    )


def settling_answers(question: Question) -> int:
    """How many known answers settle the decision: questions that can settle it are asked first."""
    return sum(outcome is not Outcome.NEEDS_REVIEW for outcome in (question.leads_to or {}).values())
