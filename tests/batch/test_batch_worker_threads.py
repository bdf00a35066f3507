"""Worker processes of a bulk run size Polars' thread pool to their share of the cores, keep a size the
user set, and leave the calling process's environment as it was."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

_PROBE = textwrap.dedent(
    """
    import json, os
    from functools import partial
    from amnesty.batch.run import map_chunks

    if __name__ == "__main__":
        threads = partial(os.getenv, "POLARS_MAX_THREADS")  # a worker's value, or the chunk when unset
        workers = sorted(set(map_chunks(threads, iter(["unset"] * 4), jobs=2)))
        print(json.dumps({"workers": workers, "caller": os.environ.get("POLARS_MAX_THREADS")}))
    """
)


@pytest.mark.parametrize("given", [None, "3"])
def test_workers_get_their_share_of_the_cores(given: str | None, tmp_path: object) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "POLARS_MAX_THREADS"}
    if given is not None:
        environment["POLARS_MAX_THREADS"] = given
    ran = subprocess.run(
        [sys.executable, "-c", _PROBE], env=environment, capture_output=True, text=True, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    found = __import__("json").loads(ran.stdout)
    share = str(max(1, (os.cpu_count() or 1) // 2))
    assert found["workers"] == [given or share]
    assert found["caller"] == given
