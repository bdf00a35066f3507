"""Entry point of the `amnesty` command: registers every command group."""

from __future__ import annotations

import typer

from amnesty import __version__
from amnesty.cli import (
    after_commands,
    ask_commands,
    batch_commands,
    engine_commands,
    integrity_commands,
    jobs_commands,
    service_commands,
)

app = typer.Typer(
    name="amnesty",
    help="Apply Kazakhstan's Law No. 152-VII 'On Amnesty' (2022) to criminal case records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"amnesty {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Apply Kazakhstan's Law No. 152-VII 'On Amnesty' (2022) to criminal case records."""


engine_commands.register(app)
ask_commands.register(app)
batch_commands.register(app)
service_commands.register(app)
after_commands.register(app)
integrity_commands.register(app)

__all__ = ["app", "jobs_commands"]
