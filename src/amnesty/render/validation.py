"""Validation problems in the reader's language, naming the field by its label.

A problem has a stable machine code (Pydantic's error type, `missing`, `date_from_datetime_parsing`,
..., or the project's own: `iin_format`, `born_after_offence`, ...) and parameters; `problem_text`
writes it in ru, kk or en, and `describe_problem` puts the field's label in front
("Дата совершения (обвинение 1): ..."). Problems known only by their English text (older call sites)
are recognised by `_KNOWN_TEXTS`, and any other text is kept as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from amnesty.render.formats import format_date, language_of

FIELD_LABELS: dict[str, dict[str, str]] = {
    "person_id": {
        "en": "Registry identifier",
        "ru": "Идентификатор в реестре",
        "kk": "Тізілімдегі сәйкестендіргіш",
    },
    "iin": {"en": "IIN", "ru": "ИИН", "kk": "ЖСН"},
    "birth_date": {"en": "Birth date", "ru": "Дата рождения", "kk": "Туған күні"},
    "full_name": {"en": "Full name", "ru": "Ф.И.О.", "kk": "Т.А.Ә."},
    "case_number": {"en": "Case number", "ru": "Номер уголовного дела", "kk": "Қылмыстық іс нөмірі"},
    "region": {"en": "Region", "ru": "Регион", "kk": "Өңір"},
    "role": {"en": "Role in the events", "ru": "Роль в событиях", "kk": "Оқиғалардағы рөлі"},
    "recidivism": {"en": "Recidivism", "ru": "Рецидив", "kk": "Қылмыстардың қайталануы"},
    "stage": {"en": "Stage of the case", "ru": "Стадия дела", "kk": "Іс сатысы"},
    "charges": {"en": "Charges", "ru": "Обвинения", "kk": "Айыптар"},
    "sentence": {"en": "Sentence", "ru": "Наказание", "kk": "Жаза"},
    "conviction_expunged": {"en": "Conviction removed", "ru": "Судимость снята", "kk": "Соттылық алынған"},
    "fixed_residence": {
        "en": "Fixed residence",
        "ru": "Постоянное место жительства",
        "kk": "Тұрақты тұрғылықты жері",
    },
    "able_bodied": {"en": "Able to work", "ru": "Трудоспособен", "kk": "Еңбекке қабілетті"},
    "needs_medical_care": {
        "en": "Needs medical care",
        "ru": "Нуждается в медицинской помощи",
        "kk": "Медициналық көмекті қажет етеді",
    },
    "needs_documents": {
        "en": "Needs documents",
        "ru": "Нуждается в документах",
        "kk": "Құжаттарды қажет етеді",
    },
    "article": {"en": "Article", "ru": "Статья", "kk": "Бап"},
    "point": {"en": "Point of the part", "ru": "Пункт части", "kk": "Бөліктің тармағы"},
    "victim_minor": {
        "en": "The victim was a minor",
        "ru": "Потерпевший — несовершеннолетний",
        "kk": "Жәбірленуші кәмелетке толмаған",
    },
    "part": {"en": "Part", "ru": "Часть", "kk": "Бөлік"},
    "category": {"en": "Category", "ru": "Категория", "kk": "Санаты"},
    "offence_date": {"en": "Offence date", "ru": "Дата совершения", "kk": "Жасалған күні"},
    "offence_end_date": {
        "en": "Offence end date",
        "ru": "Дата окончания деяния",
        "kk": "Әрекеттің аяқталған күні",
    },
    "territory": {"en": "Territory", "ru": "Территория", "kk": "Аумақ"},
    "context": {"en": "Connection with the events", "ru": "Связь с событиями", "kk": "Оқиғалармен байланысы"},
    "tags": {"en": "Kinds of offence", "ru": "Виды преступления", "kk": "Қылмыс түрлері"},
    "punishment": {"en": "Punishment", "ru": "Вид наказания", "kk": "Жаза түрі"},
    "term": {"en": "Term", "ru": "Срок", "kk": "Мерзім"},
    "years": {"en": "Years", "ru": "Лет", "kk": "Жыл"},
    "months": {"en": "Months", "ru": "Месяцев", "kk": "Ай"},
    "days": {"en": "Days", "ru": "Дней", "kk": "Күн"},
    "start_date": {"en": "Start of the term", "ru": "Начало срока", "kk": "Мерзімнің басталуы"},
    "conditional": {"en": "Conditional sentence", "ru": "Условное осуждение", "kk": "Шартты соттау"},
    "fine_amount_mci": {"en": "Fine, MCI", "ru": "Штраф, МРП", "kk": "Айыппұл, АЕК"},
    "hours": {"en": "Hours", "ru": "Часы", "kk": "Сағат"},
    "additional": {"en": "Additional punishments", "ru": "Дополнительные наказания", "kk": "Қосымша жазалар"},
    "sentence_punishment": {"en": "Punishment", "ru": "Вид наказания", "kk": "Жаза түрі"},
    "sentence_start_date": {"en": "Start of the term", "ru": "Начало срока", "kk": "Мерзімнің басталуы"},
    "term_years": {"en": "Term, years", "ru": "Срок, лет", "kk": "Мерзім, жыл"},
    "term_months": {"en": "Term, months", "ru": "Срок, месяцев", "kk": "Мерзім, ай"},
    "term_days": {"en": "Term, days", "ru": "Срок, дней", "kk": "Мерзім, күн"},
    "outcome": {"en": "Decision", "ru": "Решение", "kk": "Шешім"},
    "justification": {"en": "Justification", "ru": "Обоснование", "kk": "Негіздеме"},
    "citation": {"en": "Citation of the law", "ru": "Ссылка на закон", "kk": "Заңға сілтеме"},
    "release_date": {"en": "Release date", "ru": "Дата освобождения", "kk": "Босату күні"},
    "new_end_date": {
        "en": "New end date",
        "ru": "Новая дата окончания срока",
        "kk": "Мерзімнің жаңа аяқталу күні",
    },
    "new_term": {"en": "New term", "ru": "Новый срок", "kk": "Жаңа мерзім"},
    "new_term_years": {"en": "New term, years", "ru": "Новый срок, лет", "kk": "Жаңа мерзім, жыл"},
    "new_term_months": {"en": "New term, months", "ru": "Новый срок, месяцев", "kk": "Жаңа мерзім, ай"},
    "new_term_days": {"en": "New term, days", "ru": "Новый срок, дней", "kk": "Жаңа мерзім, күн"},
    "decision_id": {"en": "Decision", "ru": "Решение", "kk": "Шешім"},
    "case_id": {"en": "Case", "ru": "Дело", "kk": "Іс"},
    "task_id": {"en": "Task", "ru": "Задача", "kk": "Тапсырма"},
    "job_id": {"en": "Job", "ru": "Задание", "kk": "Тапсырма"},
    "version": {"en": "Version", "ru": "Версия", "kk": "Нұсқа"},
    "page": {"en": "Page number", "ru": "Номер страницы", "kk": "Бет нөмірі"},
    "(record)": {"en": "Record", "ru": "Запись", "kk": "Жазба"},
    "(row)": {"en": "Row", "ru": "Строка", "kk": "Жол"},
    "(line)": {"en": "Line", "ru": "Строка", "kk": "Жол"},
    "(file)": {"en": "File", "ru": "Файл", "kk": "Файл"},
    "(input)": {"en": "Input", "ru": "Входные данные", "kk": "Кіріс деректер"},
    "(person)": {"en": "Person", "ru": "Лицо", "kk": "Адам"},
    "(request)": {"en": "Request", "ru": "Запрос", "kk": "Сұрау"},
}
"""The label of each field of a case record (and of the flat files' columns) in each language."""

_ITEM = {
    "charges": {"en": "charge {n}", "ru": "обвинение {n}", "kk": "{n}-айып"},
    "additional": {"en": "item {n}", "ru": "пункт {n}", "kk": "{n}-тармақ"},
    "tags": {"en": "item {n}", "ru": "пункт {n}", "kk": "{n}-тармақ"},
}

PROBLEMS: dict[str, dict[str, str]] = {
    "missing": {
        "en": "required",
        "ru": "обязательное поле не заполнено",
        "kk": "міндетті өріс толтырылмаған",
    },
    "extra_forbidden": {"en": "unknown field", "ru": "неизвестное поле", "kk": "белгісіз өріс"},
    "date_parsing": {
        "en": "not a valid date ({error})",
        "ru": "неверная дата ({error})",
        "kk": "күн дұрыс емес ({error})",
    },
    "date_type": {"en": "not a valid date", "ru": "неверная дата", "kk": "күн дұрыс емес"},
    "date_from_datetime_inexact": {
        "en": "a date without a time is expected",
        "ru": "ожидается дата без времени",
        "kk": "уақытсыз күн күтіледі",
    },
    "int_parsing": {"en": "not a whole number", "ru": "не целое число", "kk": "бүтін сан емес"},
    "int_from_float": {"en": "not a whole number", "ru": "не целое число", "kk": "бүтін сан емес"},
    "int_type": {"en": "not a whole number", "ru": "не целое число", "kk": "бүтін сан емес"},
    "float_parsing": {"en": "not a number", "ru": "не число", "kk": "сан емес"},
    "float_type": {"en": "not a number", "ru": "не число", "kk": "сан емес"},
    "bool_parsing": {
        "en": "expected yes or no (true/false)",
        "ru": "ожидается 1 («да») или 0 («нет»)",
        "kk": "1 («иә») немесе 0 («жоқ») күтіледі",
    },
    "bool_type": {
        "en": "expected yes or no (true/false)",
        "ru": "ожидается 1 («да») или 0 («нет»)",
        "kk": "1 («иә») немесе 0 («жоқ») күтіледі",
    },
    "string_type": {"en": "expected text", "ru": "ожидается текст", "kk": "мәтін күтіледі"},
    "string_too_long": {
        "en": "longer than {max_length} characters",
        "ru": "длиннее {max_length} символов",
        "kk": "{max_length} таңбадан ұзын",
    },
    "string_too_short": {"en": "empty", "ru": "пусто", "kk": "бос"},
    "string_pattern_mismatch": {
        "en": "not in the expected form",
        "ru": "не соответствует ожидаемому формату",
        "kk": "күтілетін пішімге сәйкес емес",
    },
    "too_short": {
        "en": "at least {min_length} item(s) required",
        "ru": "требуется не менее {min_length} элемент(ов)",
        "kk": "кемінде {min_length} элемент қажет",
    },
    "greater_than_equal": {
        "en": "must be at least {ge}",
        "ru": "должно быть не меньше {ge}",
        "kk": "{ge} мәнінен кем болмауы тиіс",
    },
    "greater_than": {
        "en": "must be more than {gt}",
        "ru": "должно быть больше {gt}",
        "kk": "{gt} мәнінен көп болуы тиіс",
    },
    "less_than_equal": {
        "en": "must be at most {le}",
        "ru": "должно быть не больше {le}",
        "kk": "{le} мәнінен аспауы тиіс",
    },
    "less_than": {
        "en": "must be less than {lt}",
        "ru": "должно быть меньше {lt}",
        "kk": "{lt} мәнінен кем болуы тиіс",
    },
    "enum": {
        "en": "not one of the accepted values: {expected}",
        "ru": "недопустимое значение; допустимые: {expected}",
        "kk": "рұқсат етілмеген мән; рұқсат етілгендері: {expected}",
    },
    "literal_error": {
        "en": "not one of the accepted values: {expected}",
        "ru": "недопустимое значение; допустимые: {expected}",
        "kk": "рұқсат етілмеген мән; рұқсат етілгендері: {expected}",
    },
    "model_type": {"en": "expected an object", "ru": "ожидается объект", "kk": "объект күтіледі"},
    "dict_type": {"en": "expected an object", "ru": "ожидается объект", "kk": "объект күтіледі"},
    "list_type": {"en": "expected a list", "ru": "ожидается список", "kk": "тізім күтіледі"},
    "tuple_type": {"en": "expected a list", "ru": "ожидается список", "kk": "тізім күтіледі"},
    "iin_format": {
        "en": "IIN must be exactly 12 digits",
        "ru": "ИИН должен состоять ровно из 12 цифр",
        "kk": "ЖСН дәл 12 цифрдан тұруы тиіс",
    },
    "iin_check_digit": {
        "en": "IIN check digit is wrong",
        "ru": "неверная контрольная цифра ИИН",
        "kk": "ЖСН бақылау цифры қате",
    },
    "iin_birth_date": {
        "en": "IIN encodes an impossible birth date",
        "ru": "ИИН содержит невозможную дату рождения",
        "kk": "ЖСН-де мүмкін емес туған күн көрсетілген",
    },
    "person_id_empty": {"en": "person_id is empty", "ru": "идентификатор пуст", "kk": "сәйкестендіргіш бос"},
    "unknown_region": {
        "en": "unknown region {value}",
        "ru": "неизвестный регион {value}",
        "kk": "белгісіз өңір {value}",
    },
    "offence_end_before_start": {
        "en": "is before the offence date",
        "ru": "дата окончания деяния раньше даты совершения",
        "kk": "әрекеттің аяқталған күні жасалған күнінен бұрын",
    },
    "birth_date_iin_mismatch": {
        "en": "{birth_date} disagrees with the IIN (which encodes {iin_date})",
        "ru": "{birth_date} не совпадает с ИИН (в нём {iin_date})",
        "kk": "{birth_date} ЖСН-мен сәйкес келмейді (онда {iin_date})",
    },
    "article_number": {
        "en": "not an article or part number: write a number such as 272, or 188-1 for an inserted one",
        "ru": "это не номер статьи или части: укажите число, например 272, или 188-1 для дополнительной",
        "kk": "бұл бап немесе бөлік нөмірі емес: 272 сияқты санды немесе қосымша үшін 188-1 деп жазыңыз",
    },
    "offence_in_future": {
        "en": "{date} is after today ({today}): an offence cannot be in the future",
        "ru": "{date} позже сегодняшнего дня ({today}): деяние не может быть совершено в будущем",
        "kk": "{date} бүгінгі күннен ({today}) кейін: әрекет болашақта жасалуы мүмкін емес",
    },
    "born_after_offence": {
        "en": "the person was born on {birth}, not before the offence of charges[{charge}] ({offence_date})",
        "ru": "лицо родилось {birth}, не раньше деяния по обвинению {charge_number} ({offence_date})",
        "kk": "адам {birth} туған, {charge_number}-айып бойынша әрекеттен ({offence_date}) бұрын емес",
    },
    "duplicate_person": {
        "en": "person_id appears more than once in this input",
        "ru": "идентификатор встречается во входных данных более одного раза",
        "kk": "сәйкестендіргіш кіріс деректерде бірнеше рет кездеседі",
    },
    "column_missing": {
        "en": "column is missing from the file",
        "ru": "в файле нет этого столбца",
        "kk": "файлда бұл баған жоқ",
    },
    "no_person_id": {
        "en": "required: the row has no person_id",
        "ru": "обязательно: в строке нет идентификатора лица",
        "kk": "міндетті: жолда адамның сәйкестендіргіші жоқ",
    },
    "person_on_lines": {
        "en": "appears on {count} lines; a person has one record in an input",
        "ru": "встречается в {count} строках; у лица одна запись во входных данных",
        "kk": "{count} жолда кездеседі; кіріс деректерде адамның бір жазбасы болады",
    },
    "differs_from_row": {
        "en": "differs from row {row} of the same person_id (person and sentence fields must be the same "
        "on every row of a person)",
        "ru": "отличается от строки {row} того же лица (поля лица и наказания должны совпадать во всех его строках)",
        "kk": "сол адамның {row}-жолынан өзгеше (адам мен жаза өрістері оның барлық жолында бірдей болуы тиіс)",
    },
    "other_row_invalid": {
        "en": "not decided: another row of this person is invalid (row {rows})",
        "ru": "не рассмотрено: другая строка этого лица содержит ошибку (строка {rows})",
        "kk": "қаралмады: осы адамның басқа жолында қате бар ({rows}-жол)",
    },
    "file_empty": {"en": "the file is empty", "ru": "файл пуст", "kk": "файл бос"},
    "input_empty": {"en": "the input is empty", "ru": "входные данные пусты", "kk": "кіріс деректер бос"},
    "not_an_object": {
        "en": "expected a JSON object, got {kind}",
        "ru": "ожидается объект JSON",
        "kk": "JSON объектісі күтіледі",
    },
    "not_json": {
        "en": "not valid JSON: {detail}",
        "ru": "неверный JSON: строка не читается",
        "kk": "JSON қате: жол оқылмайды",
    },
    "invalid": {"en": "{detail}", "ru": "неверное значение", "kk": "мән дұрыс емес"},
    "cannot_evaluate_record": {
        "en": "cannot be evaluated: dates or terms out of range",
        "ru": "не удаётся рассмотреть: даты или сроки вне допустимых пределов",
        "kk": "қарау мүмкін емес: күндер немесе мерзімдер рұқсат етілген шектен тыс",
    },
    "unknown_law": {
        "en": "no law {law!r} is registered; registered laws: {known}",
        "ru": "закон {law!r} не зарегистрирован; зарегистрированы: {known}",
        "kk": "{law!r} заңы тіркелмеген; тіркелгендері: {known}",
    },
    "invalid_records": {
        "en": "{count} record(s) are invalid; nothing was imported",
        "ru": "записей с ошибками: {count}; ничего не импортировано",
        "kk": "қатесі бар жазбалар: {count}; ештеңе импортталмады",
    },
    "rows_invalid": {
        "en": "{count} of {total} rows are invalid; nothing was stored",
        "ru": "строк с ошибками: {count} из {total}; ничего не сохранено",
        "kk": "қатесі бар жолдар: {total} ішінен {count}; ештеңе сақталмады",
    },
    "empty_import": {
        "en": "the input holds no records; nothing was imported",
        "ru": "во входных данных нет записей; ничего не импортировано",
        "kk": "кіріс деректерде жазба жоқ; ештеңе импортталмады",
    },
    "empty_file_import": {
        "en": "the file holds no records; nothing was stored",
        "ru": "в файле нет записей; ничего не сохранено",
        "kk": "файлда жазба жоқ; ештеңе сақталмады",
    },
    "cannot_evaluate_import": {
        "en": "a record cannot be evaluated ({kind}); nothing was imported",
        "ru": "одну из записей не удаётся рассмотреть; ничего не импортировано",
        "kk": "жазбалардың бірін қарау мүмкін емес; ештеңе импортталмады",
    },
    "import_conflict": {
        "en": "another change to the same persons was saved at the same time; nothing was imported, retry",
        "ru": "одновременно сохранено другое изменение тех же лиц; ничего не импортировано, повторите",
        "kk": "сол адамдардың басқа өзгерісі бір мезгілде сақталды; ештеңе импортталмады, қайталаңыз",
    },
    "unsupported_file_type": {
        "en": "unsupported file type {suffix}; send {accepted}",
        "ru": "такой тип файла не поддерживается ({suffix}); отправьте {accepted}",
        "kk": "бұл файл түрі қолданылмайды ({suffix}); {accepted} жіберіңіз",
    },
    "file_too_large": {
        "en": "the file is larger than {size} MiB",
        "ru": "файл больше {size} МиБ",
        "kk": "файл {size} МиБ-тан үлкен",
    },
    "not_utf8": {
        "en": "the file is not UTF-8 text (byte {byte})",
        "ru": "файл не является текстом в кодировке UTF-8 (байт {byte})",
        "kk": "файл UTF-8 кодтауындағы мәтін емес ({byte}-байт)",
    },
    "nul_character": {
        "en": "the file contains a NUL character",
        "ru": "в файле есть нулевой символ",
        "kk": "файлда нөлдік таңба бар",
    },
    "unreadable_workbook": {
        "en": "not a readable XLSX workbook: {detail}",
        "ru": "файл не читается как книга XLSX",
        "kk": "файл XLSX кітабы ретінде оқылмайды",
    },
    "unreadable_parquet": {
        "en": "not a readable Parquet file (truncated?): {detail}",
        "ru": "файл не читается как Parquet (возможно, обрезан)",
        "kk": "файл Parquet ретінде оқылмайды (қиылған болуы мүмкін)",
    },
    "empty_sheet": {
        "en": "the workbook's first sheet is empty (no header row)",
        "ru": "первый лист книги пуст (нет строки заголовков)",
        "kk": "кітаптың бірінші парағы бос (тақырып жолы жоқ)",
    },
    "workbook_part_too_large": {
        "en": "the workbook is refused: its part {part} unpacks to {size} MiB, more than the {limit} MiB allowed",
        "ru": "книга отклонена: её часть {part} распаковывается в {size} МиБ, больше допустимых {limit} МиБ",
        "kk": "кітап қабылданбады: оның {part} бөлігі {size} МиБ-қа ашылады, рұқсат етілген {limit} МиБ-тан көп",
    },
    "workbook_too_many_rows": {
        "en": "the workbook is refused: its sheet has more than the {rows} rows of records (and a header "
        "row) allowed in one file",
        "ru": "книга отклонена: на листе больше {rows} строк записей (и строки заголовков), допустимых в "
        "одном файле",
        "kk": "кітап қабылданбады: парақта бір файлда рұқсат етілген {rows} жазба жолынан (және тақырып "
        "жолынан) көп",
    },
    "workbook_text_too_long": {
        "en": "the workbook is refused: its part {part} holds a text longer than a cell can hold ({chars} "
        "characters)",
        "ru": "книга отклонена: её часть {part} содержит текст длиннее, чем вмещает ячейка ({chars} символов)",
        "kk": "кітап қабылданбады: оның {part} бөлігінде ұяшыққа сыйатыннан ұзын мәтін бар ({chars} таңба)",
    },
    "missing_columns": {
        "en": "the file has no column {columns} (required); its header row holds: {held}",
        "ru": "в файле нет обязательного столбца {columns}; в строке заголовков: {held}",
        "kk": "файлда міндетті {columns} бағаны жоқ; тақырып жолында: {held}",
    },
    "header_merged": {
        "en": "the header cells {cells} are merged ({name}): the columns after the first ({columns}) have no "
        "name of their own; unmerge them and name each column",
        "ru": "ячейки заголовка {cells} объединены ({name}): у столбцов после первого ({columns}) нет своего "
        "названия; разъедините их и назовите каждый столбец",
        "kk": "тақырыптың {cells} ұяшықтары біріктірілген ({name}): біріншіден кейінгі бағандардың ({columns}) "
        "өз атауы жоқ; оларды ажыратып, әр бағанды атаңыз",
    },
    "unnamed_column": {
        "en": "column {column} holds data (row {row}) but has no name in the header row {header}; name it "
        "or delete it",
        "ru": "в столбце {column} есть данные (строка {row}), но нет названия в строке заголовков {header}; "
        "назовите его или удалите",
        "kk": "{column} бағанында деректер бар ({row}-жол), бірақ {header}-тақырып жолында атауы жоқ; оны "
        "атаңыз немесе жойыңыз",
    },
    "not_valid_text": {
        "en": "is not valid text (a lone surrogate, or bytes that are not UTF-8)",
        "ru": "не является допустимым текстом (одиночный суррогатный символ или байты не в UTF-8)",
        "kk": "жарамды мәтін емес (жалқы суррогат таңба немесе UTF-8 емес байттар)",
    },
    "request_not_text": {
        "en": "the request holds text that is not valid (a lone surrogate, or bytes that are not UTF-8)",
        "ru": "запрос содержит недопустимый текст (одиночный суррогатный символ или байты не в UTF-8)",
        "kk": "сұрауда жарамсыз мәтін бар (жалқы суррогат таңба немесе UTF-8 емес байттар)",
    },
    "cell_too_long": {
        "en": "is longer than a cell can hold ({chars} characters)",
        "ru": "длиннее, чем вмещает ячейка ({chars} символов)",
        "kk": "ұяшыққа сыйатыннан ұзын ({chars} таңба)",
    },
    "no_header": {
        "en": "the file is empty (no header line)",
        "ru": "файл пуст (нет строки заголовков)",
        "kk": "файл бос (тақырып жолы жоқ)",
    },
    "unknown_encoding": {
        "en": "unknown encoding {encoding}",
        "ru": "неизвестная кодировка {encoding}",
        "kk": "белгісіз кодтау {encoding}",
    },
    "csv_unreadable": {
        "en": "cannot be read as CSV: {detail}",
        "ru": "строка не читается как CSV",
        "kk": "жол CSV ретінде оқылмайды",
    },
    "row_width": {
        "en": "has {cells} fields where the header has {width} (wrong delimiter, a stray quote, or a "
        "truncated file)",
        "ru": "в строке {cells} полей, а в заголовке {width} (другой разделитель, лишняя кавычка или "
        "обрезанный файл)",
        "kk": "жолда {cells} өріс, ал тақырыпта {width} (басқа бөлгіш, артық тырнақша немесе қиылған файл)",
    },
    "not_text": {
        "en": "is not valid text in the file's encoding{where} (see --encoding)",
        "ru": "не является текстом в кодировке файла (укажите кодировку файла)",
        "kk": "файлдың кодтауындағы мәтін емес (файлдың кодтауын көрсетіңіз)",
    },
    "unreadable_file": {
        "en": "the file cannot be read as {suffix}: {kind}",
        "ru": "файл не читается как {suffix}",
        "kk": "файл {suffix} ретінде оқылмайды",
    },
    "duplicate_case": {
        "en": "a case with this person number is already in the register",
        "ru": "дело лица с этим номером уже есть в реестре",
        "kk": "осы нөмірлі адамның ісі тізілімде бұрыннан бар",
    },
    "cannot_evaluate": {
        "en": "the record cannot be evaluated: dates or terms out of range",
        "ru": "дело нельзя рассчитать: даты или сроки вне допустимых пределов",
        "kk": "істі есептеу мүмкін емес: күндер немесе мерзімдер рұқсат етілген шектен тыс",
    },
    "choose_listed": {
        "en": "choose one of the listed values",
        "ru": "выберите одно из значений списка",
        "kk": "тізімдегі мәндердің бірін таңдаңыз",
    },
    "justification_too_short": {
        "en": "write at least {min_length} characters",
        "ru": "напишите не менее {min_length} знаков",
        "kk": "кемінде {min_length} таңба жазыңыз",
    },
    "citation_missing": {
        "en": "name the article of the law the decision relies on",
        "ru": "укажите статью закона, на которую опирается решение",
        "kk": "шешім негізделген заң бабын көрсетіңіз",
    },
    "release_date_missing": {
        "en": "a release needs the release date",
        "ru": "для освобождения нужна дата освобождения",
        "kk": "босату үшін босату күні қажет",
    },
    "new_figure_missing": {
        "en": "a reduced sentence needs the new term or the new end date",
        "ru": "для сокращения срока нужен новый срок или новая дата окончания",
        "kk": "мерзімді қысқарту үшін жаңа мерзім немесе жаңа аяқталу күні қажет",
    },
    "term_and_end_date": {
        "en": "give either the new term or the new end date, not both",
        "ru": "укажите либо новый срок, либо новую дату окончания, но не оба",
        "kk": "жаңа мерзімді немесе жаңа аяқталу күнін көрсетіңіз, екеуін бірге емес",
    },
    "figure_not_for_outcome": {
        "en": "not used with this decision; leave it empty",
        "ru": "для этого решения не нужно; оставьте поле пустым",
        "kk": "бұл шешім үшін қажет емес; өрісті бос қалдырыңыз",
    },
    "term_zero": {
        "en": "must be longer than zero",
        "ru": "должен быть больше нуля",
        "kk": "нөлден ұзақ болуы тиіс",
    },
    "term_not_shorter": {
        "en": "must be shorter than the original term",
        "ru": "должен быть короче первоначального срока",
        "kk": "бастапқы мерзімнен қысқа болуы тиіс",
    },
    "no_start_date": {
        "en": "the sentence has no start date; give the new end date instead",
        "ru": "у наказания нет даты начала срока; укажите вместо этого новую дату окончания",
        "kk": "жазаның басталу күні жоқ; оның орнына жаңа аяқталу күнін көрсетіңіз",
    },
    "date_not_after": {
        "en": "must be after {date}",
        "ru": "должна быть позже {date}",
        "kk": "{date} күнінен кейін болуы тиіс",
    },
    "date_not_before": {
        "en": "must be before {date}",
        "ru": "должна быть раньше {date}",
        "kk": "{date} күнінен бұрын болуы тиіс",
    },
    "date_before": {
        "en": "must not be before {date}",
        "ru": "не может быть раньше {date}",
        "kk": "{date} күнінен бұрын болмауы тиіс",
    },
}
"""Each problem code in each language; `{name}` takes the problem's parameters."""

_DATE_DETAILS = {
    "day value is outside expected range": {
        "en": "day value is outside expected range",
        "ru": "такого дня в месяце нет",
        "kk": "айда мұндай күн жоқ",
    },
    "month value is outside expected range": {
        "en": "month value is outside expected range of 1-12",
        "ru": "такого месяца нет",
        "kk": "мұндай ай жоқ",
    },
}
_DATE_DETAIL_OTHER = {
    "ru": "ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ",
    "kk": "ЖЖЖЖ-АА-КК немесе КК.АА.ЖЖЖЖ күтіледі",
}

_KNOWN_TEXTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"^unknown field$", "extra_forbidden"),
        (r"^IIN must be exactly 12 digits$", "iin_format"),
        (r"^IIN check digit is wrong$", "iin_check_digit"),
        (r"^IIN encodes an impossible birth date$", "iin_birth_date"),
        (r"^person_id appears more than once in this input$", "duplicate_person"),
        (r"^column is missing from the file$", "column_missing"),
        (r"^required: the row has no person_id$", "no_person_id"),
        (r"^appears on (?P<count>\d+) lines", "person_on_lines"),
        (r"^differs from row (?P<row>\d+) of the same person_id", "differs_from_row"),
        (
            r"^not decided: another row of this person is invalid \(row (?P<rows>[^)]*)\)$",
            "other_row_invalid",
        ),
        (r"^the file is empty$", "file_empty"),
        (r"^the input is empty$", "input_empty"),
        (r"^expected a JSON object, got (?P<kind>\w+)$", "not_an_object"),
        (r"^not valid JSON: (?P<detail>.*)$", "not_json"),
        (r"^Field required$", "missing"),
        (r"^unknown region (?P<value>'[^']*')", "unknown_region"),
        (r"^offence_end_date is before offence_date$", "offence_end_before_start"),
        (r"^person_id is empty$", "person_id_empty"),
        (r"^cannot be evaluated: dates or terms out of range$", "cannot_evaluate_record"),
        (r"^not a readable XLSX workbook: (?P<detail>.*)$", "unreadable_workbook"),
        (r"^not a readable Parquet file \(truncated\?\): (?P<detail>.*)$", "unreadable_parquet"),
        (r"^the workbook's first sheet is empty", "empty_sheet"),
        (
            r"^the workbook is refused: its part (?P<part>\S+) unpacks to (?P<size>[\d,]+) MiB, more than "
            r"the (?P<limit>[\d,]+) MiB allowed$",
            "workbook_part_too_large",
        ),
        (
            r"^the workbook is refused: its sheet has more than the (?P<rows>[\d,]+) rows",
            "workbook_too_many_rows",
        ),
        (
            r"^the workbook is refused: its part (?P<part>\S+) holds a text longer than a cell can hold "
            r"\((?P<chars>[\d,]+) characters\)$",
            "workbook_text_too_long",
        ),
        (
            r"^the file has no column (?P<columns>.+?) \(required\); its header row holds: (?P<held>.*)$",
            "missing_columns",
        ),
        (
            r"^the header cells (?P<cells>\S+) are merged \((?P<name>[^)]*)\): the columns after the first "
            r"\((?P<columns>[^)]*)\) have",
            "header_merged",
        ),
        (
            r"^column (?P<column>[A-Z]+) holds data \(row (?P<row>\d+)\) but has no name in the header row "
            r"(?P<header>\d+)",
            "unnamed_column",
        ),
        (r"^is not valid text \(a lone surrogate, or bytes that are not UTF-8\)$", "not_valid_text"),
        (r"^is longer than a cell can hold \((?P<chars>[\d,]+) characters\)$", "cell_too_long"),
        (r"^the file is empty \(no header line\)$", "no_header"),
        (r"^unknown encoding (?P<encoding>'[^']*')$", "unknown_encoding"),
        (r"^cannot be read as CSV: (?P<detail>.*)$", "csv_unreadable"),
        (r"^has (?P<cells>\d+) fields where the header has (?P<width>\d+)", "row_width"),
        (r"^is not valid text in the file's encoding(?P<where>.*?) \(see --encoding\)$", "not_text"),
        (
            r"^unknown file type (?P<suffix>'[^']*'); expected one of (?P<accepted>.+)$",
            "unsupported_file_type",
        ),
        (r"^the file is not UTF-8 text \(byte (?P<byte>\d+)\)$", "not_utf8"),
        (r"^the file contains a NUL character$", "nul_character"),
        (r"^the file cannot be read as (?P<suffix>\.\w+): (?P<kind>\w+)$", "unreadable_file"),
        (
            r"^unsupported file type (?P<suffix>\S+); send (?:one of )?(?P<accepted>.+)$",
            "unsupported_file_type",
        ),
    )
)


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


@dataclass(frozen=True)
class Problem:
    """A problem as code and parameters (what `problem_text` renders)."""

    code: str
    params: Mapping[str, str]


def recognise(problem: str) -> Problem | None:
    """The code and parameters of a problem known only by its English text, or None."""
    text = problem
    row_prefix = re.match(r"^row (?P<row>\d+): (?P<rest>.*)$", text, re.S)
    if row_prefix is not None:
        text = row_prefix["rest"]
    for pattern, code in _KNOWN_TEXTS:
        found = pattern.match(text)
        if found is not None:
            return Problem(code, {k: v for k, v in found.groupdict().items() if v is not None})
    return None


_OR = {"en": " or ", "ru": " или ", "kk": " немесе "}


def _param(name: str, value: str, language: str) -> str:
    if name == "expected":
        return value.replace(" or ", _OR[language])
    if name in ("detail", "error"):
        for start, known in _DATE_DETAILS.items():
            if value.startswith(start):
                return known[language]
        return value if language == "en" else _DATE_DETAIL_OTHER.get(language, value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return format_date(dt.date.fromisoformat(value), language)
    return value


def problem_text(code: str, params: Mapping[str, str], problem: str, language: str) -> str:
    """The problem in `language`: from its code when known, else recognised from its English text,
    else the text as given."""
    language = language_of(language)
    if code in ("date_from_datetime_parsing", "datetime_parsing", "datetime_from_date_parsing"):
        code = "date_parsing"
    if code not in PROBLEMS:
        found = recognise(problem)
        if found is None:
            return problem
        code, params = found.code, found.params
    values = dict(params)
    if "charge" in values and values["charge"].isdigit():
        values["charge_number"] = str(int(values["charge"]) + 1)
    template = PROBLEMS[code].get(language) or PROBLEMS[code]["en"]
    if code == "invalid" and language == "en":
        return problem
    return template.format_map(_Blank({k: _param(k, v, language) for k, v in values.items()}))


def stable_code(code: str, problem: str) -> str:
    """The problem's stable machine code: `code` when given, else the code recognised from its English
    text, else `invalid` (for APIs and files that carry the code beside the message)."""
    if code:
        return code
    found = recognise(problem)
    return found.code if found is not None else "invalid"


def message(code: str, language: str, **params: object) -> str:
    """A problem of the project's own (`PROBLEMS[code]`) in `language`, from its parameters."""
    values = {name: str(value) for name, value in params.items()}
    english = PROBLEMS[code]["en"].format_map(_Blank(values))
    return problem_text(code, values, english, language)


def field_label(field: str, language: str) -> str:
    """A field path ('charges[0].offence_date', or a flat file's column 'offence_date') as a person
    reads it: 'Дата совершения (обвинение 1)'."""
    language = language_of(language)
    steps = re.findall(r"([A-Za-z_()]+)|\[(\d+)\]", field)
    names = [name for name, _ in steps if name]
    if not names:
        return field
    last = names[-1]
    label = FIELD_LABELS.get(last, {}).get(language)
    if label is None:
        return field
    where: list[str] = []
    container = None
    for name, index in steps:
        if name:
            container = name
        elif container in _ITEM and container != last:
            where.append(_ITEM[container][language].format(n=int(index) + 1))
    return label + (f" ({', '.join(where)})" if where else "")


def describe_problem(field: str, code: str, params: Mapping[str, str], problem: str, language: str) -> str:
    """'Label: problem' in `language`, e.g. 'ИИН: неверная контрольная цифра ИИН'."""
    return f"{field_label(field, language)}: {problem_text(code, params, problem, language)}"
