"""The words a file may hold for a closed vocabulary of the record, in ru, kk and en, by code.

A flat file (CSV, XLSX, Parquet) may say `Следствие` or `Тергеу` where the contract says `pre_trial`:
`VocabularyReader` (a `BeforeValidator` on the record's vocabulary fields) turns such a word into its
code, case-insensitively and with blanks trimmed; a code passes unchanged, and a word it does not know
is left as it is for the field's enum to refuse (naming the field and the accepted codes).

The words of stage, category, role, recidivism, context and punishment are the labels of the closed
vocabularies in each language (`amnesty.domain.vocabulary_labels`, the words the pages and the
tables show, read from the gettext catalogues), read only when a cell is not a code; no word is
translated twice and the domain imports neither the rendering nor the web. The vocabularies the web does not label (the Criminal
Code, the damage, the sex) and the short forms clerks write (`УК 2014`, `ж`) are in `EXTRA_WORDS`.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Any

from amnesty.domain.enums import (
    Category,
    Context,
    CriminalCode,
    Damage,
    PersonRole,
    Punishment,
    Recidivism,
    Sex,
    Stage,
)
from amnesty.domain.vocabulary_labels import NOT_RECORDED, NOT_RECORDED_CODE
from amnesty.domain.vocabulary_labels import word as vocabulary_word

LANGUAGES = ("ru", "kk", "en")

LABELLED: dict[str, type[StrEnum]] = {
    "stage": Stage,
    "category": Category,
    "role": PersonRole,
    "recidivism": Recidivism,
    "context": Context,
    "punishment": Punishment,
}
"""The vocabularies whose words are the web's labels (`amnesty.render.vocabulary.term`), by kind."""

UNLABELLED: dict[str, type[StrEnum]] = {"code": CriminalCode, "damage": Damage, "sex": Sex}
"""The vocabularies that have no label elsewhere: their words are all in `EXTRA_WORDS`."""

EXTRA_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "code": {
        "kz-2014": ("2014", "УК 2014", "УК РК 2014", "ҚК 2014", "ҚР ҚК 2014", "Criminal Code 2014"),
        "kz-1997": ("1997", "УК 1997", "УК РК 1997", "ҚК 1997", "ҚР ҚК 1997", "Criminal Code 1997"),
        "kazssr-1959": (
            "1959",
            "УК 1959",
            "УК КазССР 1959",
            "УК Казахской ССР 1959",
            "ҚазКСР ҚК 1959",
            "Қазақ КСР ҚК 1959",
            "Criminal Code 1959",
            "Criminal Code of the Kazakh SSR 1959",
        ),
    },
    "damage": {
        "none": ("нет ущерба", "без ущерба", "залал жоқ", "no damage"),
        "repaid": ("возмещён", "ущерб возмещён", "өтелген", "залал өтелген"),
        "outstanding": ("не возмещён", "ущерб не возмещён", "өтелмеген", "залал өтелмеген"),
    },
    "sex": {
        "female": ("женский", "женщина", "ж", "әйел", "f", "woman"),
        "male": ("мужской", "мужчина", "м", "ер", "m", "man"),
    },
    "category": {
        "small": ("небольшой", "небольшая"),
        "medium": ("средней", "средняя"),
    },
}
"""Words with no label elsewhere, by kind and code (folded as `fold` does before use)."""


def labelled_words(kind: str, code: str, language: str) -> tuple[str, ...]:
    """The words of a labelled vocabulary's code in `language` (`amnesty.domain.vocabulary_labels`):
    its label, and for a value not recorded also the tables' word for it ("Не указано")."""
    found = vocabulary_word(kind, code, language)
    words = (found,) if found is not None else ()
    return (*words, NOT_RECORDED[language]) if code == NOT_RECORDED_CODE else words


def fold(text: str) -> str:
    """A word as looked up: blanks trimmed and collapsed, case folded, `ё` read as `е`."""
    return " ".join(text.split()).casefold().replace("ё", "е")


@cache
def codes(kind: str) -> frozenset[str]:
    """The codes of a vocabulary."""
    return frozenset(member.value for member in (LABELLED | UNLABELLED)[kind])


@cache
def words(kind: str) -> dict[str, str]:
    """Every folded word of a vocabulary (its codes too) with the code it names. A word that would name
    two codes of one vocabulary is an error of the tables (a test builds every vocabulary)."""
    found: dict[str, str] = {}

    def add(word: str, code: str) -> None:
        key = fold(word)
        if found.setdefault(key, code) != code:
            raise ValueError(f"the word {word!r} names both {found[key]!r} and {code!r} ({kind})")

    for code in sorted(codes(kind)):
        add(code, code)
        for word in EXTRA_WORDS.get(kind, {}).get(code, ()):
            add(word, code)
    if kind in LABELLED:
        for code in sorted(codes(kind)):
            for language in LANGUAGES:
                for word in labelled_words(kind, code, language):
                    add(word, code)
    return found


class VocabularyReader:
    """Reads a vocabulary cell: a code as it is; a word of ru, kk or en (`Следствие`, `әйел`, `УК 1997`)
    as its code; anything else as it is, for the field's enum to refuse."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str) or value in codes(self.kind):
            return value
        return words(self.kind).get(fold(value), value)

    def __repr__(self) -> str:
        return f"VocabularyReader({self.kind!r})"
