"""Which engine decides under a law: each law pack names the package whose rules decide under it
(`engine:` in pack.yaml; a law's own folder, or the folder of the law it was drafted from), and that
package registers a `LawEngine` here when it is imported.

An engine is the law's order of application (its `decide`), the questions its `needs_review` decisions
ask (`ask`), the pack sections its rules read (`requires`, checked when a law is first decided under)
and whether the bulk run may screen persons column-wise for it (`screen`: the rules the columnar screen
evaluates per distinct value, given only by an engine whose screen is derived from its rules'
declarations; any other law runs every person through its engine, which is correct and slower). Looking an engine up imports its package by name: a plugin lookup, the one place
the engine meets a law's package.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from amnesty.domain.decision import ChargeResult, Decision
from amnesty.domain.enums import Tag
from amnesty.domain.records import CaseRecord, Charge
from amnesty.engine.rules import Finding
from amnesty.law.loader import Law, LawPackError

Decide = Callable[[CaseRecord, Law, dt.date, bool], Decision]
"""A law's decision for a record, as of a date, strict or not; without its questions."""
Redecide = Callable[[CaseRecord], Decision]
Ask = Callable[[Decision, CaseRecord, Law, Redecide], Decision]
"""A `needs_review` decision with the questions whose answers would settle it."""

PACKAGE = "amnesty.law.packs"


@dataclass(frozen=True)
class ScreenRules:
    """What the bulk run's columnar screen (`amnesty.batch.screen`) asks a law's rules, each once per
    distinct value of a chunk: a charge's firm "no" on territory, on context and on its article and
    part; the kinds whose exclusion reads facts of the person (`person_level_kinds`); and a charge's
    result as the engine gives it (`charge_result`, for a plainly uncovered person's decision). The
    offence window the screen tests column-wise is the pack's (`offence_window`)."""

    territory: Callable[[Charge, Law], Finding]
    context: Callable[[Charge, Law], Finding]
    article: Callable[[Charge, Law, bool], Finding]
    person_level_kinds: Callable[[Law], frozenset[Tag]]
    charge_result: Callable[[Charge, Law, bool], ChargeResult]


@dataclass(frozen=True)
class LawEngine:
    """The rules that decide under the laws whose packs name `name` (see the module doc)."""

    name: str
    decide: Decide
    ask: Ask
    requires: tuple[str, ...] = ()
    screen: ScreenRules | None = None

    @property
    def screens(self) -> bool:
        """Whether the bulk run may screen persons column-wise for this engine."""
        return self.screen is not None


ENGINES: dict[str, LawEngine] = {}


def register_engine(engine: LawEngine) -> LawEngine:
    """Record an engine under its name (a law package calls this when imported)."""
    if engine.name in ENGINES and ENGINES[engine.name] is not engine:
        raise RuntimeError(f"engine {engine.name} registered twice")
    ENGINES[engine.name] = engine
    return engine


def engine_of(law: Law) -> LawEngine:
    """The engine that decides under `law` (its package imported on first use); a pack that names no
    known engine, or lacks a section its engine's rules read, is refused with a message naming both."""
    name = law.pack.engine
    if name not in ENGINES:
        try:
            importlib.import_module(f"{PACKAGE}.{name}")
        except ModuleNotFoundError as error:
            raise LawPackError(f"law {law.pack.id}: engine {name!r} is not a law package") from error
    engine = ENGINES.get(name)
    if engine is None:
        raise LawPackError(f"law {law.pack.id}: package {name!r} registers no engine")
    missing = [section for section in engine.requires if _section(law, section) is None]
    if missing:
        raise LawPackError(
            f"law {law.pack.id}: engine {name} reads {', '.join(missing)}, which the pack lacks"
        )
    return engine


def _section(law: Law, section: str) -> object | None:
    if section == "offence_window":
        return law.pack.dates.offence_window
    return getattr(law.pack, section, None)
