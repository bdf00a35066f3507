"""What working out the questions costs: evaluate every record of a file with and without questions
(best of five runs), for all persons and for the needs_review ones (BENCHMARKS.md, Questions).

    uv run python scripts/questions_cost.py /tmp/q.parquet
"""

from __future__ import annotations

import sys
import time

from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord
from amnesty.engine.evaluate import evaluate
from amnesty.io.json_records import ParsedRecord
from amnesty.io.tabular import read_records
from amnesty.law.loader import default_law


def best_of_five(records: list[CaseRecord], questions: bool) -> float:
    law = default_law()
    times = []
    for _ in range(5):
        start = time.perf_counter()
        for record in records:
            evaluate(record, law, questions=questions)
        times.append(time.perf_counter() - start)
    return min(times)


def main(path: str) -> None:
    law = default_law()
    records = [item.record for item in read_records(path) if isinstance(item, ParsedRecord)]
    review = [r for r in records if evaluate(r, law).outcome is Outcome.NEEDS_REVIEW]
    for label, group in (("all", records), ("needs_review", review)):
        for questions in (False, True):
            seconds = best_of_five(group, questions)
            print(
                f"{label:13} persons={len(group):6} questions={questions!s:5} "
                f"{seconds:.3f} s  {seconds / len(group) * 1e6:.0f} us/person"
            )


if __name__ == "__main__":
    main(sys.argv[1])
