"""Persons' names in the grammatical case a document's sentence needs (Russian and Kazakh).

Russian: a full name "Surname Given-name Patronymic" is declined word by word. The patronymic gives
the gender (-ович/-евич/-ич a man, -овна/-евна/-ична a woman; the Kazakh -ұлы/-улы and -қызы/-кызы
are not declined in Russian and give the gender too); surnames in -ов/-ев/-ин/-ын and -ский/-цкий
follow their paradigms, others ending in a consonant are declined for men only, those in -о, -их,
-ых, -ко and the Kazakh patronymics never. A given name is declined by pymorphy3 when its dictionary
knows it as a name of that gender (fleeting vowels: Павел → Павла), else by its ending (Ерлан →
Ерлана, Андрей → Андрея, Айгерим stays). Kazakh: the case suffix goes on the last word of the name,
chosen by vowel harmony and the final sound, the possessive patronymics taking -на/-н (Серікұлы →
Серікұлының, Серікұлына, Серікұлын).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import cache
from typing import Any


class NameCase(StrEnum):
    """The cases the documents' sentences need."""

    NOMINATIVE = "nomn"
    GENITIVE = "gent"
    DATIVE = "datv"
    ACCUSATIVE = "accs"


MALE, FEMALE = "m", "f"
_VOWELS_RU = "аеёиоуыэюя"
_HUSHING = "гкхжшчщ"


def _gender(words: list[str]) -> str | None:
    """The person's gender from the patronymic (the last word), if it tells."""
    last = words[-1].lower() if len(words) >= 3 else ""
    if last.endswith(("ович", "евич", "ич", "ұлы", "улы", "оглы", "уулу")):
        return MALE
    if last.endswith(("овна", "евна", "ична", "инична", "қызы", "кызы", "гызы")):
        return FEMALE
    return None


def _keep_case(source: str, target: str) -> str:
    """`target` spelt with the capital of `source`."""
    return target[:1].upper() + target[1:] if source[:1].isupper() else target


def _surname(word: str, gender: str, case: NameCase) -> str:
    lower = word.lower()
    if gender == MALE:
        if lower.endswith(("ский", "цкий")):
            return word[:-2] + {"gent": "ого", "datv": "ому", "accs": "ого"}[case]
        if lower.endswith(("ко", "о", "их", "ых", "е", "и", "у", "ю")) or lower[-1:] in _VOWELS_RU:
            return word
        if lower.endswith("й"):
            return word[:-1] + {"gent": "я", "datv": "ю", "accs": "я"}[case]
        if lower.endswith("ь"):
            return word[:-1] + {"gent": "я", "datv": "ю", "accs": "я"}[case]
        return word + {"gent": "а", "datv": "у", "accs": "а"}[case]
    if lower.endswith(("ова", "ева", "ёва", "ина", "ына")):
        return word[:-1] + {"gent": "ой", "datv": "ой", "accs": "у"}[case]
    if lower.endswith(("ская", "цкая")):
        return word[:-2] + {"gent": "ой", "datv": "ой", "accs": "ую"}[case]
    return word


def _given_by_ending(word: str, gender: str, case: NameCase) -> str:
    lower = word.lower()
    if lower.endswith("ия"):
        return word[:-1] + {"gent": "и", "datv": "и", "accs": "ю"}[case]
    if lower.endswith("а"):
        gent = "и" if lower[-2:-1] in _HUSHING else "ы"
        return word[:-1] + {"gent": gent, "datv": "е", "accs": "у"}[case]
    if lower.endswith("я"):
        return word[:-1] + {"gent": "и", "datv": "е", "accs": "ю"}[case]
    if gender == FEMALE:
        if lower.endswith("ь"):
            return word[:-1] + {"gent": "и", "datv": "и", "accs": "ь"}[case]
        return word  # Айгерим, Жанар, Гульнар: not declined
    if lower.endswith(("й", "ь")):
        return word[:-1] + {"gent": "я", "datv": "ю", "accs": "я"}[case]
    if lower[-1:] in _VOWELS_RU:
        return word
    return word + {"gent": "а", "datv": "у", "accs": "а"}[case]


@cache
def _morph() -> Any:
    """The pymorphy3 analyser (Russian dictionary), loaded once."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def _given(word: str, gender: str, case: NameCase) -> str:
    """A given name by the dictionary when it knows it as a name of this gender in the nominative
    singular, else by its ending."""
    grammeme = "masc" if gender == MALE else "femn"
    for parse in _morph().parse(word):
        tag = parse.tag
        if "Name" in tag and grammeme in tag and "nomn" in tag and "sing" in tag and parse.score >= 0.3:
            form = parse.inflect({case.value})
            if form is not None:
                return _keep_case(word, form.word)
    return _given_by_ending(word, gender, case)


def _patronymic(word: str, gender: str, case: NameCase) -> str:
    lower = word.lower()
    if gender == MALE and lower.endswith("ич"):
        return word + {"gent": "а", "datv": "у", "accs": "а"}[case]
    if gender == FEMALE and lower.endswith("на"):
        return word[:-1] + {"gent": "ы", "datv": "е", "accs": "у"}[case]
    return word


def decline_ru(full_name: str, case: NameCase) -> str:
    """The Russian full name "Surname Given Patronymic" in `case`; a name whose gender the patronymic
    does not tell is left as written (a wrong ending is worse than none)."""
    words = full_name.split()
    gender = _gender(words)
    if case is NameCase.NOMINATIVE or gender is None:
        return full_name
    parts: list[Callable[[str, str, NameCase], str]] = [_surname, _given, _patronymic]
    declined = [parts[min(i, 2)](word, gender, case) if i < 3 else word for i, word in enumerate(words)]
    return " ".join(declined)


_BACK = set("аоұыяуё")
_FRONT = set("әеөүіэиює")
_KK_VOWELS = _BACK | _FRONT
_VOICELESS = set("кқпстфхцчшщ")
_SONORANT = set("мнң")


def _back(word: str) -> bool:
    """Vowel harmony: whether the last vowel of the word is a back vowel."""
    for letter in reversed(word.lower()):
        if letter in _KK_VOWELS:
            return letter in _BACK
    return True


_POSSESSED = ("ұлы", "улы", "қызы", "кызы")
"""Patronymics that end in the possessive -ы ("his son", "his daughter"): dative -на, accusative -н."""


def _suffix_kk(word: str, case: NameCase) -> str:
    lower = word.lower()
    last = lower[-1:]
    back = _back(lower)
    if lower.endswith(_POSSESSED) and case in (NameCase.DATIVE, NameCase.ACCUSATIVE):
        return "н" if case is NameCase.ACCUSATIVE else "на"
    if case is NameCase.GENITIVE:
        if last in _KK_VOWELS or last in _SONORANT:
            return "ның" if back else "нің"
        if last in _VOICELESS or last in "бвгд":
            return "тың" if back else "тің"
        return "дың" if back else "дің"
    if case is NameCase.DATIVE:
        if last in _VOICELESS:
            if last == "к":
                return "ке"
            if last == "қ":
                return "қа"
            return "қа" if back else "ке"
        return "ға" if back else "ге"
    if case is NameCase.ACCUSATIVE:
        if last in _KK_VOWELS:
            return "ны" if back else "ні"
        if last in _VOICELESS or last in "бвгд":
            return "ты" if back else "ті"
        return "ды" if back else "ді"
    return ""


def decline_kk(full_name: str, case: NameCase) -> str:
    """The Kazakh full name in `case`: the suffix on its last word (Тестов Ерлан Серікұлы →
    Тестов Ерлан Серікұлының)."""
    words = full_name.split()
    if not words or case is NameCase.NOMINATIVE:
        return full_name
    return " ".join([*words[:-1], words[-1] + _suffix_kk(words[-1], case)])


def name_forms(full_name: str | None, fallback: str, language: str) -> dict[str, str]:
    """The name in each case the templates use (`nomn`, `gent`, `datv`, `accs`); without a name, the
    fallback (the registry identifier) as it is in every case."""
    if not full_name:
        return {case.value: fallback for case in NameCase}
    decline = {"ru": decline_ru, "kk": decline_kk}.get(language)
    if decline is None:
        return {case.value: full_name for case in NameCase}
    return {case.value: decline(full_name, case) for case in NameCase}
