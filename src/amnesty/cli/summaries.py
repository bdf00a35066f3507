"""The command line's summaries in the reader's language (`--lang ru|kk|en`): the figures of
`amnesty questions` and the closing line of `amnesty report`. JSON output keeps the stable keys."""

from __future__ import annotations

SUMMARY_WORDS: dict[str, dict[str, str]] = {
    "questions_title": {"en": "Questions: {name}", "ru": "Вопросы: {name}", "kk": "Сұрақтар: {name}"},
    "persons": {"en": "persons", "ru": "лиц", "kk": "адам"},
    "persons_decided": {"en": "persons decided", "ru": "решено лиц", "kk": "шешім шыққан адамдар"},
    "rejected": {
        "en": "rejected (invalid records)",
        "ru": "отклонено (неверные записи)",
        "kk": "қабылданбады (қате жазбалар)",
    },
    "needs_review": {"en": "needs review", "ru": "нужна проверка юриста", "kk": "заңгердің тексеруі қажет"},
    "with_questions": {
        "en": "  with at least one question ({share})",
        "ru": "  есть хотя бы один вопрос ({share})",
        "kk": "  кемінде бір сұрақ бар ({share})",
    },
    "with_questions_only": {
        "en": "  with questions only (no cause beyond the record)",
        "ru": "  только вопросы (других причин в записи нет)",
        "kk": "  тек сұрақтар (жазбада басқа себеп жоқ)",
    },
    "settled_by_one_answer": {
        "en": "  some single answer settles the decision",
        "ru": "  решение определяет один ответ",
        "kk": "  шешімді бір жауап анықтайды",
    },
    "every_answer_same_outcome": {
        "en": "  every answer to a question gives the same outcome",
        "ru": "  любой ответ на вопрос даёт тот же итог",
        "kk": "  сұраққа кез келген жауап бірдей нәтиже береді",
    },
    "questions_per_person": {
        "en": "questions per such person, first round: mean {mean}, max {max}, by count {distribution}",
        "ru": "вопросов на такое лицо в первом круге: в среднем {mean}, не больше {max}, по числу {distribution}",
        "kk": "мұндай адамға бірінші кезеңдегі сұрақтар: орташа {mean}, ең көбі {max}, саны бойынша {distribution}",
    },
    "questions_along_longest_path": {
        "en": "questions per such person, along the longest path of answers: mean {mean}, max {max}, "
        "by count {distribution}",
        "ru": "вопросов на такое лицо по самому длинному пути ответов: в среднем {mean}, не больше {max}, "
        "по числу {distribution}",
        "kk": "мұндай адамға жауаптардың ең ұзын жолы бойынша сұрақтар: орташа {mean}, ең көбі {max}, "
        "саны бойынша {distribution}",
    },
    "asked_by": {"en": "asked by: {value}", "ru": "кто спрашивает: {value}", "kk": "кім сұрайды: {value}"},
    "unanswerable_by": {
        "en": "beyond any fact of the record: {value}",
        "ru": "вне фактов записи: {value}",
        "kk": "жазба деректерінен тыс: {value}",
    },
    "report_done": {
        "en": "{rows} decisions counted, {bad} invalid items; wrote {files} files to {out}",
        "ru": "учтено решений: {rows}, неверных записей: {bad}; записано файлов: {files} в {out}",
        "kk": "есептелген шешімдер: {rows}, қате жазбалар: {bad}; {out} ішіне жазылған файлдар: {files}",
    },
}
"""Each summary line in en, ru and kk; `{name}` takes the figures."""


def say(key: str, language: str, **figures: object) -> str:
    """A summary line in `language` (English when the language is not known) with its figures."""
    words = SUMMARY_WORDS[key]
    return words.get(language, words["en"]).format(**figures)
