"""Reading case records from JSON (one object or an array) or JSON Lines, validating each one.

Nothing read is dropped: every item becomes either a validated record or a `RecordError` naming its
position, its person_id where known, and each field with its problem.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from amnesty.domain.records import CaseRecord, FieldError, field_errors, parse_record
from amnesty.io.text import NOT_TEXT, NOT_TEXT_CODE, storable, text_problems


@dataclass(frozen=True)
class RecordError:
    """A record that could not be read or validated."""

    index: int
    line: int | None
    person_id: str | None
    errors: tuple[FieldError, ...]

    def to_json_dict(self, language: str | None = None) -> dict[str, Any]:
        """JSON shape used on stderr and in rejected-row files; with a `language`, each error also has
        a `message` in it, naming the field by its label."""
        errors = [error.model_dump() for error in self.errors]
        if language is not None:
            errors = [
                {**data, "message": error.message(language)}
                for data, error in zip(errors, self.errors, strict=True)
            ]
        return {"index": self.index, "line": self.line, "person_id": self.person_id, "errors": errors}


@dataclass(frozen=True)
class ParsedRecord:
    """A record that passed validation, with its position in the input."""

    index: int
    line: int | None
    record: CaseRecord


def _person_id(data: Any) -> str | None:
    if isinstance(data, dict):
        value = data.get("person_id")
        return storable(str(value)) if value is not None else None
    return None


def validate_item(index: int, line: int | None, data: Any) -> ParsedRecord | RecordError:
    """Validate one decoded JSON value as a case record."""
    if not isinstance(data, dict):
        problem = f"expected a JSON object, got {type(data).__name__}"
        return RecordError(index, line, None, (FieldError(field="(record)", problem=problem),))
    bad = [FieldError(field=path, problem=NOT_TEXT, code=NOT_TEXT_CODE) for path in text_problems(data)]
    if bad:
        return RecordError(index, line, _person_id(data), tuple(bad))
    try:
        return ParsedRecord(index, line, parse_record(data))
    except ValidationError as error:
        return RecordError(index, line, _person_id(data), tuple(field_errors(error)))


def _json_lines(text: str) -> Iterator[tuple[int, Any | json.JSONDecodeError]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw)
        except json.JSONDecodeError as error:
            yield number, error


def read_json_records(text: str) -> tuple[list[ParsedRecord | RecordError], bool]:
    """Parse JSON or JSON Lines text; returns the items in order and whether the input was a single
    object (so the caller can answer with one object rather than an array)."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        error = FieldError(field="(input)", problem="the input is empty", code="input_empty")
        return [RecordError(0, None, None, (error,))], True
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError:
        whole = None
        is_json = False
    else:
        is_json = True
    if is_json:
        if isinstance(whole, list):
            return [validate_item(i, None, item) for i, item in enumerate(whole)], False
        return [validate_item(0, None, whole)], True
    items: list[ParsedRecord | RecordError] = []
    for index, (number, value) in enumerate(_json_lines(stripped)):
        if isinstance(value, json.JSONDecodeError):
            problem = f"not valid JSON: {value.msg} (column {value.colno})"
            items.append(RecordError(index, number, None, (FieldError(field="(line)", problem=problem),)))
        else:
            items.append(validate_item(index, number, value))
    return items, False


def duplicate_person_errors(items: list[ParsedRecord | RecordError]) -> list[ParsedRecord | RecordError]:
    """Turn the second and later records with an already seen person_id into errors (unique per input)."""
    seen: set[str] = set()
    result: list[ParsedRecord | RecordError] = []
    for item in items:
        if isinstance(item, ParsedRecord):
            person_id = item.record.person_id
            if person_id in seen:
                problem = "person_id appears more than once in this input"
                error = FieldError(field="person_id", problem=problem, code="duplicate_person")
                item = RecordError(item.index, item.line, person_id, (error,))
            else:
                seen.add(person_id)
        result.append(item)
    return result
