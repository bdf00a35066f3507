"""The exclusion lists of the 2021 Independence amnesty (Art. 4 sp. 11-13; rules X11-X13 of
LAW-2021.md) and their matcher, checked against what the text of the law says.

The text: repository quyse/kz-laws, file rus/161347.md, Article 4. Every case of the table quotes the
words of the text it rests on.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from amnesty.domain.enums import Provenance, Tri
from amnesty.law.packs.kz_2021_81_vii.lists import (
    SUBPARAGRAPH_OF_CODE,
    CodeId,
    Condition,
    ExclusionLists,
    Fact,
    exclusion_lists,
    match_charge,
    normalise_number,
)

# Crimes per sub-paragraph, counted in Art. 4 of rus/161347.md: each sub-paragraph lists
# "name (reference)" separated by ";". Sp. 11: "умышленное убийство (статья 88)" alone. Sp. 12: from
# "убийство (статья 96)" to "нарушение правил вождения или эксплуатации машин (часть третья статьи
# 391)". Sp. 13: from "убийство (статья 99)" to "вождение машин, ... (части третья, четвертая и пятая
# статьи 466)".
CRIMES_IN_TEXT = {11: 1, 12: 133, 13: 161}
# Entries in the file: a crime whose reference mixes two kinds of part is two entries. Sp. 12: art. 176
# and 177 ("пункт г) части третьей, часть четвертая"), art. 296 ("части первая и вторая в случае ...
# опьянения, часть третья"). Sp. 13: art. 188 ("пункт 2) части третьей и часть четвертая"), art. 345
# ("часть третья в случае ... опьянения, часть четвертая").
SPLIT_CRIMES = {11: set(), 12: {176, 177, 296}, 13: {188, 345}}

Y, N, U = Tri.YES, Tri.NO, Tri.UNKNOWN


def test_the_file_loads_every_entry_verified() -> None:
    lists = exclusion_lists()
    assert lists.law == "kz-2021-81-vii"
    assert (lists.source.repository, lists.source.path) == ("quyse/kz-laws", "rus/161347.md")
    assert all(entry.provenance is Provenance.VERIFIED for entry in lists.entries)
    assert exclusion_lists() is lists  # read once


@pytest.mark.parametrize("subparagraph", [11, 12, 13])
def test_counts_match_the_text(subparagraph: int) -> None:
    lists = exclusion_lists()
    entries = [entry for entry in lists.entries if entry.subparagraph == subparagraph]
    assert lists.items(subparagraph) == CRIMES_IN_TEXT[subparagraph]
    assert len(entries) == CRIMES_IN_TEXT[subparagraph] + len(SPLIT_CRIMES[subparagraph])
    by_item: dict[int, list[Any]] = {}
    for entry in entries:
        by_item.setdefault(entry.item, []).append(entry.article)
    assert {articles[0] for articles in by_item.values() if len(articles) > 1} == SPLIT_CRIMES[subparagraph]
    assert all(len(set(articles)) == 1 for articles in by_item.values())


def test_no_article_is_listed_twice() -> None:
    """Only the split crimes share an article, and then they name different parts."""
    seen: dict[tuple[CodeId, int | str], int] = {}
    for entry in exclusion_lists().entries:
        key = (entry.code, entry.article)
        assert seen.setdefault(key, entry.item) == entry.item, f"{key} listed in two crimes"
    entries = exclusion_lists().entries
    assert not any(a.overlaps(b) for i, a in enumerate(entries) for b in entries[i + 1 :])


def test_every_location_names_its_own_article_and_code() -> None:
    """The reference transcribed as written ends with the article number the entry carries."""
    for entry in exclusion_lists().entries:
        quoted = re.search(r"entry '(.*)'$", entry.location)
        assert quoted is not None, entry.location
        assert entry.location.startswith(f"Art. 4 sp. {entry.subparagraph}, item {entry.item}, ")
        assert re.search(rf"стать[яи] {entry.article}$", quoted.group(1)), entry.location
        assert SUBPARAGRAPH_OF_CODE[entry.code] == entry.subparagraph
        whole = quoted.group(1).startswith("статья")
        assert whole == (entry.parts == "all"), entry.location
        if entry.points:
            assert quoted.group(1).startswith("пункт"), entry.location
        if "пункт" not in quoted.group(1):
            assert not entry.points, entry.location


def test_conditions_are_where_the_text_puts_them() -> None:
    """'за исключением случая совершения такого преступления несовершеннолетним' follows art. 122, 124
    and 273-1 in sp. 12, art. 122, 124, 144 and 312 in sp. 13; 'в случае совершения лицами,
    находившимися в состоянии ... опьянения' qualifies art. 296 parts 1-2 (sp. 12), art. 345 part 3
    (sp. 13)."""
    by_condition: dict[tuple[CodeId, Condition], set[tuple[int | str, Any]]] = {}
    for entry in exclusion_lists().entries:
        by_condition.setdefault((entry.code, entry.condition), set()).add((entry.article, entry.parts))
    assert by_condition[(CodeId.KZ_1997, Condition.UNLESS_MINOR)] == {
        (122, "all"),
        (124, "all"),
        ("273-1", (2, 3)),
    }
    assert by_condition[(CodeId.KZ_2014, Condition.UNLESS_MINOR)] == {
        (122, "all"),
        (124, "all"),
        (144, "all"),
        (312, (2, 3)),
    }
    assert by_condition[(CodeId.KZ_1997, Condition.ONLY_INTOXICATED)] == {(296, (1, 2))}
    assert by_condition[(CodeId.KZ_2014, Condition.ONLY_INTOXICATED)] == {(345, (3,))}
    assert (CodeId.KAZSSR_1959, Condition.UNLESS_MINOR) not in by_condition


# (code, article, part, point, minor, intoxicated) -> answer, missing facts; each with the words of the text.
CASES: list[tuple[str, tuple[Any, ...], Tri, tuple[str, ...]]] = [
    # sp. 11: "умышленное убийство (статья 88)"
    ("1959 murder", ("kazssr-1959", 88, None, None, None, None), Y, ()),
    ("1959 murder, article as text", ("kazssr-1959", "88", 2, None, None, None), Y, ()),
    ("1959 art. 89 not listed", ("kazssr-1959", 89, None, None, None, None), N, ()),
    # sp. 13: "убийство (статья 99)"
    ("2014 murder", ("kz-2014", 99, None, None, None, None), Y, ()),
    ("2014 murder part 1", ("kz-2014", 99, 1, None, None, None), Y, ()),
    # sp. 13: "убийство, совершенное в состоянии аффекта (часть вторая статьи 101)"
    ("2014 art. 101 part 2", ("kz-2014", 101, 2, None, None, None), Y, ()),
    ("2014 art. 101 part 1", ("kz-2014", 101, 1, None, None, None), N, ()),
    ("2014 art. 101 part unknown", ("kz-2014", 101, None, None, None, None), U, ("part",)),
    # sp. 13: "(часть третья в случае совершения лицами, находившимися в состоянии алкогольного,
    # наркотического и (или) токсикоманического опьянения, часть четвертая статьи 345)"
    ("2014 art. 345 p3 intoxication unknown", ("kz-2014", 345, 3, None, None, None), U, ("intoxicated",)),
    ("2014 art. 345 p3 intoxicated", ("kz-2014", 345, 3, None, None, True), Y, ()),
    ("2014 art. 345 p3 sober", ("kz-2014", 345, 3, None, None, False), N, ()),
    ("2014 art. 345 p4 sober", ("kz-2014", 345, 4, None, None, False), Y, ()),
    ("2014 art. 345 p2 intoxicated", ("kz-2014", 345, 2, None, None, True), N, ()),
    ("2014 art. 345 part unknown", ("kz-2014", 345, None, None, None, None), U, ("part", "intoxicated")),
    ("2014 art. 345 part unknown, sober", ("kz-2014", 345, None, None, None, False), U, ("part",)),
    # sp. 13: "(статья 345-1)"
    ("2014 art. 345-1", ("kz-2014", "345-1", None, None, None, None), Y, ()),
    # sp. 13: "(статья 122), за исключением случая совершения такого преступления несовершеннолетним"
    ("2014 art. 122 by a minor", ("kz-2014", 122, None, None, True, None), N, ()),
    ("2014 art. 122 by an adult", ("kz-2014", 122, 1, None, False, None), Y, ()),
    ("2014 art. 122 age unknown", ("kz-2014", 122, None, None, None, None), U, ("minor",)),
    # sp. 13: "(части вторая и третья статьи 312), за исключением случая ... несовершеннолетним"
    ("2014 art. 312 p2 by a minor", ("kz-2014", 312, 2, None, True, None), N, ()),
    ("2014 art. 312 p3 age unknown", ("kz-2014", 312, 3, None, None, None), U, ("minor",)),
    ("2014 art. 312 p1 by an adult", ("kz-2014", 312, 1, None, False, None), N, ()),
    # sp. 13: "кража (пункт 2) части третьей и часть четвертая статьи 188); скотокрадство (статья 188-1)"
    ("2014 theft p3 point 2", ("kz-2014", 188, 3, 2, None, None), Y, ()),
    ("2014 theft p3 point 1", ("kz-2014", 188, 3, 1, None, None), N, ()),
    ("2014 theft p3 point unknown", ("kz-2014", 188, 3, None, None, None), U, ("point",)),
    ("2014 theft p4", ("kz-2014", "188", "4", None, None, None), Y, ()),
    ("2014 theft p2", ("kz-2014", 188, 2, None, None, None), N, ()),
    ("2014 theft part unknown", ("kz-2014", 188, None, None, None, None), U, ("part", "point")),
    ("2014 cattle theft", ("kz-2014", "188-1", 1, None, None, None), Y, ()),
    # sp. 13: "получение взятки (части 1-1, вторая, третья и четвертая статьи 366)"
    ("2014 bribe part 1-1", ("kz-2014", 366, "1-1", None, None, None), Y, ()),
    ("2014 bribe part 1", ("kz-2014", 366, 1, None, None, None), N, ()),
    # sp. 13: "побег ... (пункт 2) части второй статьи 426)"
    ("2014 escape p2 point 2", ("kz-2014", 426, 2, "2", None, None), Y, ()),
    ("2014 escape p2 point 1", ("kz-2014", 426, 2, 1, None, None), N, ()),
    # sp. 13: "мошенничество (части третья и четвертая статьи 190)"; "массовые беспорядки (статья 272)";
    # "хулиганство (часть третья статьи 293)"
    ("2014 fraud p2", ("kz-2014", 190, 2, None, None, None), N, ()),
    ("2014 mass riots", ("kz-2014", "272", "1", None, None, None), Y, ()),
    ("2014 hooliganism p1", ("kz-2014", 293, 1, None, None, None), N, ()),
    ("2014 art. 100 not listed", ("kz-2014", 100, None, None, None, None), N, ()),
    # sp. 12: "убийство (статья 96)"; art. 99 is listed for the 2014 Code, not for the 1997 one
    ("1997 murder", ("kz-1997", 96, None, None, None, None), Y, ()),
    ("1997 art. 99 not listed", ("kz-1997", 99, None, None, None, None), N, ()),
    # sp. 12: "кража (пункты а) и б) части четвертой статьи 175)"
    ("1997 theft p4 point а", ("kz-1997", 175, 4, "а", None, None), Y, ()),
    ("1997 theft p4 point б written б)", ("kz-1997", 175, 4, "б)", None, None), Y, ()),
    ("1997 theft p4 point в", ("kz-1997", 175, 4, "в", None, None), N, ()),
    ("1997 theft p3 point а", ("kz-1997", 175, 3, "а", None, None), N, ()),
    ("1997 theft p4 point unknown", ("kz-1997", 175, 4, None, None, None), U, ("point",)),
    # sp. 12: "присвоение или растрата вверенного чужого имущества (пункт г) части третьей, часть
    # четвертая статьи 176)"
    ("1997 embezzlement p3 point г", ("kz-1997", 176, 3, "г", None, None), Y, ()),
    ("1997 embezzlement p3 point в", ("kz-1997", 176, 3, "в", None, None), N, ()),
    ("1997 embezzlement p4", ("kz-1997", 176, 4, None, None, None), Y, ()),
    # sp. 12: "(части первая и вторая в случае совершения лицами, находившимися в состоянии ...
    # опьянения, часть третья статьи 296)"
    ("1997 road traffic p1 intoxicated", ("kz-1997", 296, 1, None, None, True), Y, ()),
    ("1997 road traffic p2 sober", ("kz-1997", 296, 2, None, None, False), N, ()),
    ("1997 road traffic p3 sober", ("kz-1997", 296, 3, None, None, False), Y, ()),
    ("1997 road traffic p1 unknown", ("kz-1997", 296, 1, None, None, None), U, ("intoxicated",)),
    # sp. 12: "(части вторая и третья статьи 273-1), за исключением случая ... несовершеннолетним"
    ("1997 art. 273-1 p2 by a minor", ("kz-1997", "273-1", 2, None, True, None), N, ()),
    ("1997 art. 273-1 p3 by an adult", ("kz-1997", "273-1", 3, None, False, None), Y, ()),
    # sp. 12: "побег ... (пункт в) части второй статьи 358)"
    ("1997 escape p2 point в", ("kz-1997", 358, 2, "в", None, None), Y, ()),
    ("1997 escape p2 point а", ("kz-1997", 358, 2, "а", None, None), N, ()),
    # sp. 12: "вовлечение несовершеннолетнего в занятие проституцией (статья 132-1)"
    ("1997 art. 132-1", ("kz-1997", "132-1", None, None, None, None), Y, ()),
    ("1997 art. 132 p3", ("kz-1997", 132, 3, None, None, None), Y, ()),
    ("1997 art. 132 p2", ("kz-1997", 132, 2, None, None, None), N, ()),
]


@pytest.mark.parametrize(("case", "charge", "answer", "missing"), CASES, ids=[case[0] for case in CASES])
def test_what_the_text_says(
    case: str, charge: tuple[Any, ...], answer: Tri, missing: tuple[str, ...]
) -> None:
    match = match_charge(*charge)
    assert match.answer is answer, case
    assert match.missing == missing, case
    assert match.subparagraph == SUBPARAGRAPH_OF_CODE[CodeId(charge[0])]
    assert match.rule == f"X{match.subparagraph}"
    if answer is Tri.NO:
        assert match.entry is None
    else:
        assert match.entry is not None
        assert match.entry.article == normalise_number(charge[1])


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="kz-1960"):
        match_charge("kz-1960", 99, None, None, None, None)


def _lists_with(**changes: Any) -> ExclusionLists:
    data = exclusion_lists().model_dump(mode="json")
    data.update(changes)
    return ExclusionLists.model_validate(data)


def test_every_part_listed_is_excluded_whatever_the_part() -> None:
    """With the parts of an article known (here a made-up list for the test, not read from the Code),
    a charge without its part is decided when every part gives the same answer."""
    known = [
        {"code": "kz-1997", "article": 296, "parts": [1, 2, 3], "provenance": "assumed", "cites": "test"}
    ]
    lists = _lists_with(known_parts=known)
    assert match_charge("kz-1997", 296, None, None, None, True, lists=lists).answer is Tri.YES
    open_ = match_charge("kz-1997", 296, None, None, None, False, lists=lists)
    assert (open_.answer, open_.missing) == (Tri.UNKNOWN, (Fact.PART,))
    both = match_charge("kz-1997", 296, None, None, None, None, lists=lists)
    assert (both.answer, both.missing) == (Tri.UNKNOWN, ("part", "intoxicated"))
    # without that knowledge the part stays open even for an intoxicated driver
    assert match_charge("kz-1997", 296, None, None, None, True).missing == ("part",)
    # an article with a part outside the list stays open
    wider = _lists_with(
        known_parts=[
            {"code": "kz-2014", "article": 101, "parts": [1, 2], "provenance": "assumed", "cites": "t"}
        ]
    )
    assert match_charge("kz-2014", 101, None, None, None, None, lists=wider).missing == ("part",)


def test_the_schema_refuses_what_the_text_cannot_say() -> None:
    entry = exclusion_lists().entries[1].model_dump(mode="json")
    data = exclusion_lists().model_dump(mode="json")
    with pytest.raises(ValidationError, match="extra"):
        ExclusionLists.model_validate({**data, "entries": [*data["entries"], {**entry, "note": "x"}]})
    with pytest.raises(ValidationError, match="overlap"):
        ExclusionLists.model_validate(
            {**data, "entries": [*data["entries"][:2], entry, *data["entries"][2:]]}
        )
    with pytest.raises(ValidationError, match="kz-2014 is listed in sub-paragraph 13"):
        ExclusionLists.model_validate({**data, "entries": [{**entry, "code": "kz-2014"}]})
    with pytest.raises(ValidationError, match="suffixed"):
        ExclusionLists.model_validate({**data, "entries": [{**entry, "article": "96a"}]})
    with pytest.raises(ValidationError, match="exactly one part"):
        ExclusionLists.model_validate({**data, "entries": [{**entry, "parts": "all", "points": ["а"]}]})
    renumbered = [{**e, "item": e["item"] + 1} if e["subparagraph"] == 13 else e for e in data["entries"]]
    with pytest.raises(ValidationError, match="in order"):
        ExclusionLists.model_validate({**data, "entries": renumbered})
    frozen = exclusion_lists().entries[0]
    with pytest.raises(ValidationError):
        frozen.article = 1  # type: ignore[misc]


def test_the_yaml_normalises_digit_strings() -> None:
    entry = {**exclusion_lists().entries[1].model_dump(mode="json"), "article": "96", "parts": "all"}
    data = {**exclusion_lists().model_dump(mode="json"), "entries": [entry]}
    assert ExclusionLists.model_validate(data).entries[0].article == 96


_LISTED = sorted(
    {entry.article for entry in exclusion_lists().entries if isinstance(entry.article, int)}
    | {1, 97, 467, 500}
)


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from([code.value for code in CodeId]),
    article=st.sampled_from(_LISTED),
    part=st.none() | st.integers(min_value=1, max_value=6),
    point=st.none() | st.sampled_from([1, 2, 3, "а", "б", "в", "г"]),
    minor=st.none() | st.booleans(),
    intoxicated=st.none() | st.booleans(),
)
def test_article_and_part_as_digits_or_numbers_give_one_answer(
    code: str,
    article: int,
    part: int | None,
    point: int | str | None,
    minor: bool | None,
    intoxicated: bool | None,
) -> None:
    as_numbers = match_charge(code, article, part, point, minor, intoxicated)
    as_text = match_charge(
        code,
        str(article),
        None if part is None else f" {part}",
        str(point) if point is not None else None,
        minor,
        intoxicated,
    )
    assert as_numbers == as_text
    if as_numbers.answer is not Tri.UNKNOWN:
        assert as_numbers.missing == ()
    else:
        assert as_numbers.missing
