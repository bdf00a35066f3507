"""The `independence-2021` preset's parameters: who is in the registry and how often (one table).

The registry stands for the penal population of Kazakhstan on the day the 2021 Independence amnesty
(pack `kz-2021-81-vii`, LAW-2021.md) came into force, assumed 2021-12-08. Assumptions (ours, stated
here so that a reader can change them in one place):

- about 30,000 prisoners and 25,000 persons on probation (conditional sentences and restriction of
  freedom) at the end of 2021; 15,000 persons in pending cases (pre-trial and trial) with an
  identified suspect, and 10,000 persons whose sentence had been served (asked about, always X7);
  80,000 persons in all, the default size (`INDEPENDENCE_DEFAULT_PERSONS`). Other sizes scale.
- The kinds of person carrying relief are sized on the Interior Minister's forecast (LAW-2021.md
  section 9): about 1,000 released from institutions, probation lifted for 3,800, terms reduced for
  1,294 inmates and 7,392 persons on probation, about 5,000 pending cases closed. The rest of each
  population is sized so that the shares are plausible for a penal population (most prisoners are held
  for crimes the lists of Art. 4 sp. 13 exclude: murder, rape, robbery, aggravated theft, drug
  dealing; many are recidivists), not taken from any statistic.

`SHARES` is the one table: per kind of person, its population, how many of the default 80,000 it
stands for, the outcome the law's rules (LAW-2021.md sections 3-6) give it, and which rules. The
person-level fact rates (`FACT_RATES`) are the other parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from amnesty.domain.enums import Outcome

ENTRY_INTO_FORCE = dt.date(2021, 12, 8)
"""D of LAW-2021.md section 1 (assumed): every offence in the preset is committed before it."""


class Population(StrEnum):
    """Where a person stands on the day of entry into force."""

    PRISON = "prison"  # serving imprisonment in an institution
    PROBATION = "probation"  # restriction of freedom or a conditional sentence
    PENDING = "pending"  # pre_trial or trial
    SERVED = "served"  # sentence served before that day


class Kind2021(StrEnum):
    """Archetypes of the 2021 registry, named by what the law does for them."""

    PRISON_RELEASE = "prison_release"
    PRISON_REDUCE = "prison_reduce"
    PRISON_ONE_YEAR_GRAVE = "prison_one_year_grave"
    PRISON_LISTED = "prison_listed"
    PRISON_RECIDIVIST = "prison_recidivist"
    PRISON_VIOLATOR = "prison_violator"
    PRISON_GROUP = "prison_group"
    PRISON_TERROR_EXTREMIST = "prison_terror_extremist"
    PRISON_LIFE = "prison_life"
    PRISON_TORTURE = "prison_torture"
    PRISON_OBJECTS = "prison_objects"
    PRISON_UNKNOWN = "prison_unknown"
    PROBATION_RELEASE = "probation_release"
    PROBATION_REDUCE = "probation_reduce"
    PROBATION_ONE_YEAR_GRAVE = "probation_one_year_grave"
    PROBATION_LISTED = "probation_listed"
    PROBATION_RECIDIVIST = "probation_recidivist"
    PROBATION_GROUP = "probation_group"
    PROBATION_VIOLATOR = "probation_violator"
    PROBATION_EXTREMIST = "probation_extremist"
    PROBATION_OBJECTS = "probation_objects"
    PROBATION_UNKNOWN = "probation_unknown"
    PENDING_TERMINATE = "pending_terminate"
    PENDING_REDUCE = "pending_reduce"
    PENDING_LISTED = "pending_listed"
    PENDING_RECIDIVIST = "pending_recidivist"
    PENDING_GROUP = "pending_group"
    PENDING_EXTREMIST = "pending_extremist"
    PENDING_OBJECTS = "pending_objects"
    PENDING_UNKNOWN = "pending_unknown"
    SERVED = "served"


@dataclass(frozen=True)
class Share:
    """One row of the table: a kind, its population, persons per 80,000, expected outcome, rules."""

    kind: Kind2021
    population: Population
    persons: int
    outcome: Outcome
    rules: str


P, B, Q = Population.PRISON, Population.PROBATION, Population.PENDING
K = Kind2021
SHARES: tuple[Share, ...] = (
    # Prisoners (30,000): 1,000 released and 1,294 reduced (the forecast).
    Share(
        K.PRISON_RELEASE,
        P,
        1_000,
        Outcome.RELEASE,
        "R1 small; R2 medium, damage none/repaid/no claim; R3; R4",
    ),
    Share(K.PRISON_REDUCE, P, 1_294, Outcome.REDUCE_SENTENCE, "R5 medium; R6-R8 grave, especially grave"),
    Share(K.PRISON_ONE_YEAR_GRAVE, P, 300, Outcome.NEEDS_REVIEW, "R9 grave, at most one year left"),
    Share(K.PRISON_LISTED, P, 16_000, Outcome.EXCLUDED, "X11-X13 (X8 with a covered charge beside)"),
    Share(K.PRISON_RECIDIVIST, P, 7_000, Outcome.EXCLUDED, "X4"),
    Share(K.PRISON_VIOLATOR, P, 1_500, Outcome.EXCLUDED, "X10"),
    Share(K.PRISON_GROUP, P, 1_500, Outcome.EXCLUDED, "X6"),
    Share(K.PRISON_TERROR_EXTREMIST, P, 600, Outcome.EXCLUDED, "X1, X2"),
    Share(K.PRISON_LIFE, P, 200, Outcome.EXCLUDED, "X5 (life; death commuted; 1959 art. 88: X11)"),
    Share(K.PRISON_TORTURE, P, 50, Outcome.EXCLUDED, "X3"),
    Share(K.PRISON_OBJECTS, P, 6, Outcome.NO_RELIEF, "P1"),
    Share(K.PRISON_UNKNOWN, P, 550, Outcome.NEEDS_REVIEW, "missing category, damage, point, intoxication"),
    # Probation (25,000): 3,800 lifted and 7,392 reduced (the forecast).
    Share(K.PROBATION_RELEASE, B, 3_800, Outcome.RELEASE, "R1; R2; R3; R4"),
    Share(K.PROBATION_REDUCE, B, 7_392, Outcome.REDUCE_SENTENCE, "R5 medium; R6-R8 grave"),
    Share(K.PROBATION_ONE_YEAR_GRAVE, B, 400, Outcome.NEEDS_REVIEW, "R9"),
    Share(K.PROBATION_LISTED, B, 9_500, Outcome.EXCLUDED, "X13 (X12)"),
    Share(K.PROBATION_RECIDIVIST, B, 2_000, Outcome.EXCLUDED, "X4"),
    Share(K.PROBATION_GROUP, B, 700, Outcome.EXCLUDED, "X6"),
    Share(K.PROBATION_VIOLATOR, B, 300, Outcome.EXCLUDED, "X10 (crime while serving)"),
    Share(K.PROBATION_EXTREMIST, B, 200, Outcome.EXCLUDED, "X2"),
    Share(K.PROBATION_OBJECTS, B, 8, Outcome.NO_RELIEF, "P1"),
    Share(K.PROBATION_UNKNOWN, B, 700, Outcome.NEEDS_REVIEW, "missing category, damage, point, intoxication"),
    # Pending cases (15,000): about 5,000 closed (the forecast).
    Share(K.PENDING_TERMINATE, Q, 5_000, Outcome.TERMINATE_CASE, "R1; R2; R3"),
    Share(K.PENDING_REDUCE, Q, 2_500, Outcome.REDUCE_AT_SENTENCING, "R5-R8 at sentencing"),
    Share(K.PENDING_LISTED, Q, 5_200, Outcome.EXCLUDED, "X13"),
    Share(K.PENDING_RECIDIVIST, Q, 1_000, Outcome.EXCLUDED, "X4 (interpretation at pre-trial)"),
    Share(K.PENDING_GROUP, Q, 600, Outcome.EXCLUDED, "X6"),
    Share(K.PENDING_EXTREMIST, Q, 100, Outcome.EXCLUDED, "X1, X2"),
    Share(K.PENDING_OBJECTS, Q, 5, Outcome.NO_RELIEF, "P1"),
    Share(K.PENDING_UNKNOWN, Q, 595, Outcome.NEEDS_REVIEW, "missing category, damage, point, intoxication"),
    # Served (10,000).
    Share(K.SERVED, Population.SERVED, 10_000, Outcome.EXCLUDED, "X7"),
)
INDEPENDENCE_DEFAULT_PERSONS = sum(share.persons for share in SHARES)

FORECAST: dict[tuple[Population, Outcome], int] = {
    (Population.PRISON, Outcome.RELEASE): 1_000,
    (Population.PROBATION, Outcome.RELEASE): 3_800,
    (Population.PRISON, Outcome.REDUCE_SENTENCE): 1_294,
    (Population.PROBATION, Outcome.REDUCE_SENTENCE): 7_392,
    (Population.PENDING, Outcome.TERMINATE_CASE): 5_000,
}
"""LAW-2021.md section 9, the Interior Minister's forecast, for the default 80,000 persons."""


@dataclass(frozen=True)
class FactRates:
    """Person-level facts of one population (probabilities)."""

    female: float
    older: float  # aged 55 or more at the offence
    minor: float  # under 18 at the offence
    veteran: float
    disability_1_2: float
    disability_3: float
    pregnant: float  # of women under 45
    children_female: float
    children_male: float
    sole_parent_male: float  # of men with children
    disabled_dependant: float
    negative_conduct: float | None  # None: not rated (not serving)
    old_code: float  # a charge under the 1997 Code (where the kind allows one)


FACT_RATES: dict[Population, FactRates] = {
    Population.PRISON: FactRates(
        0.10, 0.05, 0.01, 0.004, 0.015, 0.03, 0.01, 0.6, 0.45, 0.04, 0.01, 0.25, 0.06
    ),
    Population.PROBATION: FactRates(
        0.16, 0.06, 0.03, 0.004, 0.015, 0.04, 0.03, 0.65, 0.5, 0.04, 0.01, 0.10, 0.005
    ),
    Population.PENDING: FactRates(0.15, 0.06, 0.04, 0.003, 0.01, 0.03, 0.03, 0.6, 0.5, 0.04, 0.01, None, 0.0),
    Population.SERVED: FactRates(0.12, 0.05, 0.02, 0.004, 0.01, 0.03, 0.02, 0.6, 0.5, 0.04, 0.01, None, 0.03),
}
