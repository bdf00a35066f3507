"""Sorting names in the reader's alphabet, without ICU (PyICU is not available here).

Russian and Kazakh names sort by the Cyrillic alphabet of their language: the Kazakh alphabet puts
its own letters where it lists them (А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц
Ч Ш Щ Ъ Ы І Ь Э Ю Я); in Russian text a Kazakh letter sorts just after the Russian letter it resembles,
and Ё sorts with Е. Case, spaces and punctuation do not decide the order (they break ties only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from amnesty.domain.regions import region_name
from amnesty.render.formats import language_of

T = TypeVar("T")

_KAZAKH = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RUSSIAN = "аәбвгғдеёжзиійкқлмнңоөпрстуұүфхһцчшщъыьэюя"


def _ranks(alphabet: str, merged: dict[str, str]) -> dict[str, int]:
    ranks = {letter: index for index, letter in enumerate(alphabet)}
    for letter, same_as in merged.items():
        ranks[letter] = ranks[same_as]
    return ranks


_RANKS = {
    "kk": _ranks(_KAZAKH, {}),
    "ru": _ranks(_RUSSIAN, {"ё": "е"}),
}


def collation_key(text: str, language: str) -> tuple[tuple[int, ...], str]:
    """A sort key for `text` in `language`'s alphabet (Latin letters after Cyrillic; digits first)."""
    language = language_of(language)
    ranks = _RANKS.get(language)
    folded = text.casefold()
    primary: list[int] = []
    for char in folded:
        if char.isdigit():
            primary.append(int(char))
        elif ranks is not None and char in ranks:
            primary.append(100 + ranks[char])
        elif char.isalpha():
            primary.append(1000 + ord(char))
    return tuple(primary), text


def sort_by_name(items: Iterable[T], language: str, name: Callable[[T], str]) -> list[T]:
    """`items` in the alphabetical order of their names in `language`."""
    return sorted(items, key=lambda item: collation_key(name(item), language))


def sorted_regions(regions: Iterable[str], language: str) -> list[str]:
    """Canonical region names ordered by their names in `language` (for lists and filters)."""
    return sort_by_name(regions, language, lambda region: region_name(region, language))
