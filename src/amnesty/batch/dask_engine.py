"""The Dask side of the chunked runner: chunks read by the client, each decided as one task on a worker.

`dask_map` is what `amnesty.batch.run.map_chunks` uses for `--engine dask` (impact runs, and any
caller with chunks in hand). A batch run over a Parquet file with `--engine dask` goes further:
the workers read their own row groups and write their own part files (`amnesty.batch.scaleout`).

The workers must have the same `amnesty` version installed (and see the law pack file, if one is
given with --law-pack).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from amnesty.batch.publish import Failure, RunFailedError, describe

R = TypeVar("R")
T = TypeVar("T")


CONNECT_TIMEOUT_KEY = "distributed.comm.timeouts.connect"
"""Dask's setting of how long a client tries to reach the scheduler (30 s unless configured)."""


def set_connect_timeout(seconds: float) -> None:
    """Give up reaching the scheduler after `seconds` (for this process's Dask clients: `amnesty batch
    --connect-timeout`)."""
    import dask.config

    dask.config.set({CONNECT_TIMEOUT_KEY: f"{seconds}s"})


def connect(scheduler: str) -> Any:
    """A client of the cluster at `scheduler` (within Dask's connect timeout,
    `distributed.comm.timeouts.connect`); a scheduler that cannot be reached fails the run
    (`RunFailedError`, a cluster failure)."""
    from distributed import Client  # imported only for Dask runs (a heavy import)

    try:
        return Client(scheduler, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as error:
        raise RunFailedError(
            Failure.CLUSTER, f"cannot reach the Dask scheduler at {scheduler}: {describe(error)}"
        ) from None


def dask_map(function: Callable[[T], R], chunks: Iterator[T], scheduler: str) -> Iterator[R]:
    """`function` over the chunks on the cluster at `scheduler`; results in chunk order, at most two
    chunks per worker thread in flight."""
    with connect(scheduler) as client:
        window = 2 * max(1, sum(client.nthreads().values()))
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(client.submit(function, chunk, pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
