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

R = TypeVar("R")
T = TypeVar("T")


def dask_map(function: Callable[[T], R], chunks: Iterator[T], scheduler: str) -> Iterator[R]:
    """`function` over the chunks on the cluster at `scheduler`; results in chunk order, at most two
    chunks per worker thread in flight."""
    from distributed import Client

    with Client(scheduler, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        window = 2 * max(1, sum(client.nthreads().values()))
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(client.submit(function, chunk, pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
