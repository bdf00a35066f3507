"""Decisions as a Polars frame: one row per person, one column per field of the compact decision.

The frame's schema is derived from the decision model (`amnesty.domain.decision.Decision`) without
what a compact decision leaves out (`amnesty.batch.compact.COMPACT_EXCLUDE`). Its values always come
from the model's own serialisation (`model_dump(mode="json")`): of the engine's whole decision for a
person decided by the engine, or of the engine's parts for a person the screen proved plainly
uncovered (a charge's result per charge signature, the person-level fields per stage and sentence
kind, the sentence as imposed per sentence). From the frame, in one implementation for every person:
- `json_lines`: the compact decisions, one JSON object per line, encoded by Polars (the same bytes as
  the model's `model_dump_json(exclude=COMPACT_EXCLUDE, exclude_none=True)`; a test checks it);
- `flat_table`: the flat decision rows of `decisions.parquet` and `decisions.csv`.
"""

from __future__ import annotations

import datetime as dt
import io
import types
import typing
from collections.abc import Mapping, Sequence
from enum import Enum
from functools import cache
from typing import Any

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
from pydantic import BaseModel

from amnesty.batch.compact import COMPACT_EXCLUDE
from amnesty.domain.decision import Decision
from amnesty.domain.enums import Category

PERSON = "__person"
"""The column holding the person's place in the chunk (output order)."""
STAGE, REGION, ROLE = "__stage", "__region", "__role"
"""Columns carrying the record's stage, region and role to the flat rows."""
REMOVED = "__removed_days"
"""Days of custody the decision removes (`amnesty.impact.measure.removed_custody_days`), for impact."""


def _dtype(annotation: Any, exclude: Any) -> pl.DataType:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _dtype(members[0], exclude)
    if origin is tuple:
        item_exclude = exclude.get("__all__") if isinstance(exclude, dict) else None
        return pl.List(_dtype(typing.get_args(annotation)[0], item_exclude))
    if origin is dict:
        return pl.Object()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pl.Struct(model_schema(annotation, exclude))
    if isinstance(annotation, type) and issubclass(annotation, Enum | str | dt.date):
        return pl.String()
    if annotation is bool:
        return pl.Boolean()
    if annotation is int:
        return pl.Int64()
    if annotation is float:
        return pl.Float64()
    raise TypeError(f"no column type for {annotation!r}")


def model_schema(model: type[BaseModel], exclude: Any = None) -> dict[str, pl.DataType]:
    """The Polars schema of a model's JSON form, fields in the model's order, `exclude` left out
    (the same shape as Pydantic's `exclude` argument)."""
    schema: dict[str, pl.DataType] = {}
    for name, info in model.model_fields.items():
        sub = exclude.get(name) if isinstance(exclude, dict) else None
        if sub is True or (isinstance(exclude, set) and name in exclude):
            continue
        schema[name] = _dtype(info.annotation, sub)
    return schema


DECISION_SCHEMA = model_schema(Decision, COMPACT_EXCLUDE)
DECISION_FIELDS = tuple(DECISION_SCHEMA)
CHARGE_DTYPE = DECISION_SCHEMA["charges"].inner  # type: ignore[attr-defined]
SENTENCE_DTYPE = DECISION_SCHEMA["sentence"]
PERSON_FIELDS = tuple(name for name in DECISION_FIELDS if name not in ("person_id", "charges", "sentence"))
"""The fields of a plainly uncovered person's decision that depend only on its stage and sentence kind."""


@cache
def _arrow_schema() -> pa.Schema:
    """The Arrow form of `DECISION_SCHEMA` (made on first use, never at import: a process that imports
    this module may be a fork server, and Polars must not start its threads before forking)."""
    return empty_frame().select(DECISION_FIELDS).to_arrow().schema


def compact_data(decision: Decision) -> dict[str, Any]:
    """A decision's compact JSON data, by the model."""
    return decision.model_dump(mode="json", exclude=COMPACT_EXCLUDE)


def engine_frame(
    decisions: Sequence[Decision],
    persons: Sequence[int],
    extras: Sequence[tuple[str, str | None, str, int | None]],
) -> pl.DataFrame:
    """Decisions the engine built, as frame rows (`extras`: stage, region, role of each record, and
    the days of custody the decision removes)."""
    if not decisions:
        return empty_frame()
    data = [compact_data(decision) for decision in decisions]
    table = pa.Table.from_pylist(data, schema=_arrow_schema())  # Arrow builds nested rows ~10x faster
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    stages, regions, roles, removed = zip(*extras, strict=True)
    return frame.with_columns(
        pl.Series(PERSON, list(persons), dtype=pl.Int64),
        pl.Series(STAGE, list(stages), dtype=pl.String),
        pl.Series(REGION, list(regions), dtype=pl.String),
        pl.Series(ROLE, list(roles), dtype=pl.String),
        pl.Series(REMOVED, list(removed), dtype=pl.Int64),
    )


def empty_frame() -> pl.DataFrame:
    """A frame of no decisions with every column."""
    return pl.DataFrame(
        schema={
            **DECISION_SCHEMA,
            PERSON: pl.Int64,
            STAGE: pl.String,
            REGION: pl.String,
            ROLE: pl.String,
            REMOVED: pl.Int64,
        }
    )


def lookup_frame(keys: Sequence[str], dtypes: Mapping[str, pl.DataType], rows: Sequence[tuple[Any, ...]],
                 value: str, value_dtype: pl.DataType, values: Sequence[Any]) -> pl.DataFrame:  # fmt: skip
    """A small frame mapping key columns to one value column (cached parts of decisions)."""
    columns = {key: pl.Series(key, [row[i] for row in rows], dtype=dtypes[key]) for i, key in enumerate(keys)}
    columns[value] = pl.Series(value, list(values), dtype=value_dtype)
    return pl.DataFrame(columns)


def _may_be_none(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in typing.get_args(
        annotation
    )


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _nested_models(arg)]


def null_openers(model: type[BaseModel], exclude: Any = None) -> set[str]:
    """The names of the fields that may open the JSON object of `model`, or of a model nested in it,
    with a null member: a first field (`exclude` left out) that may be None. Every other null member
    follows another member, as `,"name":null`."""
    fields = [
        (name, info, exclude.get(name) if isinstance(exclude, dict) else None)
        for name, info in model.model_fields.items()
        if not (isinstance(exclude, set) and name in exclude)
        and not (isinstance(exclude, dict) and exclude.get(name) is True)
    ]
    names = {fields[0][0]} if fields and _may_be_none(fields[0][1].annotation) else set()
    for _, info, sub in fields:
        item_exclude = sub.get("__all__", sub) if isinstance(sub, dict) else sub
        for nested in _nested_models(info.annotation):
            names |= null_openers(nested, item_exclude)
    return names


_NULL_MEMBER = r',"[a-z0-9_]+":null'
_OPENERS = sorted(null_openers(Decision, COMPACT_EXCLUDE))
_FIRST_NULL_MEMBER = r'\{"(?:' + "|".join(_OPENERS) + r')":null,?' if _OPENERS else None
"""A null first member: only of the fields that may be one (a literal the regex finds fast)."""


def json_lines(frame: pl.DataFrame) -> bytes:
    """The compact decisions of the frame, one JSON object per line, null fields left out.

    Polars encodes each row as the model does (`model_dump_json`), nulls included; the null members
    are then dropped from the encoded text (every key is a field name of the model, and inside a JSON
    string a quote is always escaped, so `,"name":null` and `{"name":null` occur only as members),
    which gives the model's `exclude_none=True` bytes (a test checks it). `{"name":null` is looked for
    only with the names of the fields that may open an object with a null member (`null_openers`)."""
    if frame.height == 0:
        return b""
    encoded = pl.struct(DECISION_FIELDS).struct.json_encode()
    compact = encoded.str.replace_all(_NULL_MEMBER, "")
    if _FIRST_NULL_MEMBER is not None:
        compact = compact.str.replace_all(_FIRST_NULL_MEMBER, "{")
    buffer = io.BytesIO()  # one text column written as it is: one JSON object per line, no quoting
    frame.select(compact).write_csv(buffer, include_header=False, quote_style="never", line_terminator="\n")
    return buffer.getvalue()


_GRAVITY = {category.value: category.gravity for category in Category}
_BY_GRAVITY = {gravity: name for name, gravity in _GRAVITY.items()}


def _term(column: pl.Expr) -> pl.Expr:
    return pl.when(column.is_not_null()).then(
        pl.format(
            "P{}Y{}M{}D",
            column.struct.field("years"),
            column.struct.field("months"),
            column.struct.field("days"),
        )
    )


def flat_table(frame: pl.DataFrame, schema: pa.Schema) -> pa.Table:
    """The flat decision rows (`amnesty.batch.rows.DECISION_SCHEMA`) of the frame."""
    sentence = pl.col("sentence")
    reason_codes = pl.concat_list(
        pl.col("reasons").list.eval(pl.element().struct.field("code")),
        pl.col("charges")
        .list.eval(pl.element().struct.field("reasons").explode().struct.field("code"))
        .list.drop_nulls(),
    ).list.join(";")
    gravest = (
        pl.col("charges")
        .list.eval(pl.element().struct.field("category").replace_strict(_GRAVITY, default=None))
        .list.max()
        .replace_strict(_BY_GRAVITY, default=None, return_dtype=pl.String)
    )
    flat = frame.select(
        pl.col("person_id"),
        pl.col("outcome"),
        pl.col("acting_body"),
        pl.col(STAGE).alias("stage"),
        gravest.alias("category"),
        pl.col(REGION).alias("region"),
        pl.col(ROLE).alias("role"),
        _term(sentence.struct.field("original_term")).alias("original_term"),
        _term(sentence.struct.field("new_term")).alias("new_term"),
        sentence.struct.field("original_end_date").str.to_date().alias("original_end_date"),
        sentence.struct.field("new_end_date").str.to_date().alias("new_end_date"),
        sentence.struct.field("release").alias("release"),
        reason_codes.alias("reason_codes"),
        pl.col("flags").list.join(";").alias("flags"),
        pl.col("as_of").str.to_date().alias("as_of"),
        pl.col("law_version"),
    )
    return flat.to_arrow().cast(schema)
