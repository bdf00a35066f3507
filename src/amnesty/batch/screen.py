"""The columnar screen: which persons of a chunk the law plainly does not reach, derived from the `Law`.

(Plainly does not reach: not covered by any charge, or excluded for recidivism alone, or for a kind
that depends on the charge alone.)

A charge is plainly outside the law when one of the scope rules answers a firm "no" (S1: committed
outside the window of the law pack, and not a continuing offence running into it; S2: outside the
territories; S3: a context the law does not name; S4: an article or part not in the list, below the
end of the known list). A person is screened when every charge is plainly outside the law, or
recidivism is recorded (rule X9 then excludes the person whatever the charges), and no charge has a
kind recorded on it or a kind whose exclusion reads facts of the person (`person_level_kinds`, from
the reads the exclusion rules declare: X6 reads the age on the offence date). So the engine's answer for such a person is fixed by the
charges' signatures and, for the person-level part of the decision (outcome, reasons, flags), by
the stage, the kind of sentence, the recidivism and the kinds the charges may carry (from their
article, part, point and victim's age: the exclusions X1-X5, X7, X8 read nothing else).

How each fact is evaluated over a whole chunk, from the loaded law:
- S1 is a Polars expression over the offence dates, with the window of the law pack;
- S2, S3, S4 and the kinds are the law's own functions, as its engine gives them to the screen
  (`amnesty.engine.laws.ScreenRules`: territory, context, article; `exclusions.possible_kinds`), run
  once per distinct territory, context or (article, part) of the chunk and joined back to the rows.
So the screen cannot drift from the rules it mirrors; the property tests in
`tests/batch/test_batch_screen.py` check every screened person against the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

import polars as pl

from amnesty.batch.typed import column_field
from amnesty.domain.enums import Context, Recidivism, Tri
from amnesty.domain.records import CaseRecord, Charge
from amnesty.engine.exclusions import possible_kinds
from amnesty.engine.laws import ScreenRules, engine_of
from amnesty.io.columns import LAW_FACT_COLUMNS
from amnesty.law.loader import Law

S1_NO, S1_UNKNOWN, S1_YES = 0, 1, 2
DEFAULT_TERRITORY = str(Charge.model_fields["territory"].default)
DEFAULT_CONTEXT: Context = Charge.model_fields["context"].default
_CONTEXTS = frozenset(context.value for context in Context)


def _charge(**fields: Any) -> Charge:
    """A charge holding only the facts a rule reads (never validated: it is not a record's)."""
    return Charge.model_construct(**fields)


def _record(**fields: Any) -> CaseRecord:
    """A record holding only the facts a rule reads."""
    return CaseRecord.model_construct(**fields)


def screen_rules(law: Law) -> ScreenRules:
    """The rules the screen evaluates for `law`, from its engine (only an engine that screens gives them)."""
    rules = engine_of(law).screen
    if rules is None:
        raise ValueError(f"law {law.pack.id}: its engine gives no columnar screen")
    return rules


def s1_answer(law: Law, frame: pl.DataFrame) -> pl.Expr:
    """Rule S1 over the chunk: `S1_NO` outside the window, `S1_UNKNOWN` for a continuing offence that
    runs into or past it, `S1_YES` inside it."""
    window = law.window
    start = pl.col("offence_date")
    end = pl.col("offence_end_date") if "offence_end_date" in frame.columns else pl.lit(None, dtype=pl.Date)
    inside = start.is_between(pl.lit(window.start), pl.lit(window.end))
    overlaps = end.is_not_null() & (start <= pl.lit(window.end)) & (end >= pl.lit(window.start))
    spans = end.is_not_null() & ((start < pl.lit(window.start)) | (end > pl.lit(window.end)))
    return (
        pl.when(~inside & ~overlaps)
        .then(pl.lit(S1_NO))
        .when(spans)
        .then(pl.lit(S1_UNKNOWN))
        .otherwise(pl.lit(S1_YES))
    )


def _facts_at_default(frame: pl.DataFrame) -> pl.Expr:
    """True for a row whose facts only some laws read (`LAW_FACT_COLUMNS`: the Code, damage, conduct,
    ...) are absent or at the record model's default: the screen mirrors rules that read none of them,
    so a row that records one is decided by the engine, whatever the law."""
    checks = [pl.lit(True)]
    for column in LAW_FACT_COLUMNS:
        if column not in frame.columns:
            continue
        model, name = column_field(column)
        default = model.model_fields[name].default
        cell = pl.col(column)
        if default is None:
            checks.append(cell.is_null())
        else:
            value = default.value if isinstance(default, Enum) else default
            checks.append(cell.is_null() | cell.eq_missing(pl.lit(value)))
    return pl.all_horizontal(checks)


def _per_distinct(
    frame: pl.DataFrame, columns: Sequence[str], answer: Callable[..., bool], name: str
) -> pl.DataFrame:
    """A lookup frame: each distinct combination of `columns` with the engine's answer for it."""
    distinct = frame.select(columns).unique()
    values = [answer(*row) for row in distinct.iter_rows()]
    return distinct.with_columns(pl.Series(name, values, dtype=pl.Boolean))


class Screen:
    """The screen for one law, as-of date and mode (see the module doc)."""

    def __init__(self, law: Law, strict: bool) -> None:
        self.law = law
        self.strict = strict
        self._territory: dict[str, bool] = {}
        self._context: dict[str, bool] = {}
        self._article: dict[tuple[int, int | None], tuple[bool, bool, bool]] = {}
        self.rules = screen_rules(law)
        self._person_kinds = self.rules.person_level_kinds(law)

    def _territory_no(self, territory: str | None) -> bool:
        value = DEFAULT_TERRITORY if territory is None else territory
        if not isinstance(value, str):
            return False
        if value not in self._territory:
            charge = _charge(territory=value)
            self._territory[value] = self.rules.territory(charge, self.law).answer is Tri.NO
        return self._territory[value]

    def _context_no(self, context: str | None) -> bool:
        value = DEFAULT_CONTEXT.value if context is None else context
        if value not in _CONTEXTS:
            return False  # not a context at all: the row is invalid, the validating path says why
        if value not in self._context:
            charge = _charge(context=Context(value))
            self._context[value] = self.rules.context(charge, self.law).answer is Tri.NO
        return self._context[value]

    def _article_facts(self, article: int, part: int | None) -> tuple[bool, bool, bool]:
        """(S4 answers no, the charge may carry a kind, one of them is a person-level kind) for an
        article and part."""
        key = (article, part)
        if not isinstance(article, int) or not (part is None or isinstance(part, int)):
            return (False, True, True)  # an invalid row: the validating path says why
        if key not in self._article:
            charge = _charge(article=article, part=part, tags=())
            s4_no = self.rules.article(charge, self.law, self.strict).answer is Tri.NO
            kinds = possible_kinds(self.law, article, part)
            self._article[key] = (s4_no, bool(kinds), bool(kinds & self._person_kinds))
        return self._article[key]

    def plain_rows(self, frame: pl.DataFrame) -> pl.DataFrame:
        """For each row (a valid, typed row: see `amnesty.batch.typed`), `plain`: True when its charge
        carries no kind recorded on it and none of the law's person-level kinds, is not a continuing offence
        running into the window, and either it is plainly outside the law or its person's recidivism
        is recorded, and it records none of the facts only some laws read; and `kind`: True when the charge may carry a kind."""
        territory = "territory" if "territory" in frame.columns else None
        context = "context" if "context" in frame.columns else None
        part = "part" if "part" in frame.columns else None
        lookup = frame.select(
            pl.col("article"),
            pl.col(part) if part else pl.lit(None, dtype=pl.Int64).alias("part"),
            pl.col(territory) if territory else pl.lit(None, dtype=pl.String).alias("territory"),
            pl.col(context) if context else pl.lit(None, dtype=pl.String).alias("context"),
            s1_answer(self.law, frame).alias("s1"),
            (
                pl.col("recidivism").is_null() | (pl.col("recidivism") == Recidivism.NONE.value)
                if "recidivism" in frame.columns
                else pl.lit(True)
            ).alias("no_recidivism"),
            pl.col("tags").is_null() if "tags" in frame.columns else pl.lit(True).alias("tags"),
            _facts_at_default(frame).alias("at_default"),
        )
        lookup = lookup.rename({lookup.columns[-2]: "untagged"})
        articles = _per_distinct(
            lookup, ["article", "part"], lambda a, p: self._article_facts(a, p)[0], "s4_no"
        )
        kinds = _per_distinct(lookup, ["article", "part"], lambda a, p: self._article_facts(a, p)[1], "kind")
        person_kinds = _per_distinct(
            lookup, ["article", "part"], lambda a, p: self._article_facts(a, p)[2], "person_kind"
        )
        territories = _per_distinct(lookup, ["territory"], self._territory_no, "s2_no")
        contexts = _per_distinct(lookup, ["context"], self._context_no, "s3_no")
        joined = (
            lookup.with_row_index("__order")
            .join(articles, on=["article", "part"], how="left", nulls_equal=True)
            .join(kinds, on=["article", "part"], how="left", nulls_equal=True)
            .join(person_kinds, on=["article", "part"], how="left", nulls_equal=True)
            .join(territories, on="territory", how="left", nulls_equal=True)
            .join(contexts, on="context", how="left", nulls_equal=True)
            .sort("__order")
        )
        charge_no = (pl.col("s1") == S1_NO) | pl.col("s2_no") | pl.col("s3_no") | pl.col("s4_no")
        return joined.select(
            (
                (charge_no | ~pl.col("no_recidivism"))
                & (pl.col("s1") != S1_UNKNOWN)
                & ~pl.col("person_kind")
                & pl.col("untagged")
                & pl.col("at_default")
            )
            .fill_null(False)
            .alias("plain"),
            pl.col("kind").fill_null(True).alias("kind"),
        )
