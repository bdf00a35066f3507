"""Assembling one person's rows into a validated case record, or into row-level problems.

Flat rows (one per charge) are grouped by person_id by the caller. Here the person fields and the
sentence fields, repeated on every row, must agree; each row gives one charge; cells are converted
from text (CSV), spreadsheet or Parquet values; then the record is validated by the domain model.
A person with any bad row is rejected whole: every one of its rows is listed, the bad ones with their
problems, the others as rejected along with their person.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from amnesty.domain.records import CaseRecord, FieldError, field_errors, parse_record, read_article
from amnesty.io.columns import (
    BOOL_COLUMNS,
    CHARGE_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    LIST_COLUMNS,
    LIST_SEPARATOR,
    NUMBER_COLUMNS,
    PERSON_COLUMNS,
    REQUIRED_COLUMNS,
    SENTENCE_COLUMNS,
    TERM_FIELDS,
)
from amnesty.io.sources import SourceRow

_SHARED_COLUMNS = PERSON_COLUMNS + SENTENCE_COLUMNS
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f"})
_CHARGE_PATH = re.compile(r"^charges\[(\d+)\](?:\.(\w+))?")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem of one row: where it is (row number, person_id when known), which field, what."""

    row: int | None
    person_id: str | None
    field: str
    problem: str
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def message(self, language: str) -> str:
        """The problem in `language`, naming the field by its label and, for a flat file's column,
        by the column's name too: 'Дата совершения (offence_date): неверная дата (...)'."""
        from amnesty.render.validation import field_label, problem_text

        label = field_label(self.field, language)
        where = label if label == self.field or self.field.startswith("(") else f"{label} ({self.field})"
        return f"{where}: {problem_text(self.code, dict(self.params), self.problem, language)}"


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person whose rows made a valid record."""

    person_id: str
    rows: tuple[int, ...]
    record: CaseRecord


@dataclass(frozen=True, slots=True)
class PersonRejected:
    """A person (or a row with no usable person_id) that cannot be decided, with every problem."""

    person_id: str | None
    rows: tuple[int, ...]
    problems: tuple[RowProblem, ...]


class _CellError(ValueError):
    pass


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise _CellError("should be a whole number, not true/false")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _CellError(f"should be a whole number, got {value}")
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            raise _CellError(f"should be a whole number, got {text!r}") from None
        if number.is_integer():
            return int(number)
        raise _CellError(f"should be a whole number, got {text!r}") from None


def _to_number(value: Any) -> int | str:
    """An article or part number: a whole number, or the text of an inserted one ("188-1", as the
    record model reads it: `read_article`; its range is the model's to check)."""
    try:
        return _to_int(value)
    except _CellError:
        if isinstance(value, str):
            try:
                number: int | str = read_article(value)
            except ValueError:
                pass
            else:
                return number
        raise


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _CellError(f"should be true or false, got {text!r}")


def _to_float(value: Any) -> float:
    if isinstance(value, bool):
        raise _CellError("should be a number, not true/false")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise _CellError(f"should be a number, got {text!r}") from None


def _to_list(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return [item.strip() for item in str(value).split(LIST_SEPARATOR) if item.strip()]


def convert_cell(column: str, value: Any) -> Any:
    """A cell as the record model expects it; None for an empty cell; `_CellError` when unusable."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    elif isinstance(value, float) and value != value:  # NaN from a spreadsheet
        return None
    if column in NUMBER_COLUMNS:
        return _to_number(value)
    if column in INT_COLUMNS:
        return _to_int(value)
    if column in BOOL_COLUMNS:
        return _to_bool(value)
    if column in FLOAT_COLUMNS:
        return _to_float(value)
    if column in LIST_COLUMNS:
        return _to_list(value)
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, float) and column == "person_id":
        return str(int(value)) if value.is_integer() else str(value)
    return value


_PLAIN_TYPES: dict[str, type] = {
    **dict.fromkeys(INT_COLUMNS, int),
    **dict.fromkeys(BOOL_COLUMNS, bool),
    **dict.fromkeys(FLOAT_COLUMNS, float),
    **dict.fromkeys(("birth_date", "offence_date", "offence_end_date", "sentence_start_date"), dt.date),
}
"""Columns whose value needs no conversion when it already has this exact type (typed Parquet)."""


def _convert_row(row: SourceRow, person_id: str | None) -> tuple[dict[str, Any], list[RowProblem]]:
    converted: dict[str, Any] = {}
    problems: list[RowProblem] = []
    plain = _PLAIN_TYPES
    for column, raw in row.values.items():
        if raw is None:
            continue
        kind = type(raw)
        if kind is str and column not in plain and column not in LIST_COLUMNS:
            text = raw.strip()
            if text:
                converted[column] = text
            continue
        if plain.get(column) is kind:
            converted[column] = raw
            continue
        try:
            value = convert_cell(column, raw)
        except _CellError as error:
            problems.append(RowProblem(row.row, person_id, column, str(error)))
            continue
        if value is not None:
            converted[column] = value
    return converted, problems


def _nested_sentence(values: dict[str, Any]) -> dict[str, Any] | None:
    sentence: dict[str, Any] = {}
    term: dict[str, Any] = {}
    for column in SENTENCE_COLUMNS:
        if column not in values:
            continue
        if column in TERM_FIELDS:
            term[TERM_FIELDS[column]] = values[column]
        else:
            sentence[column.removeprefix("sentence_")] = values[column]
    if term:
        sentence["term"] = term
    return sentence or None


def _field_column(path: str) -> tuple[int | None, str]:
    """Map a model field path to (charge index or None, column name)."""
    match = _CHARGE_PATH.match(path)
    if match:
        return int(match.group(1)), match.group(2) or "(charge)"
    if path.startswith("sentence.term."):
        return None, "sentence_" + path.removeprefix("sentence.term.").split(".")[0]
    if path.startswith("sentence."):
        column = "sentence_" + path.removeprefix("sentence.").split(".")[0].split("[")[0]
        return None, column
    if path == "sentence.term":
        return None, "sentence_years"
    return None, path.split("[")[0]


def _reject(person_id: str | None, rows: Sequence[SourceRow], problems: list[RowProblem]) -> PersonRejected:
    """List every row: its own problems, or that it goes down with its person."""
    bad_rows = sorted({p.row for p in problems if p.row is not None})
    listed = list(problems)
    for row in rows:
        if row.row not in bad_rows:
            see = ", ".join(str(number) for number in bad_rows[:5]) + (" ..." if len(bad_rows) > 5 else "")
            listed.append(
                RowProblem(
                    row.row,
                    person_id,
                    "(person)",
                    f"not decided: another row of this person is invalid (row {see})",
                )
            )
    listed.sort(key=lambda p: p.row if p.row is not None else -1)
    return PersonRejected(person_id, tuple(row.row for row in rows), tuple(listed))


def assemble_person(
    person_id: str | None, rows: Sequence[SourceRow], missing_columns: Sequence[str] = ()
) -> PersonRecord | PersonRejected:
    """Validate one person's rows (flat rows, or a single nested JSON record)."""
    problems: list[RowProblem] = [
        RowProblem(row.row, person_id, error.field, error.problem, error.code, tuple(error.params.items()))
        for row in rows
        for error in row.problems
    ]
    if missing_columns:
        problems += [
            RowProblem(row.row, person_id, column, "column is missing from the file")
            for row in rows
            for column in missing_columns
        ]
    if person_id is None:
        problems += [
            RowProblem(row.row, None, "person_id", "required: the row has no person_id")
            for row in rows
            if not row.problems
        ]
        return _reject(None, rows, problems)
    if any(row.nested for row in rows):
        if len(rows) > 1:
            problems += [
                RowProblem(
                    row.row,
                    person_id,
                    "person_id",
                    f"appears on {len(rows)} lines; a person has one record in an input",
                )
                for row in rows
            ]
        if problems:
            return _reject(person_id, rows, problems)
        return _validate(person_id, rows, rows[0].values, problems)
    if problems:
        return _reject(person_id, rows, problems)
    converted: list[dict[str, Any]] = []
    for row in rows:
        values, cell_problems = _convert_row(row, person_id)
        problems += cell_problems
        converted.append(values)
    first = converted[0]
    for row, values in zip(rows[1:], converted[1:], strict=True):
        for column in _SHARED_COLUMNS:
            if values.get(column) != first.get(column):
                problems.append(
                    RowProblem(
                        row.row,
                        person_id,
                        column,
                        f"differs from row {rows[0].row} of the same person_id (person and sentence "
                        "fields must be the same on every row of a person)",
                    )
                )
    if problems:
        return _reject(person_id, rows, problems)
    record: dict[str, Any] = {column: first[column] for column in PERSON_COLUMNS if column in first}
    record["person_id"] = person_id
    sentence = _nested_sentence(first)
    if sentence is not None:
        record["sentence"] = sentence
    record["charges"] = [
        {column: values[column] for column in CHARGE_COLUMNS if column in values} for values in converted
    ]
    return _validate(person_id, rows, record, problems)


def _validate(
    person_id: str, rows: Sequence[SourceRow], data: dict[str, Any], problems: list[RowProblem]
) -> PersonRecord | PersonRejected:
    try:
        record = parse_record(data)
    except ValidationError as error:
        nested = rows[0].nested
        items = field_errors(error)
        if any(item.field.startswith("charges[") for item in items):
            # a charge that failed validation also makes the list "too short": one problem, not two
            items = [item for item in items if item.field != "charges"]
        for item in items:
            params = tuple(item.params.items())
            if nested:
                problems.append(
                    RowProblem(rows[0].row, person_id, item.field, item.problem, item.code, params)
                )
                continue
            index, column = _field_column(item.field)
            row = rows[index].row if index is not None and index < len(rows) else rows[0].row
            problems.append(RowProblem(row, person_id, column, item.problem, item.code, params))
        return _reject(person_id, rows, problems)
    return PersonRecord(person_id, tuple(row.row for row in rows), record)


def missing_required(columns: Sequence[str]) -> tuple[str, ...]:
    """Required columns absent from a flat file's header."""
    present = set(columns)
    return tuple(column for column in REQUIRED_COLUMNS if column not in present)


def as_field_errors(rejected: PersonRejected) -> tuple[FieldError, ...]:
    """The problems of a rejected person as field errors, each prefixed with its row number."""
    return tuple(
        FieldError(
            field=p.field,
            problem=(f"row {p.row}: " if p.row is not None else "") + p.problem,
            code=p.code,
            params=dict(p.params),
        )
        for p in rejected.problems
    )
