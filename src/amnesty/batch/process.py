"""Deciding one chunk of persons: the unit of work of every engine (in process, processes, Dask).

A chunk holds whole persons. A typed chunk (Parquet) is checked column-wise against the record model
(`amnesty.batch.typed`) and screened against the law (`amnesty.batch.screen`): a person whose rows are
valid as they are and whom the law plainly does not reach gets the decision assembled from the
engine's own parts (`PlainParts`); every other person is validated by the record model
(`amnesty.io.assemble`, which names the row, field and problem of a bad row) and decided by the
engine. All decisions become one frame (`amnesty.batch.frames`) from which the JSON Lines and the
flat rows are written. The function is pure given its inputs, so whichever engine runs it, the bytes
are the same.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]

from amnesty.batch.compact import decision_json
from amnesty.batch.frames import (
    CHARGE_DTYPE,
    DECISION_FIELDS,
    PERSON,
    PERSON_FIELDS,
    REGION,
    REMOVED,
    ROLE,
    SENTENCE_DTYPE,
    STAGE,
    compact_data,
    empty_frame,
    engine_frame,
    flat_table,
    json_lines,
)
from amnesty.batch.frames import DECISION_SCHEMA as FRAME_SCHEMA
from amnesty.batch.rows import DECISION_SCHEMA
from amnesty.batch.screen import DEFAULT_CONTEXT, DEFAULT_TERRITORY, Screen, s1_answer
from amnesty.batch.typed import row_checks
from amnesty.domain.decision import Decision
from amnesty.domain.enums import Category, Context, Outcome, PersonRole, Punishment
from amnesty.domain.records import CaseRecord, Charge, Sentence, TermIn
from amnesty.engine.evaluate import evaluate
from amnesty.engine.laws import engine_of
from amnesty.engine.memo import memoised
from amnesty.engine.relief import plain_sentence
from amnesty.engine.rules import sentences
from amnesty.impact.measure import removed_custody_days
from amnesty.impact.variant import parse_variant, variant_law
from amnesty.io.assemble import PersonRecord, RowProblem
from amnesty.io.safe_cells import safe_frame
from amnesty.io.sources import SourceRow, arrow_rows
from amnesty.io.tabular import ROW_COLUMN, Chunk, decide_group, key_series
from amnesty.law.loader import Law, load_law
from amnesty.law.registry import DEFAULT_LAW_ID, get_law

DIMENSIONS = ("outcome", "stage", "category", "region", "role")
"""The dimensions `summary.json` counts decided persons by."""
UNKNOWN = "unknown"
DEFAULT_ROLE = CaseRecord.model_fields["role"].default.value
DEFAULT_RECIDIVISM = CaseRecord.model_fields["recidivism"].default.value
SIGNATURE = ("article", "part", "category", "territory", "context", "s1")
"""A charge's signature: what its result depends on when its person is plainly uncovered."""
KINDS = "__kinds"
"""The column naming, per person, the kinds its charges may carry: article, part, point and victim's age
of each such charge, in order (empty for none; `_with_kind_facts`)."""
SHELL = ("stage", "sentence_punishment", "sentence_conditional", "sentence_given", "recidivism", KINDS)
"""What the person-level fields of a screened person's decision depend on (`amnesty.batch.screen`)."""
TERM = ("sentence_punishment", "sentence_years", "sentence_months", "sentence_days", "sentence_start_date")
"""What the sentence as imposed depends on."""
SIGNATURE_FACTS: dict[str, tuple[str, ...]] = {
    "article": ("charges[].article",),
    "part": ("charges[].part",),
    "category": ("charges[].category",),
    "territory": ("charges[].territory",),
    "context": ("charges[].context",),
    "s1": ("charges[].offence_date", "charges[].offence_end_date"),
}
"""The facts of the record (`amnesty.engine.rules.record_paths`) each column of `SIGNATURE` stands for
(the offence dates also reach the charge's result as they are). A test checks that every fact the
charge rules declare they read (S1-S4, C1) is one of them."""
SHELL_FACTS: dict[str, tuple[str, ...]] = {
    "stage": ("stage",),
    "sentence_punishment": ("sentence.punishment",),
    "sentence_conditional": ("sentence.conditional",),
    "sentence_given": (),  # whether there is a sentence at all: the presence read under `sentence.*`
    "recidivism": ("recidivism",),
    KINDS: (
        "charges[].article",
        "charges[].part",
        "charges[].point",
        "charges[].victim_minor",
        "charges[].tags",
    ),
}
"""The facts each column of `SHELL` stands for (a screened person's charges carry no recorded kind, so
their `tags` are fixed). A test checks that every fact the exclusions other than those of
`exclusions.person_level_kinds`, and the acting body, declare they read is one of them."""
TERM_FACTS = ("sentence.punishment", "sentence.term", "sentence.start_date")
"""The facts `TERM` stands for."""
_MAX_CACHED = 200_000
REFERENCE_START = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class RunSettings:
    """What every chunk needs besides its rows: the law, the as-of date, strict mode, the output."""

    law_pack: str | None = None
    """A law pack file instead of a registered law (its own id is the decisions' `law`)."""
    law_id: str = DEFAULT_LAW_ID
    """The registered law the run applies (when no `law_pack` is given)."""
    as_of: dt.date | None = None
    strict: bool = False
    fast_path: bool = True
    """Screen typed chunks column-wise (`amnesty.batch.screen`) and reuse rules' answers by the facts
    they read (`amnesty.engine.memo`); False: validate and decide every person the plain way (the same
    bytes, slower)."""
    languages: tuple[str, ...] = ()
    """Languages whose sentences the decisions carry (none: compact decisions)."""
    variant: tuple[str, str] | None = None
    """A what-if variant of the law, as (its YAML text, its source name): overlaid on the law pack."""


@cache
def law_for(
    law_pack: str | None, variant: tuple[str, str] | None = None, law_id: str = DEFAULT_LAW_ID
) -> Law:
    """The registered law `law_id` (or the pack file `law_pack`), with the variant overlaid if any;
    loaded once per process."""
    if variant is not None:
        text, source = variant
        pack_path = Path(law_pack) if law_pack is not None else None
        return variant_law(parse_variant(text, source), pack_path, law_id)
    return get_law(law_id) if law_pack is None else load_law(Path(law_pack))


def settings_law(settings: RunSettings) -> Law:
    """The law a run applies."""
    return law_for(settings.law_pack, settings.variant, settings.law_id)


@dataclass
class ChunkResult:
    """Everything one chunk contributes to the outputs, in the chunk's person order."""

    index: int
    table: pa.Table
    csv: bytes
    jsonl: bytes
    rejected: list[RowProblem]
    rows_decided: int = 0
    rows_rejected: int = 0
    persons_decided: int = 0
    persons_rejected: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    frame: pl.DataFrame | None = None
    """The decisions as a frame (kept only when asked: impact runs read it, and then `csv` and `jsonl`
    are empty)."""


class PlainParts:
    """The engine's parts of a plainly uncovered person's decision, cached for one law and mode.

    - a charge's result per charge signature: the engine's (`ScreenRules.charge_result`);
    - the person-level fields per stage and sentence kind: the engine's whole decision for the first
      such person (who is decided by the engine);
    - the sentence as imposed per punishment, term and start: `relief.plain_sentence`, as the engine
      calls it for a person without relief.
    Each is kept as the model's JSON data (`model_dump(mode="json")`)."""

    def __init__(self, law: Law, strict: bool) -> None:
        self.law = law
        self.strict = strict
        self.screen = Screen(law, strict)
        self.charges: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.shells: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.sentences: dict[tuple[Any, ...], dict[str, Any] | None] = {}
        self.tables: dict[str, pl.DataFrame] = {}
        """The values looked up so far (`_lookup`), as frames by the looked-up column's name."""

    def charge(self, signature: tuple[Any, ...], offence: dt.date, end: dt.date | None) -> dict[str, Any]:
        """The engine's result for a charge of this signature (any offence date with the same S1 answer)."""
        found = self.charges.get(signature)
        if found is None:
            article, part, category, territory, context, _ = signature
            charge = Charge.model_construct(
                article=article,
                part=part,
                category=None if category is None else Category(category),
                offence_date=offence,
                offence_end_date=end,
                territory=DEFAULT_TERRITORY if territory is None else territory,
                context=DEFAULT_CONTEXT if context is None else Context(context),
                tags=(),
            )
            with sentences(False):  # the charge's compact data leaves the sentences out
                result = self.screen.rules.charge_result(charge, self.law, self.strict)
            found = _charge_data(result)
            if len(self.charges) >= _MAX_CACHED:
                self.charges.clear()
            self.charges[signature] = found
        return found

    def sentence(self, key: tuple[Any, ...]) -> dict[str, Any] | None:
        """The engine's sentence as imposed for a punishment and term, with its start on
        `REFERENCE_START` when one is recorded (`_sentences` puts each person's own start and end)."""
        if key in self.sentences:
            return self.sentences[key]
        punishment, years, months, days, started = key
        given = years is not None or months is not None or days is not None
        term = TermIn.model_construct(years=years or 0, months=months or 0, days=days or 0) if given else None
        start = REFERENCE_START if started else None
        imposed = Sentence.model_construct(punishment=Punishment(punishment), term=term, start_date=start)
        result = plain_sentence(imposed, None)
        data = None if result is None else result.model_dump(mode="json")
        self.sentences[key] = data
        return data


def _charge_data(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = result.model_dump(
        mode="json", exclude={"title": True, "reasons": {"__all__": {"text", "texts"}}}
    )
    return data


@cache
def _parts(
    law_pack: str | None, variant: tuple[str, str] | None, law_id: str, as_of: dt.date | None, strict: bool
) -> PlainParts:
    return PlainParts(law_for(law_pack, variant, law_id), strict)


def parts_for(settings: RunSettings) -> PlainParts:
    """The cached parts for the run's law, as-of date and mode (per process; the person-level fields
    of a decision depend on the as-of date)."""
    return _parts(settings.law_pack, settings.variant, settings.law_id, settings.as_of, settings.strict)


class _Collector:
    """Collects one chunk's decisions and rejections in person order."""

    def __init__(self, law: Law, settings: RunSettings) -> None:
        self.law = law
        self.settings = settings
        self.rejected: list[RowProblem] = []
        self.decisions: list[Decision] = []
        self.persons: list[int] = []
        self.extras: list[tuple[str, str | None, str, int | None]] = []
        self.rows_decided = 0
        self.rows_rejected = 0
        self.persons_rejected = 0

    def engine(self, person: int, group: tuple[SourceRow, ...], missing: tuple[str, ...]) -> Decision | None:
        """Validate and decide one person the plain way; the decision, or None when rejected."""
        assembled = decide_group(group, missing)
        if not isinstance(assembled, PersonRecord):
            self.rejected.extend(assembled.problems)
            self.rows_rejected += len(assembled.rows)
            self.persons_rejected += 1
            return None
        record = assembled.record
        decision = evaluate(
            record,
            self.law,
            self.settings.as_of,
            self.settings.strict,
            questions=bool(self.settings.languages),  # a compact decision leaves the questions out
            sentences=bool(self.settings.languages),  # and the sentences
        )
        self.decisions.append(decision)
        self.persons.append(person)
        self.extras.append(
            (record.stage.value, record.region, record.role.value, removed_custody_days(decision))
        )
        self.rows_decided += len(group)
        return decision


def process_chunk(chunk: Chunk, settings: RunSettings, keep_frame: bool = False) -> ChunkResult:
    """Validate and decide every person of a chunk. With `keep_frame` (impact runs, which write no
    decision files) the result holds the decisions' frame and flat rows, and no CSV or JSON bytes."""
    law = settings_law(settings)
    collector = _Collector(law, settings)
    plain = pl.DataFrame()
    screened = (
        settings.fast_path
        and engine_of(law).screens
        and not settings.languages
        and chunk.table is not None
        and not chunk.missing_columns
        and "person_id" in chunk.table.column_names
        and _is_text(chunk.table.schema.field("person_id").type)
    )
    with memoised(settings.fast_path):  # rules reused by the facts they read: `engine.memo`
        if screened:
            assert chunk.table is not None
            plain = _screened(chunk.table, settings, collector)
        else:
            for person, group in enumerate(chunk.person_groups()):
                collector.engine(person, group, chunk.missing_columns)
    return _result(chunk.index, collector, plain, keep_frame)


def _is_text(dtype: pa.DataType) -> bool:
    """A string column as Arrow writes it (`string`) or as Polars does (`large_string`, `string_view`)."""
    return bool(
        pa.types.is_string(dtype) or pa.types.is_large_string(dtype) or pa.types.is_string_view(dtype)
    )


def _person_numbers(frame: pl.DataFrame, table: pa.Table) -> pl.DataFrame:
    """Number the chunk's persons: consecutive rows with the same person key (as the reader keys
    rows: `io.tabular.key_series`) form one person; a row without one stands alone."""
    frame = frame.with_columns(key_series(table).alias("__key"))
    starts = pl.col("__key").is_null() | pl.col("__key").ne_missing(pl.col("__key").shift(1))
    return frame.with_columns((starts.cast(pl.Int64).cum_sum() - 1).alias(PERSON))


def _screened(table: pa.Table, settings: RunSettings, collector: _Collector) -> pl.DataFrame:
    """Screen a typed chunk; decide the others by the engine; the plain persons' decisions as a frame."""
    parts = parts_for(settings)
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    frame = _person_numbers(frame, table)
    valid = frame.select(row_checks(frame, PERSON)).to_series()
    screen = parts.screen.plain_rows(frame)
    plain_row = valid & screen.get_column("plain") & frame.get_column("__key").is_not_null()
    frame = frame.with_columns(plain_row.alias("__plain"), screen.get_column("kind").alias("__kind"))
    frame = _with_kind_facts(frame)
    frame = frame.with_columns(pl.col("__plain").all().over(PERSON).alias("__plain"))
    persons = frame.get_column(PERSON).to_numpy()
    plain_mask = frame.get_column("__plain").to_numpy()
    starts = np.flatnonzero(np.diff(persons, prepend=-1))
    ends = np.append(starts[1:], len(persons))
    missing: tuple[str, ...] = ()
    bare = table.drop_columns([ROW_COLUMN])
    numbers = table.column(ROW_COLUMN).to_pylist()
    plain_persons = frame.filter(pl.col("__plain"))
    shells = _shell_keys(plain_persons)
    needed = _first_per_shell(shells, parts)
    engine_person: set[int] = set(needed)
    by_engine = ~plain_mask[starts]
    by_engine[list(engine_person)] = True
    chosen = np.flatnonzero(by_engine)
    spans = list(zip(chosen.tolist(), starts[chosen].tolist(), ends[chosen].tolist(), strict=True))
    indices = [index for _, start, end in spans for index in range(start, end)]
    rows = arrow_rows(bare.take(indices), [numbers[index] for index in indices]) if indices else []
    offset = 0
    for person, start, end in spans:
        group = tuple(rows[offset : offset + end - start])
        offset += end - start
        decision = collector.engine(person, group, missing)
        if person in engine_person:
            if decision is None or decision.outcome not in (Outcome.NOT_COVERED, Outcome.EXCLUDED):
                raise AssertionError("the screen let through a person the law may reach")
            data = compact_data(decision)
            shell = {name: data[name] for name in PERSON_FIELDS}
            shell[REMOVED] = removed_custody_days(decision)
            parts.shells[needed[person]] = shell
    rest = plain_persons.filter(~pl.col(PERSON).is_in(list(engine_person)))
    return _plain_frame(rest, parts, settings)


def _with_kind_facts(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with the `KINDS` column: for each person, the facts the exclusions X1-X5, X7, X8 read
    of each of its charges that may carry a kind (article, part, point, victim's age), in the charges'
    order; empty for a person with none. Computed over those charges alone (a few in a hundred)."""
    facts = pl.concat_str(
        [
            _optional(frame, name, dtype).cast(pl.String).fill_null("-")
            for name, dtype in (
                ("article", pl.Int64()),
                ("part", pl.Int64()),
                ("point", pl.Int64()),
                ("victim_minor", pl.Boolean()),
            )
        ],
        separator="/",
    )
    kinds = (
        frame.filter(pl.col("__kind"))
        .group_by(PERSON, maintain_order=True)
        .agg(facts.str.join(";").alias(KINDS))
    )
    joined = frame.join(kinds, on=PERSON, how="left", maintain_order="left")
    return joined.with_columns(pl.col(KINDS).fill_null(""))


def _shell_keys(frame: pl.DataFrame) -> pl.DataFrame:
    given = [column for column in TERM if column in frame.columns]
    sentence_given = pl.any_horizontal([pl.col(c).is_not_null() for c in given] or [pl.lit(False)])
    return frame.select(
        pl.col(PERSON),
        pl.col("stage"),
        _optional(frame, "sentence_punishment", pl.String()),
        (
            pl.col("sentence_conditional").fill_null(False)
            if "sentence_conditional" in frame.columns
            else pl.lit(False)
        ).alias("sentence_conditional"),
        sentence_given.alias("sentence_given"),
        _optional(frame, "recidivism", pl.String()).fill_null(DEFAULT_RECIDIVISM),
        pl.col(KINDS),
    ).unique(subset=[PERSON], keep="first", maintain_order=True)


def _first_per_shell(shells: pl.DataFrame, parts: PlainParts) -> dict[int, tuple[Any, ...]]:
    """Persons to decide by the engine so that every shell of the chunk is known: the first of each
    unknown shell."""
    firsts = shells.unique(subset=list(SHELL), keep="first", maintain_order=True)
    needed: dict[int, tuple[Any, ...]] = {}
    for row in firsts.iter_rows():
        key = tuple(row[1:])
        if key not in parts.shells:
            needed[row[0]] = key
    return needed


def _optional(frame: pl.DataFrame, column: str, dtype: pl.DataType) -> pl.Expr:
    return pl.col(column) if column in frame.columns else pl.lit(None, dtype=dtype).alias(column)


def _plain_frame(rows: pl.DataFrame, parts: PlainParts, settings: RunSettings) -> pl.DataFrame:
    """The decisions of plainly uncovered persons, assembled column-wise from the engine's parts."""
    if rows.height == 0:
        return empty_frame()
    law = parts.law
    keyed = rows.select(
        pl.col(PERSON),
        pl.col("__key").alias("person_id"),
        pl.col("article"),
        _optional(rows, "part", pl.Int64()),
        _optional(rows, "category", pl.String()),
        _optional(rows, "territory", pl.String()),
        _optional(rows, "context", pl.String()),
        s1_answer(law, rows).alias("s1"),
        pl.col("offence_date"),
        _optional(rows, "offence_end_date", pl.Date()),
    )
    charges = _lookup(keyed, list(SIGNATURE), "charge", CHARGE_DTYPE, parts, _charge_value)
    charge_lists = charges.group_by(PERSON, maintain_order=True).agg(pl.col("charge").alias("charges"))
    first = rows.unique(subset=[PERSON], keep="first", maintain_order=True)
    shells = _shell_keys(first)
    persons = first.select(
        pl.col(PERSON),
        pl.col("__key").alias("person_id"),
        pl.col("stage").alias(STAGE),
        _optional(first, "region", pl.String()).alias(REGION),
        _optional(first, "role", pl.String()).fill_null(DEFAULT_ROLE).alias(ROLE),
        *[
            _optional(first, column, pl.Int64() if column != "sentence_start_date" else pl.Date())
            for column in TERM[1:]
        ],
    ).join(shells, on=PERSON, how="left", maintain_order="left")
    sentences = _sentences(persons, parts)
    shell_rows = [
        (*key, *(data[name] for name in (*PERSON_FIELDS, REMOVED))) for key, data in parts.shells.items()
    ]
    shell_frame = pl.DataFrame(
        shell_rows,
        schema={
            "stage": pl.String,
            "sentence_punishment": pl.String,
            "sentence_conditional": pl.Boolean,
            "sentence_given": pl.Boolean,
            "recidivism": pl.String,
            KINDS: pl.String,
            **{name: FRAME_SCHEMA[name] for name in PERSON_FIELDS},
            REMOVED: pl.Int64,
        },
        orient="row",
    )
    joined = sentences.join(
        shell_frame, on=list(SHELL), how="left", nulls_equal=True, maintain_order="left"
    ).join(charge_lists, on=PERSON, how="left", maintain_order="left")
    return joined.select(*DECISION_FIELDS, PERSON, STAGE, REGION, ROLE, REMOVED)


def _charge_value(parts: PlainParts, row: dict[str, Any]) -> dict[str, Any]:
    signature = tuple(row[name] for name in SIGNATURE)
    return parts.charge(signature, row["offence_date"], row["offence_end_date"])


def _sentence_value(parts: PlainParts, row: dict[str, Any]) -> dict[str, Any] | None:
    if row["sentence_punishment"] is None:
        return None
    return parts.sentence((*(row[name] for name in TERM[:-1]), row["started"]))


def last_day_column(start: pl.Expr, years: pl.Expr, months: pl.Expr, days: pl.Expr) -> pl.Expr:
    """The column form of the engine's `terms.last_day` (a missing part of the term counts 0): the start
    moved by the term's whole months, clipped to the month's last day as `terms.add_months` clips (and
    as Polars' `offset_by` does), then by its days less one. A property test checks it against
    `terms.last_day`."""
    whole_months = 12 * years.fill_null(0) + months.fill_null(0)
    moved = start.dt.offset_by(pl.format("{}mo", whole_months))
    return moved + pl.duration(days=days.fill_null(0) - 1)


def _sentences(persons: pl.DataFrame, parts: PlainParts) -> pl.DataFrame:
    """Each person's sentence as imposed: the engine's for the punishment and term, with the person's
    start date and the end date by the engine's `terms.last_day` (in its column form)."""
    keyed = persons.with_columns(pl.col("sentence_start_date").is_not_null().alias("started"))
    keys = [*TERM[:-1], "started"]
    joined = _lookup(keyed, keys, "sentence", SENTENCE_DTYPE, parts, _sentence_value)
    sentence = pl.col("sentence")
    end = last_day_column(
        pl.col("sentence_start_date"),
        pl.col("sentence_years"),
        pl.col("sentence_months"),
        pl.col("sentence_days"),
    )
    return joined.with_columns(
        pl.when(sentence.is_not_null()).then(
            sentence.struct.with_fields(
                pl.col("sentence_start_date").dt.strftime("%Y-%m-%d").alias("start_date"),
                pl.when(sentence.struct.field("original_end_date").is_not_null())
                .then(end)
                .dt.strftime("%Y-%m-%d")
                .alias("original_end_date"),
            )
        )
    )


def _lookup(frame: pl.DataFrame, keys: list[str], name: str, dtype: pl.DataType, parts: PlainParts,
            value: Any) -> pl.DataFrame:  # fmt: skip
    """Join to `frame` a column `name` computed once per distinct `keys` by `value(parts, row)`; the
    values computed for earlier chunks are kept in `parts.tables` and not computed again."""
    distinct = frame.unique(subset=keys, keep="first", maintain_order=True)
    known = parts.tables.get(name)
    if known is not None and (
        known.height >= _MAX_CACHED or known.select(keys).schema != distinct.select(keys).schema
    ):
        known = None  # too many kept, or keys of other types (another input): start again
    new = distinct if known is None else distinct.join(known, on=keys, how="anti", nulls_equal=True)
    if new.height or known is None:
        values = [value(parts, row) for row in new.iter_rows(named=True)]
        key_values = new.select(keys)  # copied out of the chunk: its text would keep the chunk's buffers
        added = pl.DataFrame(key_values.to_dict(as_series=False), schema=key_values.schema).with_columns(
            pl.Series(name, values, dtype=dtype)
        )
        known = added if known is None else pl.concat([known, added])
        parts.tables[name] = known
    return frame.join(known, on=keys, how="left", nulls_equal=True, maintain_order="left")


def _result(index: int, collector: _Collector, plain: pl.DataFrame, keep_frame: bool) -> ChunkResult:
    if collector.settings.languages:
        return _worded_result(index, collector)
    decided = engine_frame(collector.decisions, collector.persons, collector.extras)
    frames = [frame for frame in (decided, plain) if frame.height]
    frame = pl.concat(frames, how="vertical").sort(PERSON) if frames else empty_frame()
    table = flat_table(frame, DECISION_SCHEMA)
    counts = _counts(table)
    plain_rows = 0
    if plain.height:
        plain_rows = int(plain.select(pl.col("charges").list.len().sum()).item())
    result = ChunkResult(
        index,
        table,
        b"" if keep_frame else _csv_bytes(table),
        b"" if keep_frame else json_lines(frame),
        collector.rejected,
        rows_decided=collector.rows_decided + plain_rows,
        rows_rejected=collector.rows_rejected,
        persons_decided=frame.height,
        persons_rejected=collector.persons_rejected,
        counts=counts,
        frame=frame if keep_frame else None,
    )
    return result


def _worded_result(index: int, collector: _Collector) -> ChunkResult:
    """Decisions with sentences: serialised one by one by the model (`compact.decision_json`)."""
    decided = engine_frame(collector.decisions, collector.persons, collector.extras)
    table = (
        flat_table(decided, DECISION_SCHEMA) if decided.height else flat_table(empty_frame(), DECISION_SCHEMA)
    )
    languages = collector.settings.languages
    law = settings_law(collector.settings)
    lines = "".join(decision_json(decision, languages, law) + "\n" for decision in collector.decisions)
    return ChunkResult(
        index,
        table,
        _csv_bytes(table),
        lines.encode("utf-8"),
        collector.rejected,
        rows_decided=collector.rows_decided,
        rows_rejected=collector.rows_rejected,
        persons_decided=len(collector.decisions),
        persons_rejected=collector.persons_rejected,
        counts=_counts(table),
    )


def _counts(table: pa.Table) -> dict[str, Counter[str]]:
    """Persons per value of each dimension (a missing value counted as `UNKNOWN`)."""
    frame = pl.from_arrow(table.select(list(DIMENSIONS)))
    assert isinstance(frame, pl.DataFrame)
    counts: dict[str, Counter[str]] = {}
    for dimension in DIMENSIONS:
        values = frame.get_column(dimension).cast(pl.String).fill_null(UNKNOWN).value_counts()
        counts[dimension] = Counter(dict(values.iter_rows()))
    return counts


def _csv_bytes(table: pa.Table) -> bytes:
    if table.num_rows == 0:
        return b""
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    buffer = io.BytesIO()
    safe_frame(frame).write_csv(buffer, include_header=False, line_terminator="\n", date_format="%Y-%m-%d")
    return buffer.getvalue()


__all__ = ["ChunkResult", "PersonRole", "RunSettings", "law_for", "process_chunk"]
