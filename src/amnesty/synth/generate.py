"""The synthetic registry generator: seeded, reproducible, with no real person's data.

Every value comes from one `random.Random(seed)`, drawn in a fixed order, so the same preset, size
and seed give the same persons on any machine. Identifiers are invented (`P-00000001`), IINs are
made from the invented birth date with a valid check digit (`make_iin`), and full names are invented
Kazakh and Russian names (`amnesty.synth.names`, their own random stream, agreeing with the IIN).
Persons come out as nested records (the contract's JSON shape, with `datetime.date` values).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Any, TypeVar

from amnesty.domain.enums import REGIONS, Category, Context, PersonRole, Punishment, Recidivism, Stage
from amnesty.domain.iin import make_iin
from amnesty.synth.independence_table import Kind2021
from amnesty.synth.names import NameDraw, female_from_iin
from amnesty.synth.presets import (
    EXCLUDING,
    JANUARY_WEIGHTS,
    LISTED_ESPECIALLY_GRAVE,
    LISTED_GRAVE,
    LISTED_LESSER,
    NATIONAL_JANUARY_SHARE,
    NON_CUSTODIAL_PUNISHMENTS,
    ORDINARY,
    ORGANISER,
    SUPPRESSION,
    UNLISTED_HIGH,
    UNLISTED_LOW,
    WINDOW,
    Kind,
    Offence,
    Preset,
)

T = TypeVar("T")
Person = dict[str, Any]

_KINDS = tuple(JANUARY_WEIGHTS)
_KIND_CUM = tuple(accumulate(JANUARY_WEIGHTS.values()))
_ORDINARY = tuple(offence for offence, _ in ORDINARY)
_ORDINARY_CUM = tuple(accumulate(weight for _, weight in ORDINARY))
_PUNISHMENTS = tuple(p for p, _ in NON_CUSTODIAL_PUNISHMENTS)
_PUNISHMENT_CUM = tuple(accumulate(w for _, w in NON_CUSTODIAL_PUNISHMENTS))
# The January events were concentrated in Almaty; other regions less so.
_REGION_WEIGHTS_JANUARY = tuple(
    accumulate(
        30
        if r == "Almaty"
        else 8
        if r in ("Almaty Region", "Mangystau", "Aktobe", "Jambyl", "Shymkent", "Kyzylorda", "Turkistan")
        else 2
        for r in REGIONS
    )
)
_REGION_WEIGHTS_NATIONAL = tuple(
    accumulate(10 if r in ("Almaty", "Astana", "Shymkent", "Karaganda", "Turkistan") else 5 for r in REGIONS)
)
_NATIONAL_START = dt.date(2015, 1, 1).toordinal()
_NATIONAL_END = dt.date(2024, 12, 31).toordinal()
_LESSER = frozenset({Category.MISDEMEANOUR, Category.SMALL, Category.MEDIUM})


class _Draw:
    """The random source with the few draws the generator needs."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security

    def p(self, probability: float) -> bool:
        return self.rng.random() < probability

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def weighted(self, items: Sequence[T], cumulative: Sequence[int]) -> T:
        return self.rng.choices(items, cum_weights=cumulative)[0]

    def between(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def day(self, first: dt.date, last: dt.date) -> dt.date:
        return dt.date.fromordinal(self.rng.randint(first.toordinal(), last.toordinal()))


def _window_day(draw: _Draw) -> dt.date:
    return draw.day(*WINDOW)


def _outside_window_day(draw: _Draw) -> dt.date:
    if draw.p(0.5):
        return draw.day(dt.date(2021, 1, 1), dt.date(2022, 1, 3))
    return draw.day(dt.date(2022, 1, 8), dt.date(2022, 10, 31))


def _charge(
    offence: Offence, day: dt.date, context: Context, draw: _Draw, record_category: float = 0.97
) -> dict[str, Any]:
    return {
        "article": offence.article,
        "part": offence.part,
        "category": offence.category.value if draw.p(record_category) else None,
        "offence_date": day,
        "offence_end_date": None,
        "territory": "KZ",
        "context": context.value,
        "tags": [],
    }


def _term_for(category: Category, draw: _Draw) -> dict[str, int]:
    low, high = {
        Category.MISDEMEANOUR: (0, 0),
        Category.SMALL: (0, 1),
        Category.MEDIUM: (1, 4),
        Category.GRAVE: (4, 9),
        Category.ESPECIALLY_GRAVE: (8, 15),
    }[category]
    years = draw.between(low, high)
    months = draw.between(0, 11) if draw.p(0.6) else 0
    if years == 0 and months == 0:
        months = draw.between(1, 11)
    return {"years": years, "months": months, "days": draw.between(1, 29) if draw.p(0.1) else 0}


def _sentence(
    category: Category, start: dt.date, draw: _Draw, punishment: Punishment = Punishment.IMPRISONMENT
) -> dict[str, Any]:
    sentence: dict[str, Any] = {
        "punishment": punishment.value,
        "term": None,
        "start_date": start if draw.p(0.98) else None,
        "conditional": False,
        "fine_amount_mci": None,
        "hours": None,
        "additional": [],
    }
    if punishment.is_term:
        sentence["term"] = _term_for(category, draw)
    elif punishment in (Punishment.FINE, Punishment.CORRECTIONAL_LABOUR):
        sentence["fine_amount_mci"] = float(draw.between(10, 2000))
    elif punishment is Punishment.COMMUNITY_SERVICE:
        sentence["hours"] = draw.between(40, 600)
    if draw.p(0.05):
        sentence["additional"] = ["deprivation of the right to hold office"]
    return sentence


def _gravest(charges: list[dict[str, Any]], offences: list[Offence]) -> Category:
    return max((offence.category for offence in offences), key=lambda category: category.gravity)


def _person_base(number: int, draw: _Draw, offence_day: dt.date, minor: bool, national: bool) -> Person:
    age = draw.between(14, 17) if minor else draw.between(18, 62)
    day = offence_day.replace(day=28) if (offence_day.month, offence_day.day) == (2, 29) else offence_day
    birth = day.replace(year=day.year - age) - dt.timedelta(days=draw.between(0, 364))
    female = draw.p(0.12)
    has_iin = draw.p(0.9)
    has_birth = draw.p(0.7) or not has_iin
    if draw.p(0.03):
        has_iin = has_birth = False
    cumulative = _REGION_WEIGHTS_NATIONAL if national else _REGION_WEIGHTS_JANUARY
    return {
        "person_id": f"P-{number:08d}",
        "iin": make_iin(birth, draw.between(0, 9999), female) if has_iin else None,
        "birth_date": birth if has_birth else None,
        "case_number": f"C-{offence_day.year}-{draw.between(1, 999_999):06d}",
        "region": draw.weighted(REGIONS, cumulative) if draw.p(0.97) else None,
        "role": PersonRole.PARTICIPANT.value,
        "recidivism": Recidivism.NONE.value,
        "stage": Stage.PRE_TRIAL.value,
        "charges": [],
        "sentence": None,
        "conviction_expunged": False,
        "fixed_residence": None if draw.p(0.1) else draw.p(0.85),
        "able_bodied": None if draw.p(0.1) else draw.p(0.9),
        "needs_medical_care": None if draw.p(0.2) else draw.p(0.15),
        "needs_documents": None if draw.p(0.2) else draw.p(0.1),
    }


def _january_person(number: int, draw: _Draw, national: bool = False) -> Person:
    kind = draw.weighted(_KINDS, _KIND_CUM)
    day = _window_day(draw)
    minor = draw.p(0.35) if kind is Kind.ORGANISER else draw.p(0.03)
    person = _person_base(number, draw, day, minor, national)
    riot = Context.RIOT
    offences: list[Offence] = []
    charges: list[dict[str, Any]] = []

    def add(offence: Offence, context: Context = riot, when: dt.date | None = None) -> dict[str, Any]:
        charge = _charge(offence, when or day, context, draw)
        offences.append(offence)
        charges.append(charge)
        return charge

    stage = Stage.PRE_TRIAL if draw.p(0.6) else Stage.TRIAL
    punishment: Punishment | None = None
    conditional = False
    if kind is Kind.PENDING_LESSER:
        add(draw.pick(LISTED_LESSER))
        if draw.p(0.2):
            add(draw.pick(LISTED_LESSER))
    elif kind is Kind.PENDING_GRAVE:
        add(draw.pick(LISTED_GRAVE) if draw.p(0.85) else draw.pick(LISTED_ESPECIALLY_GRAVE))
        if draw.p(0.25):
            add(draw.pick(LISTED_LESSER))
        if stage is Stage.TRIAL and draw.p(0.3):
            punishment = Punishment.IMPRISONMENT
    elif kind in (Kind.CUSTODY, Kind.CUSTODY_LESSER):
        stage, punishment = Stage.SERVING, Punishment.IMPRISONMENT
        if kind is Kind.CUSTODY:
            add(draw.pick(LISTED_GRAVE) if draw.p(0.75) else draw.pick(LISTED_ESPECIALLY_GRAVE))
        else:
            add(draw.pick(LISTED_LESSER))
    elif kind is Kind.NON_CUSTODIAL:
        stage = Stage.SERVING
        punishment = draw.weighted(_PUNISHMENTS, _PUNISHMENT_CUM)
        conditional = punishment is Punishment.IMPRISONMENT
        add(draw.pick(LISTED_LESSER) if draw.p(0.8) else draw.pick(LISTED_GRAVE))
    elif kind is Kind.SERVED:
        stage, punishment = Stage.SERVED, Punishment.IMPRISONMENT if draw.p(0.3) else Punishment.FINE
        add(draw.pick(LISTED_LESSER) if draw.p(0.85) else draw.pick(LISTED_GRAVE))
        person["conviction_expunged"] = draw.p(0.05)
    elif kind is Kind.OFFICER:
        person["role"] = PersonRole.LAW_ENFORCEMENT.value if draw.p(0.7) else PersonRole.MILITARY.value
        add(draw.pick(SUPPRESSION) if draw.p(0.8) else EXCLUDING[4], Context.SUPPRESSION)
    elif kind is Kind.EXCLUDED:
        add(draw.pick(EXCLUDING))
        if draw.p(0.4):
            add(draw.pick(LISTED_GRAVE))
        if draw.p(0.1):
            charges[0]["tags"] = ["terrorist"]
    elif kind is Kind.ORGANISER:
        add(ORGANISER)
        if draw.p(0.3):
            add(draw.pick(LISTED_GRAVE))
    elif kind is Kind.RECIDIVIST:
        person["recidivism"] = Recidivism.RECIDIVISM.value if draw.p(0.8) else Recidivism.DANGEROUS.value
        add(draw.pick(LISTED_LESSER) if draw.p(0.6) else draw.pick(LISTED_GRAVE))
    elif kind is Kind.NOT_COVERED:
        roll = draw.rng.random()
        if roll < 0.4:
            add(draw.pick(UNLISTED_LOW))
        elif roll < 0.8:
            add(draw.pick(LISTED_LESSER), when=_outside_window_day(draw))
        else:
            add(draw.pick(LISTED_GRAVE), Context.UNRELATED)
    else:  # UNCERTAIN
        roll = draw.rng.random()
        if roll < 0.25:
            charge = add(draw.pick(LISTED_GRAVE))
            charge["offence_end_date"] = draw.day(dt.date(2022, 1, 8), dt.date(2022, 3, 31))
        elif roll < 0.5:
            add(draw.pick(LISTED_LESSER), Context.UNKNOWN)
        elif roll < 0.75:
            add(draw.pick(UNLISTED_HIGH))
        elif roll < 0.9:
            add(draw.pick(LISTED_LESSER))
            add(draw.pick(UNLISTED_LOW))
        else:
            charge = add(Offence(293, 2, Category.GRAVE))
            charge["category"] = None
    if kind in (
        Kind.OFFICER,
        Kind.EXCLUDED,
        Kind.ORGANISER,
        Kind.RECIDIVIST,
        Kind.NOT_COVERED,
        Kind.UNCERTAIN,
    ):
        roll = draw.rng.random()
        if roll < 0.08:
            stage, punishment = Stage.SERVING, Punishment.IMPRISONMENT
        elif roll < 0.25:
            stage, punishment = Stage.SERVING, Punishment.RESTRICTION_OF_FREEDOM
        elif roll < 0.32:
            stage, punishment = Stage.SERVED, Punishment.IMPRISONMENT
    person["stage"] = stage.value
    person["charges"] = charges
    if punishment is not None:
        start = day + dt.timedelta(days=draw.between(1, 60 if stage is not Stage.TRIAL else 300))
        sentence = _sentence(_gravest(charges, offences), start, draw, punishment)
        sentence["conditional"] = conditional
        person["sentence"] = sentence
    return person


def _national_person(number: int, draw: _Draw) -> Person:
    if draw.p(NATIONAL_JANUARY_SHARE):
        return _january_person(number, draw, national=True)
    day = dt.date.fromordinal(draw.between(_NATIONAL_START, _NATIONAL_END))
    person = _person_base(number, draw, day, draw.p(0.04), national=True)
    count = 1 if draw.p(0.78) else 2 if draw.p(0.8) else 3
    offences = [draw.weighted(_ORDINARY, _ORDINARY_CUM) for _ in range(count)]
    context = Context.UNRELATED if draw.p(0.7) else Context.UNKNOWN
    person["charges"] = [
        _charge(
            offence, day if index == 0 else day - dt.timedelta(days=draw.between(0, 90)), context, draw, 0.99
        )
        for index, offence in enumerate(offences)
    ]
    if draw.p(0.08):
        person["recidivism"] = Recidivism.RECIDIVISM.value
    roll = draw.rng.random()
    stage = (
        Stage.PRE_TRIAL
        if roll < 0.15
        else Stage.TRIAL
        if roll < 0.25
        else Stage.SERVING
        if roll < 0.7
        else Stage.SERVED
    )
    person["stage"] = stage.value
    if stage in (Stage.SERVING, Stage.SERVED):
        gravest = max((o.category for o in offences), key=lambda c: c.gravity)
        custodial = gravest not in _LESSER or draw.p(0.4)
        punishment = Punishment.IMPRISONMENT if custodial else draw.weighted(_PUNISHMENTS, _PUNISHMENT_CUM)
        start = day + dt.timedelta(days=draw.between(30, 400))
        person["sentence"] = _sentence(gravest, start, draw, punishment)
        person["sentence"]["conditional"] = punishment is Punishment.IMPRISONMENT and not custodial
        if stage is Stage.SERVED:
            person["conviction_expunged"] = draw.p(0.2)
    return person


def generate(preset: Preset, persons: int, seed: int = 0) -> Iterator[Person]:
    """`persons` synthetic records of the preset, in person_id order; the same for the same seed."""
    if preset is Preset.INDEPENDENCE_2021:
        yield from (person for _, person in generate_2021(persons, seed))
        return
    draw = _Draw(seed * 1_000_003 + (1 if preset is Preset.JANUARY else 2))
    names = NameDraw(seed * 1_000_003 + (11 if preset is Preset.JANUARY else 12))
    make = _january_person if preset is Preset.JANUARY else _national_person
    for number in range(1, persons + 1):
        person = make(number, draw)
        person["full_name"] = names.full_name(female_from_iin(person["iin"]))
        yield person


def generate_2021(persons: int, seed: int = 0) -> Iterator[tuple[Kind2021, Person]]:
    """The `independence-2021` preset's persons, each with the kind it was drawn as (for tests and
    calibration; `generate` gives the persons alone)."""
    from amnesty.synth.independence import independence_person

    draw = _Draw(seed * 1_000_003 + 3)
    names = NameDraw(seed * 1_000_003 + 13)
    for number in range(1, persons + 1):
        kind, person = independence_person(number, draw)
        person["full_name"] = names.full_name(person["sex"] == "female")
        yield kind, person
