"""Column-wise validation of typed rows, derived from the record model (`amnesty.domain.records`).

One Polars expression per flat column says "this cell is certainly what the record model accepts,
unchanged": it is built from the model's own field declarations (the annotation's type, enum members,
`ge`/`le`, lengths and patterns, required fields and defaults) and its own field validators, which
are run once per distinct value of the chunk (region names, the territory upper-casing), or in their
column form: for the IIN over all the distinct values at once (`COLUMN_VALIDATORS`), for the
person_id strip as an expression (`EXPRESSION_VALIDATORS`); property tests check both against the
validators. A cell is "unchanged" by the reader's strip when `str.strip()` would leave it, so the
expressions strip Python's whitespace set (`amnesty.io.whitespace`), not Polars' narrower default.
The model's cross-field validators have their column form in `CROSS_FIELD_CHECKS`, keyed by the
validator's name; a test checks that every model validator has one.

A row that passes is valid for the model and would be built with exactly the cells it holds. A row
that does not pass is not rejected here: its person goes the validating way
(`amnesty.io.assemble`), which names the row, the field and the problem, as for every other input.
So this module may decline too much (slower), never too little (a test runs a corpus of bad rows).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

import annotated_types
import numpy as np
import polars as pl
from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from amnesty.domain.iin import iin_arrays
from amnesty.domain.records import CaseRecord, Charge, NumberReader, Sentence, TermIn, read_date, today
from amnesty.domain.vocabulary_words import VocabularyReader
from amnesty.io.columns import CHARGE_COLUMNS, LIST_SEPARATOR, PERSON_COLUMNS, SENTENCE_COLUMNS, TERM_FIELDS
from amnesty.io.whitespace import PYTHON_WHITESPACE

SHARED_COLUMNS = PERSON_COLUMNS + SENTENCE_COLUMNS
"""Columns that must hold the same value on every row of a person."""


def column_field(column: str) -> tuple[type[BaseModel], str]:
    """The model and field a flat column fills (CONTRACT.md's flat layout)."""
    if column in TERM_FIELDS:
        return TermIn, TERM_FIELDS[column]
    if column in SENTENCE_COLUMNS:
        return Sentence, column.removeprefix("sentence_")
    if column in CHARGE_COLUMNS:
        return Charge, column
    return CaseRecord, column


@dataclass(frozen=True)
class FieldRule:
    """What a model field accepts, read from its declaration."""

    kind: type
    """int, float, bool, str, datetime.date, an Enum class, or tuple (a list column)."""
    item: type | None
    """For a list column, the type of its items."""
    required: bool
    constraints: tuple[Any, ...]


def _unwrap(annotation: Any, constraints: list[Any]) -> tuple[Any, bool]:
    """The annotation without Optional/Annotated (constraints collected); True when None is allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            base, *extra = typing.get_args(annotation)
            for item in extra:
                constraints.extend(item.metadata if isinstance(item, FieldInfo) else [item])
            annotation = base
        elif origin in (typing.Union, types.UnionType):
            members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            optional = optional or len(members) < len(typing.get_args(annotation))
            if len(members) != 1:
                # an article or part number: an integer, or a string for an inserted one ("188-1"); the
                # columnar check takes the integer form (a string cell goes the validating way)
                numeric = [m for m in members if _unwrap(m, [])[0] is int]
                if len(numeric) != 1:
                    raise TypeError(f"cannot read the union {annotation!r}")
                members = numeric
            annotation = members[0]
        else:
            return annotation, optional


@cache
def field_rule(model: type[BaseModel], name: str) -> FieldRule:
    """The rule of one field of the record model."""
    info = model.model_fields[name]
    constraints = list(info.metadata)
    annotation, _ = _unwrap(info.annotation, constraints)
    item: type | None = None
    if typing.get_origin(annotation) is tuple:
        item, _ = _unwrap(typing.get_args(annotation)[0], constraints)
        annotation = tuple
    return FieldRule(annotation, item, info.is_required(), tuple(constraints))


def _validators(model: type[BaseModel], name: str) -> list[Callable[[Any], Any]]:
    """The model's own field validators for a field (before and after ones), as plain callables."""
    found: list[Callable[[Any], Any]] = []
    for decorator in model.__pydantic_decorators__.field_validators.values():
        if name in decorator.info.fields:
            found.append(decorator.func)
    return found


def _kept_iins(values: pl.Series) -> pl.Series:
    """`CaseRecord._valid_iin` keeps a string as it is exactly when `validate_iin` accepts it: the
    validator returns the stripped value, and a string with blanks around it is no IIN."""
    return pl.Series(iin_arrays(values.to_list())[0], dtype=pl.Boolean)


def _unstripped(cell: pl.Expr) -> pl.Expr:
    """True for a string that is not empty and that `str.strip()` leaves as it is (the row reader strips
    every cell, and `CaseRecord._strip_person_id` the person_id)."""
    return (cell != "") & (cell == cell.str.strip_chars(PYTHON_WHITESPACE))


EXPRESSION_VALIDATORS: dict[tuple[type[BaseModel], str], Callable[[pl.Expr], pl.Expr]] = {
    (CaseRecord, "person_id"): _unstripped,
}
"""The expression form of a field's validators, where one exists: over a string column, True where the
validators accept the value and leave it as it is (the same as `_accepted_unchanged`; a property test
checks it). Used instead of running the validators once per distinct value (a person_id is distinct
per person)."""

COLUMN_VALIDATORS: dict[tuple[type[BaseModel], str], Callable[[pl.Series], pl.Series]] = {
    (CaseRecord, "iin"): _kept_iins,
}
"""The column form of a field's validators, where one exists: for a series of distinct strings, True where the
validators accept the value and leave it as it is (the same as `_accepted_unchanged`)."""


def _accepted_unchanged(model: type[BaseModel], name: str, values: Iterable[Any]) -> list[Any]:
    """Those values the field's validators accept and leave exactly as they are."""
    checks = _validators(model, name)
    accepted = []
    for value in values:
        try:
            if all(check(value) == value for check in checks):
                accepted.append(value)
        except ValueError:
            continue
    return accepted


_DTYPES: dict[type, Callable[[pl.DataType], bool]] = {
    int: lambda dtype: dtype.is_integer(),
    float: lambda dtype: dtype.is_numeric(),
    bool: lambda dtype: dtype == pl.Boolean,
    dt.date: lambda dtype: dtype == pl.Date,
    str: lambda dtype: dtype == pl.String,
}


def _kind_ok(kind: type, dtype: pl.DataType) -> bool:
    if dtype == pl.Null:
        return True
    if (isinstance(kind, type) and issubclass(kind, Enum)) or kind is tuple:
        return dtype == pl.String
    return _DTYPES[kind](dtype)


def _constraint_expr(column: pl.Expr, kind: type, constraint: Any) -> pl.Expr:
    text = kind is str or (isinstance(kind, type) and issubclass(kind, Enum))
    if isinstance(constraint, annotated_types.Ge):
        return column >= pl.lit(constraint.ge)
    if isinstance(constraint, annotated_types.Le):
        return column <= pl.lit(constraint.le)
    if isinstance(constraint, annotated_types.MinLen):
        return column.str.len_chars() >= constraint.min_length if text else pl.lit(True)
    if isinstance(constraint, annotated_types.MaxLen):
        return column.str.len_chars() <= constraint.max_length if text else pl.lit(True)
    pattern = getattr(constraint, "pattern", None)
    if pattern is not None:
        return column.str.contains(str(pattern))
    if isinstance(constraint, BeforeValidator) and constraint.func is read_date:
        return pl.lit(True)  # a date cell (its kind requires pl.Date) is what `read_date` leaves as it is
    if isinstance(constraint, BeforeValidator) and isinstance(constraint.func, NumberReader):
        return pl.lit(True)  # an integer cell in range (checked by the member's ge/le) is left as it is
    if isinstance(constraint, BeforeValidator) and isinstance(constraint.func, VocabularyReader):
        return pl.lit(
            True
        )  # a code (the enum's check) is what the reader leaves as it is; a word is declined
    raise TypeError(f"no column form for the constraint {constraint!r}")


def accepted_values(frame: pl.DataFrame, column: str, memo: dict[str, pl.Series]) -> pl.Series:
    """The distinct values of a column that its field validators accept unchanged (once per chunk)."""
    if column not in memo:
        model, name = column_field(column)
        distinct = frame.get_column(column).drop_nulls().unique()
        column_form = COLUMN_VALIDATORS.get((model, name))
        if column_form is not None and distinct.dtype == pl.String:
            memo[column] = distinct.filter(column_form(distinct))
        else:
            accepted = _accepted_unchanged(model, name, distinct.to_list())
            memo[column] = pl.Series(column, accepted, dtype=distinct.dtype)
    return memo[column]


def cell_check(
    column: str, frame: pl.DataFrame, sentence_given: pl.Expr, memo: dict[str, pl.Series]
) -> pl.Expr:
    """True where the cell of `column` is one the record model takes as it is (see the module doc)."""
    model, name = column_field(column)
    rule = field_rule(model, name)
    dtype = frame.schema[column]
    if not _kind_ok(rule.kind, dtype):
        return pl.lit(False)
    cell = pl.col(column)
    if dtype == pl.Null:
        checks = pl.lit(True)
    elif rule.kind is tuple:
        items = cell.str.split(LIST_SEPARATOR)
        clean = items.list.eval(
            (pl.element() != "") & (pl.element() == pl.element().str.strip_chars(PYTHON_WHITESPACE))
        ).list.all()
        if isinstance(rule.item, type) and issubclass(rule.item, Enum):
            members = [member.value for member in rule.item]
            clean = clean & items.list.eval(pl.element().is_in(members)).list.all()
        checks = clean
    else:
        checks = pl.lit(True)
        if dtype == pl.String:
            checks = _unstripped(cell)
        if rule.kind is float:
            checks = checks & cell.is_finite()
        if isinstance(rule.kind, type) and issubclass(rule.kind, Enum):
            checks = checks & cell.is_in([member.value for member in rule.kind])
        for constraint in rule.constraints:
            checks = checks & _constraint_expr(cell, rule.kind, constraint)
        expression_form = EXPRESSION_VALIDATORS.get((model, name))
        if expression_form is not None and dtype == pl.String:
            checks = checks & expression_form(cell)
        elif _validators(model, name):
            checks = checks & cell.is_in(accepted_values(frame, column, memo).implode())
    if model is Sentence and rule.required:
        return pl.when(sentence_given).then(cell.is_not_null() & checks).otherwise(cell.is_null())
    if rule.required:
        return cell.is_not_null() & checks
    return cell.is_null() | checks


def _birth_from_iin(frame: pl.DataFrame, memo: dict[str, pl.Series]) -> pl.Expr:
    if "iin" not in frame.columns or frame.schema["iin"] != pl.String:
        return pl.lit(None, dtype=pl.Date)
    if "(birth dates)" not in memo:  # each row's, computed once per chunk
        old = accepted_values(frame, "iin", memo)
        new = pl.Series(iin_arrays(old.to_list())[1], dtype=pl.Date)
        birth = pl.col("iin").replace_strict(old, new, default=None, return_dtype=pl.Date)
        memo["(birth dates)"] = frame.select(birth).to_series()
    return pl.lit(memo["(birth dates)"])


def _column(frame: pl.DataFrame, name: str, dtype: pl.DataType) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype=dtype)


def _end_not_before_start(frame: pl.DataFrame, memo: dict[str, pl.Series]) -> pl.Expr:
    end = _column(frame, "offence_end_date", pl.Date())
    return end.is_null() | (end >= pl.col("offence_date"))


def _iin_agrees_with_birth_date(frame: pl.DataFrame, memo: dict[str, pl.Series]) -> pl.Expr:
    birth, from_iin = _column(frame, "birth_date", pl.Date()), _birth_from_iin(frame, memo)
    return birth.is_null() | from_iin.is_null() | (birth == from_iin)


def _born_before_offences(frame: pl.DataFrame, memo: dict[str, pl.Series]) -> pl.Expr:
    born = pl.coalesce(_column(frame, "birth_date", pl.Date()), _birth_from_iin(frame, memo))
    return born.is_null() | (pl.col("offence_date") > born)


def _not_in_future(frame: pl.DataFrame, memo: dict[str, pl.Series]) -> pl.Expr:
    latest = today()
    end = _column(frame, "offence_end_date", pl.Date())
    return (pl.col("offence_date") <= latest) & (end.is_null() | (end <= latest))


CROSS_FIELD_CHECKS: dict[str, Callable[[pl.DataFrame, dict[str, pl.Series]], pl.Expr]] = {
    "_end_not_before_start": _end_not_before_start,
    "_not_in_future": _not_in_future,
    "_iin_agrees_with_birth_date": _iin_agrees_with_birth_date,
    "_born_before_offences": _born_before_offences,
}
"""The column form of each model validator of the record model, by the validator's name."""


def model_validator_names() -> set[str]:
    """Every model validator of the record's models (each must have a column form above)."""
    return {
        name
        for model in (CaseRecord, Charge, Sentence, TermIn)
        for name in model.__pydantic_decorators__.model_validators
    }


def row_checks(frame: pl.DataFrame, person: str) -> pl.Expr:
    """True for a row whose every cell, cross-field rule and person-level sameness the model accepts
    as it is; `person` names the column numbering the chunk's persons."""
    known = [column for column in (*SHARED_COLUMNS, *CHARGE_COLUMNS) if column in frame.columns]
    sentence_given = pl.any_horizontal(
        [pl.col(column).is_not_null() for column in SENTENCE_COLUMNS if column in frame.columns] or [False]
    )
    memo: dict[str, pl.Series] = {}
    checks = [cell_check(column, frame, sentence_given, memo) for column in known]
    for column in ("stage", "offence_date", "article", "person_id"):
        if column not in frame.columns:
            return pl.lit(False)
    if frame.schema["offence_date"] != pl.Date:
        return pl.lit(False)
    checks += [check(frame, memo) for check in CROSS_FIELD_CHECKS.values()]
    first_rows = _first_rows(frame.get_column(person))
    checks += [
        pl.col(column).eq_missing(
            pl.col(column).first().over(person) if first_rows is None else pl.col(column).gather(first_rows)
        )
        for column in SHARED_COLUMNS
        if column in frame.columns
    ]
    return pl.all_horizontal(checks).fill_null(False)


def _first_rows(persons: pl.Series) -> pl.Series | None:
    """For each row, the index of its person's first row, when a person's rows are consecutive (the
    screen numbers persons in row order, so the numbers never go down); None otherwise. Gathering
    from it gives what a window over the persons gives (`first().over`), much faster."""
    if persons.null_count() or not persons.is_sorted():
        return None
    numbers = persons.to_numpy()
    starts = np.flatnonzero(np.diff(numbers, prepend=numbers[:1] - 1)) if len(numbers) else np.zeros(0, int)
    run_lengths = np.diff(np.append(starts, len(numbers)))
    return pl.Series(np.repeat(starts, run_lengths), dtype=pl.Int64)
