"""Helpers shared by the command modules: reading input files, loading the law, JSON output."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from amnesty.law.loader import Law, LawPackError, load_law
from amnesty.law.registry import ALL_LAWS, DEFAULT_LAW_ID, resolve_laws

LawOpt = Annotated[
    str,
    typer.Option(
        "--law",
        help=f"The law to decide under: a registered law's id (see `amnesty laws`); default {DEFAULT_LAW_ID}.",
    ),
]
LawsOpt = Annotated[
    str,
    typer.Option(
        "--law",
        help=(
            "The law to decide under: a registered law's id (see `amnesty laws`), or "
            f"'{ALL_LAWS}' for one decision per record and law; default {DEFAULT_LAW_ID}."
        ),
    ),
]


def read_text_input(path: Path) -> str:
    """Read a text file (or standard input for '-'), failing with a clear message."""
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise typer.BadParameter(f"no such file: {path}") from None
    except UnicodeDecodeError as error:
        raise typer.BadParameter(f"{path} is not UTF-8 text (byte {error.start})") from None


def load_law_or_exit(pack: Path | None, law_id: str = DEFAULT_LAW_ID) -> Law:
    """The registered law `law_id`, or the pack file `pack` when one is given; a pack that does not
    load or an unknown id stops with the loader's message (file, field, problem) and exit code 2."""
    if law_id == ALL_LAWS:
        typer.echo(f"error: --law {ALL_LAWS} is not available for this command; name one law", err=True)
        raise typer.Exit(2)
    return load_laws_or_exit(pack, law_id)[0]


def load_laws_or_exit(pack: Path | None, choice: str = DEFAULT_LAW_ID) -> tuple[Law, ...]:
    """The laws a `--law` value names (one id or `all`), or the pack file `pack` when one is given;
    exit code 2 with the loader's message when one does not load or the id is unknown."""
    try:
        return (load_law(pack),) if pack is not None else resolve_laws(choice)
    except LawPackError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None


def parse_as_of(value: str | None) -> dt.date | None:
    """Parse the --as-of option (ISO date)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"--as-of must be an ISO date (YYYY-MM-DD), got {value!r}") from None


def print_json(data: Any) -> None:
    """Write JSON to standard output (UTF-8, indented)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def progress_bar(console: Console, enabled: bool = True) -> Progress:
    """The progress bar of a long database command (`db import`, `db reevaluate`): its description,
    the bar, done of total, and the time elapsed, on `console` (stderr)."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not enabled,
    )
