"""The exclusion lists of the 2021 Independence amnesty (Art. 4 sub-paragraphs 11, 12 and 13; rules
X11, X12 and X13 of shared/spec/LAW-2021.md) and a pure matcher of one charge against them.

The lists live in `exclusion_lists.yaml` next to this module, every crime of the text transcribed
with its article, parts, points, condition and place in the text. `match_charge` says whether a
charge (a Code, an article, and what the record knows of its part, point, the person's age at the
offence and intoxication) falls under a list entry: `Tri.YES` (excluded), `Tri.NO` (not excluded by
these lists) or `Tri.UNKNOWN` with the facts that would settle it. It depends on nothing of the engine:
the rules (`rules.py`) call it and turn its answer into a decision.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    model_validator,
)

from amnesty.domain.enums import Provenance, Tri
from amnesty.law.loader import Law

LISTS_FILE = "exclusion_lists.yaml"
_PACKAGE = __name__.rpartition(".")[0]


class CodeId(StrEnum):
    """The Criminal Code a charge is brought under (LAW-2021.md S2)."""

    KAZSSR_1959 = "kazssr-1959"
    KZ_1997 = "kz-1997"
    KZ_2014 = "kz-2014"


SUBPARAGRAPH_OF_CODE: Mapping[CodeId, int] = {CodeId.KAZSSR_1959: 11, CodeId.KZ_1997: 12, CodeId.KZ_2014: 13}
"""The sub-paragraph of Art. 4 that lists each Code's crimes (rules X11, X12, X13)."""


class Condition(StrEnum):
    """When a listed crime excludes the person."""

    ALWAYS = "always"
    UNLESS_MINOR = "unless_minor"
    """'за исключением случая совершения такого преступления несовершеннолетним'."""
    ONLY_INTOXICATED = "only_intoxicated"
    """'в случае совершения лицами, находившимися в состоянии ... опьянения'."""


class Fact(StrEnum):
    """A fact of the record that can settle an open answer (in this order)."""

    PART = "part"
    POINT = "point"
    MINOR = "minor"
    INTOXICATED = "intoxicated"


_FACT_ORDER = tuple(Fact)
_SUFFIXED = re.compile(r"^\d+-\d+$")
_LETTER = re.compile(r"^[а-я]$")


def normalise_number(value: int | str) -> int | str:
    """An article, part or point number in one form: a string of ASCII digits is the integer it writes
    ("272" -> 272); a suffixed number keeps its hyphen ("188-1", part "1-1", dashes read as hyphens); a
    point letter is lower case without its bracket ("а)" -> "а")."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"a number is an int or a string, not {value!r}")
    if isinstance(value, int):
        return value
    text = value.strip().removesuffix(")").strip().replace("–", "-").replace("—", "-").lower()
    if not text:
        raise ValueError("an empty number")
    return int(text) if text.isascii() and text.isdigit() else text


def _number(value: object) -> object:
    return normalise_number(value) if isinstance(value, int | str) else value


def _article_or_part(value: int | str) -> int | str:
    if isinstance(value, int) and value < 1:
        raise ValueError(f"{value} is not a number of the Code")
    if isinstance(value, str) and not _SUFFIXED.match(value):
        raise ValueError(f"{value!r} is neither a number nor a suffixed number like '188-1'")
    return value


def _point(value: int | str) -> int | str:
    if isinstance(value, int) and value < 1:
        raise ValueError(f"point {value} is not a number of the Code")
    if isinstance(value, str) and not _LETTER.match(value):
        raise ValueError(f"point {value!r} is neither a number nor a Cyrillic letter")
    return value


ArticleNumber = Annotated[int | str, BeforeValidator(_number), AfterValidator(_article_or_part)]
"""An article (or part) of a Code: 99, or "188-1" for an article inserted after 188."""
PointNumber = Annotated[int | str, BeforeValidator(_number), AfterValidator(_point)]
"""A point of a part: a number (2014 Code) or a Cyrillic letter as written (1997 Code: "а", "б")."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ListEntry(_Strict):
    """One crime of a list, or one half of a crime whose reference mixes two kinds of part (the
    text's "пункт г) части третьей, часть четвертая статьи 176" is two entries with one `item`)."""

    subparagraph: Literal[11, 12, 13]
    item: Annotated[int, Field(ge=1)]
    """The crime's place in its sub-paragraph's list, counting from 1."""
    code: CodeId
    article: ArticleNumber
    parts: Literal["all"] | tuple[ArticleNumber, ...]
    points: tuple[PointNumber, ...] = ()
    """Empty: every point of the parts named."""
    condition: Condition
    title: Annotated[str, Field(min_length=1)]
    """The crime's name as the text gives it (Russian)."""
    location: Annotated[str, Field(min_length=1)]
    provenance: Provenance

    @model_validator(mode="after")
    def _consistent(self) -> ListEntry:
        if SUBPARAGRAPH_OF_CODE[self.code] != self.subparagraph:
            raise ValueError(f"{self.code} is listed in sub-paragraph {SUBPARAGRAPH_OF_CODE[self.code]}")
        if self.parts != "all" and (not self.parts or len(set(self.parts)) != len(self.parts)):
            raise ValueError(f"article {self.article}: parts must be 'all' or distinct parts")
        if self.points and (self.parts == "all" or len(self.parts) != 1):
            raise ValueError(f"article {self.article}: points belong to exactly one part")
        if len(set(self.points)) != len(self.points):
            raise ValueError(f"article {self.article}: a point listed twice")
        return self

    @property
    def rule(self) -> str:
        """The rule this entry belongs to (X11, X12 or X13 of LAW-2021.md)."""
        return f"X{self.subparagraph}"

    def overlaps(self, other: ListEntry) -> bool:
        """True when both entries could match one charge (same article, a common part and point)."""
        if (self.code, self.article) != (other.code, other.article):
            return False
        parts = self.parts == "all" or other.parts == "all" or bool(set(self.parts) & set(other.parts))
        points = not self.points or not other.points or bool(set(self.points) & set(other.points))
        return parts and points


class KnownParts(_Strict):
    """Every part an article of a Code has, read from the Code itself: lets a charge recorded without its
    part be decided when the list names every part of the article."""

    code: CodeId
    article: ArticleNumber
    parts: Annotated[tuple[ArticleNumber, ...], Field(min_length=1)]
    provenance: Provenance
    cites: str


class Source(_Strict):
    """Where the lists were read."""

    repository: str
    path: str
    commit: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]
    article: str


class ExclusionLists(_Strict):
    """The three lists of Art. 4 (sub-paragraphs 11, 12, 13), validated at load and frozen."""

    law: str
    source: Source
    known_parts: tuple[KnownParts, ...] = ()
    entries: tuple[ListEntry, ...]

    _by_article: dict[tuple[CodeId, int | str], tuple[ListEntry, ...]] = PrivateAttr(default_factory=dict)
    _parts: dict[tuple[CodeId, int | str], tuple[int | str, ...]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _well_formed(self) -> ExclusionLists:
        for subparagraph in SUBPARAGRAPH_OF_CODE.values():
            items = [entry.item for entry in self.entries if entry.subparagraph == subparagraph]
            if items != sorted(items) or sorted(set(items)) != list(range(1, len(set(items)) + 1)):
                raise ValueError(f"sub-paragraph {subparagraph}: items are not numbered 1, 2, 3 ... in order")
        for index, entry in enumerate(self.entries):
            for other in self.entries[index + 1 :]:
                if entry.overlaps(other):
                    raise ValueError(f"{entry.location} and {other.location} overlap")
        known = [(known.code, known.article) for known in self.known_parts]
        if len(set(known)) != len(known):
            raise ValueError("an article's parts are given twice in known_parts")
        return self

    def model_post_init(self, context: Any, /) -> None:
        """Index the entries by Code and article."""
        index: dict[tuple[CodeId, int | str], list[ListEntry]] = {}
        for entry in self.entries:
            index.setdefault((entry.code, entry.article), []).append(entry)
        self._by_article = {key: tuple(entries) for key, entries in index.items()}
        self._parts = {(known.code, known.article): known.parts for known in self.known_parts}

    def entries_for(self, code: CodeId, article: int | str) -> tuple[ListEntry, ...]:
        """The entries that name this article of this Code (none when it is not listed)."""
        return self._by_article.get((code, normalise_number(article)), ())

    def parts_of(self, code: CodeId, article: int | str) -> tuple[int | str, ...] | None:
        """Every part of the article when `known_parts` gives them, else None."""
        return self._parts.get((code, normalise_number(article)))

    def items(self, subparagraph: int) -> int:
        """How many crimes the sub-paragraph lists (entries sharing an item count once)."""
        return len({entry.item for entry in self.entries if entry.subparagraph == subparagraph})


@functools.cache
def exclusion_lists() -> ExclusionLists:
    """The lists shipped with the pack, read and validated once per process."""
    return _read_lists(resources.files(_PACKAGE).joinpath(LISTS_FILE))


def _read_lists(file: Traversable) -> ExclusionLists:
    return ExclusionLists.model_validate(yaml.safe_load(file.read_text(encoding="utf-8")))


_FOLDER_LISTS: dict[str, ExclusionLists] = {}
"""Lists read from a law's own folder (a draft made from this law), by folder: each read once."""


def exclusion_lists_of(law: Law) -> ExclusionLists:
    """The lists a law decides with: those in its own folder when it has them (a draft made from this
    law carries a copy whose every entry is unverified until a lawyer checks it), else the shipped ones."""
    folder = law.folder
    if folder is None or not folder.joinpath(LISTS_FILE).is_file():
        return exclusion_lists()
    key = str(folder)
    if key not in _FOLDER_LISTS:
        _FOLDER_LISTS[key] = _read_lists(folder.joinpath(LISTS_FILE))
    return _FOLDER_LISTS[key]


@dataclass(frozen=True)
class ListMatch:
    """What the lists say of one charge: `answer` YES (excluded by `entry`), NO, or UNKNOWN until one of
    the `missing` facts is known; `subparagraph` is the one that lists the charge's Code."""

    answer: Tri
    entry: ListEntry | None
    missing: tuple[Fact, ...]
    subparagraph: int

    @property
    def rule(self) -> str:
        """The rule of LAW-2021.md section 3 that the sub-paragraph is (X11, X12 or X13)."""
        return f"X{self.subparagraph}"


_Outcome = tuple[Tri, ListEntry | None, frozenset[Fact]]


def _part_answer(entry: ListEntry, part: int | str | None) -> _Outcome:
    if entry.parts == "all":
        return Tri.YES, entry, frozenset()
    if part is None:
        return Tri.UNKNOWN, entry, frozenset({Fact.PART})
    return (Tri.YES if part in entry.parts else Tri.NO), entry, frozenset()


def _point_answer(entry: ListEntry, point: int | str | None) -> _Outcome:
    if not entry.points:
        return Tri.YES, entry, frozenset()
    if point is None:
        return Tri.UNKNOWN, entry, frozenset({Fact.POINT})
    return (Tri.YES if point in entry.points else Tri.NO), entry, frozenset()


def _condition_answer(entry: ListEntry, minor: bool | None, intoxicated: bool | None) -> _Outcome:
    if entry.condition is Condition.UNLESS_MINOR:
        fact, value, excludes = Fact.MINOR, minor, False
    elif entry.condition is Condition.ONLY_INTOXICATED:
        fact, value, excludes = Fact.INTOXICATED, intoxicated, True
    else:
        return Tri.YES, entry, frozenset()
    if value is None:
        return Tri.UNKNOWN, entry, frozenset({fact})
    return (Tri.YES if value is excludes else Tri.NO), entry, frozenset()


def _entry_answer(
    entry: ListEntry,
    part: int | str | None,
    point: int | str | None,
    minor: bool | None,
    intoxicated: bool | None,
) -> _Outcome:
    """Part, point and condition must all hold: one NO is NO, else any UNKNOWN is UNKNOWN."""
    checks = (
        _part_answer(entry, part),
        _point_answer(entry, point),
        _condition_answer(entry, minor, intoxicated),
    )
    if any(answer is Tri.NO for answer, _, _ in checks):
        return Tri.NO, None, frozenset()
    missing = frozenset().union(*(facts for _, _, facts in checks))
    return (Tri.UNKNOWN if missing else Tri.YES), entry, missing


def _any_entry(outcomes: list[_Outcome]) -> _Outcome:
    """One YES is YES; else any UNKNOWN is UNKNOWN (the facts of all of them); else NO."""
    for outcome in outcomes:
        if outcome[0] is Tri.YES:
            return outcome
    open_ = [outcome for outcome in outcomes if outcome[0] is Tri.UNKNOWN]
    if not open_:
        return Tri.NO, None, frozenset()
    return Tri.UNKNOWN, open_[0][1], frozenset().union(*(facts for _, _, facts in open_))


def match_charge(
    code: str,
    article: int | str,
    part: int | str | None,
    point: int | str | None,
    minor: bool | None,
    intoxicated: bool | None,
    *,
    lists: ExclusionLists | None = None,
) -> ListMatch:
    """Whether a charge falls under Art. 4 sub-paragraph 11, 12 or 13 (rules X11-X13), by the list of its
    Code. `minor`: the person was under eighteen at the offence; `intoxicated`: the offence was committed
    while intoxicated; None where the record does not say. A charge without its part is excluded when
    every part the article has (`known_parts`) is. An unknown `code` raises ValueError."""
    data = exclusion_lists() if lists is None else lists
    held = _MATCHES.get(id(data))
    if held is None or held[0] is not data or len(held[1]) >= _MAX_MATCHES:
        held = (data, {})  # the lists are held, so their id is not reused while their answers are kept
        _MATCHES[id(data)] = held
    key = (code, article, part, point, minor, intoxicated)
    found = held[1].get(key)
    if found is None:
        found = _match(code, article, part, point, minor, intoxicated, data)
        held[1][key] = found
    return found


_MATCHES: dict[int, tuple[ExclusionLists, dict[tuple[Any, ...], ListMatch]]] = {}
"""`match_charge`'s answers per lists (by identity) and distinct charge: a pure function of its
arguments, and the lists are read once per process (`exclusion_lists`, `exclusion_lists_of`)."""
_MAX_MATCHES = 65_536


def _match(
    code: str,
    article: int | str,
    part: int | str | None,
    point: int | str | None,
    minor: bool | None,
    intoxicated: bool | None,
    data: ExclusionLists,
) -> ListMatch:
    code_id = CodeId(code)
    subparagraph = SUBPARAGRAPH_OF_CODE[code_id]
    entries = data.entries_for(code_id, article)
    part_n = None if part is None else normalise_number(part)
    point_n = None if point is None else normalise_number(point)
    every_part = data.parts_of(code_id, article) if part_n is None and entries else None
    if every_part is None:
        answer, entry, missing = _any_entry(
            [_entry_answer(e, part_n, point_n, minor, intoxicated) for e in entries]
        )
    else:
        per_part = [
            _any_entry([_entry_answer(e, p, point_n, minor, intoxicated) for e in entries])
            for p in every_part
        ]
        answers = {outcome[0] for outcome in per_part}
        if answers == {Tri.YES}:
            answer, entry, missing = per_part[0]
        elif answers == {Tri.NO}:
            answer, entry, missing = Tri.NO, None, frozenset()
        else:
            answer = Tri.UNKNOWN
            entry = next(outcome[1] for outcome in per_part if outcome[0] is not Tri.NO)
            missing = frozenset({Fact.PART}).union(*(outcome[2] for outcome in per_part))
    ordered = tuple(fact for fact in _FACT_ORDER if fact in missing)
    return ListMatch(answer, entry, ordered, subparagraph)
