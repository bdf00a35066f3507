"""The signing key for session cookies and CSRF tokens.

Taken from `AMNESTY_SECRET_KEY`, or else generated once into `<data dir>/secret_key` (mode 0600).
It is never part of the repository.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from amnesty.store.db import data_dir

SECRET_ENV = "AMNESTY_SECRET_KEY"  # noqa: S105 (the variable's name, not a secret)


def secret_key() -> str:
    """The configured key, or the generated one in the data directory."""
    configured = os.environ.get(SECRET_ENV)
    if configured:
        return configured
    path = data_dir() / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return _generate(path)


def _generate(path: Path) -> str:
    key = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key)
    return key
