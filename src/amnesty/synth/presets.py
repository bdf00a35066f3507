"""Presets of the synthetic registry: kinds of person (archetypes) and how often each occurs.

`january` is calibrated on the figures reported at adoption (LAW.md section 7): about 1,500 people
covered; 1,112 convicted for the January events, 128 of them in custody; 363 accused of grave
crimes in cases still under investigation or in court. At the default size (2,380 persons) the
archetype weights give about those numbers; other sizes scale them. The rest of the mix (excluded
charges, unlisted articles, officers in the suppression, minors, recidivists, missing data) is
invented to exercise every rule, not taken from any statistic.

`national` stands for a whole registry: most persons were charged outside the window with ordinary
crimes; a small share are January cases drawn from the `january` mix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from amnesty.domain.enums import Category, Context, Punishment, Stage


class Preset(StrEnum):
    """The registries `amnesty synth` can generate."""

    JANUARY = "january"
    NATIONAL = "national"
    INDEPENDENCE_2021 = "independence-2021"  # amnesty.synth.independence_table


@dataclass(frozen=True)
class Offence:
    """An article (and part) with its category, as a registry would record it."""

    article: int
    part: int | None
    category: Category


G, EG, M, S, MD = (
    Category.GRAVE,
    Category.ESPECIALLY_GRAVE,
    Category.MEDIUM,
    Category.SMALL,
    Category.MISDEMEANOUR,
)

# Charges of the January events that the law lists (LAW.md section 2), with the category the Criminal Code's
# sanction gives the part (rule C1; the catalogue's facts), so that records agree with the Code.
LISTED_LESSER = (
    Offence(272, 3, M),
    Offence(188, 2, M),
    Offence(188, 1, M),
    Offence(202, 1, S),
    Offence(202, 2, M),
    Offence(107, 1, S),
    Offence(115, None, MD),
    Offence(131, None, MD),
    Offence(149, 1, MD),
    Offence(187, None, MD),
    Offence(200, 1, S),
    Offence(293, 1, S),
    Offence(378, None, MD),
    Offence(380, 1, M),
)
LISTED_GRAVE = (
    Offence(272, 2, G),
    Offence(188, 4, G),
    Offence(191, 3, G),
    Offence(106, 1, G),
    Offence(202, 3, G),
    Offence(287, 4, G),
    Offence(291, 1, G),
    Offence(380, 2, G),
)
LISTED_ESPECIALLY_GRAVE = (
    Offence(291, 4, EG),
    Offence(132, 5, EG),
    Offence(380, 6, EG),
)
# Officers in the suppression.
SUPPRESSION = (Offence(362, 3, G), Offence(362, 1, M), Offence(104, None, S), Offence(113, None, S))
# Charges that exclude the whole person (X1-X8), or that the list leaves out.
EXCLUDING = (
    Offence(255, 2, EG),
    Offence(179, 1, EG),
    Offence(175, None, EG),
    Offence(182, 1, EG),
    Offence(146, 2, G),
    Offence(366, 3, G),
    Offence(124, 1, G),
)
ORGANISER = Offence(272, 1, G)
UNLISTED_LOW = (Offence(106, 3, G), Offence(190, 2, M), Offence(120, 1, G), Offence(194, 2, G))
UNLISTED_HIGH = (Offence(296, 1, M), Offence(286, 2, M), Offence(274, 1, S))
# Ordinary crimes of a national registry (outside the January events).
ORDINARY = (
    (Offence(188, 1, M), 20),
    (Offence(188, 2, M), 16),
    (Offence(190, 2, M), 12),
    (Offence(293, 1, S), 6),
    (Offence(296, 1, M), 8),
    (Offence(297, 1, G), 4),
    (Offence(345, 2, M), 5),
    (Offence(106, 1, G), 2),
    (Offence(107, 1, S), 3),
    (Offence(191, 2, G), 4),
    (Offence(99, 1, EG), 1),
    (Offence(120, 1, G), 1),
    (Offence(131, None, MD), 3),
    (Offence(366, 3, G), 1),
    (Offence(202, 1, S), 3),
    (Offence(73, None, MD), 5),
)

WINDOW = (dt.date(2022, 1, 4), dt.date(2022, 1, 7))
LAW_DATE = dt.date(2022, 11, 3)


class Kind(StrEnum):
    """Archetypes of person in the January mix (what the law should do for each)."""

    PENDING_LESSER = "pending_lesser"  # R1 terminate_case
    PENDING_GRAVE = "pending_grave"  # R6 reduce_at_sentencing
    CUSTODY = "custody"  # R4/R5/R8, serving imprisonment
    CUSTODY_LESSER = "custody_lesser"  # R2 release from custody
    NON_CUSTODIAL = "non_custodial"  # R2 release, or N1 review for grave
    SERVED = "served"  # R3 expunge / R7 no relief
    OFFICER = "officer"  # suppression: covered, or torture (excluded)
    EXCLUDED = "excluded"  # X1-X8
    ORGANISER = "organiser"  # X6, adult excluded / minor exception
    RECIDIVIST = "recidivist"  # X9
    NOT_COVERED = "not_covered"  # unlisted article, out of window, unrelated
    UNCERTAIN = "uncertain"  # spans the window, unknown context, list incomplete, partial


# Weights per 2,380 persons (the default size). Convicted (custody, custody_lesser, non_custodial,
# served, and the convicted share of the others) come to about 1,112, with 128 in custody.
JANUARY_WEIGHTS: dict[Kind, int] = {
    Kind.PENDING_LESSER: 341,
    Kind.PENDING_GRAVE: 363,
    Kind.CUSTODY: 45,
    Kind.CUSTODY_LESSER: 12,
    Kind.NON_CUSTODIAL: 520,
    Kind.SERVED: 300,
    Kind.OFFICER: 40,
    Kind.EXCLUDED: 90,
    Kind.ORGANISER: 50,
    Kind.RECIDIVIST: 90,
    Kind.NOT_COVERED: 339,
    Kind.UNCERTAIN: 190,
}
JANUARY_DEFAULT_PERSONS = sum(JANUARY_WEIGHTS.values())

NATIONAL_JANUARY_SHARE = 0.002
"""Share of a national registry that are January cases (about 2,000 in a million)."""

STAGES_PENDING = (Stage.PRE_TRIAL, Stage.TRIAL)
CONTEXTS_OTHER = (Context.UNRELATED, Context.UNKNOWN)
NON_CUSTODIAL_PUNISHMENTS = (
    (Punishment.RESTRICTION_OF_FREEDOM, 45),
    (Punishment.FINE, 25),
    (Punishment.CORRECTIONAL_LABOUR, 10),
    (Punishment.COMMUNITY_SERVICE, 10),
    (Punishment.IMPRISONMENT, 10),  # conditional (suspended)
)
