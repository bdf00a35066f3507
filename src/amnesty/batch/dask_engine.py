"""The Dask engine: the same chunks, decided on the workers of a Dask cluster.

The client (this process) reads the input and cuts it into chunks of whole persons, exactly as the
local engine does; each chunk goes to a worker as one task running `process_chunk`; results come
back and are written in chunk order by the client. So the output files are the same bytes as a local
run. At most a few chunks per worker are in flight, so the client's memory stays bounded.

The workers must have the same `amnesty` version installed (and see the law pack file, if one is
given with --law-pack).
"""

from __future__ import annotations

from collections.abc import Iterator

from amnesty.batch.process import ChunkResult, RunSettings, process_chunk
from amnesty.io.tabular import Chunk


def dask_results(chunks: Iterator[Chunk], settings: RunSettings, scheduler: str) -> Iterator[ChunkResult]:
    """Decide the chunks on the cluster at `scheduler`; yield results in chunk order."""
    from distributed import Client

    with Client(scheduler, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        workers = max(1, sum(client.nthreads().values()))
        from amnesty.batch.run import _in_window

        def submit(chunk: Chunk) -> object:
            return client.submit(process_chunk, chunk, settings, pure=False)

        yield from _in_window(submit, chunks, 2 * workers)  # type: ignore[arg-type]
