"""Law 152-VII's exclusion rules X1-X9, per person: grounds on which the law does not apply at all
(LAW.md section 3). X1-X5, X7, X8 are the shared `tagged_exclusion` of an excluding kind; X6 (the
organisers of the riots, except a minor) and X9 (recidivism) are this law's own.
"""

from __future__ import annotations

from functools import lru_cache

from amnesty.domain.enums import Recidivism, Tag, Tri
from amnesty.domain.records import CaseRecord
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.exclusions import KIND_FACTS, age_on, kinds_of_charge, part_unknown, tagged_exclusion
from amnesty.engine.messages import word
from amnesty.engine.rules import RULES, Finding, article_ref, implements, reason
from amnesty.law.loader import Law
from amnesty.law.packs.kz_2022_152_vii.names import CITES, ENGINE

X6_READS = (
    "charges[].article",
    "charges[].part",
    "charges[].tags",
    "charges[].offence_date",
    "birth_date",
    "iin",
)
"""X6 reads the kind of each charge (not its conditions) and the age on its offence date (from the
birth date, or else the IIN)."""


def person_level_kinds(law: Law) -> frozenset[Tag]:
    """The kinds whose exclusion under `law` reads facts of the person besides the charge's own kind
    facts (`KIND_FACTS`), by the reads its rule declares (for Law 152-VII, X6's: the age on the
    offence date); a rule not registered counts as reading everything. Every other kind's exclusion
    (X1-X5, X7, X8: `tagged_exclusion`) depends only on the charge's article, part, point, victim's
    age and recorded tags, the law and the mode, which the bulk run's columnar screen relies on
    (`amnesty.batch.screen`)."""
    return _person_level_kinds(law)


@lru_cache(maxsize=64)
def _person_level_kinds(law: Law) -> frozenset[Tag]:
    own = frozenset(KIND_FACTS)
    return frozenset(
        tag
        for tag, exclusion in law.exclusion_by_tag.items()
        if (ENGINE, exclusion.rule) not in RULES or not RULES[(ENGINE, exclusion.rule)].reads <= own
    )


@implements("X1", CITES, engine=ENGINE, reads=KIND_FACTS)
def x1_terrorist(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X1: no amnesty where the case includes a terrorist crime."""
    return tagged_exclusion(record, law, Tag.TERRORIST, "X1", strict)


@implements("X2", CITES, engine=ENGINE, reads=KIND_FACTS)
def x2_extremist(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X2: no amnesty where the case includes an extremist crime."""
    return tagged_exclusion(record, law, Tag.EXTREMIST, "X2", strict)


@implements("X3", CITES, engine=ENGINE, reads=KIND_FACTS)
def x3_corruption(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X3: no amnesty where the case includes a corruption crime."""
    return tagged_exclusion(record, law, Tag.CORRUPTION, "X3", strict)


@implements("X4", f"{CITES}; Criminal Code art. 175", engine=ENGINE, reads=KIND_FACTS)
def x4_treason(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X4: no amnesty for high treason."""
    return tagged_exclusion(record, law, Tag.TREASON, "X4", strict)


@implements("X5", f"{CITES}; Criminal Code art. 179", engine=ENGINE, reads=KIND_FACTS)
def x5_seizure_of_power(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X5: no amnesty for seizure or retention of power (the 'attempted coup' charges)."""
    return tagged_exclusion(record, law, Tag.SEIZURE_OF_POWER, "X5", strict)


@implements("X6", f"{CITES}; Criminal Code art. 272 part 1", engine=ENGINE, reads=X6_READS)
def x6_riot_organiser(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X6: no amnesty for organisers of mass riots, except a person under 18 on the day of the offence.

    Base rule and exception (Catala's default logic): the exclusion holds unless the age on the
    offence date, from the birth date or else the IIN, is under the threshold; an unknown age is
    uncertain, never read as adult. A mass-riots charge with no part recorded may be organisation:
    uncertain unless the person was a minor (then the exception covers it either way).
    """
    exclusion = law.exclusion_by_tag.get(Tag.RIOT_ORGANISATION)
    if exclusion is None:
        return Finding(Tri.NO)
    birth_date = record.effective_birth_date
    under = exclusion.minor_exception_under
    answers: list[Finding] = []
    for charge in record.charges:
        provenance = kinds_of_charge(law, charge.article, charge.part, charge.tags).get(Tag.RIOT_ORGANISATION)
        maybe = None if provenance is not None else part_unknown(law, charge, Tag.RIOT_ORGANISATION, "X6")
        if provenance is None and maybe is None:
            continue
        ref = article_ref(charge.article, charge.part)
        day = charge.offence_date.isoformat()
        minor = (
            under is not None and birth_date is not None and age_on(birth_date, charge.offence_date) < under
        )
        if maybe is not None and not minor:
            answers.append(maybe)  # perhaps an organiser (part unknown) and not known to be a minor
            continue
        if under is not None and birth_date is None:
            answers.append(
                Finding(Tri.UNKNOWN, (reason(law, C.AGE_UNKNOWN, "X6", article_ref=ref, date=day),))
            )
            continue
        if minor:
            assert birth_date is not None
            age = age_on(birth_date, charge.offence_date)
            exception = reason(law, C.MINOR_ORGANISER_EXCEPTION, "X6", article_ref=ref, date=day, age=age)
            answers.append(Finding(Tri.NO, (exception,)))
            continue
        answers.append(Finding(Tri.YES, (reason(law, C(exclusion.code), "X6", article_ref=ref, date=day),)))
    if not answers:
        return Finding(Tri.NO)
    reasons = tuple(r for answer in answers for r in answer.reasons)
    for level in (Tri.YES, Tri.UNKNOWN):
        if any(answer.answer is level for answer in answers):
            return Finding(level, reasons)
    return Finding(Tri.NO, reasons)


@implements("X7", f"{CITES}; Criminal Code art. 146", engine=ENGINE, reads=KIND_FACTS)
def x7_torture(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X7: no amnesty for torture."""
    return tagged_exclusion(record, law, Tag.TORTURE, "X7", strict)


@implements("X8", CITES, engine=ENGINE, reads=KIND_FACTS)
def x8_sexual_offence_minor(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X8: no amnesty for crimes against the sexual inviolability of minors."""
    return tagged_exclusion(record, law, Tag.SEXUAL_OFFENCE_MINOR, "X8", strict)


@implements("X9", CITES, engine=ENGINE, reads=("recidivism",))
def x9_recidivism(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X9: no amnesty where the case establishes recidivism or dangerous recidivism."""
    exclusion = law.recidivism_exclusion
    if exclusion is None or record.recidivism is Recidivism.NONE:
        return Finding(Tri.NO)
    words = word("recidivism", record.recidivism.value)
    return Finding(Tri.YES, (reason(law, C.EXCLUDED_RECIDIVISM, "X9", recidivism=words),))


# `evaluate` skips these rules for a case with no tagged charge and no recidivism (each would answer
# a plain NO): keep that shortcut in mind when adding a rule here, and declare what it reads (a rule
# that reads more than the charge's own facts makes its kind person-level: `person_level_kinds`).
EXCLUSION_RULES = (
    x1_terrorist,
    x2_extremist,
    x3_corruption,
    x4_treason,
    x5_seizure_of_power,
    x6_riot_organiser,
    x7_torture,
    x8_sexual_offence_minor,
    x9_recidivism,
)
