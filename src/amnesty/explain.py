"""Plain-language explanation of a decision: what happens to the person, why, under which articles.

Used by `amnesty explain` and by the web pages. Headlines exist in English, Russian and Kazakh.
"""

from __future__ import annotations

import datetime as dt

from amnesty.domain.decision import Decision, TermOut
from amnesty.domain.enums import Outcome, ReleaseMode
from amnesty.engine.messages import describe_term

OUTCOME_WORDS: dict[Outcome, dict[str, str]] = {
    Outcome.TERMINATE_CASE: {
        "en": "Released from criminal liability: the case is closed",
        "ru": "Освобождается от уголовной ответственности: дело прекращается",
        "kk": "Қылмыстық жауаптылықтан босатылады: іс тоқтатылады",
    },
    Outcome.RELEASE: {
        "en": "Released from punishment",
        "ru": "Освобождается от наказания",
        "kk": "Жазадан босатылады",
    },
    Outcome.REDUCE_SENTENCE: {
        "en": "Sentence reduced",
        "ru": "Срок наказания сокращается",
        "kk": "Жаза мерзімі қысқартылады",
    },
    Outcome.REDUCE_AT_SENTENCING: {
        "en": "The court reduces the punishment when it sentences",
        "ru": "Суд сокращает наказание при вынесении приговора",
        "kk": "Сот үкім шығарғанда жазаны қысқартады",
    },
    Outcome.EXPUNGE_CONVICTION: {
        "en": "Conviction removed",
        "ru": "Судимость снимается",
        "kk": "Соттылық алынып тасталады",
    },
    Outcome.NO_RELIEF: {
        "en": "Covered by the law, but it gives no further relief",
        "ru": "Подпадает под закон, но закон не даёт дополнительной льготы",
        "kk": "Заңға жатады, бірақ заң қосымша жеңілдік бермейді",
    },
    Outcome.EXCLUDED: {
        "en": "The amnesty does not apply to this person (excluded)",
        "ru": "Амнистия к лицу не применяется (исключение)",
        "kk": "Рақымшылық бұл адамға қолданылмайды (алып тастау)",
    },
    Outcome.NOT_COVERED: {
        "en": "Not covered by the amnesty",
        "ru": "Не подпадает под амнистию",
        "kk": "Рақымшылыққа жатпайды",
    },
    Outcome.NEEDS_REVIEW: {
        "en": "Needs review by a lawyer before a decision",
        "ru": "Требует проверки юристом до принятия решения",
        "kk": "Шешім алдында заңгердің тексеруін қажет етеді",
    },
}

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    "kk": [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ],
}

_LABELS = {
    "from_to": {
        "en": "term cut from {old} to {new}",
        "ru": "срок: было {old}, стало {new}",
        "kk": "мерзім {old} орнына {new} болып қысқартылды",
    },
    "new_end": {
        "en": "new end date {date}",
        "ru": "новая дата окончания {date}",
        "kk": "жаңа аяқталу күні {date}",
    },
    "immediate": {"en": "release at once", "ru": "освобождение немедленно", "kk": "дереу босату"},
}


def format_date(day: dt.date, language: str = "en") -> str:
    """'5 January 2024', '5 января 2024 г.', '2024 жылғы 5 қаңтар'."""
    month = _MONTHS.get(language, _MONTHS["en"])[day.month - 1]
    if language == "ru":
        return f"{day.day} {month} {day.year} г."
    if language == "kk":
        return f"{day.year} жылғы {day.day} {month}"
    return f"{day.day} {month} {day.year}"


def _term_words(term: TermOut, language: str) -> str:
    return describe_term(term.years, term.months, term.days, language)


def headline(decision: Decision, language: str = "en") -> str:
    """The decision in one plain sentence, e.g. 'Sentence reduced: term cut from 8 years to 2 years;
    new end date 5 January 2024'."""
    words = OUTCOME_WORDS[decision.outcome].get(language, OUTCOME_WORDS[decision.outcome]["en"])
    details: list[str] = []
    sentence = decision.sentence
    if sentence is not None and decision.outcome in (
        Outcome.REDUCE_SENTENCE,
        Outcome.RELEASE,
        Outcome.REDUCE_AT_SENTENCING,
    ):
        if sentence.original_term is not None and sentence.new_term is not None:
            details.append(
                _LABELS["from_to"][language].format(
                    old=_term_words(sentence.original_term, language),
                    new=_term_words(sentence.new_term, language),
                )
            )
        if sentence.release is ReleaseMode.IMMEDIATE:
            details.append(_LABELS["immediate"][language])
        elif sentence.new_end_date is not None:
            details.append(
                _LABELS["new_end"][language].format(date=format_date(sentence.new_end_date, language))
            )
    return words + (": " + "; ".join(details) if details else "")
