"""Words of tables people read (impact tables, statistics, task exports) in ru, kk and en.

- `term(kind, value, language)`: a closed vocabulary value (outcome, stage, category, role, acting
  body, task, task status) as a word. The words are the pages' (`amnesty.domain.vocabulary_labels`,
  the English text being the message id of the gettext catalogues), so a table and a page name an
  outcome alike; regions are `amnesty.domain.regions.region_name`.
- `table_word(key, language)`: headers, sheet names, chart titles, "Total", "Unknown", "yes"/"no".
- `format_month("2022-11", language)`: a month as words ("ноябрь 2022 г.", "2022 ж. қараша").

Machine-readable files keep the codes; these words are for the files and screens people read.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from babel.dates import format_skeleton

from amnesty.domain.regions import region_name
from amnesty.domain.vocabulary_labels import NOT_RECORDED, word
from amnesty.render.formats import language_of
from amnesty.render.validation import FIELD_LABELS

UNKNOWN = "unknown"
"""The code tables use for a value the record does not give."""

TOTAL = "total"
"""The code of a table's total row."""

TABLE_WORDS: dict[str, dict[str, str]] = {
    "unknown": NOT_RECORDED,
    "total": {"en": "Total", "ru": "Итого", "kk": "Барлығы"},
    "yes": {"en": "yes", "ru": "да", "kk": "иә"},
    "no": {"en": "no", "ru": "нет", "kk": "жоқ"},
    # impact tables
    "outcomes": {"en": "Outcomes", "ru": "Исходы", "kk": "Нәтижелер"},
    "transitions": {"en": "Changes of outcome", "ru": "Изменения исхода", "kk": "Нәтиженің өзгеруі"},
    "by_region": {"en": "By region", "ru": "По регионам", "kk": "Өңірлер бойынша"},
    "by_category": {"en": "By category", "ru": "По категориям", "kk": "Санаттар бойынша"},
    "changed_persons": {
        "en": "Persons whose result changes",
        "ru": "Лица с изменениями",
        "kk": "Өзгерген адамдар",
    },
    "baseline": {"en": "Law in force", "ru": "Действующий закон", "kk": "Қолданыстағы заң"},
    "variant": {"en": "Variant", "ru": "Вариант", "kk": "Нұсқа"},
    "delta": {"en": "Change", "ru": "Изменение", "kk": "Өзгеріс"},
    "from": {
        "en": "Under the law in force",
        "ru": "По действующему закону",
        "kk": "Қолданыстағы заң бойынша",
    },
    "to": {"en": "Under the variant", "ru": "По варианту", "kk": "Нұсқа бойынша"},
    "outcome_changed": {"en": "Outcome changes", "ru": "Исход меняется", "kk": "Нәтиже өзгереді"},
    "baseline_person_years": {
        "en": "Person-years removed, law in force",
        "ru": "Снято человеко-лет, действующий закон",
        "kk": "Алынған адам-жылдар, қолданыстағы заң",
    },
    "variant_person_years": {
        "en": "Person-years removed, variant",
        "ru": "Снято человеко-лет, вариант",
        "kk": "Алынған адам-жылдар, нұсқа",
    },
    "person_years_delta": {
        "en": "Change, person-years",
        "ru": "Изменение, человеко-лет",
        "kk": "Өзгеріс, адам-жыл",
    },
    "unmeasured": {"en": "Not measured", "ru": "Не измерено", "kk": "Өлшенбеген"},
    "baseline_days": {
        "en": "Days removed, law in force",
        "ru": "Снято дней, действующий закон",
        "kk": "Алынған күндер, қолданыстағы заң",
    },
    "variant_days": {
        "en": "Days removed, variant",
        "ru": "Снято дней, вариант",
        "kk": "Алынған күндер, нұсқа",
    },
    "impact_title": {
        "en": "Impact of the variant «{name}»",
        "ru": "Последствия варианта «{name}»",
        "kk": "«{name}» нұсқасының салдары",
    },
    "impact_summary": {
        "en": "{persons} persons, the outcome changes for {changed}; person-years of imprisonment removed: "
        "{baseline} under the law in force, {variant} under the variant ({delta})",
        "ru": "Лиц: {persons}, исход меняется у {changed}; снято человеко-лет лишения свободы: "
        "{baseline} по действующему закону, {variant} по варианту ({delta})",
        "kk": "Адам саны: {persons}, нәтиже {changed} адамда өзгереді; алынған бас бостандығынан айыру "
        "адам-жылдары: қолданыстағы заң бойынша {baseline}, нұсқа бойынша {variant} ({delta})",
    },
    "impact_rejected": {
        "en": "{count} invalid records were not evaluated",
        "ru": "Записей с ошибками, не рассмотренных: {count}",
        "kk": "Қаралмаған қатесі бар жазбалар: {count}",
    },
    "outcomes_chart": {
        "en": "Persons per outcome: law in force and variant",
        "ru": "Лица по исходам: действующий закон и вариант",
        "kk": "Нәтижелер бойынша адамдар: қолданыстағы заң және нұсқа",
    },
    "regions_chart": {
        "en": "Person-years of imprisonment removed, by region",
        "ru": "Снято человеко-лет лишения свободы, по регионам",
        "kk": "Алынған бас бостандығынан айыру адам-жылдары, өңірлер бойынша",
    },
    "person_years": {"en": "person-years", "ru": "человеко-лет", "kk": "адам-жыл"},
    # statistics
    "report_title": {
        "en": "Statistics of decisions",
        "ru": "Статистика решений",
        "kk": "Шешімдер статистикасы",
    },
    "persons": {"en": "Persons", "ru": "Лиц", "kk": "Адам саны"},
    "share_percent": {"en": "Share, %", "ru": "Доля, %", "kk": "Үлесі, %"},
    "outcome": {"en": "Outcome", "ru": "Исход", "kk": "Нәтиже"},
    "stage": {"en": "Stage", "ru": "Стадия", "kk": "Саты"},
    "category": {"en": "Category", "ru": "Категория", "kk": "Санат"},
    "region": {"en": "Region", "ru": "Регион", "kk": "Өңір"},
    "role": {"en": "Role in the events", "ru": "Роль в событиях", "kk": "Оқиғалардағы рөлі"},
    "acting_body": {"en": "Acting body", "ru": "Орган", "kk": "Орган"},
    "as_of_month": {"en": "Month of the decision", "ru": "Месяц решения", "kk": "Шешім айы"},
    "offence_month": {"en": "Month of the offence", "ru": "Месяц деяния", "kk": "Әрекет айы"},
    "chart_of": {"en": "Persons by {what}", "ru": "Лица: {what}", "kk": "Адамдар: {what}"},
    # resocialisation tasks
    "summary": {"en": "Summary", "ru": "Сводка", "kk": "Жиынтық"},
    "tasks": {"en": "Tasks", "ru": "Задачи", "kk": "Тапсырмалар"},
    "task_count": {"en": "Tasks", "ru": "Задач", "kk": "Тапсырма саны"},
    "overdue_count": {"en": "Overdue", "ru": "Просрочено", "kk": "Мерзімі өткен"},
    "as_of": {"en": "As of", "ru": "На дату", "kk": "Күні"},
    "kind": {"en": "Task", "ru": "Задача", "kk": "Тапсырма"},
    "status": {"en": "Status", "ru": "Статус", "kk": "Мәртебесі"},
    "assignee": {"en": "Assignee", "ru": "Исполнитель", "kk": "Орындаушы"},
    "released_on": {"en": "Released on", "ru": "Дата освобождения", "kk": "Босатылған күні"},
    "due_on": {"en": "Due on", "ru": "Срок", "kk": "Мерзімі"},
    "overdue": {"en": "Overdue", "ru": "Просрочена", "kk": "Мерзімі өтті"},
    "days_overdue": {"en": "Days overdue", "ru": "Дней просрочки", "kk": "Кешіктірілген күндер"},
    "updated_on": {"en": "Updated on", "ru": "Обновлена", "kk": "Жаңартылған күні"},
    "closed_on": {"en": "Closed on", "ru": "Закрыта", "kk": "Жабылған күні"},
    "reason": {"en": "Reason", "ru": "Причина", "kk": "Себебі"},
    "notes": {"en": "Notes", "ru": "Заметки", "kk": "Жазбалар"},
    "tasks_line": {
        "en": "{region}: {total} tasks, {overdue} overdue on {day}",
        "ru": "{region}: задач {total}, просрочено {overdue} на {day}",
        "kk": "{region}: {total} тапсырма, {day} күні мерзімі өткені {overdue}",
    },
}
"""Each word of the tables in each language."""

_VOCABULARY_KIND = {"task": "task", "task_status": "task_status", "role": "role"}


def table_word(key: str, language: str) -> str:
    """A header, sheet name, title or other word of the tables in `language` (a record's field by
    its label, `amnesty.render.validation.FIELD_LABELS`)."""
    words = TABLE_WORDS.get(key) or FIELD_LABELS[key]
    return words.get(language_of(language), words["en"])


@lru_cache(maxsize=4_096)
def term(kind: str, value: str | None, language: str) -> str:
    """A closed vocabulary value as a word of `language` ('reduce_sentence' -> 'Срок сокращён'):
    regions by their names, 'unknown' (or nothing) as "Not recorded", months as words; a value the
    vocabulary does not know is kept as given."""
    language = language_of(language)
    if value is None or value in ("", UNKNOWN):
        return table_word("unknown", language)
    if value == TOTAL:
        return table_word("total", language)
    if kind == "region":
        return region_name(value, language)
    if kind.endswith("month"):
        return format_month(value, language)
    found = word(_VOCABULARY_KIND.get(kind, kind), value, language)
    return value if found is None else found


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def format_month(value: str, language: str) -> str:
    """'2022-11' as 'November 2022', 'ноябрь 2022 г.', '2022 ж. қараша' (Babel); other text kept."""
    found = _MONTH.match(value)
    if found is None or not 1 <= int(found[2]) <= 12:
        return value
    return format_skeleton("yMMMM", dt.date(int(found[1]), int(found[2]), 1), locale=language_of(language))
