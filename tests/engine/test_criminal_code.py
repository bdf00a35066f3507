"""The Criminal Code catalogue: facts per article and part, the category derived from them (rule C1), and
the kinds of offence of art. 3 of the Code, checked against what its text lists."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from amnesty.domain.enums import Category, Guilt, KindCondition, Provenance, Punishment, Tag
from amnesty.engine.category import category_of, code_category
from amnesty.law.loader import Law
from amnesty.law.schema import CatalogueEntry, Sanction

PRISON, RESTRICTION, FINE, ARREST = (
    Punishment.IMPRISONMENT,
    Punishment.RESTRICTION_OF_FREEDOM,
    Punishment.FINE,
    Punishment.ARREST,
)


@pytest.mark.parametrize(
    ("kinds", "years", "life", "guilt", "expected"),
    [
        ((FINE, ARREST), None, False, Guilt.INTENTIONAL, Category.MISDEMEANOUR),
        ((FINE, RESTRICTION), None, False, Guilt.INTENTIONAL, Category.SMALL),
        ((FINE, RESTRICTION, PRISON), 2, False, Guilt.INTENTIONAL, Category.SMALL),
        ((RESTRICTION, PRISON), 3, False, Guilt.INTENTIONAL, Category.MEDIUM),
        ((PRISON,), 5, False, Guilt.INTENTIONAL, Category.MEDIUM),
        ((PRISON,), 6, False, Guilt.INTENTIONAL, Category.GRAVE),
        ((PRISON,), 12, False, Guilt.INTENTIONAL, Category.GRAVE),
        ((PRISON,), 13, False, Guilt.INTENTIONAL, Category.ESPECIALLY_GRAVE),
        ((PRISON,), None, True, Guilt.INTENTIONAL, Category.ESPECIALLY_GRAVE),
        ((RESTRICTION, PRISON), 5, False, Guilt.NEGLIGENT, Category.SMALL),
        ((PRISON,), 6, False, Guilt.NEGLIGENT, Category.MEDIUM),
        ((FINE,), None, False, Guilt.INTENTIONAL, None),
    ],
)
def test_category_follows_art_10_and_11(
    kinds: tuple[Punishment, ...], years: int | None, life: bool, guilt: Guilt, expected: Category | None
) -> None:
    sanction = Sanction(kinds=kinds, max_years=years, life=life, guilt=guilt)
    assert category_of(sanction) is expected


def test_every_entry_with_a_sanction_computes_a_category(law: Law) -> None:
    missing = [
        f"{e.article}({e.part})"
        for e in law.catalogue.entries
        if e.sanction is not None and category_of(e.sanction) is None
    ]
    assert not missing, f"entries whose sanction gives no category: {missing}"


def test_every_listed_article_and_part_has_its_sanction(law: Law) -> None:
    """Each article of the Article 1 list (and its candidates) has an entry, and each of its catalogued
    parts (or the article itself when it has no parts) carries the sanction read in the Code."""
    for listed in law.pack.article_list.entries:
        parts = [part for (_, part), _ in law.catalogue_parts(listed.article)]
        keys = [(listed.article, p) for p in parts] or [(listed.article, None)]
        for article, part in keys:
            assert law.facts(article, part).sanction is not None, f"art. {article} part {part}: no sanction"
            assert code_category(law, article, part) is not None


def _articles_with(law: Law, tag: Tag) -> set[int | str]:
    return {e.article for e in law.catalogue.entries for k in e.kinds if k.tag is tag}


def test_art_3_lists_are_in_the_catalogue(law: Law) -> None:
    assert _articles_with(law, Tag.TERRORIST) == {170, 171, 173, 177, 178, 184, *range(255, 262), 269, 270}
    assert _articles_with(law, Tag.EXTREMIST) == {174, 179, 180, 181, 182, 184, 258, 259, 260, 267, 404, 405}
    corruption = {
        189,
        190,
        218,
        "218-1",
        234,
        249,
        361,
        362,
        364,
        365,
        366,
        367,
        368,
        369,
        370,
        450,
        451,
        452,
    }
    assert _articles_with(law, Tag.CORRUPTION) == corruption
    assert _articles_with(law, Tag.SEXUAL_OFFENCE_MINOR) == {120, 121, 122, 123, 124, 134, 144, 312}
    point = law.facts(362, 4).conditional
    assert [(k.tag, k.condition, k.points) for k in point] == [(Tag.CORRUPTION, KindCondition.POINT, (3,))]
    assert [k.condition for k in law.facts(120, 1).conditional] == [KindCondition.VICTIM_MINOR]
    assert law.facts(269, 1).tags == {Tag.TERRORIST: Provenance.VERIFIED}


def test_titles_and_editions_checked_against_the_text(law: Law) -> None:
    assert (
        law.title(155, None, "ru")
        == "Воспрепятствование организации, проведению мирного собрания или участию в нем"
    )
    assert law.title(124, None, "ru") == "Развращение лиц, не достигших шестнадцатилетнего возраста"
    assert law.title(380, 1, "ru") == "Угроза или насильственные действия в отношении представителя власти"
    for article, part in ((380, 2), (202, 2), (415, None)):
        entry = law.facts(article, part).sanction_entry
        assert entry is not None
        assert entry.source is not None
        assert entry.source.may_differ_2022, f"art. {article} part {part} was amended after January 2022"
    every_source = {e.source.document for e in law.catalogue.entries if e.source is not None}
    assert every_source == {"K1400000226"}
    assert all(e.source is not None for e in law.catalogue.entries)


@pytest.mark.parametrize(
    ("article", "part", "expected"),
    [(105, 2, (105, 2)), ("105", "2", (105, 2)), ("105-1", "1-1", ("105-1", "1-1"))],
)
def test_article_and_part_numbers_take_a_suffix(
    article: int | str, part: int | str, expected: tuple[int | str, int | str]
) -> None:
    title = {"ru": "т", "kk": "т", "en": "t"}
    entry = CatalogueEntry.model_validate(
        {"article": article, "part": part, "provenance": "verified", "title": title}
    )
    assert (entry.article, entry.part) == expected


@pytest.mark.parametrize("given", ["105a", "-1", "105-", 0, "0"])
def test_other_article_numbers_are_refused(given: int | str) -> None:
    with pytest.raises(ValidationError):
        CatalogueEntry.model_validate({"article": given, "provenance": "verified", "title": "t"})
