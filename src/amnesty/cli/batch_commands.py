"""Commands for bulk runs: `batch` (decide a registry extract), `synth` (a synthetic registry),
`bench` (time a run against the I/O floor)."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from amnesty.batch.compact import UnknownLanguageError, check_languages
from amnesty.batch.outputs import Summary
from amnesty.batch.process import RunSettings
from amnesty.batch.publish import EXIT_FAILED, RunFailedError
from amnesty.batch.resume import ResumeRefusedError
from amnesty.batch.run import DEFAULT_ROWS_PER_CHUNK, Engine, progress_wanted, run_batch
from amnesty.cli.common import LawOpt, load_law_or_exit, parse_as_of
from amnesty.io.sources import FileReadError
from amnesty.law.registry import DEFAULT_LAW_ID
from amnesty.service.exports import ExportFormat, record_template

InputArg = Annotated[
    Path, typer.Argument(help="Case records: .csv, .xlsx, .parquet or .jsonl.", exists=True, dir_okay=False)
]
OutOpt = Annotated[Path, typer.Option("--out", help="Directory for the output files (created if needed).")]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Evaluation date (ISO); default: the law's entry into force.")
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Treat unverified list entries and tags as needs_review.")
]
PackOpt = Annotated[
    Path | None, typer.Option("--law-pack", help="A law pack YAML file instead of the bundled one.")
]
EngineOpt = Annotated[Engine, typer.Option("--engine", help="local (this machine) or dask (a Dask cluster).")]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786), for --engine dask."),
]
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", min=1, help="Worker processes for the local engine (default: one per core)."),
]
EncodingOpt = Annotated[
    str, typer.Option("--encoding", help="Text encoding of CSV and JSON Lines input (e.g. cp1251).")
]
FastOpt = Annotated[
    bool,
    typer.Option(
        "--fast-path/--no-fast-path",
        help="Columnar screen of typed (Parquet) input for plainly uncovered persons (same bytes); --no-fast-path validates and decides everyone the plain way.",
    ),
]
ChunkOpt = Annotated[int, typer.Option("--chunk-rows", min=1, help="Rows per chunk of work.")]
LangOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--lang",
        help="Add the sentences a person reads, in this language (ru, kk, en; repeatable). "
        "Default: compact decisions (codes, facts, citations).",
    ),
]
ZstOpt = Annotated[
    bool,
    typer.Option(
        "--zst/--no-zst",
        help="Write the decisions as decisions.jsonl.zst, compressed with zstd (the default: a small "
        "fraction of the plain size; zstdcat, DuckDB, pandas and amnesty report read it), or, with "
        "--no-zst, as plain decisions.jsonl.",
    ),
]

ConnectTimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--connect-timeout",
        min=0.1,
        help="Seconds to try reaching the Dask scheduler before the run fails (exit 3); default: "
        "Dask's distributed.comm.timeouts.connect, 30 s.",
    ),
]
ResumeOpt = Annotated[
    bool,
    typer.Option(
        "--resume",
        help="Continue an interrupted run into --out from its completed chunks (same input and "
        "settings; the files are the bytes an uninterrupted run writes).",
    ),
]

DebugOpt = Annotated[
    bool, typer.Option("--debug", help="On a failed run, print the traceback after the one-line message.")
]

EXIT_DECIDED = 0
EXIT_REJECTED = 1
EXIT_BAD_INPUT = 2
"""The exit codes of `amnesty batch` (docs/batch.md): every row decided; some rows rejected; a bad
option or an input that could not be read; the run failed (nothing published)."""


def _print_summary(summary: Summary, out: Path) -> None:
    console = Console(stderr=True)
    table = Table(title=f"amnesty batch: {summary.input_name}")
    table.add_column("")
    table.add_column("rows", justify="right")
    table.add_column("persons", justify="right")
    table.add_row("decided", f"{summary.rows_decided:,}", f"{summary.persons_decided:,}")
    table.add_row("rejected", f"{summary.rows_rejected:,}", f"{summary.persons_rejected:,}")
    table.add_row("[bold]in[/]", f"[bold]{summary.rows_in:,}[/]", "")
    console.print(table)
    outcomes = Table(title="Outcomes")
    outcomes.add_column("outcome")
    outcomes.add_column("persons", justify="right")
    for outcome, count in sorted(summary.counts["outcome"].items()):
        outcomes.add_row(outcome, f"{count:,}")
    console.print(outcomes)
    for problem in summary.file_problems:
        console.print(f"[red]file problem:[/] {problem}")
    console.print(f"outputs in {out}")


def batch_command(
    input_file: InputArg,
    out: OutOpt,
    as_of: AsOfOpt = None,
    strict: StrictOpt = False,
    law_pack: PackOpt = None,
    law: LawOpt = DEFAULT_LAW_ID,
    engine: EngineOpt = Engine.LOCAL,
    scheduler: SchedulerOpt = None,
    jobs: JobsOpt = None,
    encoding: EncodingOpt = "utf-8",
    chunk_rows: ChunkOpt = DEFAULT_ROWS_PER_CHUNK,
    fast_path: FastOpt = True,
    lang: LangOpt = None,
    zst: ZstOpt = True,
    resume: ResumeOpt = False,
    connect_timeout: ConnectTimeoutOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Decide every person in a registry extract (CSV, XLSX, Parquet or JSON Lines: one row per
    charge, person fields repeated). Writes decisions.parquet, decisions.csv, decisions.jsonl.zst
    (compact: codes, facts, citations; --lang adds sentences; --no-zst writes it plain), rejected.csv
    (every row that could not be read or validated, and why) and summary.json, where
    rows_in = rows_decided + rows_rejected, then manifest.json (sizes and hashes) last: the files are
    published only when all are complete. Exit code 0 when every row was decided, 1 when some rows were
    rejected, 2 for a bad option or an input that could not be read, 3 when the run failed (the
    outputs could not be written, the engine or the Dask cluster failed): nothing is published then.
    --resume continues a killed or failed run from its completed chunks."""
    if engine is Engine.DASK and scheduler is None:
        raise typer.BadParameter("--engine dask needs --scheduler ADDRESS")
    try:
        languages = check_languages(lang or [])
    except UnknownLanguageError as error:
        raise typer.BadParameter(str(error), param_hint="--lang") from None
    if engine is Engine.DASK and connect_timeout is not None:
        from amnesty.batch.dask_engine import set_connect_timeout

        set_connect_timeout(connect_timeout)
    load_law_or_exit(law_pack, law)  # an unknown id or a bad pack stops here (exit 2), before any output
    settings = RunSettings(
        law_pack=str(law_pack) if law_pack is not None else None,
        law_id=law,
        as_of=parse_as_of(as_of),
        strict=strict,
        fast_path=fast_path,
        languages=languages,
    )
    try:
        summary = run_batch(
            input_file,
            out,
            settings,
            engine=engine,
            jobs=jobs,
            scheduler=scheduler,
            encoding=encoding,
            rows_per_chunk=chunk_rows,
            show_progress=progress_wanted(),
            zstd=zst,
            rejected_language=languages[0] if languages else "en",
            resume=resume,
        )
    except ResumeRefusedError as refused:
        typer.echo(f"error: {refused}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except RunFailedError as failure:
        if debug:
            traceback.print_exc(file=sys.stderr)
        typer.echo(f"error: the run failed ({failure.kind.value}): {failure.message}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    if resume:
        typer.echo(
            f"resumed: {summary.resumed_chunks} completed chunks of the interrupted run reused", err=True
        )
    _print_summary(summary, out)
    if summary.file_problems:
        raise typer.Exit(EXIT_BAD_INPUT)
    if summary.rows_rejected:
        raise typer.Exit(EXIT_REJECTED)


def synth_command(
    preset: Annotated[
        str,
        typer.Option(
            "--preset",
            help="january (the January 2022 cases), national, or independence-2021 (the penal "
            "population on the 2021 Independence amnesty's entry into force).",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Output file: .parquet, .csv, .jsonl or .xlsx.")],
    persons: Annotated[
        int | None,
        typer.Option(
            "--persons",
            min=0,
            help="How many persons (default: january 2,400; national 1,000,000; independence-2021 80,000).",
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed gives the same registry.")
    ] = 0,
) -> None:
    """Generate a synthetic registry (invented persons only), seeded and reproducible."""
    from amnesty.synth.generate import generate
    from amnesty.synth.independence_table import INDEPENDENCE_DEFAULT_PERSONS
    from amnesty.synth.presets import JANUARY_DEFAULT_PERSONS, Preset
    from amnesty.synth.write import write_registry

    try:
        chosen = Preset(preset)
    except ValueError:
        raise typer.BadParameter("--preset must be january, national or independence-2021") from None
    defaults = {
        Preset.JANUARY: JANUARY_DEFAULT_PERSONS,
        Preset.INDEPENDENCE_2021: INDEPENDENCE_DEFAULT_PERSONS,
    }
    count = persons if persons is not None else defaults.get(chosen, 1_000_000)
    try:
        rows = write_registry(generate(chosen, count, seed), out, facts=chosen is Preset.INDEPENDENCE_2021)
    except FileReadError as error:
        raise typer.BadParameter(str(error)) from None
    typer.echo(f"wrote {count:,} persons ({rows:,} rows) to {out}", err=True)


def bench_command(
    persons: Annotated[
        int, typer.Option("--persons", min=1, help="Persons in the national registry.")
    ] = 1_000_000,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a table.")
    ] = False,
    data_dir: Annotated[
        Path, typer.Option("--data-dir", help="Where generated registries are cached.")
    ] = Path("bench-data"),
    jobs: JobsOpt = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generated registry.")] = 0,
    keep_output: Annotated[
        bool, typer.Option("--keep-output", help="Keep the batch outputs under --data-dir.")
    ] = False,
    fast_path: FastOpt = True,
    zst: ZstOpt = True,
) -> None:
    """Time an end-to-end batch over a national registry of N persons against the I/O floor (reading
    and writing the same data with no validation and no decisions)."""
    from amnesty.batch.bench import run_bench

    result = run_bench(
        persons,
        data_dir,
        jobs=jobs,
        seed=seed,
        keep_output=keep_output,
        log=not as_json,
        fast_path=fast_path,
        zstd=zst,
    )
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    table = Table(title=f"amnesty bench: {persons:,} persons")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        table.add_row(
            key,
            f"{value:,.3f}"
            if isinstance(value, float)
            else f"{value:,}"
            if isinstance(value, int)
            else str(value),
        )
    Console().print(table)


def template_command(
    law: LawOpt = DEFAULT_LAW_ID,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv or xlsx.")] = ExportFormat.CSV,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="The file to write; default records-template-<law>.<format> here."),
    ] = None,
) -> None:
    """Write the upload template of a law: the columns its rules read and one example row it decides on
    (the same file as the upload page's)."""
    template = record_template(fmt, load_law_or_exit(None, law))
    path = out if out is not None else Path(template.filename)
    path.write_bytes(template.content)
    typer.echo(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Add the bulk-run commands to the application."""
    app.command("batch")(batch_command)
    app.command("template")(template_command)
    app.command("synth")(synth_command)
    app.command("bench")(bench_command)
