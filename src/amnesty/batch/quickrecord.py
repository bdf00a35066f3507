"""Building a case record from typed rows without running the model's validators, when it is safe.

For a whole registry in Parquet, most rows are well-formed and already typed (integers, dates,
booleans). For those, this module checks every field against the same rules the record model
enforces (`amnesty.domain.records`: enumerations, ranges, lengths, the IIN check digit and its
birth date, region names, territory codes, dates in order, person fields equal on every row) and
builds the same frozen record directly. Anything unusual (a text where a number or date is
expected, a value out of range, any doubt) returns None, and the row goes through the normal
path (`amnesty.io.assemble`), which validates it and names the problem. The tests check that the
records are equal to the validated ones on synthetic registries of both presets and on the bad-input
corpus written as Parquet.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from amnesty.domain.enums import Category, Context, PersonRole, Punishment, Recidivism, Stage, Tag
from amnesty.domain.records import CaseRecord, Charge, Sentence, TermIn
from amnesty.domain.regions import normalise_region
from amnesty.engine.iin import IinError, birth_date_from_iin, validate_iin
from amnesty.io.columns import LIST_SEPARATOR, PERSON_COLUMNS, SENTENCE_COLUMNS
from amnesty.io.sources import SourceRow

M = TypeVar("M", bound=BaseModel)
E = TypeVar("E")

_SHARED = PERSON_COLUMNS + SENTENCE_COLUMNS
_ROLES = {member.value: member for member in PersonRole}
_RECIDIVISM = {member.value: member for member in Recidivism}
_STAGES = {member.value: member for member in Stage}
_PUNISHMENTS = {member.value: member for member in Punishment}
_CATEGORIES = {member.value: member for member in Category}
_CONTEXTS = {member.value: member for member in Context}
_TAGS = {member.value: member for member in Tag}
_BOOLEANS = ("conviction_expunged", "fixed_residence", "able_bodied", "needs_medical_care", "needs_documents")
_MAX_TERM = 100_000


class _DeclineError(Exception):
    """Not sure: let the validating path decide."""


def _build(model: type[M], values: dict[str, Any]) -> M:
    """An instance holding exactly `values` (every field given, already of its declared type)."""
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(values))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


def _text(value: Any) -> str | None:
    """A text cell, stripped; None when empty; any other type is declined."""
    if value is None:
        return None
    if type(value) is not str:
        raise _DeclineError
    text = value.strip()
    return text or None


def _member(value: Any, members: dict[str, E]) -> E | None:
    text = _text(value)
    if text is None:
        return None
    found = members.get(text)
    if found is None:
        raise _DeclineError
    return found


def _int(value: Any, low: int, high: int | None) -> int | None:
    if value is None:
        return None
    if type(value) is not int or value < low or (high is not None and value > high):
        raise _DeclineError
    return value


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if type(value) is not dt.date:
        raise _DeclineError
    return value


def _bool(value: Any) -> bool | None:
    if value is None:
        return None
    if type(value) is not bool:
        raise _DeclineError
    return value


def _bounded_text(value: Any, limit: int) -> str | None:
    text = _text(value)
    if text is not None and len(text) > limit:
        raise _DeclineError
    return text


def _list(value: Any) -> tuple[str, ...]:
    text = _text(value)
    if text is None:
        return ()
    return tuple(item.strip() for item in text.split(LIST_SEPARATOR) if item.strip())


_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def _iin(iin: str) -> str:
    """`engine.iin.validate_iin` for the usual twelve ASCII digits (computed with C-level sums);
    anything else is left to `validate_iin` itself."""
    if not (len(iin) == 12 and iin.isascii() and iin.isdigit()):
        return validate_iin(iin)
    digits = [byte - 48 for byte in iin.encode("ascii")]
    first = digits[:11]
    check = sum(map(operator.mul, first, _FIRST_WEIGHTS)) % 11
    if check == 10:
        check = sum(map(operator.mul, first, _SECOND_WEIGHTS)) % 11
    if check == 10 or check != digits[11]:
        raise IinError("IIN check digit is wrong")
    if iin[6] in "123456" and birth_date_from_iin(iin) is None:
        raise IinError("IIN encodes an impossible birth date")
    return iin


def _checked(function: Callable[[str], str], value: str) -> str:
    try:
        return function(value)
    except (ValueError, IinError):
        raise _DeclineError from None


def _sentence(values: dict[str, Any]) -> Sentence | None:
    if all(values.get(column) is None for column in SENTENCE_COLUMNS):
        return None
    punishment = _member(values.get("sentence_punishment"), _PUNISHMENTS)
    if punishment is None:
        raise _DeclineError
    years = _int(values.get("sentence_years"), 0, _MAX_TERM)
    months = _int(values.get("sentence_months"), 0, _MAX_TERM)
    days = _int(values.get("sentence_days"), 0, _MAX_TERM)
    term = None
    if years is not None or months is not None or days is not None:
        term = _build(TermIn, {"years": years or 0, "months": months or 0, "days": days or 0})
    fine = values.get("sentence_fine_amount_mci")
    if fine is not None:
        if type(fine) not in (int, float) or not math.isfinite(fine) or fine < 0:
            raise _DeclineError
        fine = float(fine)
    conditional = _bool(values.get("sentence_conditional"))
    return _build(
        Sentence,
        {
            "punishment": punishment,
            "term": term,
            "start_date": _date(values.get("sentence_start_date")),
            "conditional": False if conditional is None else conditional,
            "fine_amount_mci": fine,
            "hours": _int(values.get("sentence_hours"), 0, None),
            "additional": _list(values.get("sentence_additional")),
        },
    )


def _charge(values: dict[str, Any]) -> Charge:
    offence_date = _date(values.get("offence_date"))
    article = _int(values.get("article"), 1, 500)
    if offence_date is None or article is None:
        raise _DeclineError
    end = _date(values.get("offence_end_date"))
    if end is not None and end < offence_date:
        raise _DeclineError
    territory = _text(values.get("territory"))
    if territory is None:
        territory = "KZ"
    else:
        territory = territory.upper()
        if not (len(territory) == 2 and territory.isascii() and territory.isalpha() and territory.isupper()):
            raise _DeclineError
    context = _member(values.get("context"), _CONTEXTS)
    tags = tuple(_TAGS[tag] if tag in _TAGS else _fail() for tag in _list(values.get("tags")))
    part = _int(values.get("part"), 1, 20)
    point = _int(values.get("point"), 1, 50)
    if point is not None and part is None:
        raise _DeclineError  # the record model refuses a point without its part
    return _build(
        Charge,
        {
            "article": article,
            "part": part,
            "point": point,
            "category": _member(values.get("category"), _CATEGORIES),
            "offence_date": offence_date,
            "offence_end_date": end,
            "territory": territory,
            "context": Context.UNKNOWN if context is None else context,
            "tags": tags,
            "victim_minor": _bool(values.get("victim_minor")),
        },
    )


def _fail() -> Tag:
    raise _DeclineError


def _person(person_id: str, first: dict[str, Any], charges: tuple[Charge, ...]) -> CaseRecord:
    stage = _member(first.get("stage"), _STAGES)
    if stage is None or not 1 <= len(person_id) <= 64:
        raise _DeclineError
    iin_text = _text(first.get("iin"))
    iin = _checked(_iin, iin_text) if iin_text is not None else None
    birth_date = _date(first.get("birth_date"))
    if iin is not None and birth_date is not None:
        from_iin = birth_date_from_iin(iin)
        if from_iin is not None and from_iin != birth_date:
            raise _DeclineError
    born = birth_date if birth_date is not None else (birth_date_from_iin(iin) if iin is not None else None)
    if born is not None and any(charge.offence_date <= born for charge in charges):
        raise _DeclineError  # the record model refuses it: the validating path names the field
    region_text = _text(first.get("region"))
    role = _member(first.get("role"), _ROLES)
    recidivism = _member(first.get("recidivism"), _RECIDIVISM)
    flags = {column: _bool(first.get(column)) for column in _BOOLEANS}
    return _build(
        CaseRecord,
        {
            "person_id": person_id,
            "iin": iin,
            "birth_date": birth_date,
            "full_name": _bounded_text(first.get("full_name"), 200),
            "case_number": _bounded_text(first.get("case_number"), 64),
            "region": _checked(normalise_region, region_text) if region_text is not None else None,
            "role": PersonRole.PARTICIPANT if role is None else role,
            "recidivism": Recidivism.NONE if recidivism is None else recidivism,
            "stage": stage,
            "charges": charges,
            "sentence": _sentence(first),
            "conviction_expunged": bool(flags["conviction_expunged"]),
            "fixed_residence": flags["fixed_residence"],
            "able_bodied": flags["able_bodied"],
            "needs_medical_care": flags["needs_medical_care"],
            "needs_documents": flags["needs_documents"],
        },
    )


def quick_record(
    person_id: str | None, rows: Sequence[SourceRow], missing_columns: Sequence[str]
) -> CaseRecord | None:
    """The person's record built directly from well-formed typed rows, or None (use the validating path)."""
    if person_id is None or missing_columns or not rows:
        return None
    first = rows[0].values
    for row in rows:
        if row.problems or row.nested:
            return None
        values = row.values
        if values is not first and any(values.get(column) != first.get(column) for column in _SHARED):
            return None
    raw_id = first.get("person_id")
    if type(raw_id) is not str or raw_id.strip() != person_id:
        return None
    try:
        charges = tuple(_charge(row.values) for row in rows)
        return _person(person_id, first, charges)
    except _DeclineError:
        return None
