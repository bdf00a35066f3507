"""Running `amnesty` as an operator does: the installed command in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

AMNESTY = str(Path(sys.executable).parent / "amnesty")
OUTPUTS = ("decisions.parquet", "decisions.csv", "decisions.jsonl.zst", "rejected.csv", "summary.json")


def environment(**extra: str) -> dict[str, str]:
    """This environment with Polars on one thread (two cores are shared) and no progress bar."""
    return {**os.environ, "POLARS_MAX_THREADS": "1", "CI": "true", **extra}


def amnesty(
    *args: str,
    timeout: float = 300,
    preexec: Callable[[], None] | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `amnesty ARGS` to its end."""
    return subprocess.run(
        [AMNESTY, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec,
        env=env or environment(),
        check=False,
    )


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def descendants(pid: int) -> set[int]:
    """Every process started under `pid`, however deep."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children(todo.pop()) - found:
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting for its parent counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
