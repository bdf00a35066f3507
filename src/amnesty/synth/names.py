"""Invented Kazakh and Russian full names for the synthetic registries (surname, given name,
patronymic, in the order of the registers), agreeing in gender with the person's IIN.

The lists are common names only; any combination is invented, and no list mixes in public figures.
Names are drawn from their own random stream (`NameDraw`), so adding them leaves every other value of
a seeded registry as it was.
"""

from __future__ import annotations

import random

_KAZAKH_SURNAME_STEMS = (
    "Ахметов", "Жумабаев", "Искаков", "Касымов", "Кенжебаев", "Нургалиев", "Оспанов", "Тулегенов",
    "Абдрахманов", "Ермеков", "Жаксылыков", "Мукашев", "Байжанов", "Калиев", "Садыков", "Есенов",
    "Утегенов", "Муратов", "Исабеков", "Рахимов", "Сулейменов", "Омаров", "Аубакиров", "Бейсенов",
    "Шаймерденов", "Серикбаев", "Темирханов", "Нурпеисов", "Мусин", "Аскаров", "Карабаев", "Ибраев",
    "Ержанов", "Даулетов", "Әлібеков", "Қасымов", "Өмірзақов", "Нұрғалиев", "Іскаков", "Үсенов",
    "Ғабитов", "Шәкенов", "Ұлықбеков", "Сәрсенбаев", "Қожахметов", "Жақыпов", "Төлеуов", "Бекқожин",
)  # fmt: skip
"""Kazakh surnames in their male form (the female form adds "а")."""

_KAZAKH_MALE = (
    "Нурлан", "Ерлан", "Асхат", "Даурен", "Бауыржан", "Ержан", "Талгат", "Серик", "Арман", "Айдос",
    "Дамир", "Ерболат", "Жандос", "Канат", "Марат", "Нуржан", "Руслан", "Санжар", "Тимур", "Азамат",
    "Асылбек", "Бекзат", "Галым", "Данияр", "Ерасыл", "Жанибек", "Кайрат", "Мурат", "Олжас", "Рустем",
    "Самат", "Улан", "Алибек", "Мирас", "Айбек", "Бахытжан", "Әділет", "Нұрбол", "Қуаныш", "Ғалымжан",
)  # fmt: skip
_KAZAKH_FEMALE = (
    "Айгерим", "Гульнара", "Динара", "Жанар", "Жулдыз", "Камила", "Лаура", "Мадина", "Назерке", "Айжан",
    "Асель", "Ботагоз", "Гаухар", "Дана", "Индира", "Меруерт", "Салтанат", "Томирис", "Улжан", "Аружан",
    "Жансая", "Айнур", "Сауле", "Әсем", "Ақбота", "Іңкәр", "Құралай", "Гүлнұр",
)  # fmt: skip
_KAZAKH_FATHERS = (
    "Нурлан", "Ерлан", "Асхат", "Серик", "Марат", "Кайрат", "Болат", "Канат", "Ермек", "Талгат",
    "Мурат", "Бахыт", "Жандос", "Сабит", "Оралбек", "Амангельды", "Нұрлан", "Қайрат", "Әбдірахман",
)  # fmt: skip
"""Fathers' names for patronymics: Russian-style (Нурланович, Нурлановна) or Kazakh (Нұрланұлы, -қызы)."""

_RUSSIAN_SURNAME_STEMS = (
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков",
    "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
    "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Борисов",
    "Яковлев", "Григорьев", "Романов", "Сергеев", "Белов", "Тарасов", "Белоусов", "Жуков", "Шевцов",
)  # fmt: skip
"""Russian surnames in their male form ending in -ов/-ев/-ин (the female form adds "а")."""

_RUSSIAN_INVARIABLE = ("Шевченко", "Ткаченко", "Коваленко", "Бондаренко", "Ковальчук", "Мельник")
_RUSSIAN_MALE = (
    "Александр", "Алексей", "Андрей", "Дмитрий", "Евгений", "Иван", "Игорь", "Максим", "Михаил",
    "Николай", "Олег", "Павел", "Роман", "Сергей", "Виктор", "Владимир", "Юрий", "Артём", "Денис",
    "Константин",
)  # fmt: skip
_RUSSIAN_FEMALE = (
    "Анна", "Елена", "Екатерина", "Ирина", "Мария", "Наталья", "Ольга", "Светлана", "Татьяна", "Юлия",
    "Валентина", "Людмила", "Оксана", "Галина",
)  # fmt: skip
_RUSSIAN_PATRONYMICS = (
    ("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"), ("Николаевич", "Николаевна"),
    ("Юрьевич", "Юрьевна"), ("Игоревич", "Игоревна"), ("Дмитриевич", "Дмитриевна"),
    ("Алексеевич", "Алексеевна"), ("Андреевич", "Андреевна"), ("Евгеньевич", "Евгеньевна"),
    ("Иванович", "Ивановна"), ("Михайлович", "Михайловна"), ("Олегович", "Олеговна"),
    ("Павлович", "Павловна"), ("Викторович", "Викторовна"), ("Владимирович", "Владимировна"),
    ("Петрович", "Петровна"), ("Анатольевич", "Анатольевна"), ("Васильевич", "Васильевна"),
)  # fmt: skip

KAZAKH_SHARE = 0.7
"""Share of Kazakh names among the invented persons (the rest Russian)."""


class NameDraw:
    """A seeded stream of invented full names."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security

    def _pick(self, items: tuple[str, ...]) -> str:
        return items[int(self.rng.random() * len(items))]

    def full_name(self, female: bool | None = None) -> str:
        """'Surname Given Patronymic', Kazakh or Russian; `female` None draws the gender too."""
        if female is None:
            female = self.rng.random() < 0.12
        if self.rng.random() < KAZAKH_SHARE:
            given = self._pick(_KAZAKH_FEMALE if female else _KAZAKH_MALE)
            father = self._pick(_KAZAKH_FATHERS)
            if self.rng.random() < 0.3:
                patronymic = father + ("қызы" if female else "ұлы")
            else:
                patronymic = father + ("овна" if female else "ович")
            surname = self._pick(_KAZAKH_SURNAME_STEMS) + ("а" if female else "")
            return f"{surname} {given} {patronymic}"
        given = self._pick(_RUSSIAN_FEMALE if female else _RUSSIAN_MALE)
        male_patronymic, female_patronymic = _RUSSIAN_PATRONYMICS[
            int(self.rng.random() * len(_RUSSIAN_PATRONYMICS))
        ]
        if self.rng.random() < 0.15:
            surname = self._pick(_RUSSIAN_INVARIABLE)
        else:
            surname = self._pick(_RUSSIAN_SURNAME_STEMS) + ("а" if female else "")
        return f"{surname} {given} {female_patronymic if female else male_patronymic}"


def female_from_iin(iin: str | None) -> bool | None:
    """The gender an IIN encodes (its 7th digit: odd male, even female), or None without one."""
    if iin is None or len(iin) < 7 or not iin[6].isdigit() or iin[6] == "0":
        return None
    return int(iin[6]) % 2 == 0
