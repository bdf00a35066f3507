"""Commands for bulk runs: batch, synth, bench (issue: bulk runs)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this group's commands to the application (none yet)."""
