"""The 2021 Independence amnesty's order of application, and its scope and procedure rules.

Order (LAW-2021.md): scope per charge (S1: committed before the Law came into force; S2: under the
Criminal Code of 1959, 1997 or 2014; C1 gives the category of a 2014 Code charge from its sanction, a
charge under an earlier Code carries its recorded one); the exclusions of Art. 4 per person (X1-X8,
X10-X13; X8 when some offence of the case is outside the Law); the several-charges rule (M1: relief by
the gravest category); the objection of the person (P1); the socially vulnerable person (V1); release
or reduction (R1-R9, `relief.py`); additional punishments kept (N1); resocialisation (T1). Importing
this module registers the engine `kz_2021_81_vii` that decides under every pack naming it.
"""

from __future__ import annotations

import datetime as dt

from amnesty import __version__
from amnesty.domain.decision import ChargeResult, Decision, Reason, ResocialisationTask
from amnesty.domain.enums import Category, CriminalCode, Flag, Outcome, Provenance, Tri
from amnesty.domain.records import CaseRecord, Charge
from amnesty.engine.category import ChargeCategory, charge_category
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.evaluate import ChargeScope, by_gravest

__all__ = ["ChargeScope", "decide", "scope_charge"]
from amnesty.engine.laws import LawEngine, register_engine
from amnesty.engine.memo import rule_memo
from amnesty.engine.messages import word
from amnesty.engine.relief import default_body, plain_sentence
from amnesty.engine.resocialisation import t1_resocialisation
from amnesty.engine.rules import Finding, article_ref, implements, reason
from amnesty.law.loader import Law
from amnesty.law.packs.kz_2021_81_vii.exclusions import CONVICTION_ITEMS, EXCLUSION_RULES, before_conviction
from amnesty.law.packs.kz_2021_81_vii.questions import ask_2021
from amnesty.law.packs.kz_2021_81_vii.relief import Relief2021, relief_2021
from amnesty.law.packs.kz_2021_81_vii.vulnerability import v1_socially_vulnerable

ENGINE = "kz_2021_81_vii"
CITES = "Law 81-VII"


@implements(
    "S1",
    f"{CITES}, art. 5 p. 1",
    engine=ENGINE,
    reads=(
        "charges[].offence_date",
        "charges[].offence_end_date",
        "charges[].article",
        "charges[].part",
        "charges[].code",
    ),
)
def s1_before_entry_into_force(charge: Charge, law: Law) -> Finding:
    """S1: the offence was committed before the Law came into force; one committed on or after that day
    is outside it; a continuing offence that began before and ran into that day is uncertain."""
    eif = law.entry_into_force
    ref = article_ref(charge.article, charge.part)
    day = charge.offence_date.isoformat()
    if charge.offence_date >= eif:
        found = reason(
            law,
            "OFFENCE_AFTER_ENTRY_INTO_FORCE",
            "S1",
            article_ref=ref,
            date=day,
            entry_into_force=eif.isoformat(),
        )
        return Finding(Tri.NO, (found,), provisional=charge.offence_date <= eif)
    end = charge.offence_end_date
    if end is not None and end >= eif:
        found = reason(
            law,
            "OFFENCE_SPANS_ENTRY_INTO_FORCE",
            "S1",
            article_ref=ref,
            date=day,
            end_date=end.isoformat(),
            entry_into_force=eif.isoformat(),
        )
        return Finding(Tri.UNKNOWN, (found,), provisional=True)
    last = end or charge.offence_date
    return Finding(Tri.YES, provisional=last >= eif - dt.timedelta(days=1))


@implements(
    "S2",
    f"{CITES}, art. 5 p. 1",
    engine=ENGINE,
    reads=("charges[].code", "charges[].article", "charges[].part", "charges[].offence_date"),
)
def s2_criminal_code(charge: Charge, law: Law) -> Finding:
    """S2: the offence is one of the Criminal Code of the Kazakh SSR of 1959, of 1997 or of 2014; there
    is no article list, so every article is in scope unless Art. 4 excludes it. A record names one of
    those three Codes (`code`); the reason says which, and when the offence was committed."""
    if charge.code not in tuple(CriminalCode):
        return Finding(Tri.NO)
    found = reason(
        law,
        "COMMITTED_BEFORE_ENTRY_INTO_FORCE",
        "S2",
        article_ref=article_ref(charge.article, charge.part),
        code_name=word("criminal_code", charge.code.value),
        date=charge.offence_date.isoformat(),
        entry_into_force=law.entry_into_force.isoformat(),
    )
    return Finding(Tri.YES, (found,))


def _category(charge: Charge, law: Law) -> ChargeCategory:
    """C1 for a charge of the 2014 Code (the catalogue is of that Code); the recorded category otherwise."""
    if charge.code is CriminalCode.KZ_2014:
        return charge_category(charge, law)
    return ChargeCategory(charge.category, "record" if charge.category is not None else None)


@rule_memo(ENGINE, "S1", "S2", "C1")
def scope_charge(charge: Charge, law: Law) -> ChargeScope:
    """S1 and S2 for one charge, with its category (within a bulk run, once per distinct projection of
    the charge onto what S1, S2 and C1 declare they read: `engine.memo`)."""
    findings = (s1_before_entry_into_force(charge, law), s2_criminal_code(charge, law))
    answers = {finding.answer for finding in findings}
    answer = Tri.NO if Tri.NO in answers else Tri.UNKNOWN if Tri.UNKNOWN in answers else Tri.YES
    category = _category(charge, law)
    shown = findings if answer is Tri.YES else tuple(f for f in findings if f.answer is not Tri.YES)
    reasons = tuple(r for f in shown for r in f.reasons) + category.reasons
    covered = {Tri.YES: True, Tri.NO: False, Tri.UNKNOWN: None}[answer]
    result = ChargeResult.model_construct(
        article=charge.article,
        part=charge.part,
        category=category.category,
        category_source=category.source,
        title=law.title(charge.article, charge.part) if charge.code is CriminalCode.KZ_2014 else None,
        covered=covered,
        reasons=reasons,
    )
    provisional = any(f.provisional for f in findings) or category.provisional
    return ChargeScope(result, answer, provisional, category.conflict)


@implements(
    "X8",
    f"{CITES}, art. 4 sp. 8",
    engine=ENGINE,
    reads=(
        "charges[].offence_date",
        "charges[].offence_end_date",
        "charges[].article",
        "charges[].part",
        "charges[].code",
    ),
)
def x8_aggregate(scopes: list[ChargeScope], law: Law) -> Finding:
    """X8: with an aggregate of offences one of which is outside the Law (committed after it came into
    force) the amnesty does not apply to the person, though the others are covered."""
    answers = [scope.answer for scope in scopes]
    if Tri.NO not in answers or all(answer is Tri.NO for answer in answers):
        return Finding(Tri.NO)
    outside = [scope.result for scope in scopes if scope.answer is Tri.NO]
    reasons = tuple(
        reason(law, "EXCLUDED_AGGREGATE", "X8", article_ref=article_ref(c.article, c.part)) for c in outside
    )
    return Finding(Tri.YES, reasons)


@implements(
    "M1",
    f"{CITES}, art. 4 sp. 8; Criminal Code art. 58",
    engine=ENGINE,
    reads=(
        "charges[].offence_date",
        "charges[].offence_end_date",
        "charges[].code",
        "charges[].article",
        "charges[].part",
        "charges[].category",
    ),
)
def m1_several_charges(
    scopes: list[ChargeScope], law: Law
) -> tuple[Outcome | None, Category | None, list[Reason]]:
    """M1: no charge before the Law came into force is `not_covered`; an uncertain charge is
    `COVERAGE_UNCERTAIN`; a charge with no known category is `MISSING_CATEGORY` and a recorded category
    the Code contradicts `CATEGORY_CONFLICT`; otherwise the relief follows the gravest category."""
    answers = [scope.answer for scope in scopes]
    if all(answer is Tri.NO for answer in answers):
        return Outcome.NOT_COVERED, None, [reason(law, C.NOT_COVERED, "M1")]
    if Tri.UNKNOWN in answers:
        return Outcome.NEEDS_REVIEW, None, [reason(law, C.COVERAGE_UNCERTAIN, "M1")]
    return by_gravest(scopes, law)  # a mix of covered and not covered is X8's, decided before


@implements("P1", f"{CITES}, art. 5 p. 5", engine=ENGINE, reads=("objects",))
def p1_objection(record: CaseRecord, law: Law) -> Finding:
    """P1: the amnesty is not applied when the person or their legal representative objects."""
    if record.objects:
        return Finding(Tri.YES, (reason(law, "PERSON_OBJECTS", "P1"),))
    return Finding(Tri.NO)


@implements(
    "T1",
    f"{CITES}, art. 7",
    engine=ENGINE,
    reads=(
        "sentence.punishment",
        "sentence.conditional",
        "able_bodied",
        "fixed_residence",
        "needs_medical_care",
        "needs_documents",
        "region",
    ),
)
def t1_tasks(
    record: CaseRecord, law: Law, outcome: Outcome, as_of: dt.date
) -> tuple[tuple[ResocialisationTask, ...], tuple[Reason, ...]]:
    """T1: for a person released from an institution, the tasks Art. 7 gives the Government and the
    akimats (employment and social help, a resocialisation centre without a fixed residence, continued
    treatment, documents), as for every amnesty (`amnesty.engine.resocialisation`)."""
    return t1_resocialisation(record, law, outcome, as_of)


@implements("N1", f"{CITES}, art. 2 p. 4-5", engine=ENGINE, reads=("sentence.additional",))
def n1_additional_kept(record: CaseRecord, law: Law, outcome: Outcome) -> Finding:
    """N1: release and reduction reach the main punishment only; additional punishments stay as imposed."""
    relieved = outcome in (Outcome.REDUCE_SENTENCE, Outcome.RELEASE, Outcome.REDUCE_AT_SENTENCING)
    if record.sentence is None or not record.sentence.additional or not relieved:
        return Finding(Tri.NO)
    additional = ", ".join(record.sentence.additional)
    return Finding(Tri.YES, (reason(law, C.ADDITIONAL_PUNISHMENT_UNCHANGED, "N1", additional=additional),))


def _exclusions(record: CaseRecord, law: Law, strict: bool) -> list[tuple[str, Finding]]:
    """Art. 4's items in order; the items on punishment imposed are left out before a conviction when the
    parameter `exclusions_before_conviction` is off."""
    skip_conviction = before_conviction(record) and not law.pack.parameters.get(
        "exclusions_before_conviction", True
    )
    return [
        (rule_id, rule(record, law, strict))
        for rule_id, rule in _EXCLUSIONS
        if not (skip_conviction and rule_id in CONVICTION_ITEMS)
    ]


_EXCLUSIONS = tuple((rule.__name__.split("_", 1)[0].upper(), rule) for rule in EXCLUSION_RULES)
"""Art. 4's items with their rule IDs (`x4_recidivism` is X4)."""


def _rests_on_unverified(person: list[Reason], scopes: list[ChargeScope]) -> bool:
    """Whether a reason of the decision rests on a rule or fact not read in the text (a draft made from
    this law marks every fact `unverified` until a lawyer sets its provenance)."""
    reasons = [*person, *(r for scope in scopes for r in scope.result.reasons)]
    return any(r.provenance is Provenance.UNVERIFIED for r in reasons)


def decide(record: CaseRecord, law: Law, as_of: dt.date, strict: bool) -> Decision:
    """The decision under the 2021 Independence amnesty, without its questions (see the module doc)."""
    flags: set[Flag] = {Flag.STRICT_MODE} if strict else set()
    person: list[Reason] = []
    provisional = False
    if as_of < law.entry_into_force:
        flags.add(Flag.BEFORE_ENTRY_INTO_FORCE)
        person.append(
            reason(
                law,
                C.BEFORE_ENTRY_INTO_FORCE,
                "E1",
                as_of=as_of.isoformat(),
                entry_into_force=law.entry_into_force.isoformat(),
            )
        )
    scopes = [scope_charge(charge, law) for charge in record.charges]
    exclusions = _exclusions(record, law, strict)
    aggregate = x8_aggregate(scopes, law)
    exclusions.append(("X8", aggregate))
    excluded = [(rule_id, f) for rule_id, f in exclusions if f.answer is Tri.YES]
    uncertain = [f for _, f in exclusions if f.answer is Tri.UNKNOWN]
    outcome: Outcome
    relief: Relief2021 | None = None
    if excluded:
        outcome = Outcome.EXCLUDED
        person += [r for _, f in excluded for r in f.reasons]
        if before_conviction(record) and any(rule_id in CONVICTION_ITEMS for rule_id, _ in excluded):
            person.append(reason(law, "EXCLUSION_BEFORE_CONVICTION", "X13"))
            flags.add(Flag.INTERPRETATION)
        provisional = all(f.provisional for _, f in excluded)
    else:
        coverage, category, notes = m1_several_charges(scopes, law)
        person += notes
        if coverage is Outcome.NOT_COVERED:
            outcome = coverage
        elif uncertain:
            outcome = Outcome.NEEDS_REVIEW
            person += [r for f in uncertain for r in f.reasons]
            provisional = any(f.provisional for f in uncertain)
        elif coverage is not None:
            outcome = coverage
        elif p1_objection(record, law).answer is Tri.YES:
            outcome = Outcome.NO_RELIEF
            person += p1_objection(record, law).reasons
        else:
            assert category is not None
            vulnerability, v1 = v1_socially_vulnerable(record, law)
            relief = relief_2021(record, law, category, vulnerability.answer, v1)
            outcome = relief.outcome
            person += relief.reasons
            provisional = relief.provisional or any(scope.provisional for scope in scopes)
            if relief.interpretation or vulnerability.differs_by_charge or len(scopes) > 1:
                flags.add(Flag.INTERPRETATION)
    if provisional or _rests_on_unverified(person, scopes):
        flags.add(Flag.PROVISIONAL_BASIS)
    sentence = relief.sentence if relief is not None else plain_sentence(record.sentence, None)
    person += n1_additional_kept(record, law, outcome).reasons
    tasks, task_reasons = t1_tasks(record, law, outcome, as_of)
    person += task_reasons
    return Decision.model_construct(
        person_id=record.person_id,
        law=law.pack.id,
        law_version=law.version,
        engine_version=__version__,
        as_of=as_of,
        strict=strict,
        outcome=outcome,
        acting_body=relief.acting_body if relief is not None else default_body(record),
        charges=tuple(scope.result for scope in scopes),
        sentence=sentence,
        reasons=tuple(person),
        flags=tuple(sorted(flags, key=lambda flag: flag.value)),
        resocialisation=tasks,
    )


ENGINE_2021 = register_engine(LawEngine(ENGINE, decide, ask_2021))
"""The engine of the 2021 Independence amnesty (and of drafts made from it)."""
