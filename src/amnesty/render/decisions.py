"""Decisions in words: reason sentences from codes and parameters, citations, headlines.

Everything a person reads about a decision goes through here: `reason_text` renders a reason from its
code and structured `params` in any language (so a decision stored or exported without sentences can
be put into words later), `decision_with_texts` fills the `text`/`texts` fields for chosen languages
(what `bulk --lang` calls), `headline` states the outcome in one sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from amnesty.domain.decision import ChargeResult, Decision, Reason, TermOut
from amnesty.domain.enums import Outcome, ReleaseMode
from amnesty.engine.messages import law_words, render, templates_for
from amnesty.law.loader import Law
from amnesty.render.citations import render_cites
from amnesty.render.formats import format_date, format_term, language_of

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


def reason_text(reason: Reason, language: str, law: Law) -> str:
    """The reason's sentence in `language`, rendered from its code and parameters and from what the law
    it was decided under says of itself (its window, its fractions: `law_words`); a reason stored
    before it carried parameters keeps the sentence it was stored with."""
    language = language_of(language)
    templates = templates_for(reason.code, law)
    if templates is not None and (reason.params or "{" not in templates["en"]):
        return render(reason.code, language, law_words(law) | reason.params, law)
    return reason.texts.get(language, reason.text)


def cites_text(reason: Reason, language: str) -> str:
    """The reason's citation in `language` ("Закон № 152-VII, ст. 1")."""
    return render_cites(reason.cites, language)


def render_reasons(decision: Decision, language: str, law: Law) -> list[str]:
    """Every reason sentence of a decision in `language`: person level first, then per charge."""
    reasons = list(decision.reasons) + [r for charge in decision.charges for r in charge.reasons]
    return [reason_text(r, language, law) for r in reasons]


def _with_texts(reason: Reason, languages: tuple[str, ...], law: Law) -> Reason:
    texts = {language: reason_text(reason, language, law) for language in languages}
    text = texts["en"] if "en" in texts else texts[languages[0]]
    return reason.model_copy(update={"texts": texts, "text": text})


def decision_with_texts(decision: Decision, languages: Iterable[str], law: Law) -> Decision:
    """The decision with every reason's `texts` rendered in `languages` (and `text` in English when
    asked for, else in the first language): for exports that add sentences on request."""
    chosen = tuple(dict.fromkeys(language_of(language) for language in languages)) or ("en",)
    charges = tuple(
        charge.model_copy(update={"reasons": tuple(_with_texts(r, chosen, law) for r in charge.reasons)})
        for charge in decision.charges
    )
    return decision.model_copy(
        update={"reasons": tuple(_with_texts(r, chosen, law) for r in decision.reasons), "charges": charges}
    )


def charge_reasons_text(charge: ChargeResult, language: str, law: Law) -> list[str]:
    """The sentences of one charge's reasons in `language`."""
    return [reason_text(r, language, law) for r in charge.reasons]


def _term_words(term: TermOut, language: str) -> str:
    return format_term(term.years, term.months, term.days, language)


def headline(decision: Decision, language: str = "en") -> str:
    """The decision in one plain sentence, e.g. 'Sentence reduced: term cut from 8 years to 2 years;
    new end date 5 January 2024'."""
    language = language_of(language)
    words = OUTCOME_WORDS[decision.outcome][language]
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


_OVERRIDE = {
    "by": {
        "en": "the reviewer's decision ({reviewer}, {date})",
        "ru": "решение проверяющего ({reviewer}, {date})",
        "kk": "тексерушінің шешімі ({reviewer}, {date})",
    },
    "release_on": {"en": "release on {date}", "ru": "освобождение {date}", "kk": "босату күні {date}"},
}


def override_headline(
    outcome: Outcome,
    reviewer: str,
    decided_on: dt.date | None,
    release_date: dt.date | None = None,
    new_end_date: dt.date | None = None,
    language: str = "en",
) -> str:
    """The outcome in effect after a reviewer's override, in one sentence, with who decided it and when:
    'Освобождается от наказания: освобождение 10 марта 2022 г. — решение проверяющего (reviewer,
    29 ноября 2026 г.)'."""
    language = language_of(language)
    details: list[str] = []
    if release_date is not None:
        details.append(_OVERRIDE["release_on"][language].format(date=format_date(release_date, language)))
    if new_end_date is not None:
        details.append(_LABELS["new_end"][language].format(date=format_date(new_end_date, language)))
    by = _OVERRIDE["by"][language].format(
        reviewer=reviewer, date=format_date(decided_on, language) if decided_on else "—"
    )
    words = OUTCOME_WORDS[outcome][language] + (": " + "; ".join(details) if details else "")
    return f"{words} — {by}"
