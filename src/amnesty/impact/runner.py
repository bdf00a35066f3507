"""Impact over a whole registry file on the chunked runner (local processes or Dask).

Each chunk of whole persons is decided twice by the bulk path (`amnesty.batch.process.process_chunk`:
the columnar screen and the engine), once under the baseline and once under the variant, and the two
decision frames are compared person by person into `PersonChange`s (outcome, days of custody removed
by `amnesty.impact.measure.removed_custody_days`, region, gravest category). So an impact run costs
two batch decisions without writing any decision file, and it scales as a batch run does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import polars as pl

from amnesty.batch.frames import PERSON, REGION, REMOVED
from amnesty.batch.process import RunSettings, process_chunk, settings_law
from amnesty.batch.run import DEFAULT_ROWS_PER_CHUNK, Engine, map_chunks
from amnesty.domain.enums import Outcome
from amnesty.impact.compare import UNKNOWN, ImpactReport, PersonChange
from amnesty.io.tabular import Chunk, open_source


@dataclass(frozen=True)
class ChunkImpact:
    """One chunk's comparison: a row per person decided under both laws, and the persons rejected."""

    changes: pl.DataFrame
    persons_rejected: int


def impact_chunk(chunk: Chunk, baseline: RunSettings, variant: RunSettings) -> ChunkImpact:
    """Decide a chunk under both laws and line the decisions up person by person."""
    before = process_chunk(chunk, baseline, keep_frame=True)
    after = process_chunk(chunk, variant, keep_frame=True)
    assert before.frame is not None
    assert after.frame is not None
    base = before.frame.select(PERSON, "person_id", REGION, "outcome", REMOVED)
    flat = pl.from_arrow(before.table.select(["category"]))
    assert isinstance(flat, pl.DataFrame)
    base = base.with_columns(flat.get_column("category").alias("base_category"))
    flat_after = pl.from_arrow(after.table.select(["category"]))
    assert isinstance(flat_after, pl.DataFrame)
    changed = after.frame.select(
        PERSON,
        pl.col("outcome").alias("variant"),
        pl.col(REMOVED).alias("variant_days"),
        flat_after.get_column("category").alias("variant_category"),
    )
    joined = base.join(changed, on=PERSON, how="inner", maintain_order="left").select(
        "person_id",
        pl.col(REGION).fill_null(UNKNOWN).alias("region"),
        pl.coalesce("base_category", "variant_category").fill_null(UNKNOWN).alias("category"),
        pl.col("outcome").alias("baseline"),
        "variant",
        pl.col(REMOVED).alias("baseline_days"),
        "variant_days",
    )
    return ChunkImpact(joined, before.persons_rejected)


def run_impact_file(
    path: Path,
    baseline: RunSettings,
    variant: RunSettings,
    variant_name: str,
    *,
    engine: Engine = Engine.LOCAL,
    jobs: int | None = None,
    scheduler: str | None = None,
    rows_per_chunk: int = DEFAULT_ROWS_PER_CHUNK,
    encoding: str = "utf-8",
) -> ImpactReport:
    """Compare the baseline and the variant over every person of a registry file (CSV, XLSX, Parquet,
    JSON Lines), chunk by chunk on the runner. Both settings must share the as-of date and mode."""
    if (baseline.as_of, baseline.strict) != (variant.as_of, variant.strict):
        raise ValueError("baseline and variant must use the same as-of date and mode")
    source = open_source(path, encoding)
    work = partial(impact_chunk, baseline=replace(baseline), variant=replace(variant))
    parts: list[pl.DataFrame] = []
    rejected = 0
    for result in map_chunks(work, source.chunks(rows_per_chunk), engine, jobs, scheduler):
        parts.append(result.changes)
        rejected += result.persons_rejected
    changes = pl.concat(parts) if parts else pl.DataFrame()
    return ImpactReport(
        baseline_version=settings_law(baseline).version,
        variant_version=settings_law(variant).version,
        variant_name=variant_name,
        as_of=baseline.as_of,
        changes=_person_changes(changes),
        rejected=rejected,
    )


def _person_changes(frame: pl.DataFrame) -> tuple[PersonChange, ...]:
    if frame.height == 0:
        return ()
    outcomes = {outcome.value: outcome for outcome in Outcome}
    return tuple(
        PersonChange(person_id, region, category, outcomes[base], outcomes[var], base_days, var_days)
        for person_id, region, category, base, var, base_days, var_days in frame.iter_rows()
    )
