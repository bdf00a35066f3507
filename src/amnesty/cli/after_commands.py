"""Commands for after the decision: `impact` (what-if of a variant), `report` (statistics),
`document` (draft decision documents) and `tasks` (resocialisation tasks export)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable

from amnesty.batch.process import RunSettings
from amnesty.batch.publish import EXIT_FAILED, RunFailedError
from amnesty.batch.run import Engine
from amnesty.cli.common import LawOpt, load_law_or_exit, parse_as_of, print_json
from amnesty.cli.summaries import say
from amnesty.documents.court import DocumentKind, DocumentNotAvailableError, available_kinds
from amnesty.documents.render import DocumentFormat, DocumentRenderer, TemplateError
from amnesty.domain.decision import Decision
from amnesty.domain.records import CaseRecord
from amnesty.engine.evaluate import evaluate
from amnesty.impact.compare import ImpactReport, run_impact
from amnesty.impact.output import impact_summary, impact_tables, write_impact
from amnesty.impact.runner import run_impact_file
from amnesty.impact.variant import read_variant, variant_law
from amnesty.io.json_records import RecordError
from amnesty.law.loader import LawPackError
from amnesty.law.registry import DEFAULT_LAW_ID
from amnesty.render.formats import LANGUAGES, format_date, format_number
from amnesty.render.vocabulary import table_word, term
from amnesty.reports.inputs import (
    TABULAR_SUFFIXES,
    InputError,
    RecordsRead,
    looks_like_decisions,
    read_decisions,
    read_records,
)
from amnesty.reports.output import write_report
from amnesty.reports.statistics import Statistics, StatRow, stat_row
from amnesty.reports.tables import cell_text
from amnesty.resocialisation.export import export_region_xlsx, region_order
from amnesty.resocialisation.tasks import TaskPolicy, summary_by_region, tasks_from_decision

InputArg = Annotated[
    Path, typer.Argument(help="Case records: JSON, JSON Lines, CSV, XLSX or Parquet.", show_default=False)
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
ReaderLangOpt = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Language of what people read (XLSX, Markdown, charts, printed tables): ru, kk or en. "
        "JSON and CSV files keep the stable codes.",
    ),
]


def _reader_language(value: str) -> str:
    if value not in LANGUAGES:
        raise typer.BadParameter(
            f"unknown language {value!r}; use one of {', '.join(LANGUAGES)}", param_hint="--lang"
        )
    return value


def _report_errors(errors: tuple[RecordError, ...]) -> None:
    if errors:
        sys.stderr.write(
            json.dumps([error.to_json_dict() for error in errors], ensure_ascii=False, indent=2) + "\n"
        )


def _load_records(path: Path) -> RecordsRead:
    try:
        read = read_records(path)
    except InputError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    _report_errors(read.errors)
    return read


def _print_impact(report: ImpactReport, language: str) -> None:
    """The impact report as printed tables in `language` (the same tables as impact.xlsx)."""
    console = Console()
    for line in impact_summary(report, language):
        console.print(line, markup=False)
    for table in impact_tables(report, language):
        if table.name == table_word("changed_persons", language):
            continue
        printed = RichTable(title=table.name)
        numeric = [
            any(isinstance(row[i], int | float) for row in table.rows) for i in range(len(table.header))
        ]
        for header, is_number in zip(table.header, numeric, strict=True):
            printed.add_column(header, justify="right" if is_number else "left")
        for row in table.rows:
            printed.add_row(*(cell_text(cell, language) for cell in row))
        console.print(printed)


def impact_command(
    input_file: InputArg,
    variant: Annotated[
        Path | None, typer.Option("--variant", help="The variant: a YAML overlay on the law (`--law`).")
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="Compare the law `--law` against this registered law (instead of a --variant): "
            "who would fare differently under one than under the other.",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Directory for impact.json, CSV/XLSX tables and charts.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    as_of: AsOfOpt = None,
    strict: StrictOpt = False,
    law_pack: PackOpt = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", min=1, help="Worker processes for CSV/XLSX/Parquet input (default: one per core)."
        ),
    ] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help="local (this machine) or dask (a Dask cluster).")
    ] = Engine.LOCAL,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address, for --engine dask.")
    ] = None,
    lang: ReaderLangOpt = "en",
    law: LawOpt = DEFAULT_LAW_ID,
) -> None:
    """What-if: decide every record under the baseline law (`--law`) and under the VARIANT, or under
    `--law A` and a second registered law `--against B` (B is the baseline), and report who changes
    outcome (from -> to), person-years of imprisonment removed, by region and category. A variant that
    does not validate against the law-pack schema is refused (exit 2) naming the field and the problem.
    CSV, XLSX and Parquet registries run chunk by chunk on the bulk runner (worker processes or Dask).
    Exit 1 when some input records were invalid (their errors on stderr; the others are compared)."""
    language = _reader_language(lang)
    if (variant is None) == (against is None):
        raise typer.BadParameter("give either --variant FILE or --against LAW_ID")
    pack = str(law_pack) if law_pack is not None else None
    date = parse_as_of(as_of)
    if against is not None:
        baseline = load_law_or_exit(None, against)
        changed = load_law_or_exit(law_pack, law)
        name = changed.pack.id
        baseline_settings = RunSettings(law_id=against, as_of=date, strict=strict)
        changed_settings = RunSettings(law_pack=pack, law_id=law, as_of=date, strict=strict)
    else:
        assert variant is not None
        baseline = load_law_or_exit(law_pack, law)
        try:
            parsed = read_variant(variant)
            changed = variant_law(parsed, law_pack, law)
        except LawPackError as error:
            typer.echo(f"error: variant refused: {error}", err=True)
            raise typer.Exit(2) from None
        name = parsed.name
        text = variant.read_text(encoding="utf-8")
        baseline_settings = RunSettings(law_pack=pack, law_id=law, as_of=date, strict=strict)
        changed_settings = RunSettings(
            law_pack=pack, law_id=law, as_of=date, strict=strict, variant=(text, str(variant))
        )
    if engine is Engine.DASK and scheduler is None:
        raise typer.BadParameter("--engine dask needs --scheduler ADDRESS")
    if input_file.suffix.lower() in TABULAR_SUFFIXES and input_file.is_file():
        try:
            report = run_impact_file(
                input_file,
                baseline_settings,
                changed_settings,
                name,
                engine=engine,
                jobs=jobs,
                scheduler=scheduler,
            )
        except RunFailedError as failure:
            typer.echo(f"error: the run failed ({failure.kind.value}): {failure.message}", err=True)
            raise typer.Exit(EXIT_FAILED) from None
        if report.rejected:
            typer.echo(f"{report.rejected} persons could not be read (see `amnesty batch`)", err=True)
    else:
        read = _load_records(input_file)
        report = run_impact(read.records, baseline, changed, name, date, strict, len(read.errors))
    if out is not None:
        written = write_impact(report, out, language)
        typer.echo(f"wrote {len(written)} files to {out}", err=True)
    if as_json:
        print_json(report.to_json_dict())
    else:
        _print_impact(report, language)
    if report.rejected:
        raise typer.Exit(1)


def _decisions_from(
    path: Path, as_of: str | None, strict: bool, law_pack: Path | None, law_id: str = DEFAULT_LAW_ID
) -> tuple[list[tuple[Decision, CaseRecord | None, dict[str, object]]], int]:
    """Decisions from a decisions file, or from records evaluated now; with the number of bad items."""
    try:
        if looks_like_decisions(path):
            read = read_decisions(path)
            _report_errors(read.errors)
            return [(d, None, e) for d, e in zip(read.decisions, read.extras, strict=True)], len(read.errors)
    except InputError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    law = load_law_or_exit(law_pack, law_id)
    records = _load_records(path)
    as_of_date = parse_as_of(as_of)
    return [(evaluate(r, law, as_of_date, strict), r, {}) for r in records.records], len(records.errors)


def report_command(
    decisions: Annotated[
        Path,
        typer.Argument(
            help="Decisions (JSON Lines as written by `amnesty batch`, or a JSON array) or case records "
            "(JSON, JSON Lines, CSV, XLSX, Parquet: evaluated first).",
            show_default=False,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Directory for the tables and charts.")],
    records: Annotated[
        Path | None,
        typer.Option(
            "--records",
            help="The case records the decisions were made from, to count decisions by stage, region, "
            "role and offence month (decisions alone do not carry these).",
        ),
    ] = None,
    as_of: AsOfOpt = None,
    strict: StrictOpt = False,
    law_pack: PackOpt = None,
    lang: ReaderLangOpt = "en",
    law: LawOpt = DEFAULT_LAW_ID,
) -> None:
    """Statistics of decisions: persons by outcome, stage, category, region, role, acting body and month,
    as CSV tables and report.json (codes), and report.xlsx, report.md and PNG/SVG charts in the `--lang`
    language. Exit 1 when some input items were invalid (on stderr)."""
    language = _reader_language(lang)
    items, bad = _decisions_from(decisions, as_of, strict, law_pack, law)
    by_person: dict[str, CaseRecord] = {}
    if records is not None:
        joined = _load_records(records)
        bad += len(joined.errors)
        by_person = {record.person_id: record for record in joined.records}
    rows: list[StatRow] = [stat_row(d, r or by_person.get(d.person_id), e) for d, r, e in items]
    statistics = Statistics.of(rows)
    written = write_report(statistics, out, language=language)
    typer.echo(say("report_done", language, rows=len(rows), bad=bad, files=len(written), out=out))
    if bad:
        raise typer.Exit(1)


def document_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="Case records (JSON, JSON Lines, CSV, XLSX, Parquet) or decisions.", show_default=False
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Directory for the documents.")],
    lang: Annotated[str, typer.Option("--lang", help="Language: ru, kk or en.")] = "ru",
    fmt: Annotated[DocumentFormat, typer.Option("--format", help="docx or pdf.")] = DocumentFormat.DOCX,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", help="A directory of edited templates (<lang>/<outcome>.md.j2) to use first."
        ),
    ] = None,
    as_of: AsOfOpt = None,
    strict: StrictOpt = False,
    law_pack: PackOpt = None,
    law: LawOpt = DEFAULT_LAW_ID,
    kind: Annotated[
        DocumentKind,
        typer.Option(
            "--kind",
            help="decision (every law, every outcome), or a document the law's pack declares for a release "
            "or a cut of a sentence being served (ru, kk): court_representation, person_letter.",
        ),
    ] = DocumentKind.DECISION,
) -> None:
    """Draft decision documents for the acting body, one per person, for every outcome: resolution to close
    the case, submission to reduce a sentence, notice of release, certificate of a removed conviction, and
    notices for the other outcomes; with `--kind`, the documents a law's pack declares (the representation
    to the court, the person's letter) for the persons whose decision calls for them. Exit 1 when some
    records were invalid (on stderr)."""
    items, bad = _decisions_from(file, as_of, strict, law_pack, law)
    renderer = DocumentRenderer(templates)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        for decision, record, _ in items:
            decided_under = load_law_or_exit(law_pack, decision.law)  # the law the decision was made under
            if kind not in available_kinds(decision, decided_under):
                continue
            document = renderer.render(decision, record, decided_under, lang, fmt, kind=kind)
            (out / document.filename).write_bytes(document.content)
            written += 1
    except (TemplateError, DocumentNotAvailableError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {written} documents ({lang}, {fmt.value}) to {out}")
    if bad:
        raise typer.Exit(1)


def tasks_export_command(
    file: Annotated[
        Path,
        typer.Argument(help="Case records (evaluated first) or decisions.", show_default=False),
    ],
    out: Annotated[Path, typer.Option("--out", help="The XLSX file to write.")],
    region: Annotated[
        str | None, typer.Option("--region", help="Only this region's tasks (default: every region).")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Day for the overdue count (ISO); default: today.")
    ] = None,
    due_days: Annotated[int, typer.Option("--due-days", help="Days from release until a task is due.")] = 30,
    as_of: AsOfOpt = None,
    strict: StrictOpt = False,
    law_pack: PackOpt = None,
    lang: ReaderLangOpt = "en",
    law: LawOpt = DEFAULT_LAW_ID,
) -> None:
    """Resocialisation tasks (rule T1) of the released persons, with overdue tasks per region, exported
    to XLSX for a region's report in the `--lang` language. Tasks are as the decisions create them
    (status open); the workflow with status changes lives in the service."""
    from amnesty.domain.regions import normalise_region

    language = _reader_language(lang)
    try:
        chosen = normalise_region(region) if region else None
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    day = parse_as_of(on) or dt.date.today()
    items, bad = _decisions_from(file, as_of, strict, law_pack, law)
    policy = TaskPolicy(due_days=due_days)
    tasks = [task for decision, _, _ in items for task in tasks_from_decision(decision, policy)]
    names = {r.person_id: r.full_name for _, r, _ in items if r is not None and r.full_name}
    export_region_xlsx(tasks, chosen, day, out, names, language)
    summaries = summary_by_region([t for t in tasks if chosen is None or t.region == chosen], day)
    for summary in region_order(summaries, language):
        line = table_word("tasks_line", language).format(
            region=term("region", summary.region, language),
            total=format_number(summary.total, language),
            overdue=format_number(summary.overdue, language),
            day=format_date(day, language),
        )
        typer.echo(line)
    typer.echo(f"wrote {out}")
    if bad:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this group's commands to the application."""
    app.command("impact")(impact_command)
    app.command("report")(report_command)
    app.command("document")(document_command)
    app.command("tasks-export")(tasks_export_command)
