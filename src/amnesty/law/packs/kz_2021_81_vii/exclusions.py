"""Rules X1-X8 and X10-X13 of the 2021 Independence amnesty: the persons the Law does not reach (Art. 4).

Checked per person before the relief (LAW-2021.md section 3). X1-X3 are the kinds the Criminal Code of
2014 names (art. 3: terrorist, extremist; torture), read from the catalogue of the 2014 Code for a charge
under it and from the kinds recorded on any charge; X4-X7 and X10 read facts of the person and the
sentence; X8 is a case where some offence is outside the Law (committed after it came into force); X11-X13
are the lists of sub-paragraphs 11-13, transcribed entry by entry in `exclusion_lists.yaml`.

Sub-paragraph 9 (an aggregate of sentences) needs the person's other sentences, which a case record does
not hold: it is not applied, and the pack's note says so. Items 4, 5 and 11-13 speak of punishment
imposed or of persons convicted; before the verdict they are applied to the charge all the same when the
parameter `exclusions_before_conviction` is on (the default), and the decision says so.
"""

from __future__ import annotations

from amnesty.domain.decision import Reason
from amnesty.domain.enums import CriminalCode, Provenance, Punishment, Recidivism, Stage, Tag, Tri
from amnesty.domain.records import CaseRecord
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.exclusions import age_on, tagged_exclusion
from amnesty.engine.memo import rule_memo
from amnesty.engine.messages import word
from amnesty.engine.rules import Finding, article_ref, implements, reason
from amnesty.law.loader import Law
from amnesty.law.packs.kz_2021_81_vii.lists import exclusion_lists_of, match_charge

ENGINE = "kz_2021_81_vii"
CITES = "Law 81-VII, art. 4"
KIND_READS = ("charges[].code", "charges[].article", "charges[].part", "charges[].point", "charges[].tags")
KIND_READS_WITH_VICTIM = (*KIND_READS, "charges[].victim_minor")


def before_conviction(record: CaseRecord) -> bool:
    """A person not yet convicted (the items on punishment imposed are then applied by our reading)."""
    return record.stage in (Stage.PRE_TRIAL, Stage.TRIAL)


def _kind(record: CaseRecord, law: Law, tag: Tag, rule_id: str, strict: bool) -> Finding:
    """X1-X3: a charge of the 2014 Code whose part the Code gives the kind (its catalogue), or any charge
    on which the kind is recorded (a charge under an earlier Code has no catalogue here)."""
    of_2014 = tuple(c for c in record.charges if c.code is CriminalCode.KZ_2014)
    only_2014 = (
        record if len(of_2014) == len(record.charges) else record.model_copy(update={"charges": of_2014})
    )
    found = tagged_exclusion(only_2014, law, tag, rule_id, strict) if of_2014 else Finding(Tri.NO)
    if found.answer is Tri.YES:
        return found
    exclusion = law.exclusion_by_tag.get(tag)
    recorded = [
        c for c in record.charges if c.code is not CriminalCode.KZ_2014 and tag in c.tags and exclusion
    ]
    if recorded and exclusion is not None:
        return Finding(
            Tri.YES,
            tuple(
                reason(law, exclusion.code, rule_id, article_ref=article_ref(c.article, c.part))
                for c in recorded
            ),
        )
    return found


@implements("X1", f"{CITES} sp. 1", engine=ENGINE, reads=KIND_READS_WITH_VICTIM)
def x1_terrorist(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X1: no amnesty for terrorist crimes (Criminal Code art. 3 point 30)."""
    return _kind(record, law, Tag.TERRORIST, "X1", strict)


@implements("X2", f"{CITES} sp. 2", engine=ENGINE, reads=KIND_READS_WITH_VICTIM)
def x2_extremist(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X2: no amnesty for extremist crimes or crimes with signs of extremism (art. 3 point 39)."""
    return _kind(record, law, Tag.EXTREMIST, "X2", strict)


@implements("X3", f"{CITES} sp. 3", engine=ENGINE, reads=KIND_READS_WITH_VICTIM)
def x3_torture(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X3: no amnesty for torture."""
    return _kind(record, law, Tag.TORTURE, "X3", strict)


@implements("X4", f"{CITES} sp. 4", engine=ENGINE, reads=("recidivism",))
def x4_recidivism(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X4: no amnesty where the punishment is imposed under recidivism or dangerous recidivism."""
    if record.recidivism is Recidivism.NONE or law.recidivism_exclusion is None:
        return Finding(Tri.NO)
    words = word("recidivism", record.recidivism.value)
    return Finding(Tri.YES, (reason(law, "EXCLUDED_RECIDIVISM", "X4", recidivism=words),))


@implements("X5", f"{CITES} sp. 5", engine=ENGINE, reads=("sentence.punishment", "sentence.death_commuted"))
def x5_life_or_commuted(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X5: no amnesty where a death sentence was commuted to imprisonment by pardon, or life imprisonment
    was imposed."""
    sentence = record.sentence
    if sentence is None:
        return Finding(Tri.NO)
    reasons = []
    if sentence.death_commuted:
        reasons.append(reason(law, "EXCLUDED_DEATH_COMMUTED", "X5"))
    if sentence.punishment is Punishment.LIFE_IMPRISONMENT:
        reasons.append(reason(law, "EXCLUDED_LIFE_IMPRISONMENT", "X5"))
    return Finding(Tri.YES, tuple(reasons)) if reasons else Finding(Tri.NO)


@implements("X6", f"{CITES} sp. 6", engine=ENGINE, reads=("charges[].criminal_group", *KIND_READS))
def x6_criminal_group(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X6: no amnesty for crimes committed as part of a criminal group in any form (organised group,
    criminal organisation or community, their transnational forms, terrorist or extremist group, gang,
    illegal armed formation)."""
    reasons = tuple(
        reason(law, "EXCLUDED_CRIMINAL_GROUP", "X6", article_ref=article_ref(c.article, c.part))
        for c in record.charges
        if c.criminal_group
    )
    return Finding(Tri.YES, reasons) if reasons else Finding(Tri.NO)


@implements("X7", f"{CITES} sp. 7", engine=ENGINE, reads=("stage",))
def x7_served(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X7: no amnesty for persons whose punishment has been executed and served."""
    if record.stage is Stage.SERVED:
        return Finding(Tri.YES, (reason(law, "EXCLUDED_SERVED", "X7"),))
    return Finding(Tri.NO)


@implements(
    "X10",
    f"{CITES} sp. 10; Penal Enforcement Code art. 130",
    engine=ENGINE,
    reads=("malicious_violator", "crime_while_serving"),
)
def x10_violator(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X10: no amnesty for a person declared a malicious violator of the serving regime (Penal Enforcement
    Code art. 130) on the day the Law came into force, or who committed an intentional crime while
    serving."""
    reasons = []
    if record.malicious_violator:
        reasons.append(reason(law, "EXCLUDED_MALICIOUS_VIOLATOR", "X10"))
    if record.crime_while_serving:
        reasons.append(reason(law, "EXCLUDED_CRIME_WHILE_SERVING", "X10"))
    return Finding(Tri.YES, tuple(reasons)) if reasons else Finding(Tri.NO)


LIST_READS = (*KIND_READS, "charges[].intoxicated", "charges[].offence_date", "birth_date", "iin")


def _listed(record: CaseRecord, law: Law, code: CriminalCode, rule_id: str, strict: bool) -> Finding:
    """X11-X13: a charge under the Code of the sub-paragraph that its list names; an entry that depends on
    a fact the record lacks (the part, the point, the age at the offence, intoxication) is uncertain; an
    entry not checked against the text (`unverified`, as every entry of a draft's lists) excludes
    provisionally, and needs review in strict mode."""
    charges = [charge for charge in record.charges if charge.code is code]
    if not charges:
        return Finding(Tri.NO)
    birth = record.effective_birth_date
    lists = exclusion_lists_of(law)
    firm: list[Reason] = []
    unverified: list[Reason] = []
    doubtful: list[Reason] = []
    for charge in charges:
        minor = age_on(birth, charge.offence_date) < 18 if birth is not None else None
        found = match_charge(
            charge.code.value,
            charge.article,
            charge.part,
            charge.point,
            minor,
            charge.intoxicated,
            lists=lists,
        )
        if found.answer is Tri.NO or found.entry is None:
            continue
        ref = article_ref(charge.article, charge.part)
        params = {
            "article_ref": ref,
            "code_name": word("criminal_code", charge.code.value),
            "entry": found.entry.title,
            "subparagraph": found.subparagraph,
        }
        if found.answer is not Tri.YES:
            missing = word("fact", *(fact.value for fact in found.missing))
            doubtful.append(reason(law, "LISTED_OFFENCE_UNCERTAIN", rule_id, missing=missing, **params))
        elif found.entry.provenance is Provenance.UNVERIFIED:
            unverified += [
                reason(
                    law, "EXCLUDED_LISTED", rule_id, Provenance.UNVERIFIED, item=found.entry.item, **params
                ),
                reason(law, C.LIST_ENTRY_UNVERIFIED, rule_id, Provenance.UNVERIFIED, article=ref),
            ]
        else:
            firm.append(reason(law, "EXCLUDED_LISTED", rule_id, item=found.entry.item, **params))
    if firm:
        return Finding(Tri.YES, tuple(firm + unverified))
    if unverified:  # an entry a lawyer has not checked (a draft's): provisional, needs review when strict
        return Finding(Tri.UNKNOWN if strict else Tri.YES, tuple(unverified + doubtful), provisional=True)
    if doubtful:
        return Finding(Tri.UNKNOWN, tuple(doubtful))
    return Finding(Tri.NO)


@implements("X11", f"{CITES} sp. 11", engine=ENGINE, reads=LIST_READS)
def x11_listed_1959(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X11: no amnesty for persons convicted of intentional murder under the Criminal Code of the Kazakh
    SSR of 1959 (art. 88)."""
    return _listed(record, law, CriminalCode.KAZSSR_1959, "X11", strict)


@implements("X12", f"{CITES} sp. 12", engine=ENGINE, reads=LIST_READS)
def x12_listed_1997(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X12: no amnesty for persons convicted of the crimes of the 1997 Code that sub-paragraph 12 lists
    (articles, parts, letter points; some except when committed by a minor, art. 296 parts 1-2 only
    when committed while intoxicated)."""
    return _listed(record, law, CriminalCode.KZ_1997, "X12", strict)


@implements("X13", f"{CITES} sp. 13", engine=ENGINE, reads=LIST_READS)
def x13_listed_2014(record: CaseRecord, law: Law, strict: bool) -> Finding:
    """X13: no amnesty for persons convicted of the crimes of the 2014 Code that sub-paragraph 13 lists
    (articles, parts, '1-1' sub-parts, points; some except when committed by a minor, art. 345 part 3
    only when committed while intoxicated)."""
    return _listed(record, law, CriminalCode.KZ_2014, "X13", strict)


EXCLUSION_RULES = (
    *(
        rule_memo(ENGINE, rule_id)(rule)
        for rule_id, rule in (("X1", x1_terrorist), ("X2", x2_extremist), ("X3", x3_torture))
    ),
    x4_recidivism,
    x5_life_or_commuted,
    x6_criminal_group,
    x7_served,
    x10_violator,
    x11_listed_1959,
    x12_listed_1997,
    x13_listed_2014,
)
"""The exclusions in the order of Art. 4 (X8, which depends on the charges' scope, is applied with it).
Within a bulk run (`engine.memo.memoised`) X1-X3, which look each charge up in the catalogue, are computed
once per distinct projection of the record onto the facts each declares it reads; the others read a
field or two, which costs less than a key; X11-X13 match each charge through the lists' cached matcher."""

CONVICTION_ITEMS = frozenset({"X4", "X5", "X11", "X12", "X13"})
"""The items that speak of punishment imposed or of persons convicted."""
