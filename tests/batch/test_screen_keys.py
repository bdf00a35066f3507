"""The bulk screen's keys cover every fact the rules they stand in for declare they read.

A screened person's decision is assembled from the engine's answers keyed by `SIGNATURE` (per charge)
and `SHELL` (per person), and persons whose charges may carry a person-level kind
(`person_level_kinds`, derived from the exclusion rules' reads) go to the engine. Each key column names the record facts it stands for (`SIGNATURE_FACTS`, `SHELL_FACTS`);
these tests check them against the rules' own declarations (`@implements(..., reads=...)`, proved by
tests/engine/test_rule_reads.py), so a rule that starts reading a new fact fails here until the keys
cover it, instead of silently giving screened persons a stale decision.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from amnesty.batch.process import SHELL, SHELL_FACTS, SIGNATURE, SIGNATURE_FACTS, TERM_FACTS
from amnesty.domain.enums import Tag
from amnesty.engine.relief import BODY, IMPOSED
from amnesty.engine.rules import record_paths, rules_of
from amnesty.law.packs import kz_2022_152_vii as _law  # noqa: F401  (registers its rules)
from amnesty.law.packs.kz_2022_152_vii.exclusions import person_level_kinds
from amnesty.law.registry import get_law

LAW = get_law()
RULES = rules_of(get_law().pack.engine)
"""The rules of the engine the default law is decided by, by rule ID."""
CHARGE_RULES = ("S1", "S2", "S3", "S4", "C1", "M1")
"""The rules a charge's result (`scope_charge`) and the coverage of the person (M1) rest on."""


def _facts(columns: dict[str, tuple[str, ...]]) -> frozenset[str]:
    return frozenset(fact for facts in columns.values() for fact in facts)


def uncovered(reads: Iterable[str], facts: frozenset[str]) -> set[str]:
    """The facts read that no key stands for."""
    return set(reads) - facts


def _shell_covers(rule_id: str) -> bool:
    return not uncovered(RULES[rule_id].reads, _facts(SHELL_FACTS))


def test_the_keys_name_real_facts_of_the_record() -> None:
    assert set(SIGNATURE_FACTS) == set(SIGNATURE)
    assert set(SHELL_FACTS) == set(SHELL)
    assert _facts(SIGNATURE_FACTS) | _facts(SHELL_FACTS) | set(TERM_FACTS) <= record_paths()


def test_the_charge_signature_covers_what_the_charge_rules_read() -> None:
    for rule_id in CHARGE_RULES:
        assert not uncovered(RULES[rule_id].reads, _facts(SIGNATURE_FACTS)), rule_id


def test_the_shell_covers_every_screened_exclusion_and_the_acting_body() -> None:
    for tag, exclusion in LAW.exclusion_by_tag.items():
        if tag not in person_level_kinds(LAW):
            assert _shell_covers(exclusion.rule), (tag, exclusion.rule)
    assert LAW.recidivism_exclusion is not None
    assert _shell_covers(LAW.recidivism_exclusion.rule)
    assert not uncovered(BODY, _facts(SHELL_FACTS))
    assert not uncovered(IMPOSED, frozenset(TERM_FACTS))


def test_person_level_kinds_are_exactly_the_kinds_whose_exclusion_reads_beyond_the_shell() -> None:
    derived = {tag for tag, exclusion in LAW.exclusion_by_tag.items() if not _shell_covers(exclusion.rule)}
    assert derived == person_level_kinds(LAW)
    assert person_level_kinds(LAW) == {Tag.RIOT_ORGANISATION}  # Law 152-VII: X6 reads the age


def test_a_fact_no_key_stands_for_is_caught() -> None:
    reads = RULES["S2"].reads | {"charges[].victim_minor"}
    assert uncovered(reads, _facts(SIGNATURE_FACTS)) == {"charges[].victim_minor"}
    assert uncovered(RULES["X6"].reads, _facts(SHELL_FACTS)) == {
        "charges[].offence_date",
        "birth_date",
        "iin",
    }


def test_a_kind_whose_rule_reads_more_or_is_unknown_is_person_level() -> None:
    """The derivation itself can fail: move the terrorist exclusion onto X6 (which reads the age) or
    onto a rule nobody registered, and its kind becomes person-level (its persons go to the engine)."""
    terrorist = LAW.exclusion_by_tag[Tag.TERRORIST]
    for rule_id in ("X6", "X99"):
        moved = {**LAW.exclusion_by_tag, Tag.TERRORIST: terrorist.model_copy(update={"rule": rule_id})}
        law = dataclasses.replace(LAW, exclusion_by_tag=moved)
        assert person_level_kinds(law) == {Tag.RIOT_ORGANISATION, Tag.TERRORIST}
