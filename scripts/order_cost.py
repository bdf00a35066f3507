"""What the order of application costs under the 2021 law (BENCHMARKS.md, Order of application): the
resolver alone over the law's five stages, and a whole decision per person of the synthetic 2021
preset (best of three runs, no questions, no sentences). Run it on two checkouts to compare.

    uv run python scripts/order_cost.py 5000
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable

from amnesty.domain.enums import Outcome, Tri
from amnesty.domain.records import parse_record
from amnesty.engine.defaults import NOT_APPLICABLE, RuleAnswer, law_order, resolve
from amnesty.engine.evaluate import evaluate
from amnesty.law.registry import get_law
from amnesty.synth.generate import generate_2021


def _best(run: Callable[[], None], times: int = 3) -> float:
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main(persons: int) -> None:
    """Print the resolver's cost per call and a decision's cost per person."""
    law = get_law("kz-2021-81-vii")
    order = law_order(law)
    answers: dict[str, Callable[[], RuleAnswer]] = dict.fromkeys(order.labels, lambda: NOT_APPLICABLE)
    answers["release_lesser"] = lambda: RuleAnswer(Tri.YES, outcome=Outcome.RELEASE)  # to the last stage
    calls = 50_000
    resolver = _best(lambda: [resolve(order, answers) for _ in range(calls)] and None) / calls
    records = [parse_record(json.loads(json.dumps(p, default=str))) for _, p in generate_2021(persons, 3)]
    decide = _best(
        lambda: [evaluate(r, law, questions=False, sentences=False) for r in records] and None
    ) / len(records)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"resolve (five stages): {resolver * 1e6:.1f} µs/call")
    print(f"decision, 2021 preset: {decide * 1e6:.1f} µs/person over {len(records)} (load {load})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
