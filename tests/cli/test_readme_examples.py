"""Every `uv run amnesty ...` example in the README runs as written (exit code as the comment says)."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amnesty.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
LONG_RUNNING = ("serve", "bench")


def _examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("uv run amnesty")]


@pytest.mark.parametrize("line", _examples())
def test_readme_example_runs(line: str, tmp_path: Path) -> None:
    command, _, comment = line.partition("#")
    words = shlex.split(command)[3:]
    if any(word in LONG_RUNNING for word in words[:1]):
        pytest.skip(
            "long-running (a server, or a million-person benchmark): covered by the service and batch tests"
        )
    expected = 1 if re.search(r"\bexit 1\b", comment) else 0
    previous = Path.cwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, words)
    finally:
        os.chdir(previous)
    assert result.exit_code == expected, f"{line}\n{result.output}"


def test_readme_has_examples() -> None:
    assert len(_examples()) >= 7
