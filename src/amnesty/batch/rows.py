"""The flat decision outputs' schema: one row per decided person (`decisions.parquet`, `decisions.csv`).

The rows themselves are computed column-wise from the decisions (`amnesty.batch.frames.flat_table`).
"""

from __future__ import annotations

import pyarrow as pa  # type: ignore[import-untyped]

DECISION_SCHEMA = pa.schema(
    [
        ("person_id", pa.string()),
        ("outcome", pa.string()),
        ("acting_body", pa.string()),
        ("stage", pa.string()),
        ("category", pa.string()),
        ("region", pa.string()),
        ("role", pa.string()),
        ("original_term", pa.string()),
        ("new_term", pa.string()),
        ("original_end_date", pa.date32()),
        ("new_end_date", pa.date32()),
        ("release", pa.string()),
        ("reason_codes", pa.string()),
        ("flags", pa.string()),
        ("as_of", pa.date32()),
        ("law_version", pa.string()),
    ]
)
DECISION_COLUMNS = tuple(DECISION_SCHEMA.names)
