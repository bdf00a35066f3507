"""The 2021 Independence amnesty's order of application, and its scope and procedure rules.

Order (LAW-2021.md; declared as labelled defaults under `order` in pack.yaml, which `decide` consults
through `amnesty.engine.defaults.resolve`): scope per charge (S1: committed before the Law came into force; S2: under the
Criminal Code of 1959, 1997 or 2014; C1 gives the category of a 2014 Code charge from its sanction, a
charge under an earlier Code carries its recorded one); the exclusions of Art. 4 per person (X1-X8,
X10-X13; X8 when some offence of the case is outside the Law); the several-charges rule (M1: relief by
the gravest category); the objection of the person (P1); the socially vulnerable person (V1); release
or reduction (R1-R9, `relief.py`); additional punishments kept (N1); resocialisation (T1). Importing
this module registers the engine `kz_2021_81_vii` that decides under every pack naming it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from amnesty import __version__
from amnesty.domain.decision import ChargeResult, Decision, Reason, ResocialisationTask
from amnesty.domain.enums import Category, CriminalCode, Flag, Outcome, Provenance, Tri
from amnesty.domain.records import CaseRecord, Charge
from amnesty.engine.category import ChargeCategory, charge_category
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.defaults import (
    NOT_APPLICABLE,
    Order,
    OrderCode,
    Resolution,
    RuleAnswer,
    Settled,
    conflict_reason_params,
    law_order,
    resolve,
)
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
from amnesty.law.schema import OrderLabel

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


def _relief_answers(
    relief: Relief2021, labels: tuple[OrderLabel, ...], category: Category
) -> dict[str, RuleAnswer]:
    """The relief stage's answers from what R1-R9 gave (`relief_2021`, which applies them by the gravest
    category): a rule its reasons cite applies with the relief's outcome, unknown when that outcome is
    `needs_review`; a `needs_review` that cites no relief rule waits on V1, so the rule of the
    socially vulnerable for the category (R3, R6) is unknown."""
    cited = {r.rule for r in relief.reasons}
    unsettled = relief.outcome is Outcome.NEEDS_REVIEW
    answers = {}
    for label in labels:
        if label.rule in cited:
            reasons = tuple(r for r in relief.reasons if r.rule == label.rule)
            answer = Tri.UNKNOWN if unsettled else Tri.YES
            answers[label.label] = RuleAnswer(answer, reasons, relief.outcome, relief.provisional)
        else:
            answers[label.label] = NOT_APPLICABLE
    if unsettled and not cited & {label.rule for label in labels}:
        waiting = "R3" if category is Category.MEDIUM else "R6"
        for label in labels:
            if label.rule == waiting:
                answers[label.label] = RuleAnswer(Tri.UNKNOWN, relief.reasons, relief.outcome)
    return answers


class _Answers:
    """The 2021 law's rules for one record, answering the labels of its order: the scope and the
    exclusions at once, M1 and R1-R9 only when the resolver reaches their stage (and once)."""

    def __init__(self, record: CaseRecord, law: Law, as_of: dt.date, strict: bool) -> None:
        self.record = record
        self.law = law
        self.before = as_of < law.entry_into_force
        self.scopes = [scope_charge(charge, law) for charge in record.charges]
        self.exclusions = [*_exclusions(record, law, strict), ("X8", x8_aggregate(self.scopes, law))]
        self._coverage: tuple[Outcome | None, Category | None, list[Reason]] | None = None
        self.relief: tuple[Relief2021, bool, dict[str, RuleAnswer]] | None = None

    def coverage(self) -> tuple[Outcome | None, Category | None, list[Reason]]:
        """M1: the coverage's outcome (`not_covered`, `needs_review` or none), the gravest category, notes."""
        if self._coverage is None:
            self._coverage = m1_several_charges(self.scopes, self.law)
        return self._coverage

    def relief_stage(self, labels: tuple[OrderLabel, ...]) -> tuple[Relief2021, bool, dict[str, RuleAnswer]]:
        """V1 and R1-R9 by the gravest category, with whether V1 differs by charge and the stage's answers."""
        if self.relief is None:
            category = self.coverage()[1]
            assert category is not None  # the coverage stage settles every case with no category
            vulnerability, v1 = v1_socially_vulnerable(self.record, self.law)
            relief = relief_2021(self.record, self.law, category, vulnerability.answer, v1)
            answers = _relief_answers(relief, labels, category)
            self.relief = (relief, vulnerability.differs_by_charge, answers)
        return self.relief

    def providers(self, order: Order) -> dict[str, Callable[[], RuleAnswer]]:
        """Each label of the order with the function that answers it."""
        by_rule = dict(self.exclusions)

        def finding(rule_id: str) -> Callable[[], RuleAnswer]:
            found = by_rule.get(rule_id)
            if found is None:  # an item left out before a conviction (`exclusions_before_conviction`)
                return lambda: NOT_APPLICABLE
            return lambda: RuleAnswer(found.answer, found.reasons, provisional=found.provisional)

        def covered_as(outcome: Outcome) -> Callable[[], RuleAnswer]:
            return lambda: RuleAnswer(
                Tri.YES if self.coverage()[0] is outcome else Tri.NO, tuple(self.coverage()[2])
            )

        def objection() -> RuleAnswer:
            found = p1_objection(self.record, self.law)
            return RuleAnswer(found.answer, found.reasons)

        def relief(labels: tuple[OrderLabel, ...], label: str) -> Callable[[], RuleAnswer]:
            return lambda: self.relief_stage(labels)[2][label]

        answers: dict[str, Callable[[], RuleAnswer]] = {
            "before_entry_into_force": lambda: RuleAnswer(Tri.YES if self.before else Tri.NO),
            "not_covered": covered_as(Outcome.NOT_COVERED),
            "coverage_unsettled": covered_as(Outcome.NEEDS_REVIEW),
            "person_objects": objection,
        }
        for step in order.stages:
            for label in step.labels:
                if step.stage == "exclusions":
                    answers[label.label] = finding(label.rule)
                elif step.stage == "relief":
                    answers[label.label] = relief(step.labels, label.label)
        return answers


def decide(record: CaseRecord, law: Law, as_of: dt.date, strict: bool) -> Decision:
    """The decision under the 2021 Independence amnesty, without its questions: the rules answer, and the
    order of application declared in the pack (`order`, resolved by `amnesty.engine.defaults`) says
    which of them decides (see the module doc)."""
    order = law_order(law)
    flags: set[Flag] = {Flag.STRICT_MODE} if strict else set()
    person: list[Reason] = []
    provisional = False
    rules = _Answers(record, law, as_of, strict)
    scopes, exclusions, coverage = rules.scopes, rules.exclusions, rules.coverage
    answers = rules.providers(order)
    resolution = resolve(order, answers)
    stage = resolution.stage
    if "before_entry_into_force" in resolution.marks:
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
    excluded = [(rule_id, f) for rule_id, f in exclusions if f.answer is Tri.YES]
    uncertain = [f for _, f in exclusions if f.answer is Tri.UNKNOWN]
    exclusion_labels = order.stage_labels("exclusions")
    outcome: Outcome = resolution.outcome
    relief: Relief2021 | None = None
    if resolution.settled is Settled.WINS and stage == "exclusions":
        person += [r for _, f in excluded for r in f.reasons]
        if before_conviction(record) and any(rule_id in CONVICTION_ITEMS for rule_id, _ in excluded):
            person.append(reason(law, "EXCLUSION_BEFORE_CONVICTION", "X13"))
            flags.add(Flag.INTERPRETATION)
        provisional = all(f.provisional for _, f in excluded)
    elif resolution.settled is Settled.UNKNOWN and set(resolution.labels) & set(exclusion_labels):
        person += coverage()[2]
        person += [r for f in uncertain for r in f.reasons]
        provisional = any(f.provisional for f in uncertain)
    elif resolution.settled is Settled.WINS and stage in ("coverage", "objection"):
        person += coverage()[2]
        if stage == "objection":
            person += resolution.reasons()
    elif resolution.settled in (Settled.WINS, Settled.UNKNOWN) and rules.relief is not None:
        person += coverage()[2]
        relief, differs_by_charge, _ = rules.relief
        outcome = relief.outcome
        person += relief.reasons
        provisional = relief.provisional or any(scope.provisional for scope in scopes)
        if relief.interpretation or differs_by_charge or len(scopes) > 1:
            flags.add(Flag.INTERPRETATION)
    else:  # the order does not settle it: a conflict, no rule that applies, an unknown elsewhere
        person += coverage()[2] if resolution.stage != "exclusions" else []
        if resolution.settled is Settled.UNKNOWN:
            person += resolution.reasons()
        else:
            person.append(_unsettled(law, order, resolution))
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


def _unsettled(law: Law, order: Order, resolution: Resolution) -> Reason:
    """The reason of a case the order does not settle: two labels of one rank that disagree
    (`RULE_CONFLICT`, citing the first one's rule), or no label that applies (`NO_RULE_APPLIES`, citing
    the rule of the last stage's first label)."""
    if resolution.settled is Settled.CONFLICT:
        rule_id = order.labels[resolution.labels[0]].rule
        return reason(law, OrderCode.RULE_CONFLICT, rule_id, **conflict_reason_params(order, resolution))
    return reason(law, OrderCode.NO_RULE_APPLIES, order.stages[-1].labels[0].rule)


ENGINE_2021 = register_engine(LawEngine(ENGINE, decide, ask_2021))
"""The engine of the 2021 Independence amnesty (and of drafts made from it)."""
