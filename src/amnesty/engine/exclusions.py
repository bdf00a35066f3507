"""Exclusion rules X1-X9, per person: grounds on which the law does not apply at all (LAW.md section 3).

Any charge of the case counts, covered or not. A charge's kinds (tags) are the catalogue's for its
article and part (the Criminal Code's art. 3 lists, applied without any tag on the record) plus those
recorded on the charge, which take precedence. A kind the Code conditions on a fact the record lacks
(the victim being a minor, the point of a part) makes the exclusion uncertain, naming that fact. An
exclusion that rests only on an unverified catalogue entry is provisional (and, in strict mode, uncertain).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from amnesty.domain.decision import Reason
from amnesty.domain.enums import KindCondition, Provenance, Recidivism, Tag, Tri
from amnesty.domain.records import CaseRecord, Charge
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.family import RULES_152
from amnesty.engine.messages import word
from amnesty.engine.rules import RULES, Finding, article_ref, implements, reason
from amnesty.law.loader import Law
from amnesty.law.schema import OffenceKind


def charge_tags(charge: Charge, law: Law) -> dict[Tag, Provenance]:
    """Kinds of a charge with the provenance of each; tags recorded on the charge count as verified."""
    return dict(_charge_tags(law, charge.article, charge.part, charge.tags))


@lru_cache(maxsize=65_536)
def _charge_tags(
    law: Law, article: int | str, part: int | str | None, recorded: tuple[Tag, ...]
) -> Mapping[Tag, Provenance]:
    """`charge_tags`, computed once per law, article, part and recorded tags (read-only)."""
    tags = dict(law.facts(article, part).tags)
    for tag in recorded:
        tags[tag] = Provenance.VERIFIED
    return MappingProxyType(tags)


def has_no_tags(record: CaseRecord, law: Law) -> bool:
    """True when no charge of the case carries, or may carry, any kind (tag), so X1-X8 cannot apply."""
    return not any(c.tags or possible_kinds(law, c.article, c.part) for c in record.charges)


@lru_cache(maxsize=65_536)
def possible_kinds(law: Law, article: int | str, part: int | str | None) -> frozenset[Tag]:
    """Every kind a charge under this article and part carries or may carry when the record names none:
    the catalogue's, those the Code conditions on a fact (the victim's age, the point of the part),
    and, for a charge without its part, those of some part of the article."""
    facts = law.facts(article, part)
    kinds = set(facts.tags) | {kind.tag for kind in facts.conditional}
    if part is None:
        kinds |= set(law.part_only_tags(article))
    return frozenset(kinds)


KIND_FACTS = (
    "charges[].article",
    "charges[].part",
    "charges[].tags",
    "charges[].victim_minor",
    "charges[].point",
)
"""What the kinds of a charge rest on (`tagged_exclusion`: the catalogue's kinds of the article and
part, those the Code conditions on the victim's age or the point, those recorded on the charge)."""
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
        if (RULES_152, exclusion.rule) not in RULES or not RULES[(RULES_152, exclusion.rule)].reads <= own
    )


def condition_met(kind: OffenceKind, charge: Charge) -> bool | None:
    """Whether a charge meets the condition of a kind: the victim a minor (`victim_minor`), or the
    charge under one of the kind's points (`point`); None when the record does not say."""
    if kind.condition is KindCondition.VICTIM_MINOR:
        return charge.victim_minor
    if kind.condition is KindCondition.POINT:
        return None if charge.point is None else charge.point in kind.points
    return True


def _conditional_provenance(law: Law, charge: Charge, tag: Tag) -> Provenance | None:
    """The provenance of `tag` on a charge that meets the condition of a kind carrying it (the firmest
    such kind's), or None when no condition is met."""
    met = [
        k.provenance
        for k in law.facts(charge.article, charge.part).conditional
        if k.tag is tag and condition_met(k, charge)
    ]
    if not met:
        return None
    return next((p for p in met if p is not Provenance.UNVERIFIED), Provenance.UNVERIFIED)


def _condition_unknown(law: Law, charge: Charge, tag: Tag, rule_id: str) -> Finding | None:
    """A charge under a part whose kind (`tag`) the Code conditions on a fact the record lacks: the
    victim's age (`EXCLUSION_VICTIM_AGE_UNKNOWN`) or the point of the part (`EXCLUSION_POINT_UNKNOWN`).
    Missing data is never read as 'no'; an unverified kind also makes the answer provisional."""
    kinds = [
        k
        for k in law.facts(charge.article, charge.part).conditional
        if k.tag is tag and condition_met(k, charge) is None
    ]
    if not kinds or tag in charge.tags:
        return None
    ref = article_ref(charge.article, charge.part)
    reasons = []
    for kind in kinds:
        if kind.condition is KindCondition.VICTIM_MINOR:
            code, extra = C.EXCLUSION_VICTIM_AGE_UNKNOWN, {}
        else:
            code, extra = C.EXCLUSION_POINT_UNKNOWN, {"points": ", ".join(str(p) for p in kind.points)}
        reasons.append(
            reason(law, code, rule_id, kind.provenance, article_ref=ref, tag=word("tag", tag.value), **extra)
        )
    unverified = any(k.provenance is Provenance.UNVERIFIED for k in kinds)
    return Finding(Tri.UNKNOWN, tuple(reasons), provisional=unverified)


def _part_unknown(law: Law, charge: Charge, tag: Tag, rule_id: str) -> Finding | None:
    """A charge with no part under an article where only some part carries `tag`: the exclusion may
    apply, and missing data is never read as 'no' (`EXCLUSION_PART_UNKNOWN`)."""
    if charge.part is not None or tag in charge.tags or tag not in law.part_only_tags(charge.article):
        return None
    parts = sorted(
        part
        for (_, part), entries in law.catalogue_parts(charge.article)
        if part is not None and any(tag in entry.tags for entry in entries)
    )
    found = reason(
        law,
        C.EXCLUSION_PART_UNKNOWN,
        rule_id,
        article=charge.article,
        parts=", ".join(str(p) for p in parts),
        tag=word("tag", tag.value),
    )
    return Finding(Tri.UNKNOWN, (found,))


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years of age on a day."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def tagged_exclusion(record: CaseRecord, law: Law, tag: Tag, rule_id: str, strict: bool) -> Finding:
    """Shared logic of X1-X5, X7, X8: some charge of the case carries the excluding tag."""
    exclusion = law.exclusion_by_tag.get(tag)
    if exclusion is None:  # a what-if variant may remove an exclusion
        return Finding(Tri.NO)
    firm: list[Reason] = []
    doubtful: list[Reason] = []
    uncertain: list[Reason] = []
    provisional_doubt = False
    for charge in record.charges:
        provenance = _charge_tags(law, charge.article, charge.part, charge.tags).get(tag)
        if provenance is None:
            provenance = _conditional_provenance(law, charge, tag)
        if provenance is None:
            maybe = _part_unknown(law, charge, tag, rule_id) or _condition_unknown(law, charge, tag, rule_id)
            if maybe is not None:
                uncertain.extend(maybe.reasons)
                provisional_doubt = provisional_doubt or maybe.provisional
            continue
        ref = article_ref(charge.article, charge.part)
        excluded = reason(law, C(exclusion.code), rule_id, article_ref=ref)
        if provenance is Provenance.UNVERIFIED:
            doubtful += [
                excluded,
                reason(law, C.EXCLUSION_TAG_UNVERIFIED, rule_id, article_ref=ref, tag=word("tag", tag.value)),
            ]
        else:
            firm.append(excluded)
    if firm:
        return Finding(Tri.YES, tuple(firm + doubtful))
    if doubtful:
        return Finding(Tri.UNKNOWN if strict else Tri.YES, tuple(doubtful + uncertain), provisional=True)
    if uncertain:
        return Finding(Tri.UNKNOWN, tuple(uncertain), provisional=provisional_doubt)
    return Finding(Tri.NO)


@implements("X1", "Law 152-VII", engine=RULES_152, reads=KIND_FACTS)
def x1_terrorist(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X1: no amnesty where the case includes a terrorist crime."""
    return tagged_exclusion(record, law, Tag.TERRORIST, "X1", strict)


@implements("X2", "Law 152-VII", engine=RULES_152, reads=KIND_FACTS)
def x2_extremist(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X2: no amnesty where the case includes an extremist crime."""
    return tagged_exclusion(record, law, Tag.EXTREMIST, "X2", strict)


@implements("X3", "Law 152-VII", engine=RULES_152, reads=KIND_FACTS)
def x3_corruption(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X3: no amnesty where the case includes a corruption crime."""
    return tagged_exclusion(record, law, Tag.CORRUPTION, "X3", strict)


@implements("X4", "Law 152-VII; Criminal Code art. 175", engine=RULES_152, reads=KIND_FACTS)
def x4_treason(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X4: no amnesty for high treason."""
    return tagged_exclusion(record, law, Tag.TREASON, "X4", strict)


@implements("X5", "Law 152-VII; Criminal Code art. 179", engine=RULES_152, reads=KIND_FACTS)
def x5_seizure_of_power(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X5: no amnesty for seizure or retention of power (the 'attempted coup' charges)."""
    return tagged_exclusion(record, law, Tag.SEIZURE_OF_POWER, "X5", strict)


@implements("X6", "Law 152-VII; Criminal Code art. 272 part 1", engine=RULES_152, reads=X6_READS)
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
        provenance = _charge_tags(law, charge.article, charge.part, charge.tags).get(Tag.RIOT_ORGANISATION)
        maybe = None if provenance is not None else _part_unknown(law, charge, Tag.RIOT_ORGANISATION, "X6")
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


@implements("X7", "Law 152-VII; Criminal Code art. 146", engine=RULES_152, reads=KIND_FACTS)
def x7_torture(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X7: no amnesty for torture."""
    return tagged_exclusion(record, law, Tag.TORTURE, "X7", strict)


@implements("X8", "Law 152-VII", engine=RULES_152, reads=KIND_FACTS)
def x8_sexual_offence_minor(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X8: no amnesty for crimes against the sexual inviolability of minors."""
    return tagged_exclusion(record, law, Tag.SEXUAL_OFFENCE_MINOR, "X8", strict)


@implements("X9", "Law 152-VII", engine=RULES_152, reads=("recidivism",))
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
