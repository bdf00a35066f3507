"""The bulk memo of rules (`amnesty.engine.memo`) changes no decision of the 2021 law (issue 22).

Within `memoised()` a rule of the 2021 engine wrapped by `by_reads` answers a record from the answer it
gave an earlier record with the same projection onto its declared reads. Hypothesis decides pairs of
records, the second the first with a few facts taken from a third (so that the caches are hit on the
facts the change leaves alone, and missed on the others), through one cache shared by every example,
and checks each decision equals the one decided without the memo. A projection that left out a fact a
rule reads would give the second record the first one's answer, and fail here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from amnesty.domain.enums import CriminalCode, Tag
from amnesty.domain.records import CaseRecord, Charge
from amnesty.engine.evaluate import evaluate
from amnesty.engine.memo import Projection, memoised
from amnesty.engine.rules import record_paths
from amnesty.law.registry import get_law
from tests.engine.test_rule_reads import changed, records

LAW = get_law("kz-2021-81-vii")
AS_OF = st.sampled_from(
    [LAW.entry_into_force, LAW.entry_into_force - dt.timedelta(days=1), dt.date(2022, 3, 1)]
)


def _decide(record: CaseRecord, as_of: dt.date, strict: bool, words: bool) -> Any:
    return evaluate(record, LAW, as_of, strict, questions=False, sentences=words)


def test_memoised_decisions_equal_the_engines() -> None:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
    @given(
        data=records(),
        other=records(),
        chosen=st.lists(st.sampled_from(sorted(record_paths())), min_size=1, max_size=3, unique=True),
        as_of=AS_OF,
        strict=st.booleans(),
        words=st.booleans(),
    )
    def property_holds(
        data: dict[str, Any],
        other: dict[str, Any],
        chosen: list[str],
        as_of: dt.date,
        strict: bool,
        words: bool,
    ) -> None:
        mutated = changed(data, other, chosen)
        assume(mutated is not None)
        assert mutated is not None
        pair = (CaseRecord.model_validate(data), mutated)
        with memoised(False):
            plain = [_decide(record, as_of, strict, words) for record in pair]
        memo = [_decide(record, as_of, strict, words) for record in pair]
        assert memo == plain, f"the memo changed a decision when {chosen} changed"

    with memoised():
        property_holds()


def test_the_memo_is_off_outside_a_block_and_within_a_disabled_one() -> None:
    calls: list[int] = []
    from amnesty.engine.memo import by_reads

    def rule(record: CaseRecord, law: object) -> int:
        calls.append(1)
        return len(calls)

    counted = by_reads(rule, ("stage",))
    record = CaseRecord.model_validate(
        {"person_id": "P-1", "stage": "serving", "charges": [{"article": 188, "offence_date": "2020-01-01"}]}
    )
    assert (counted(record, LAW), counted(record, LAW)) == (1, 2)
    with memoised():
        assert (counted(record, LAW), counted(record, LAW)) == (3, 3)
        with memoised(False):
            assert counted(record, LAW) == 4
        assert counted(record.model_copy(update={"region": "Astana"}), LAW) == 3
        assert counted(record.model_copy(update={"stage": "trial"}), LAW) == 5


def test_a_projection_tells_an_absent_sentence_from_a_sentence_without_the_fact() -> None:
    projection = Projection(("sentence.additional", "charges[].tags", "charges[].code"))
    charge = {"article": 188, "offence_date": "2020-01-01"}
    bare = CaseRecord.model_validate({"person_id": "P-1", "stage": "serving", "charges": [charge]})
    sentenced = CaseRecord.model_validate(
        {**bare.model_dump(), "sentence": {"punishment": "fine", "additional": []}}
    )
    assert projection.of_record(bare) != projection.of_record(sentenced)
    tagged = Charge.model_validate({**charge, "tags": [Tag.TORTURE], "code": CriminalCode.KZ_1997})
    assert projection.of_charge(tagged) == (CriminalCode.KZ_1997, (Tag.TORTURE,))
