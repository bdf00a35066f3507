"""The `independence-2021` generator: the prison, probation and pending-case population of late 2021.

Each person is drawn as one kind of `independence_table.SHARES` (weighted by its persons), then given
charges, a sentence and the record's new facts (CONTRACT.md, "Several laws") so that the 2021 law's
rules (LAW-2021.md) give the kind's outcome: covered charges are not on the lists of Art. 4 sp. 11-13,
listed ones are; releases and reductions are routed by the facts the rules read (category, damage and
civil claim, social vulnerability, conduct, time left on the day of entry into force). Every offence
is committed before that day. Articles of the 2014 Code are those of the catalogue, with the category
its sanction gives; an article outside it (99, 192, 297, 345, 346, 366 parts 2-3) always carries
its category, as do charges under the 1997 and 1959 Codes (but for the missing-category kind).

Draws come from the shared `_Draw` of `amnesty.synth.generate`, in a fixed order, so the same size
and seed give the same persons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from amnesty.domain.enums import (
    REGIONS,
    Category,
    Context,
    CriminalCode,
    Damage,
    PersonRole,
    Punishment,
    Recidivism,
    Sex,
)
from amnesty.domain.enums import Stage as St
from amnesty.domain.iin import make_iin
from amnesty.domain.records import CaseRecord
from amnesty.engine.terms import Term, add_months, add_years, last_day, one_year_limit
from amnesty.synth.independence_table import (
    ENTRY_INTO_FORCE,
    FACT_RATES,
    SHARES,
    FactRates,
    Kind2021,
    Population,
)

if TYPE_CHECKING:
    from amnesty.synth.generate import _Draw

D = ENTRY_INTO_FORCE
G, EG, M, S = Category.GRAVE, Category.ESPECIALLY_GRAVE, Category.MEDIUM, Category.SMALL
KZ14, KZ97, SSR59 = CriminalCode.KZ_2014, CriminalCode.KZ_1997, CriminalCode.KAZSSR_1959
K = Kind2021


@dataclass(frozen=True)
class Crime:
    """An article, part and point of a Code, with its category and what kind of harm it does."""

    article: int | str
    part: int | None
    category: Category
    code: CriminalCode = KZ14
    point: int | str | None = None
    property_crime: bool = False
    tags: tuple[str, ...] = ()
    traffic: bool = False


def _w(*items: tuple[Crime, int]) -> tuple[tuple[Crime, ...], tuple[int, ...]]:
    return tuple(c for c, _ in items), tuple(accumulate(w for _, w in items))


# Not on the lists of Art. 4 sp. 13 (checked by the tests), categories as the catalogue gives them.
COVERED_SMALL = _w(
    (Crime(190, 1, S, property_crime=True), 5),
    (Crime(107, 1, S), 3),
    (Crime(293, 1, S), 3),
    (Crime(200, 1, S, property_crime=True), 1),
    (Crime(202, 1, S, property_crime=True), 1),
    (Crime(104, 1, S), 1),
    (Crime(287, 2, S), 1),
    (Crime(380, 1, S), 1),
    (Crime(345, 2, S, traffic=True), 4),
    (Crime(345, 3, S, traffic=True), 2),
)
COVERED_MEDIUM = _w(
    (Crime(188, 1, M, property_crime=True), 12),
    (Crime(188, 2, M, property_crime=True), 18),
    (Crime(190, 2, M, property_crime=True), 12),
    (Crime(191, 1, M, property_crime=True), 5),
    (Crime(189, 2, M, property_crime=True), 3),
    (Crime(107, 2, M), 3),
    (Crime(200, 2, M, property_crime=True), 2),
    (Crime(366, 1, M), 1),
    (Crime(367, 1, M), 1),
    (Crime(287, 3, M), 2),
    (Crime(362, 1, M), 1),
    (Crime(249, 1, M, property_crime=True), 1),
    (Crime(234, 2, M), 1),
)
COVERED_GRAVE = _w(
    (Crime(106, 1, G), 12),
    (Crime(188, 3, G, point=1, property_crime=True), 10),
    (Crime(188, 3, G, point=3, property_crime=True), 3),
    (Crime(200, 3, G, property_crime=True), 2),
    (Crime(202, 2, G, property_crime=True), 1),
    (Crime(293, 2, G), 5),
    (Crime(218, 2, G, property_crime=True), 1),
    (Crime(249, 2, G, property_crime=True), 1),
    (Crime(362, 3, G), 1),
    (Crime(287, 5, G), 1),
    (Crime(132, 1, G), 1),
)
COVERED_ESPECIALLY_GRAVE = _w((Crime(380, 6, EG), 1), (Crime(450, 4, EG), 1))
COVERED_1997 = (
    _w(  # grave: still serving in 2021 for a crime before 2015; no lettered points (flat files hold numbers)
        (Crime(175, 3, G, KZ97, property_crime=True), 5),
        (Crime(103, 1, G, KZ97), 4),
    )
)
# On the lists (sp. 13; sp. 12 for the 1997 Code; sp. 11 for 1959).
LISTED_PRISON = _w(
    (Crime(99, 1, EG), 14),
    (Crime(99, 2, EG), 6),
    (Crime(120, 1, G), 4),
    (Crime(120, 3, EG), 2),
    (Crime(121, 1, G), 2),
    (Crime(106, 2, G), 4),
    (Crime(106, 3, G), 5),
    (Crime(188, 3, G, point=2, property_crime=True), 7),
    (Crime(188, 4, G, property_crime=True), 5),
    (Crime(191, 2, G, property_crime=True), 6),
    (Crime(191, 3, G, property_crime=True), 2),
    (Crime(192, 2, G, property_crime=True), 5),
    (Crime(192, 3, G, property_crime=True), 1),
    (Crime(192, 4, EG, property_crime=True), 1),
    (Crime(297, 2, G), 6),
    (Crime(297, 3, G), 5),
    (Crime(297, 4, EG), 3),
    (Crime(190, 3, G, property_crime=True), 3),
    (Crime(190, 4, G, property_crime=True), 2),
    (Crime(189, 4, G, property_crime=True), 1),
    (Crime(293, 3, G), 2),
    (Crime(366, 3, G, tags=("corruption",)), 1),
    (Crime(345, 3, S, traffic=True), 1),
    (Crime(104, 2, S), 1),
    (Crime(132, 2, G), 1),
)
LISTED_PROBATION = _w(
    (Crime(345, 3, S, traffic=True), 10),
    (Crime(346, 1, M, traffic=True), 8),
    (Crime(190, 3, G, property_crime=True), 12),
    (Crime(188, 3, G, point=2, property_crime=True), 12),
    (Crime(191, 2, G, property_crime=True), 6),
    (Crime(297, 1, G), 6),
    (Crime(366, 2, G, tags=("corruption",)), 3),
    (Crime(189, 3, G, property_crime=True), 4),
    (Crime(106, 2, G), 3),
    (Crime(104, 2, S), 2),
    (Crime(293, 3, G), 3),
    (Crime(380, 2, M), 3),
)
LISTED_1997 = _w(
    (Crime(96, 1, EG, KZ97), 5),
    (Crime(96, 2, EG, KZ97), 4),
    (Crime(179, 2, EG, KZ97, property_crime=True), 3),
    (Crime(259, 3, EG, KZ97), 3),
    (Crime(103, 2, G, KZ97), 1),
)
TERROR_EXTREMIST = _w(
    (Crime(255, 1, G, tags=("terrorist",)), 2),
    (Crime(256, 1, G, tags=("terrorist",)), 4),
    (Crime(258, 1, G, tags=("terrorist",)), 2),
    (Crime(259, 1, G, tags=("terrorist",)), 2),
    (Crime(174, 1, G, tags=("extremist",)), 6),
    (Crime(182, 2, G, tags=("extremist",)), 3),
    (Crime(180, 1, G, tags=("extremist",)), 1),
)
EXTREMIST_PROBATION = _w(
    (Crime(174, 1, G, tags=("extremist",)), 6),
    (Crime(182, 2, G, tags=("extremist",)), 2),
    (Crime(256, 1, G, tags=("terrorist",)), 2),
)
TORTURE = _w((Crime(146, 2, G, tags=("torture",)), 3), (Crime(146, 3, G, tags=("torture",)), 1))
GRAVE_1997 = COVERED_1997[0][0]
MURDER_1959 = Crime(88, None, EG, SSR59)
MURDER_LIFE = Crime(99, 2, EG)
MURDER_1997 = Crime(96, 2, EG, KZ97)

_KINDS = tuple(share.kind for share in SHARES)
_KIND_CUM = tuple(accumulate(share.persons for share in SHARES))
POPULATION_OF: dict[Kind2021, Population] = {share.kind: share.population for share in SHARES}
_REGION_CUM = tuple(
    accumulate(10 if r in ("Almaty", "Astana", "Shymkent", "Karaganda", "Turkistan") else 5 for r in REGIONS)
)
_ONE_YEAR = one_year_limit(D)
_LESSER = (S, M)


class _Person:
    """One person being drawn: the record under construction and the facts rules read."""

    def __init__(self, number: int, kind: Kind2021, draw: _Draw) -> None:
        self.kind = kind
        self.population = POPULATION_OF[kind]
        self.rates: FactRates = FACT_RATES[self.population]
        self.draw = draw
        self.number = number
        self.record: dict[str, Any] = {}
        self.charges: list[dict[str, Any]] = []
        self.crimes: list[Crime] = []  # the crime of each charge, in order

    def pick(self, table: tuple[tuple[Crime, ...], tuple[int, ...]]) -> Crime:
        crimes, cumulative = table
        return self.draw.weighted(crimes, cumulative)


_MONTHS = {
    Category.MISDEMEANOUR: (1, 3),
    S: (3, 24),
    M: (12, 60),
    G: (36, 144),
    EG: (96, 240),
}
_KZ14_EARLIEST_START = dt.date(2016, 3, 1)
"""A 2014 Code sentence begins after this day, so its offence (at most 400 days before) is in 2015 or later."""
_KZ14_FROM = dt.date(2015, 1, 1)
"""The 2014 Code came into force on this day."""
_KZ97_LATEST_START = dt.date(2014, 12, 31)
"""A 1997 Code sentence begins by this day, so its offence is before the 2014 Code came into force."""


def _term_months(draw: _Draw, category: Category, low_bound: int, high_bound: int) -> int:
    """Months of a term of the category's usual length, within [low_bound, high_bound] where it can."""
    low, high = _MONTHS[category]
    low, high = max(low, low_bound), min(high, high_bound)
    if low > high:  # the bounds leave the usual range: take the nearest month they allow
        return high_bound if high_bound < _MONTHS[category][0] else low_bound
    return draw.between(low, high)


def _sentence(
    draw: _Draw, crime: Crime, punishment: Punishment, left: str, conditional: bool
) -> dict[str, Any]:
    """A term sentence with `left` on D: 'short' (ends by D + 1 year - 1 day), 'long' (later), or
    'served' (over before D); it begins when the crime's Code allows (see the two limits above)."""
    if left == "short":
        left_days = draw.between(20, 320)
    elif left == "long":
        left_days = draw.between(400, 3_000 if crime.code is KZ14 else 1_500)
    else:
        left_days = -draw.between(30, 1_500)
    end = D + dt.timedelta(days=left_days)
    # A running sentence began by D; a served one ended before it.
    low, high = (2 if left == "served" else (end.year - D.year) * 12 + end.month - D.month + 1), 600
    if crime.code is KZ14:
        high = (end.year - _KZ14_EARLIEST_START.year) * 12 + end.month - _KZ14_EARLIEST_START.month - 1
    else:
        low = max(low, (end.year - _KZ97_LATEST_START.year) * 12 + end.month - _KZ97_LATEST_START.month + 1)
    months = _term_months(draw, crime.category, low, high)
    term = Term(months // 12, months % 12, 0)
    start = add_months(end, -months) + dt.timedelta(days=1)
    final = last_day(start, term)
    if left == "short":
        assert D <= final <= _ONE_YEAR, (start, term)
    elif left == "long":
        assert final > _ONE_YEAR, (start, term)
    else:
        assert final < D, (start, term)
    return {
        "punishment": punishment.value,
        "term": {"years": term.years, "months": term.months, "days": term.days},
        "start_date": start,
        "conditional": conditional,
        "fine_amount_mci": None,
        "hours": None,
        "additional": ["deprivation of the right to drive"] if crime.traffic and draw.p(0.5) else [],
        "death_commuted": False,
        "fine_unpaid_mci": None,
    }


def _facts(draw: _Draw, rates: FactRates, female: bool, age_on_d: int) -> dict[str, Any]:
    """The person-level facts of CONTRACT.md 'Several laws' at the population's rates."""
    roll = draw.rng.random()
    if roll < rates.disability_1_2:
        disability = 1 if draw.p(0.3) else 2
    else:
        disability = 3 if roll < rates.disability_1_2 + rates.disability_3 else 0
    children = draw.p(rates.children_female if female else rates.children_male) and age_on_d < 65
    conduct = None if rates.negative_conduct is None else draw.p(rates.negative_conduct)
    return {
        "veteran": draw.p(rates.veteran),
        "pregnant": female and age_on_d < 45 and draw.p(rates.pregnant),
        "children_under_18": children,
        "sole_parent": children and draw.p(0.25 if female else rates.sole_parent_male),
        "disabled_dependant": draw.p(rates.disabled_dependant),
        "disability_group": disability,
        "negative_conduct": conduct,
        "malicious_violator": False,
        "crime_while_serving": False,
        "objects": False,
    }


def vulnerable(record: dict[str, Any], birth: dt.date) -> bool:
    """V1 of LAW-2021.md section 4 on the record's known facts (the generator's view, to route kinds)."""
    female = record["sex"] == Sex.FEMALE.value
    age = D.year - birth.year - ((D.month, D.day) < (birth.month, birth.day))
    adult_from = add_years(birth, 18)
    parent = bool(record["children_under_18"] and (female or record["sole_parent"]))
    return bool(
        record["veteran"]
        or any(charge["offence_date"] < adult_from for charge in record["charges"])
        or age >= (50 if female else 60)
        or (female and record["pregnant"])
        or parent
        or record["disabled_dependant"]
        or record["disability_group"] in (1, 2)
    )


def _charge(person: _Person, crime: Crime, day: dt.date) -> dict[str, Any]:
    """A charge of the crime on the day, with damage and civil claim drawn by the kind of harm."""
    draw = person.draw
    roll = draw.rng.random()
    if crime.property_crime:
        damage = Damage.NONE if roll < 0.12 else Damage.REPAID if roll < 0.45 else Damage.OUTSTANDING
    else:
        damage = Damage.NONE if roll < 0.6 else Damage.REPAID if roll < 0.8 else Damage.OUTSTANDING
    claim = (
        draw.p(0.85) if damage is Damage.OUTSTANDING else draw.p(0.5) if damage is Damage.REPAID else False
    )
    charge = {
        "code": crime.code.value,
        "article": crime.article,
        "part": crime.part,
        "category": crime.category.value,
        "offence_date": day,
        "offence_end_date": None,
        "territory": "KZ",
        "context": Context.UNRELATED.value,
        "tags": list(crime.tags),
        "victim_minor": None,
        "point": crime.point,
        "damage": damage.value,
        "civil_claim": claim,
        "criminal_group": False,
        "intoxicated": draw.p(0.3) if crime.traffic else None,
    }
    person.crimes.append(crime)
    person.charges.append(charge)
    return charge


def _identity(person: _Person, offence_day: dt.date) -> dt.date:
    """Identity, sex and birth (always known: an IIN or a birth date), region and the new facts;
    returns the birth date."""
    draw, rates = person.draw, person.rates
    female = draw.p(rates.female)
    if draw.p(rates.minor):
        age = draw.between(14, 17)
    elif draw.p(rates.older):
        age = draw.between(55, 72)
    else:
        age = draw.between(18, 54)
    birth = add_years(offence_day, -age) - dt.timedelta(days=draw.between(1, 364))
    has_iin = draw.p(0.92)
    has_birth = draw.p(0.75) or not has_iin
    age_on_d = D.year - birth.year - ((D.month, D.day) < (birth.month, birth.day))
    person.record.update(
        {
            "person_id": f"P-{person.number:08d}",
            "iin": make_iin(birth, draw.between(0, 9999), female) if has_iin else None,
            "birth_date": birth if has_birth else None,
            "case_number": f"C-{offence_day.year}-{draw.between(1, 999_999):06d}",
            "region": draw.weighted(REGIONS, _REGION_CUM) if draw.p(0.97) else None,
            "role": PersonRole.PARTICIPANT.value,
            "recidivism": Recidivism.NONE.value,
            "charges": person.charges,
            "conviction_expunged": False,
            "fixed_residence": draw.p(0.85),
            "able_bodied": draw.p(0.9),
            "needs_medical_care": draw.p(0.1),
            "needs_documents": draw.p(0.08),
            "sex": Sex.FEMALE.value if female else Sex.MALE.value,
        }
    )
    person.record.update(_facts(draw, rates, female, age_on_d))
    return birth


_PENDING_START = dt.date(2020, 6, 1)
_LAST_OFFENCE = D - dt.timedelta(days=1)
_RELEASE = frozenset({K.PRISON_RELEASE, K.PROBATION_RELEASE, K.PENDING_TERMINATE})
_REDUCE = frozenset({K.PRISON_REDUCE, K.PROBATION_REDUCE, K.PENDING_REDUCE})
_ONE_YEAR_GRAVE = frozenset({K.PRISON_ONE_YEAR_GRAVE, K.PROBATION_ONE_YEAR_GRAVE})
_LISTED = frozenset({K.PRISON_LISTED, K.PROBATION_LISTED, K.PENDING_LISTED})
_RECIDIVIST = frozenset({K.PRISON_RECIDIVIST, K.PROBATION_RECIDIVIST, K.PENDING_RECIDIVIST})
_GROUP = frozenset({K.PRISON_GROUP, K.PROBATION_GROUP, K.PENDING_GROUP})
_OBJECTS = frozenset({K.PRISON_OBJECTS, K.PROBATION_OBJECTS, K.PENDING_OBJECTS})
_UNKNOWN = frozenset({K.PRISON_UNKNOWN, K.PROBATION_UNKNOWN, K.PENDING_UNKNOWN})
_SINGLE_CHARGE = _REDUCE | _ONE_YEAR_GRAVE | _UNKNOWN | _OBJECTS | {K.PRISON_LIFE}


def _main_crime(person: _Person) -> tuple[Crime, str]:
    """The kind's main crime and how much of its sentence is left on D ('short', 'long', 'served',
    'life')."""
    draw, kind, pop = person.draw, person.kind, person.population
    prison = pop is Population.PRISON
    left = "short" if draw.p(0.3) else "long"
    if kind in _RELEASE:
        return (person.pick(COVERED_SMALL) if draw.p(0.2) else person.pick(COVERED_MEDIUM)), left
    if kind in _REDUCE:
        if draw.p(0.45 if pop is Population.PROBATION else 0.25):
            return person.pick(COVERED_MEDIUM), "long"
        if prison and draw.p(person.rates.old_code * 2):
            return person.pick(COVERED_1997), "long"
        if prison and draw.p(0.03):
            return person.pick(COVERED_ESPECIALLY_GRAVE), "long"
        return person.pick(COVERED_GRAVE), "long"
    if kind in _ONE_YEAR_GRAVE:
        return person.pick(COVERED_GRAVE), "short"
    if kind in _LISTED:
        if prison and draw.p(person.rates.old_code):
            return person.pick(LISTED_1997), left
        return person.pick(LISTED_PRISON if prison else LISTED_PROBATION), left
    if kind in (K.PRISON_TERROR_EXTREMIST, K.PENDING_EXTREMIST):
        return person.pick(TERROR_EXTREMIST), left
    if kind is K.PROBATION_EXTREMIST:
        return person.pick(EXTREMIST_PROBATION), left
    if kind is K.PRISON_TORTURE:
        return person.pick(TORTURE), left
    if kind is K.PRISON_LIFE:
        roll = draw.rng.random()
        return (MURDER_1959 if roll < 0.1 else MURDER_1997 if roll < 0.45 else MURDER_LIFE), "life"
    if kind is K.SERVED:
        if draw.p(person.rates.old_code):
            return person.pick(COVERED_1997), "served"
        return person.pick(COVERED_MEDIUM if draw.p(0.6) else COVERED_GRAVE), "served"
    # Recidivists, violators, groups, objections, unknowns: ordinary covered crimes.
    if kind is K.PRISON_RECIDIVIST and draw.p(person.rates.old_code):
        return person.pick(COVERED_1997), left
    return person.pick(COVERED_MEDIUM if draw.p(0.55 if prison else 0.75) else COVERED_GRAVE), left


def _life_sentence(draw: _Draw, crime: Crime) -> dict[str, Any]:
    """Life imprisonment; a death sentence of the old Codes commuted by pardon (moratorium of 2003)."""
    if crime.code is SSR59:
        start = draw.day(dt.date(1996, 1, 1), dt.date(1998, 12, 31))
    elif crime.code is KZ97:
        start = draw.day(dt.date(2000, 1, 1), dt.date(2014, 12, 31))
    else:
        start = draw.day(_KZ14_EARLIEST_START, dt.date(2021, 6, 30))
    return {
        "punishment": Punishment.LIFE_IMPRISONMENT.value,
        "term": None,
        "start_date": start,
        "conditional": False,
        "fine_amount_mci": None,
        "hours": None,
        "additional": [],
        "death_commuted": crime.code is not KZ14 and start < dt.date(2004, 1, 1),
        "fine_unpaid_mci": None,
    }


def _offence_day(draw: _Draw, crime: Crime, start: dt.date | None) -> dt.date:
    """The offence precedes the sentence (by 30-400 days) and falls under its Code's time."""
    if start is None:
        return draw.day(_PENDING_START if draw.p(0.8) else dt.date(2018, 1, 1), _LAST_OFFENCE)
    day = start - dt.timedelta(days=draw.between(30, 400))
    if crime.code is SSR59:
        return min(day, dt.date(1997, 12, 31))
    return day


def _stage_and_sentence(person: _Person, crime: Crime, left: str) -> dt.date:
    """The stage and sentence; returns the main offence day."""
    draw, pop, record = person.draw, person.population, person.record
    if pop is Population.PENDING:
        record["stage"] = (St.PRE_TRIAL if draw.p(0.65) else St.TRIAL).value
        record["sentence"] = None
        return _offence_day(draw, crime, None)
    record["stage"] = (St.SERVED if left == "served" else St.SERVING).value
    if left == "life":
        record["sentence"] = _life_sentence(draw, crime)
    else:
        restriction = pop is Population.PROBATION and crime.category in _LESSER and draw.p(0.6)
        punishment = Punishment.RESTRICTION_OF_FREEDOM if restriction else Punishment.IMPRISONMENT
        conditional = pop is Population.PROBATION and not restriction
        if pop is Population.SERVED and draw.p(0.4):
            punishment, conditional = Punishment.RESTRICTION_OF_FREEDOM, False
        record["sentence"] = _sentence(draw, crime, punishment, left, conditional)
    return _offence_day(draw, crime, record["sentence"]["start_date"])


def _route(person: _Person, birth: dt.date) -> None:
    """Set the facts so the kind's outcome follows from LAW-2021.md's rules (SHARES' rules column)."""
    draw, kind, record = person.draw, person.kind, person.record
    main, crime = person.charges[0], person.crimes[0]
    sentence = record["sentence"]
    short = (
        sentence is not None
        and sentence["term"] is not None
        and (last_day(sentence["start_date"], Term(**sentence["term"])) <= _ONE_YEAR)
    )
    r4 = short and record["negative_conduct"] is False
    is_vulnerable = vulnerable(record, birth)
    for index, charge in enumerate(person.charges):  # part 3 is listed only when committed intoxicated
        if charge["article"] == 345 and charge["part"] == 3:
            charge["intoxicated"] = index == 0 and kind in _LISTED
    if crime.article == 346:
        main["intoxicated"] = True
    if kind in _RELEASE and crime.category is M and not (is_vulnerable or r4):
        # R2 (no damage, repaid, or no claim) where neither R3 nor R4 releases.
        for charge in person.charges:
            if charge["damage"] == Damage.OUTSTANDING.value and charge["civil_claim"]:
                charge["damage"] = Damage.REPAID.value
    if kind in _REDUCE and crime.category is M:
        if is_vulnerable:  # R3 would release: a grave crime instead (R6)
            replacement = person.pick(COVERED_GRAVE) if crime.code is KZ14 else GRAVE_1997
            person.crimes[0] = replacement
            main.update(article=replacement.article, part=replacement.part, point=replacement.point)
            main.update(category=replacement.category.value, intoxicated=None)
        else:  # R5: medium not released by R2 (damage outstanding, a claim), R3 or R4
            main["damage"], main["civil_claim"] = Damage.OUTSTANDING.value, True
    if kind in _ONE_YEAR_GRAVE:
        record["negative_conduct"] = False
    if kind in _RECIDIVIST:
        record["recidivism"] = (Recidivism.DANGEROUS if draw.p(0.25) else Recidivism.RECIDIVISM).value
    if kind in _GROUP:
        for charge in person.charges:
            charge["criminal_group"] = True
    if kind is K.PRISON_VIOLATOR:
        record["malicious_violator" if draw.p(0.65) else "crime_while_serving"] = True
        record["negative_conduct"] = True
    if kind is K.PROBATION_VIOLATOR:
        record["crime_while_serving"] = True
    if kind in _OBJECTS:
        record["objects"] = True
    if kind in _UNKNOWN:
        _unknown(person, birth, r4 or is_vulnerable)


def _unknown(person: _Person, birth: dt.date, released_anyway: bool) -> None:
    """A fact the decision turns on is missing: the category of a 1997 Code charge, the damage of a
    medium charge (where neither R3 nor R4 would release), the point of theft part 3 (the list names
    point 2), or the intoxication at a traffic death (part 3)."""
    draw, record = person.draw, person.record
    main = person.charges[0]
    roll = draw.rng.random()
    sentence = record["sentence"]
    if roll < 0.25 and sentence is not None:
        crime = person.pick(COVERED_1997)
        day = draw.day(dt.date(2012, 1, 1), dt.date(2014, 12, 31))
        if day > add_years(birth, 14) and sentence["start_date"] > day:
            person.crimes[0] = crime
            main.update(code=crime.code.value, article=crime.article, part=crime.part, point=crime.point)
            main.update(category=None, offence_date=day, intoxicated=None, tags=[])
            return
    if roll < 0.5 and person.crimes[0].category is M and not released_anyway:
        main["damage"], main["civil_claim"] = None, None
        return
    if roll < 0.8:
        main.update(article=188, part=3, point=None, category=G.value, intoxicated=None, tags=[])
        return
    main.update(article=345, part=3, point=None, category=S.value, intoxicated=None, tags=[])


def independence_person(number: int, draw: _Draw) -> tuple[Kind2021, dict[str, Any]]:
    """One person of the `independence-2021` preset and the kind it was drawn as."""
    kind: Kind2021 = draw.weighted(_KINDS, _KIND_CUM)
    person = _Person(number, kind, draw)
    crime, left = _main_crime(person)
    day = _stage_and_sentence(person, crime, left)
    birth = _identity(person, day)
    _charge(person, crime, day)
    if kind not in _SINGLE_CHARGE and crime.code is KZ14 and draw.p(0.12):
        earlier = max(day - dt.timedelta(days=draw.between(0, 90)), _KZ14_FROM)
        _charge(person, person.pick(COVERED_SMALL), earlier)
    _route(person, birth)
    record = person.record
    return kind, {key: record[key] for key in _FIELD_ORDER}


_FIELD_ORDER = tuple(name for name in CaseRecord.model_fields if name != "full_name")
"""The record's fields in the model's order (a synthetic person is named by the writer, not here)."""
