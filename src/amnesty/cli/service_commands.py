"""Commands for the service: serve, db, users, audit (issue: the service)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this group's commands to the application (none yet)."""
