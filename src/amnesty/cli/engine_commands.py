"""Commands around the engine: `evaluate`, `explain`, `law`."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from amnesty.cli.ask_commands import print_questions
from amnesty.cli.common import (
    LawOpt,
    LawsOpt,
    load_law_or_exit,
    load_laws_or_exit,
    parse_as_of,
    print_json,
    read_text_input,
)
from amnesty.documents.render import DocumentRenderer
from amnesty.domain.decision import Decision
from amnesty.domain.enums import Flag, Outcome, Provenance
from amnesty.domain.regions import region_name
from amnesty.engine.category import catalogue_view
from amnesty.engine.evaluate import evaluate
from amnesty.io.json_records import ParsedRecord, RecordError, duplicate_person_errors, read_json_records
from amnesty.law.draft import write_draft
from amnesty.law.loader import Law, LawPackError
from amnesty.law.registry import ALL_LAWS, DEFAULT_LAW_ID, LAW_PATH_VARIABLE, law_summary, registered_laws
from amnesty.render.citations import article_words, render_cites
from amnesty.render.decisions import OUTCOME_WORDS, cites_text, headline, reason_text
from amnesty.render.formats import format_date

FileArg = Annotated[
    Path, typer.Argument(help="Case records: a JSON object, a JSON array, or JSON Lines ('-' for stdin).")
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
LangOpt = Annotated[str, typer.Option("--lang", help="Language of the explanation: en, ru or kk.")]

_OUTCOME_STYLE = {
    Outcome.TERMINATE_CASE: "green",
    Outcome.RELEASE: "green",
    Outcome.EXPUNGE_CONVICTION: "green",
    Outcome.REDUCE_SENTENCE: "cyan",
    Outcome.REDUCE_AT_SENTENCING: "cyan",
    Outcome.NO_RELIEF: "yellow",
    Outcome.NEEDS_REVIEW: "yellow",
    Outcome.EXCLUDED: "red",
    Outcome.NOT_COVERED: "red",
}


def _decide(
    path: Path, as_of: str | None, strict: bool, pack: Path | None, law_choice: str = DEFAULT_LAW_ID
) -> tuple[list[tuple[Decision, Law]], list[RecordError], bool]:
    """Each valid record's decision under each law `law_choice` names (records in input order, laws in
    order of entry into force), the invalid records, and whether the input was one object."""
    laws = load_laws_or_exit(pack, law_choice)
    as_of_date = parse_as_of(as_of)
    items, single = read_json_records(read_text_input(path))
    items = duplicate_person_errors(items)
    decisions = [
        (evaluate(item.record, law, as_of_date, strict), law)
        for item in items
        if isinstance(item, ParsedRecord)
        for law in laws
    ]
    errors = [item for item in items if isinstance(item, RecordError)]
    return decisions, errors, single and law_choice != ALL_LAWS


ErrorLangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Also give each error a `message` in this language (en, ru or kk), naming the field by its label.",
    ),
]


def evaluate_command(
    file: FileArg,
    as_of: AsOfOpt = None,
    strict: StrictOpt = False,
    law_pack: PackOpt = None,
    lang: ErrorLangOpt = None,
    law: LawsOpt = DEFAULT_LAW_ID,
) -> None:
    """Decide every record in FILE and print the decisions as JSON (one object for one record, else an
    array). Invalid records are reported on stderr as JSON, naming the field and the problem; the
    others are still decided. Exit code 0 when every record was evaluated, 1 when some were invalid."""
    if lang is not None and lang not in OUTCOME_WORDS[Outcome.RELEASE]:
        raise typer.BadParameter("--lang must be en, ru or kk")
    decisions, errors, single = _decide(file, as_of, strict, law_pack, law)
    payload = [decision.to_json_dict() for decision, _ in decisions]
    if single and len(payload) == 1:
        print_json(payload[0])
    elif not (single and not payload):
        print_json(payload)
    if errors:
        sys.stderr.write(
            json.dumps([error.to_json_dict(lang) for error in errors], ensure_ascii=False, indent=2) + "\n"
        )
        raise typer.Exit(1)


_EXPLAIN_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "person": "Person {person_id}",
        "acting_body": "Acting body",
        "as_of": "As of",
        "charges": "Charges",
        "article": "Article",
        "title": "Title",
        "category": "Category",
        "covered": "Covered",
        "why": "Why",
        "rule": "rule",
        "tasks": "Resocialisation tasks",
        "region_unknown": "region unknown",
        "open": "open",
        "version": "Law version {version}, engine {engine}",
        "invalid": "Record {index} ({person}) is invalid:",
        "no_person": "no person_id",
    },
    "ru": {
        "person": "Лицо {person_id}",
        "acting_body": "Исполняющий орган",
        "as_of": "Дата расчёта",
        "charges": "Обвинения",
        "article": "Статья",
        "title": "Название",
        "category": "Категория",
        "covered": "Амнистия",
        "why": "Почему",
        "rule": "правило",
        "tasks": "Задачи по ресоциализации",
        "region_unknown": "регион не указан",
        "open": "открыта",
        "version": "Версия пакета закона {version}, движок {engine}",
        "invalid": "Запись {index} ({person}) содержит ошибки:",
        "no_person": "без идентификатора",
    },
    "kk": {
        "person": "Адам {person_id}",
        "acting_body": "Орындаушы орган",
        "as_of": "Есептеу күні",
        "charges": "Айыптар",
        "article": "Бап",
        "title": "Атауы",
        "category": "Санаты",
        "covered": "Рақымшылық",
        "why": "Себебі",
        "rule": "ереже",
        "tasks": "Ресоциализация міндеттері",
        "region_unknown": "өңір көрсетілмеген",
        "open": "ашық",
        "version": "Заң пакетінің нұсқасы {version}, қозғалтқыш {engine}",
        "invalid": "{index}-жазбада қате бар ({person}):",
        "no_person": "сәйкестендіргішсіз",
    },
}
"""The headings of `explain`; the vocabulary (bodies, categories, flags, tasks) comes from the
documents' word lists, so the terminal and the documents say the same thing."""


def _explain_one(console: Console, decision: Decision, law: Law, language: str) -> None:
    words = _EXPLAIN_WORDS[language]
    labels = DocumentRenderer().labels(language)
    style = _OUTCOME_STYLE[decision.outcome]
    lines = [f"[bold {style}]{headline(decision, language)}[/]"]
    for flag in (Flag.PROVISIONAL_BASIS, Flag.INTERPRETATION):
        if flag in decision.flags:
            lines.append(f"[bold yellow]{labels.word('flag', flag.value)}[/]")
    lines.append(
        f"{words['acting_body']}: {labels.word('acting_body', decision.acting_body.value)}   "
        f"{words['as_of']}: {format_date(decision.as_of, language)}"
    )
    console.print(
        Panel("\n".join(lines), title=words["person"].format(person_id=decision.person_id), expand=False)
    )
    charges = Table(title=words["charges"], show_lines=False)
    for column in ("article", "title", "category", "covered", "why"):
        charges.add_column(words[column])
    for charge in decision.charges:
        covered = labels.word("covered", str(charge.covered).lower())
        why = "\n".join(f"[{words['rule']} {r.rule}] {reason_text(r, language, law)}" for r in charge.reasons)
        code_ref = f"Criminal Code art. {charge.article}" + (f" part {charge.part}" if charge.part else "")
        ref = render_cites(code_ref, language)
        category = labels.word("category", charge.category.value if charge.category else "unknown")
        title = law.title(charge.article, charge.part, language) or charge.title or ""
        charges.add_row(ref, title, category, covered, why)
    console.print(charges)
    if decision.reasons:
        console.print(f"[bold]{words['why']}[/]")
        for r in decision.reasons:
            provenance = labels.word("provenance", r.provenance.value)
            console.print(
                f"  • {reason_text(r, language, law)}  [dim]({words['rule']} {r.rule}; "
                f"{cites_text(r, language)}; {provenance})[/]"
            )
    print_questions(console, decision, language)
    if decision.resocialisation:
        console.print(f"[bold]{words['tasks']}[/]")
        for task in decision.resocialisation:
            akimat = region_name(task.region, language) if task.region else words["region_unknown"]
            console.print(f"  • {labels.word('task', task.kind.value)} — {akimat}")
    console.print(
        "[dim]"
        + words["version"].format(version=decision.law_version, engine=decision.engine_version)
        + "[/]\n"
    )


def explain_command(
    file: FileArg,
    as_of: AsOfOpt = None,
    strict: StrictOpt = False,
    law_pack: PackOpt = None,
    lang: LangOpt = "en",
    law: LawsOpt = DEFAULT_LAW_ID,
) -> None:
    """Explain the decision for each record in FILE in plain words: what happens to the person, why,
    and under which rules and articles (under each law with `--law all`)."""
    if lang not in OUTCOME_WORDS[Outcome.RELEASE]:
        raise typer.BadParameter("--lang must be en, ru or kk")
    decisions, errors, _ = _decide(file, as_of, strict, law_pack, law)
    console = Console()
    for decision, decided_under in decisions:
        _explain_one(console, decision, decided_under, lang)
    for error in errors:
        problems = "; ".join(e.message(lang) for e in error.errors)
        heading = _EXPLAIN_WORDS[lang]["invalid"].format(
            index=error.index, person=error.person_id or _EXPLAIN_WORDS[lang]["no_person"]
        )
        console.print(f"[red]{heading}[/] {problems}")
    if errors:
        raise typer.Exit(1)


def law_command(
    context: typer.Context,
    law_pack: PackOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole pack as JSON.")] = False,
    law_id: LawOpt = DEFAULT_LAW_ID,
) -> None:
    """Show one law's pack: dates, the Article 1 list, exclusions and relief, each with its provenance
    (verified, reported, inferred, assumed, unverified). `amnesty laws` lists the registered laws;
    `amnesty law new ID --from ID` starts a new law from an existing one."""
    if context.invoked_subcommand is not None:
        return
    law = load_law_or_exit(law_pack, law_id)
    pack = law.pack
    catalogue = catalogue_view(law)
    if as_json:
        print_json(
            {
                "version": law.version,
                **pack.model_dump(mode="json"),
                "catalogue": {"code": law.catalogue.code, "note": law.catalogue.note, "entries": catalogue},
            }
        )
        return
    console = Console()
    console.print(Panel(f"[bold]{pack.title.en}[/]\n{pack.title.ru}\nversion {law.version}", expand=False))
    dates = Table(title="Dates")
    for column in ("Date", "Value", "Provenance"):
        dates.add_column(column)
    window = pack.dates.offence_window
    dates.add_row("signed", str(pack.dates.signed.value), pack.dates.signed.provenance.value)
    dates.add_row(
        "entry into force",
        str(pack.dates.entry_into_force.value),
        pack.dates.entry_into_force.provenance.value,
    )
    if window is not None:
        dates.add_row("offence window", f"{window.start} .. {window.end}", window.provenance.value)
    else:
        dates.add_row("offences", f"before {pack.dates.entry_into_force.value}", "-")
    console.print(dates)
    listed = pack.article_list
    known = f"known through art. {listed.known_through}" if listed is not None else "no list: every article"
    articles = Table(title=f"Article list ({known})")
    for column in ("Article", "Parts", "Title", "Provenance"):
        articles.add_column(column)
    for entry in listed.entries if listed is not None else ():
        parts = "all" if entry.parts == "all" else ", ".join(map(str, entry.parts))
        marker = {"verified": "green", "inferred": "yellow", "unverified": "red"}.get(
            entry.provenance.value, "white"
        )
        articles.add_row(
            str(entry.article),
            parts,
            law.title(entry.article, None) or "",
            f"[{marker}]{entry.provenance.value}[/]",
        )
    console.print(articles)
    exclusions = Table(title="Exclusions")
    for column in ("Rule", "Code", "Trigger", "Provenance", "Cites"):
        exclusions.add_column(column)
    for exclusion in pack.exclusions:
        trigger = exclusion.tag.value if exclusion.tag else "recidivism"
        exclusions.add_row(
            exclusion.rule, exclusion.code, trigger, exclusion.provenance.value, exclusion.cites
        )
    console.print(exclusions)
    rules = Table(title="Rules")
    for column in ("Rule", "Title", "Cites", "Provenance"):
        rules.add_column(column)
    for rule_id, rule in pack.rules.items():
        rules.add_row(rule_id, rule.title.en, rule.cites, rule.provenance.value)
    console.print(rules)
    code = Table(title="Criminal Code catalogue (category computed from the sanction, art. 10-11)")
    for column in ("Article", "Title", "Sanction", "Category", "Kinds", "Provenance", "Source"):
        code.add_column(column)
    for row in catalogue:
        code.add_row(*_catalogue_cells(row))
    console.print(code)
    for note in pack.notes:
        console.print(Panel(f"{note.text.en}\n[dim]{note.provenance.value}[/]", title=note.id, expand=False))


def _catalogue_cells(row: dict[str, Any]) -> tuple[str, ...]:
    """One catalogue row as table cells (facts, derived category, kinds with conditions, source)."""
    ref = article_words(row["article"], row.get("part"), "en")  # 188 or "188-1"
    sanction = row.get("sanction") or {}
    facts = ", ".join(sanction.get("kinds", []))
    if sanction.get("max_years"):
        facts += f"; up to {sanction['max_years']} y"
    if sanction.get("life"):
        facts += "; life"
    if sanction.get("guilt") == "negligent":
        facts += "; negligent"
    kinds = "; ".join(
        kind["tag"]
        + (
            ""
            if kind.get("condition", "always") == "always"
            else f" ({kind['condition']}"
            + (f" {', '.join(map(str, kind['points']))}" if kind.get("points") else "")
            + ")"
        )
        for kind in row.get("kinds", [])
    )
    source = row.get("source") or {}
    where = f"{source.get('document', '')} {source.get('location', '')}, {source.get('edition', '')}"
    if source.get("may_differ_2022"):
        where += " [yellow](may differ in Jan 2022)[/]"
    return (
        ref,
        row["title"]["en"] or "",
        facts,
        row["category"] or "—",
        kinds or "—",
        row["provenance"],
        where,
    )


def laws_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON, for programs.")] = False,
    lang: LangOpt = "en",
) -> None:
    """List the registered amnesty laws (id, title, dates with their provenance), in order of entry into
    force. Any of these ids goes to `--law`; `amnesty law --law ID` shows one law whole."""
    if lang not in OUTCOME_WORDS[Outcome.RELEASE]:
        raise typer.BadParameter("--lang must be en, ru or kk")
    try:
        laws = registered_laws()
    except LawPackError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        print_json([law_summary(law) for law in laws])
        return
    words = _LAWS_WORDS[lang]
    table = Table(title=words["title"])
    for column in ("id", "law", "signed", "in_force", "window"):
        table.add_column(words[column], no_wrap=column == "id")
    labels = DocumentRenderer().labels(lang)
    for law in laws:
        dates = law.pack.dates
        window = dates.offence_window

        def dated(day: dt.date | None, provenance: Provenance) -> str:
            shown = format_date(day, lang) if day is not None else "-"
            return f"{shown} ({labels.word('provenance', provenance.value)})"

        table.add_row(
            law.pack.id,
            str(getattr(law.pack.title, lang)),
            dated(dates.signed.value, dates.signed.provenance),
            dated(law.entry_into_force, dates.entry_into_force.provenance),
            (
                f"{format_date(window.start, lang)} - {dated(window.end, window.provenance)}"
                if window is not None
                else "-"
            ),
        )
    Console().print(table)


_LAWS_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Registered amnesty laws",
        "id": "Id",
        "law": "Law",
        "signed": "Signed",
        "in_force": "In force from",
        "window": "Offences committed",
    },
    "ru": {
        "title": "Зарегистрированные законы об амнистии",
        "id": "Код",
        "law": "Закон",
        "signed": "Подписан",
        "in_force": "Вступил в силу",
        "window": "Деяния совершены",
    },
    "kk": {
        "title": "Тіркелген рақымшылық туралы заңдар",
        "id": "Коды",
        "law": "Заң",
        "signed": "Қол қойылды",
        "in_force": "Күшіне енді",
        "window": "Әрекеттер жасалған кезең",
    },
}


def law_new_command(
    new_id: Annotated[
        str, typer.Argument(help="The new law's id, e.g. kz-2026-123-viii.", show_default=False)
    ],
    source: Annotated[str, typer.Option("--from", help="The registered law to start from.")] = DEFAULT_LAW_ID,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help=f"Folder of law packs to write into (default: the first folder of {LAW_PATH_VARIABLE}, else ./laws).",
        ),
    ] = None,
) -> None:
    """Start a new law from an existing one: writes a draft pack (every fact unverified until a lawyer
    sets its provenance from the new law's text) and a scenario file to fill in, into OUT/<id>/."""
    folders = [item for item in os.environ.get(LAW_PATH_VARIABLE, "").split(os.pathsep) if item.strip()]
    target = out if out is not None else Path(folders[0]) if folders else Path("laws")
    try:
        folder = write_draft(new_id, source, target)
    except LawPackError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote the draft of {new_id} (from {source}) to {folder}")
    typer.echo(f"next: set each fact's provenance from the text; {LAW_PATH_VARIABLE}={target} amnesty laws")


def register(app: typer.Typer) -> None:
    """Add the engine commands to the application."""
    app.command("laws")(laws_command)
    app.command("evaluate")(evaluate_command)
    app.command("explain")(explain_command)
    law_app = typer.Typer(invoke_without_command=True, add_completion=False)
    law_app.callback()(law_command)
    law_app.command("new")(law_new_command)
    app.add_typer(law_app, name="law")
