"""Law 152-VII's rule T1: tasks for the akimat of the region of a person released from an institution
(LAW.md section 6), the shared `amnesty.engine.resocialisation.t1_resocialisation` under this law's
citation."""

from __future__ import annotations

import datetime as dt

from amnesty.domain.decision import Reason, ResocialisationTask
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord
from amnesty.engine.resocialisation import TASK_READS, t1_resocialisation
from amnesty.engine.rules import implements
from amnesty.law.loader import Law
from amnesty.law.packs.kz_2022_152_vii.names import CITES, ENGINE


@implements("T1", CITES, engine=ENGINE, reads=TASK_READS)
def t1_tasks(
    record: CaseRecord, law: Law, outcome: Outcome, as_of: dt.date
) -> tuple[tuple[ResocialisationTask, ...], tuple[Reason, ...]]:
    """T1: for a person this law releases from an institution, employment (if able to work), social
    assistance, a resocialisation centre (if no fixed residence), medical care and documents (if
    needed); unknown needs are not read as 'no need'."""
    return t1_resocialisation(record, law, outcome, as_of)
