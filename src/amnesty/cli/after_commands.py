"""Commands for after the decision: report, impact, documents (issue: after the decision)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this group's commands to the application (none yet)."""
