"""What every law's exclusions share: the kinds of offence a charge carries (the Criminal Code's art. 3
lists, from the catalogue), the conditions on them, the age on a day, and `tagged_exclusion`, an
exclusion where some charge of the case carries an excluding kind (a law's own exclusion rules, which
call it, are in its package).

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
from amnesty.domain.enums import KindCondition, Provenance, Tag, Tri
from amnesty.domain.records import CaseRecord, Charge, number_order
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.messages import word
from amnesty.engine.rules import Finding, article_ref, reason
from amnesty.law.loader import Law
from amnesty.law.schema import OffenceKind


def charge_tags(charge: Charge, law: Law) -> dict[Tag, Provenance]:
    """Kinds of a charge with the provenance of each; tags recorded on the charge count as verified."""
    return dict(kinds_of_charge(law, charge.article, charge.part, charge.tags))


@lru_cache(maxsize=65_536)
def kinds_of_charge(
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


def part_unknown(law: Law, charge: Charge, tag: Tag, rule_id: str) -> Finding | None:
    """A charge with no part under an article where only some part carries `tag`: the exclusion may
    apply, and missing data is never read as 'no' (`EXCLUSION_PART_UNKNOWN`)."""
    if charge.part is not None or tag in charge.tags or tag not in law.part_only_tags(charge.article):
        return None
    parts = sorted(
        (
            part
            for (_, part), entries in law.catalogue_parts(charge.article)
            if part is not None and any(tag in entry.tags for entry in entries)
        ),
        key=number_order,
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
        provenance = kinds_of_charge(law, charge.article, charge.part, charge.tags).get(tag)
        if provenance is None:
            provenance = _conditional_provenance(law, charge, tag)
        if provenance is None:
            maybe = part_unknown(law, charge, tag, rule_id) or _condition_unknown(law, charge, tag, rule_id)
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
