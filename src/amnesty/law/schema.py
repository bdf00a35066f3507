"""Schema of a law pack and of the Criminal Code catalogue (validated at load, frozen after)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from amnesty.domain.enums import Category, Context, Provenance, Tag


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Texts(_Strict):
    """A text in Russian, Kazakh and English."""

    ru: str
    kk: str
    en: str

    def __getitem__(self, language: str) -> str:
        """The text in a language (`ru`, `kk`, `en`); English for any other."""
        return str(getattr(self, language, self.en)) if language in ("ru", "kk", "en") else self.en


def _texts_from_plain(value: object) -> object:
    """A plain string where a `Texts` is expected stands for itself in every language (an untranslated
    note; the ru/kk wording test flags it)."""
    return {"ru": value, "kk": value, "en": value} if isinstance(value, str) else value


LocalText = Annotated[Texts, BeforeValidator(_texts_from_plain)]
"""A text people read in their language: `{ru: ..., kk: ..., en: ...}` in the pack."""


class Reference(_Strict):
    """Where a legal fact comes from (as OpenFisca's `reference`)."""

    title: str
    article: str | None = None
    link: str | None = None
    last_review: dt.date | None = None


class DatedFact(_Strict):
    """A date the law fixes, with its provenance."""

    value: dt.date | None
    provenance: Provenance
    note: LocalText | None = None


class Window(_Strict):
    """The offence window, both days inclusive (rule S1)."""

    start: dt.date
    end: dt.date
    provenance: Provenance

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError("window end is before its start")
        return self


class Dates(_Strict):
    """The dates of the law (LAW.md section 1)."""

    signed: DatedFact
    entry_into_force: DatedFact
    offence_window: Window
    implementation_deadline: DatedFact


class ListEntry(_Strict):
    """An article of the Criminal Code listed in Article 1 of the law, with the parts it names."""

    article: Annotated[int, Field(ge=1)]
    parts: Literal["all"] | tuple[Annotated[int, Field(ge=1)], ...] = "all"
    provenance: Provenance
    note: LocalText | None = None

    def covers_part(self, part: int | None) -> bool:
        """True when the entry names every part, or names this one."""
        return self.parts == "all" or (part is not None and part in self.parts)


class ArticleList(_Strict):
    """The Article 1 list; entries above `known_through` were not available to us."""

    known_through: int
    cites: str
    entries: tuple[ListEntry, ...]

    @field_validator("entries")
    @classmethod
    def _unique(cls, entries: tuple[ListEntry, ...]) -> tuple[ListEntry, ...]:
        seen = [entry.article for entry in entries]
        duplicates = sorted({a for a in seen if seen.count(a) > 1})
        if duplicates:
            raise ValueError(f"articles listed twice: {duplicates}")
        return entries


class Exclusion(_Strict):
    """A ground on which the law does not apply to a person (rules X1-X9)."""

    rule: Annotated[str, Field(pattern=r"^X\d+$")]
    code: Annotated[str, Field(pattern=r"^EXCLUDED_[A-Z_]+$")]
    tag: Tag | None = None
    recidivism: bool = False
    minor_exception_under: int | None = None
    provenance: Provenance
    cites: str

    @model_validator(mode="after")
    def _one_trigger(self) -> Exclusion:
        if (self.tag is None) == (not self.recidivism):
            raise ValueError("an exclusion names either a tag or `recidivism: true`, not both or neither")
        return self


def parse_fraction(text: str) -> Fraction:
    """Parse '3/4' (or '0.75', or '1') into an exact fraction between 0 and 1."""
    value = Fraction(text)
    if not 0 <= value <= 1:
        raise ValueError(f"fraction {text!r} is not between 0 and 1")
    return value


class Relief(_Strict):
    """The relief table parameters (LAW.md section 4)."""

    lesser_categories: tuple[Category, ...]
    reduction: dict[Category, str]
    one_year_threshold: Annotated[int, Field(ge=0, le=120)] = 12
    one_year_rule_after_reduction: bool = True
    aggregate_by_gravest: bool = True

    @field_validator("reduction")
    @classmethod
    def _fractions(cls, value: dict[Category, str]) -> dict[Category, str]:
        for text in value.values():
            parse_fraction(text)
        return value

    def fraction_for(self, category: Category) -> Fraction | None:
        """The share of the term removed for a category, if the law reduces it."""
        text = self.reduction.get(category)
        return parse_fraction(text) if text is not None else None


class Arithmetic(_Strict):
    """Sentence arithmetic conventions (LAW.md section 5)."""

    days_per_month: Annotated[int, Field(ge=28, le=31)] = 30
    rounding: Literal["down", "up", "half_up"] = "down"
    cap_at_original_end: bool = True


class RuleText(_Strict):
    """What a rule says, where it comes from and how sure we are of it."""

    title: LocalText
    cites: str
    provenance: Provenance


class Scope(_Strict):
    """Territory and contexts that rule S2 and S3 accept."""

    territories: tuple[str, ...] = ("KZ",)
    contexts: tuple[Context, ...] = (Context.RIOT, Context.SUPPRESSION)


class LawPack(_Strict):
    """A whole amnesty law as data."""

    id: str
    title: Texts
    reference: Reference
    dates: Dates
    scope: Scope
    article_list: ArticleList
    exclusions: tuple[Exclusion, ...]
    relief: Relief
    arithmetic: Arithmetic
    rules: dict[Annotated[str, Field(pattern=r"^[A-Z]+\d+$")], RuleText]

    @model_validator(mode="after")
    def _rules_cited(self) -> LawPack:
        missing = sorted({e.rule for e in self.exclusions} - set(self.rules))
        if missing:
            raise ValueError(f"exclusions refer to rules with no entry under `rules`: {missing}")
        return self


class CatalogueEntry(_Strict):
    """An article (or one part of it) of the Criminal Code of 3 July 2014."""

    article: Annotated[int, Field(ge=1)]
    part: Annotated[int, Field(ge=1)] | None = None
    title: Texts
    category: Category | None = None
    tags: tuple[Tag, ...] = ()
    provenance: Provenance


class Catalogue(_Strict):
    """The Criminal Code catalogue."""

    code: str
    entries: tuple[CatalogueEntry, ...]
