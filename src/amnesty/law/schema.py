"""Schema of a law pack and of the Criminal Code catalogue (validated at load, frozen after)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from amnesty.domain.enums import (
    Category,
    Context,
    Guilt,
    KindCondition,
    Outcome,
    Provenance,
    Punishment,
    Tag,
)
from amnesty.domain.records import ArticleNumber, PartNumber


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
    """The dates of the law (LAW.md section 1). A law that reaches every offence committed before it
    came into force has no `offence_window`."""

    signed: DatedFact
    entry_into_force: DatedFact
    offence_window: Window | None = None
    implementation_deadline: DatedFact


class ListEntry(_Strict):
    """An article of the Criminal Code listed in Article 1 of the law, with the parts it names."""

    article: Annotated[int, Field(ge=1)]
    parts: Literal["all"] | tuple[Annotated[int, Field(ge=1)], ...] = "all"
    provenance: Provenance
    note: LocalText | None = None

    def covers_part(self, part: int | str | None) -> bool:
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
    one_year_inclusive: bool = True
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


class PackNote(_Strict):
    """Something the law page must say about the reading: e.g. a condition the reports disagree on and
    that the software does not apply."""

    id: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    text: Texts
    provenance: Provenance


RuleId = Annotated[str, Field(pattern=r"^[A-Z]+\d+[a-z]?$")]
"""A rule's ID within its law ("S1", "X13", "V1a"); a rule is identified by (law, rule)."""


class PackDocuments(_Strict):
    """The documents a law asks for beyond the decision document (e.g. Law 81-VII art. 5 p. 3: the
    institution's representation to the court, and the person's letter), and the words they need: the
    ground of each relief rule as the law's text names it, and the rules whose relief rests on the
    person's social vulnerability (whose proofs are attached); `law_in_citation` is the Law's name as it
    follows a citation of its article ("... статьи 2 Закона ...")."""

    kinds: Annotated[tuple[Literal["court_representation", "person_letter"], ...], Field(min_length=1)]
    law_in_citation: Texts
    grounds: dict[RuleId, Texts]
    vulnerability_rules: tuple[RuleId, ...] = ()


LabelName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
"""The name of a label or a stage of a law's order of application ("not_covered", "exclusions")."""


class OrderLabel(_Strict):
    """One labelled default of a law's order of application (Catala's `label`): the rule whose answer
    says whether it applies, what it yields when it does (an outcome; `rule` when the rule's answer
    carries its own, as a relief rule's; none for a label that marks the decision and decides nothing),
    and the labels or stages it is an exception to (`overrides`)."""

    label: LabelName
    rule: RuleId
    outcome: Outcome | Literal["rule"] | None = None
    overrides: tuple[LabelName, ...] = ()


class OrderStage(_Strict):
    """A stage of the order of application: its position in `order` is the rank of its labels (the first
    stage is applied first)."""

    stage: LabelName
    labels: Annotated[tuple[OrderLabel, ...], Field(min_length=1)]


def order_problems(order: tuple[OrderStage, ...], rules: set[str]) -> list[str]:
    """What is wrong with an order of application, each problem naming its label: a name used twice, a
    rule the pack does not declare, an exception to an unknown label or to one of an earlier stage, a
    label its own exception, and cycles of `overrides` (found statically, before any decision)."""
    problems: list[str] = []
    rank: dict[str, int] = {}
    members: dict[str, tuple[str, ...]] = {}
    for position, stage in enumerate(order):
        if stage.stage in rank:
            problems.append(f"`{stage.stage}` is named twice")
        rank[stage.stage] = position
        members[stage.stage] = tuple(label.label for label in stage.labels)
        for label in stage.labels:
            if label.label in rank:
                problems.append(f"`{label.label}` is named twice")
            rank[label.label] = position
            members[label.label] = (label.label,)
            if label.rule not in rules:
                problems.append(
                    f"label `{label.label}` cites rule {label.rule}, which has no entry under `rules`"
                )
    edges: dict[str, set[str]] = {}
    for position, stage in enumerate(order):
        for label in stage.labels:
            targets = edges.setdefault(label.label, set())
            for name in label.overrides:
                if name not in rank:
                    problems.append(f"label `{label.label}` overrides `{name}`, which is not in `order`")
                    continue
                if rank[name] < position:
                    problems.append(
                        f"label `{label.label}` overrides `{name}` of an earlier stage: an earlier stage "
                        "already wins over it"
                    )
                targets.update(members[name])
            if label.label in targets:
                problems.append(f"label `{label.label}` overrides itself")
                targets.discard(label.label)
    problems += [f"`overrides` go round in a cycle: {' -> '.join(cycle)}" for cycle in _cycles(edges)]
    return problems


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected part of the `overrides` graph (depth first)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


class LawPack(_Strict):
    """A whole amnesty law as data.

    `engine` names the package under `amnesty.law.packs` whose rules decide under this law (a law's own
    folder, or the folder of the law it was drafted from). The sections a law's rules read and another's
    ignore are optional here and required by the rules that read them (`amnesty.engine.laws`):
    `offence_window`, `article_list`, `exclusions`, `relief`; `specific` holds sections only one law's
    rules read, validated by that law's package; `parameters` are the questions the text leaves open,
    each a named choice; `messages` are the sentences of this law's own reason codes (en, ru, kk);
    `order` is the law's order of application as labelled defaults (`amnesty.engine.defaults`), for a
    law whose rules consult it."""

    id: str
    engine: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    title: Texts
    reference: Reference
    dates: Dates
    scope: Scope = Scope()
    article_list: ArticleList | None = None
    exclusions: tuple[Exclusion, ...] = ()
    relief: Relief | None = None
    arithmetic: Arithmetic = Arithmetic()
    rules: dict[RuleId, RuleText]
    notes: tuple[PackNote, ...] = ()
    parameters: dict[Annotated[str, Field(pattern=r"^[a-z_]+$")], str | int | bool] = {}
    messages: dict[Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")], Texts] = {}
    specific: dict[str, Any] = {}
    order: tuple[OrderStage, ...] = ()
    # not in the content hash (excluded from dumps): documents do not change a decision
    documents: PackDocuments | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _rules_cited(self) -> LawPack:
        missing = sorted({e.rule for e in self.exclusions} - set(self.rules))
        if missing:
            raise ValueError(f"exclusions refer to rules with no entry under `rules`: {missing}")
        problems = order_problems(self.order, set(self.rules))
        if problems:
            raise ValueError("order: " + "; ".join(problems))
        return self


class Sanction(_Strict):
    """The sanction of a part of the Criminal Code, as facts read in its text (no conclusions): the kinds
    of punishment it allows, the longest imprisonment, life imprisonment, and the form of guilt. The
    category follows from these facts by art. 10 and 11 (engine rule C1), never typed in."""

    kinds: Annotated[tuple[Punishment, ...], Field(min_length=1)]
    max_years: Annotated[int, Field(ge=1, le=30)] | None = None
    life: bool = False
    guilt: Guilt = Guilt.INTENTIONAL
    offence_form: Literal["crime", "misdemeanour"] | None = None
    offence_form_basis: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Sanction:
        has_prison = Punishment.IMPRISONMENT in self.kinds
        if has_prison and self.max_years is None and not self.life:
            raise ValueError("imprisonment needs `max_years` (or `life: true`)")
        if not has_prison and (self.max_years is not None or self.life):
            raise ValueError("`max_years` and `life` need imprisonment among the kinds")
        if self.offence_form is not None and self.offence_form_basis is None:
            raise ValueError("`offence_form` is recorded only with `offence_form_basis` (where it is read)")
        return self


class OffenceKind(_Strict):
    """A kind of offence the Code names for a part (Criminal Code art. 3: terrorist, extremist, corruption,
    sexual offences against minors), or that the amnesty law names itself (treason, torture ...); some
    apply only when the victim is a minor, or only under some points of the part."""

    tag: Tag
    condition: KindCondition = KindCondition.ALWAYS
    points: tuple[Annotated[int, Field(ge=1)], ...] = ()
    cites: str
    provenance: Provenance
    note: str | None = None

    @model_validator(mode="after")
    def _points_with_point_condition(self) -> OffenceKind:
        if (self.condition is KindCondition.POINT) != bool(self.points):
            raise ValueError("`points` are given exactly when `condition` is `point`")
        return self


class Source(_Strict):
    """Where an entry's facts were read: document, location, edition, and whether the edition in force on
    the day of the offence (January 2022) may differ."""

    document: str = "K1400000226"
    location: str
    edition: str = "current"
    may_differ_2022: bool = False
    note: str | None = None


class CatalogueEntry(_Strict):
    """An article (or one part of it) of the Criminal Code of 3 July 2014."""

    article: ArticleNumber
    part: PartNumber | None = None
    title: Texts | None = None
    title_kk: Provenance = Provenance.INFERRED  # the source is Russian: Kazakh titles are our translation
    sanction: Sanction | None = None
    kinds: tuple[OffenceKind, ...] = ()
    provenance: Provenance
    source: Source | None = None

    @model_validator(mode="after")
    def _article_has_title(self) -> CatalogueEntry:
        if self.part is None and self.title is None:
            raise ValueError("an article entry needs a `title` (a part entry may take the article's)")
        return self

    @property
    def tags(self) -> tuple[Tag, ...]:
        """The kinds that apply to every charge under this entry (no condition)."""
        return tuple(kind.tag for kind in self.kinds if kind.condition is KindCondition.ALWAYS)


class Catalogue(_Strict):
    """The Criminal Code catalogue."""

    code: str
    note: str | None = None
    entries: tuple[CatalogueEntry, ...]

    @field_validator("entries")
    @classmethod
    def _unique_parts(cls, entries: tuple[CatalogueEntry, ...]) -> tuple[CatalogueEntry, ...]:
        keys = [(entry.article, entry.part) for entry in entries]
        duplicates = sorted({f"{a}({p})" if p else str(a) for a, p in keys if keys.count((a, p)) > 1})
        if duplicates:
            raise ValueError(f"entries listed twice: {duplicates}")
        return entries
