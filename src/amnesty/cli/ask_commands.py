"""`amnesty ask`: asks, in the terminal, the questions of a `needs_review` decision and writes the
completed record; also how `amnesty explain` shows a decision's questions.

After each answer the record is validated (the one validation of a record) and evaluated again, so
the next question is the one the new decision asks; it stops when no question is left (or the
person skips the rest). Prompts and messages are in the chosen language (ru, kk, en).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from amnesty.cli.common import LawOpt, load_law_or_exit, parse_as_of, print_json, read_text_input
from amnesty.cli.summaries import say
from amnesty.domain.decision import Decision, Question
from amnesty.domain.enums import AnswerKind, Outcome, Punishment
from amnesty.domain.records import CaseRecord, field_errors, parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.engine.messages import WORDS
from amnesty.engine.question_stats import question_stats
from amnesty.engine.questions import option_key, set_field
from amnesty.io.json_records import ParsedRecord
from amnesty.io.tabular import read_records
from amnesty.law.loader import Law
from amnesty.law.registry import DEFAULT_LAW_ID
from amnesty.render.decisions import OUTCOME_WORDS, headline

LANGUAGES = ("ru", "kk", "en")

UI: dict[str, dict[str, str]] = {
    "rule": {"en": "rule", "ru": "правило", "kk": "ереже"},
    "questions": {
        "en": "Questions that would settle it",
        "ru": "Вопросы, ответ на которые разрешит дело",
        "kk": "Жауабы істі шешетін сұрақтар",
    },
    "cannot": {
        "en": "What no answer about the record can settle",
        "ru": "Что нельзя разрешить ответом о фактах дела",
        "kk": "Іс деректері туралы жауап шеше алмайтын мәселелер",
    },
    "leads_to": {"en": "leads to", "ru": "ведёт к", "kk": "нәтижесі"},
    "value": {
        "en": "(the answer is a value: it is evaluated when it is given)",
        "ru": "(ответ — значение: оно оценивается, когда дано)",
        "kk": "(жауап — мән: ол берілген кезде бағаланады)",
    },
    "open": {
        "en": "(any other value is evaluated when it is given)",
        "ru": "(любое другое значение оценивается, когда оно дано)",
        "kk": "(кез келген басқа мән берілген кезде бағаланады)",
    },
    "person": {"en": "Person", "ru": "Лицо", "kk": "Адам"},
    "part": {"en": "part", "ru": "часть", "kk": "бөлік"},
    "choose": {
        "en": "Choose a number (Enter to skip)",
        "ru": "Выберите номер (Enter — пропустить)",
        "kk": "Нөмірді таңдаңыз (Enter — өткізіп жіберу)",
    },
    "date": {
        "en": "Date, YYYY-MM-DD or DD.MM.YYYY (Enter to skip)",
        "ru": "Дата, ДД.ММ.ГГГГ или ГГГГ-ММ-ДД (Enter — пропустить)",
        "kk": "Күні, КК.АА.ЖЖЖЖ немесе ЖЖЖЖ-АА-КК (Enter — өткізіп жіберу)",
    },
    "integer": {
        "en": "A whole number (Enter to skip)",
        "ru": "Целое число (Enter — пропустить)",
        "kk": "Бүтін сан (Enter — өткізіп жіберу)",
    },
    "years": {"en": "Years", "ru": "Лет", "kk": "Жыл"},
    "months": {"en": "Months", "ru": "Месяцев", "kk": "Ай"},
    "days": {"en": "Days", "ru": "Дней", "kk": "Күн"},
    "punishment": {"en": "Punishment", "ru": "Вид наказания", "kk": "Жаза түрі"},
    "start_date": {
        "en": "First day of the term",
        "ru": "Начало срока",
        "kk": "Мерзімнің басталу күні",
    },
    "conditional": {
        "en": "Suspended (conditional) sentence? y/n",
        "ru": "Условное осуждение? д/н",
        "kk": "Шартты соттау ма? и/ж",
    },
    "amount": {"en": "Fine, in MCI", "ru": "Штраф, в МРП", "kk": "Айыппұл, АЕК-пен"},
    "hours": {"en": "Hours", "ru": "Часов", "kk": "Сағат"},
    "bad_choice": {
        "en": "Please give one of the numbers shown.",
        "ru": "Укажите один из показанных номеров.",
        "kk": "Көрсетілген нөмірлердің бірін енгізіңіз.",
    },
    "bad_date": {
        "en": "Not a date: write it as 2004-01-06 or 06.01.2004.",
        "ru": "Это не дата: укажите её как 06.01.2004 или 2004-01-06.",
        "kk": "Бұл күн емес: оны 06.01.2004 немесе 2004-01-06 түрінде жазыңыз.",
    },
    "bad_number": {
        "en": "Please give a whole number, 0 or more.",
        "ru": "Укажите целое число, не меньше 0.",
        "kk": "0-ден кем емес бүтін санды енгізіңіз.",
    },
    "bad_yes_no": {
        "en": "Please answer y or n.",
        "ru": "Ответьте д или н.",
        "kk": "и немесе ж деп жауап беріңіз.",
    },
    "invalid": {
        "en": "This answer makes the record invalid",
        "ru": "С этим ответом запись дела становится некорректной",
        "kk": "Бұл жауаппен іс жазбасы жарамсыз болады",
    },
    "outcome_now": {"en": "Decision now", "ru": "Решение сейчас", "kk": "Қазіргі шешім"},
    "done": {
        "en": "No question is left.",
        "ru": "Вопросов больше нет.",
        "kk": "Басқа сұрақ жоқ.",
    },
    "skipped": {
        "en": "Questions left unanswered",
        "ru": "Вопросы без ответа",
        "kk": "Жауапсыз қалған сұрақтар",
    },
    "input_ended": {
        "en": "Input ended: the record is written with the answers given so far.",
        "ru": "Ввод окончен: запись сохраняется с данными ответами.",
        "kk": "Енгізу аяқталды: жазба берілген жауаптармен сақталады.",
    },
    "wrote": {
        "en": "Completed record written to",
        "ru": "Дополненная запись сохранена в",
        "kk": "Толықтырылған жазба сақталды:",
    },
}

_YES = {"y", "yes", "д", "да", "и", "иә", "true", "1"}
_NO = {"n", "no", "н", "нет", "ж", "жоқ", "false", "0"}


def ui(key: str, language: str) -> str:
    """A word of the interface in the language."""
    return UI[key][language]


def _outcome_words(outcome: Outcome, language: str) -> str:
    return OUTCOME_WORDS[outcome][language]


def _consequences(question: Question, language: str) -> list[tuple[str, str]]:
    """Each answer whose outcome the decision shows, in words, with that outcome in words."""
    if question.leads_to is None:
        return []
    result = []
    for key, outcome in question.leads_to.items():
        label = key
        if question.option_texts is not None and key in question.option_texts:
            label = question.option_texts[key][language]
        elif question.answer is AnswerKind.INTEGER:
            label = f"{ui('part', language)} {key}"
        result.append((label, _outcome_words(outcome, language)))
    return result


def print_questions(console: Console, decision: Decision, language: str) -> None:
    """The decision's questions (each option with what it leads to) and what no answer can settle."""
    if decision.questions:
        console.print(f"[bold]{ui('questions', language)}[/]")
        for number, question in enumerate(decision.questions, start=1):
            console.print(
                f"  {number}. {escape(question.text[language])}  [dim]({ui('rule', language)} {question.rule})[/]"
            )
            for label, outcome in _consequences(question, language):
                console.print(f"     • {escape(label)} → {ui('leads_to', language)}: {escape(outcome)}")
            if question.options is None:
                note = ui("open" if question.leads_to else "value", language)
                console.print(f"     [dim]{note}[/]")
    if decision.unanswerable:
        console.print(f"[bold]{ui('cannot', language)}[/]")
        for item in decision.unanswerable:
            console.print(f"  • {escape(item.text[language])}  [dim]({ui('rule', language)} {item.rule})[/]")


# ----------------------------------------------------------------------------------------------------
# Reading answers.


class InputEndedError(Exception):
    """Standard input ended before the questions did."""


def _read(console: Console, prompt: str) -> str:
    try:
        return console.input(f"[cyan]{escape(prompt)}[/]: ").strip()
    except EOFError:
        raise InputEndedError from None


def parse_date(text: str) -> dt.date | None:
    """A date written 2004-01-06 or 06.01.2004 (None when it is neither)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def _ask_choice(console: Console, language: str, labels: list[str], prompt: str) -> int | None:
    for number, label in enumerate(labels, start=1):
        console.print(f"  {number}) {escape(label)}")
    while True:
        text = _read(console, prompt)
        if not text:
            return None
        if text.isdigit() and 1 <= int(text) <= len(labels):
            return int(text) - 1
        console.print(f"[red]{ui('bad_choice', language)}[/]")


def _ask_date(console: Console, language: str, prompt: str, optional: bool = True) -> str | None:
    while True:
        text = _read(console, prompt)
        if not text and optional:
            return None
        day = parse_date(text)
        if day is not None:
            return day.isoformat()
        console.print(f"[red]{ui('bad_date', language)}[/]")


def _ask_number(console: Console, language: str, prompt: str, default: int | None = None) -> int | None:
    while True:
        text = _read(console, prompt + (f" [{default}]" if default is not None else ""))
        if not text:
            return default
        if text.isdigit():
            return int(text)
        console.print(f"[red]{ui('bad_number', language)}[/]")


def _ask_yes_no(console: Console, language: str, prompt: str) -> bool:
    while True:
        text = _read(console, prompt).lower()
        if not text or text in _NO:
            return False
        if text in _YES:
            return True
        console.print(f"[red]{ui('bad_yes_no', language)}[/]")


def _ask_term(console: Console, language: str) -> dict[str, int] | None:
    years = _ask_number(console, language, ui("years", language))
    if years is None:
        return None
    months = _ask_number(console, language, ui("months", language), 0)
    days = _ask_number(console, language, ui("days", language), 0)
    return {"years": years, "months": months or 0, "days": days or 0}


_PUNISHMENT_WORDS: dict[str, dict[str, str]] = {
    "imprisonment": {"en": "imprisonment", "ru": "лишение свободы", "kk": "бас бостандығынан айыру"},
    "restriction_of_freedom": {
        "en": "restriction of freedom",
        "ru": "ограничение свободы",
        "kk": "бас бостандығын шектеу",
    },
    "arrest": {"en": "arrest", "ru": "арест", "kk": "қамаққа алу"},
}


def _punishment_label(punishment: Punishment, language: str) -> str:
    words = _PUNISHMENT_WORDS.get(punishment.value) or WORDS["punishment"][punishment.value]
    return words[language]


def _ask_sentence(console: Console, language: str) -> dict[str, Any] | None:
    punishments = list(Punishment)
    console.print(ui("punishment", language))
    chosen = _ask_choice(
        console, language, [_punishment_label(p, language) for p in punishments], ui("choose", language)
    )
    if chosen is None:
        return None
    punishment = punishments[chosen]
    sentence: dict[str, Any] = {"punishment": punishment.value}
    if punishment.is_term:
        sentence["term"] = _ask_term(console, language)
        sentence["start_date"] = _ask_date(console, language, ui("start_date", language))
        sentence["conditional"] = _ask_yes_no(console, language, ui("conditional", language))
    elif punishment is Punishment.COMMUNITY_SERVICE:
        sentence["hours"] = _ask_number(console, language, ui("hours", language))
    else:
        sentence["fine_amount_mci"] = _ask_number(console, language, ui("amount", language))
    return sentence


def ask_one(console: Console, question: Question, language: str) -> Any | None:
    """Ask one question; the answer as JSON data for its field, or None when it is skipped."""
    console.print(f"\n[bold]{escape(question.text[language])}[/]")
    if question.answer is AnswerKind.CHOICE and question.options is not None:
        options = list(question.options)
        labels = []
        for option in options:
            key = option_key(option)
            label = question.option_texts[key][language] if question.option_texts else key
            outcome = question.leads_to.get(key) if question.leads_to else None
            if outcome is not None:
                label += f"  → {_outcome_words(outcome, language)}"
            labels.append(label)
        chosen = _ask_choice(console, language, labels, ui("choose", language))
        return None if chosen is None else options[chosen]
    if question.answer is AnswerKind.DATE:
        return _ask_date(console, language, ui("date", language))
    if question.answer is AnswerKind.INTEGER:
        for label, result in _consequences(question, language):
            console.print(f"  • {escape(label)} → {escape(result)}")
        return _ask_number(console, language, ui("integer", language))
    if question.answer is AnswerKind.TERM:
        return _ask_term(console, language)
    return _ask_sentence(console, language)


# ----------------------------------------------------------------------------------------------------
# The dialogue for one record.


def complete_record(
    console: Console,
    data: dict[str, Any],
    law: Law,
    as_of: dt.date | None,
    strict: bool,
    language: str,
) -> tuple[dict[str, Any], Decision, bool]:
    """Ask the record's questions until none is left (a skipped or answered question is not asked
    again). Returns the completed data, its decision, and whether standard input ended first."""
    record = parse_record(data)
    settled: set[str] = set()
    while True:
        decision = evaluate(record, law, as_of, strict)
        open_questions = [q for q in decision.questions if q.field not in settled]
        if not open_questions:
            return data, decision, False
        question = open_questions[0]
        settled.add(question.field)
        while True:
            try:
                answer = ask_one(console, question, language)
            except InputEndedError:
                return data, decision, True
            if answer is None:
                break
            candidate = set_field(data, question.field, answer)
            try:
                record = parse_record(candidate)
            except ValidationError as error:
                problems = "; ".join(f"{e.field}: {e.problem}" for e in field_errors(error))
                console.print(f"[red]{ui('invalid', language)}:[/] {escape(problems)}")
                continue
            data = candidate
            now = headline(evaluate(record, law, as_of, strict, questions=False), language)
            console.print(f"[dim]{ui('outcome_now', language)}:[/] {escape(now)}")
            break


def _records_of(text: str) -> tuple[list[Any], str]:
    """The JSON values of the input and its shape: 'object', 'array' or 'lines'."""
    stripped = text.lstrip("\ufeff").strip()
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError:
        try:
            return [json.loads(line) for line in stripped.splitlines() if line.strip()], "lines"
        except json.JSONDecodeError as error:
            raise typer.BadParameter(f"not JSON or JSON Lines: {error.msg} (line {error.lineno})") from None
    if isinstance(whole, list):
        return whole, "array"
    return [whole], "object"


def _dump(items: list[Any], shape: str) -> str:
    if shape == "object":
        return json.dumps(items[0], ensure_ascii=False, indent=2) + "\n"
    if shape == "array":
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)


FileArg = Annotated[Path, typer.Argument(help="Case record(s): a JSON object, a JSON array, or JSON Lines.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of the questions: ru, kk or en.")]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="Write the completed record(s) here (default: standard output).")
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Evaluation date (ISO); default: the law's entry into force.")
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Treat unverified list entries and tags as needs_review.")
]
PackOpt = Annotated[
    Path | None, typer.Option("--law-pack", help="A law pack YAML file instead of the bundled one.")
]


def ask_command(
    file: FileArg,
    lang: LangOpt = "en",
    out: OutOpt = None,
    as_of: AsOfOpt = None,
    strict: StrictOpt = False,
    law_pack: PackOpt = None,
    law_id: LawOpt = DEFAULT_LAW_ID,
) -> None:
    """Ask, in the terminal, the questions that would settle each record's 'needs review' decision
    (a choice by number, dates checked, asked again on a bad answer; Enter skips a question), evaluate
    again after each answer, and write the completed record(s) in the input's shape."""
    if lang not in LANGUAGES:
        raise typer.BadParameter("--lang must be ru, kk or en")
    law = load_law_or_exit(law_pack, law_id)
    as_of_date = parse_as_of(as_of)
    items, shape = _records_of(read_text_input(file))
    console = Console(stderr=True, highlight=False)
    completed: list[Any] = []
    invalid = False
    ended = False
    for index, data in enumerate(items):
        if ended or not isinstance(data, dict):
            completed.append(data)
            continue
        try:
            record: CaseRecord = parse_record(data)
        except ValidationError as error:
            problems = "; ".join(f"{e.field}: {e.problem}" for e in field_errors(error))
            console.print(f"[red]{ui('invalid', lang)} ({index}):[/] {escape(problems)}")
            completed.append(data)
            invalid = True
            continue
        console.rule(f"{ui('person', lang)} {escape(record.person_id)}")
        data, decision, ended = complete_record(console, data, law, as_of_date, strict, lang)
        completed.append(data)
        if ended:
            console.print(f"\n[yellow]{ui('input_ended', lang)}[/]")
        console.print(f"\n[bold]{escape(headline(decision, lang))}[/]")
        if decision.questions:
            console.print(
                f"[yellow]{ui('skipped', lang)}:[/] " + ", ".join(q.field for q in decision.questions)
            )
        else:
            console.print(ui("done", lang))
        for item in decision.unanswerable:
            console.print(f"  • {escape(item.text[lang])}")
    text = _dump(completed, shape)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"{ui('wrote', lang)} {escape(str(out))}")
    if invalid:
        raise typer.Exit(1)


InputArg = Annotated[
    Path, typer.Argument(help="Case records: .csv, .xlsx, .parquet or .jsonl.", exists=True, dir_okay=False)
]


def questions_command(
    input_file: InputArg,
    as_of: AsOfOpt = None,
    strict: StrictOpt = False,
    law_pack: PackOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    law_id: LawOpt = DEFAULT_LAW_ID,
    lang: Annotated[
        str,
        typer.Option("--lang", help="Language of the printed figures: ru, kk or en (JSON keeps its keys)."),
    ] = "en",
) -> None:
    """How far questions go on a set of records: the share of 'needs review' persons a question could
    settle, and how many questions each such person is asked (first round and along the longest path
    of answers), by cause."""
    if lang not in ("ru", "kk", "en"):
        raise typer.BadParameter(f"unknown language {lang!r}; use one of ru, kk, en", param_hint="--lang")
    law = load_law_or_exit(law_pack, law_id)
    items = list(read_records(input_file))
    records = [item.record for item in items if isinstance(item, ParsedRecord)]
    stats = question_stats(records, law, parse_as_of(as_of), strict).to_json_dict()
    stats["rejected"] = len(items) - len(records)
    if as_json:
        print_json(stats)
        return
    console = Console(highlight=False)
    table = Table(title=say("questions_title", lang, name=input_file.name))
    table.add_column("")
    table.add_column(say("persons", lang), justify="right")
    share = f"{stats['share_with_questions']:.1%}"
    for key, value in (
        ("persons_decided", stats["persons"]),
        ("rejected", stats["rejected"]),
        ("needs_review", stats["needs_review"]),
        ("with_questions", stats["with_questions"]),
        ("with_questions_only", stats["with_questions_only"]),
        ("settled_by_one_answer", stats["settled_by_one_answer"]),
        ("every_answer_same_outcome", stats["every_answer_same_outcome"]),
    ):
        table.add_row(say(key, lang, share=share), str(value))
    console.print(table)
    for key in ("questions_per_person", "questions_along_longest_path"):
        figures = stats[key] | {"distribution": _counts(stats[key]["distribution"])}
        console.print(say(key, lang, **figures))
    console.print(say("asked_by", lang, value=_counts(stats["asked_by"])))
    console.print(say("unanswerable_by", lang, value=_counts(stats["unanswerable_by"])))


def _counts(counts: dict[str, int]) -> str:
    """`key: n; key: n` (a dash when empty), for the printed figures."""
    return "; ".join(f"{key}: {n}" for key, n in counts.items()) or "—"


def register(app: typer.Typer) -> None:
    """Add `ask` and `questions` to the application."""
    app.command("ask")(ask_command)
    app.command("questions")(questions_command)
