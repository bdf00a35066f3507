"""Resocialisation (rule T1 of every amnesty so far): tasks for the akimat of the region of a person
released from an institution (LAW.md section 6). Each law registers its own T1, citing its article,
over `t1_resocialisation` (Law 152-VII's in its package, the 2021 law's `rules.t1_tasks`)."""

from __future__ import annotations

import datetime as dt

from amnesty.domain.decision import Reason, ResocialisationTask
from amnesty.domain.enums import Outcome, TaskKind, TaskStatus
from amnesty.domain.records import CaseRecord
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.messages import word
from amnesty.engine.rules import reason
from amnesty.law.loader import Law

TASK_READS = (
    "sentence.punishment",
    "sentence.conditional",
    "able_bodied",
    "fixed_residence",
    "needs_medical_care",
    "needs_documents",
    "region",
)
"""What `t1_resocialisation` reads of the record (a law's T1 over it declares these)."""


def released_from_institution(record: CaseRecord, outcome: Outcome) -> bool:
    """True when the decision releases a person held in custody (imprisonment or arrest, not suspended)."""
    sentence = record.sentence
    return (
        outcome is Outcome.RELEASE
        and sentence is not None
        and sentence.punishment.is_custodial
        and not sentence.conditional
    )


def t1_resocialisation(
    record: CaseRecord, law: Law, outcome: Outcome, as_of: dt.date
) -> tuple[tuple[ResocialisationTask, ...], tuple[Reason, ...]]:
    """The tasks of T1: employment (if able to work), social assistance, a resocialisation centre (if no fixed
    residence), medical care and documents (if needed). Unknown needs are not read as 'no need':
    only an explicit `false` leaves a duty out, except employment, which needs a known ability to work
    and is otherwise created for the akimat to assess. Each task opens on the decision's as-of date."""
    if not released_from_institution(record, outcome):
        return (), ()
    kinds = [TaskKind.SOCIAL_ASSISTANCE]
    if record.able_bodied is not False:
        kinds.insert(0, TaskKind.EMPLOYMENT)
    if record.fixed_residence is not True:
        kinds.append(TaskKind.RESOCIALISATION_CENTRE)
    if record.needs_medical_care is not False:
        kinds.append(TaskKind.MEDICAL_CARE)
    if record.needs_documents is not False:
        kinds.append(TaskKind.DOCUMENTS)
    cites = law.pack.rules["T1"].cites
    region = record.region
    akimat = f"Akimat of {region}" if region else None
    tasks = tuple(
        ResocialisationTask(
            kind=kind,
            region=region,
            akimat=akimat,
            status=TaskStatus.OPEN,
            opened_on=as_of,
            rule="T1",
            cites=cites,
        )
        for kind in kinds
    )
    tasks_word = word("task", *(kind.value for kind in kinds))
    region_word = word("region", region) if region else "?"
    reasons = [reason(law, C.RESOCIALISATION_TASKS, "T1", region=region_word, tasks=tasks_word)]
    if region is None:
        reasons.append(reason(law, C.REGION_UNKNOWN, "T1"))
    return tasks, tuple(reasons)
