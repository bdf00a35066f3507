"""Demo case records shaped like the January 2022 caseload (LAW.md section 7), generated reproducibly.

Used to seed the web application's register for demonstrations and browser tests. The records are
fictitious: names are drawn from common Kazakh and Russian names, IINs are made with valid check
digits, and the mix of stages, articles and outcomes follows the reported figures only roughly.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from amnesty.engine.iin import make_iin

_SURNAMES = (
    "Ахметов",
    "Нурланов",
    "Сериков",
    "Жумабеков",
    "Касымов",
    "Абдрахманов",
    "Иванов",
    "Петров",
    "Ким",
    "Мусин",
    "Оспанов",
    "Тулегенов",
    "Байжанов",
    "Смагулов",
    "Кузнецов",
    "Есенов",
    "Бекмуханов",
    "Ержанов",
)
_GIVEN = (
    "Ерлан",
    "Данияр",
    "Асхат",
    "Нурсултан",
    "Алексей",
    "Бауыржан",
    "Ержан",
    "Марат",
    "Тимур",
    "Руслан",
    "Азамат",
    "Сергей",
    "Арман",
    "Дамир",
    "Олжас",
    "Максим",
)
_PATRONYMIC = ("Серикович", "Маратович", "Кайратович", "Ерланович", "Иванович", "Болатович", "Нурланович")

_REGION_WEIGHTS = {
    "Almaty": 30,
    "Almaty Region": 10,
    "Jambyl": 8,
    "Shymkent": 6,
    "Mangystau": 6,
    "Aktobe": 5,
    "Kyzylorda": 5,
    "Turkistan": 5,
    "Astana": 4,
    "Karaganda": 3,
    "Atyrau": 3,
    "Jetisu": 3,
    "Kostanay": 2,
    "Pavlodar": 2,
    "East Kazakhstan": 2,
    "West Kazakhstan": 2,
    "Abai": 1,
    "Akmola": 1,
    "North Kazakhstan": 1,
    "Ulytau": 1,
}

# (article, part, category as the Criminal Code's sanction gives it (rule C1), weight)
_CHARGES: tuple[tuple[int, int | None, str | None, int], ...] = (
    (272, 2, "grave", 30),
    (188, 2, "medium", 10),
    (188, 4, "grave", 3),
    (191, 2, "grave", 6),
    (191, 4, "grave", 3),
    (293, 2, "medium", 8),
    (380, 1, "medium", 6),
    (287, 1, "misdemeanour", 5),
    (202, 1, "small", 5),
    (106, 1, "grave", 3),
    (107, 1, "small", 3),
    (294, 1, None, 2),
    (272, 1, "especially_grave", 3),
    (179, 2, "especially_grave", 2),
    (362, 3, "grave", 3),
)


def _pick_charge(rng: random.Random) -> tuple[int, int | None, str | None]:
    article, part, category, _ = rng.choices(_CHARGES, weights=[c[3] for c in _CHARGES])[0]
    return article, part, category


def _offence_date(rng: random.Random) -> dt.date:
    if rng.random() < 0.04:
        return dt.date(2022, 1, rng.choice((2, 10, 15)))
    return dt.date(2022, 1, rng.randint(4, 7))


def demo_record(index: int, rng: random.Random) -> dict[str, Any]:
    """One fictitious case record as contract JSON."""
    minor = rng.random() < 0.04
    birth = (
        dt.date(2004, rng.randint(2, 12), rng.randint(1, 28))
        if minor
        else dt.date(rng.randint(1965, 2002), rng.randint(1, 12), rng.randint(1, 28))
    )
    region = rng.choices(list(_REGION_WEIGHTS), weights=list(_REGION_WEIGHTS.values()))[0]
    stage = rng.choices(("pre_trial", "trial", "serving", "served"), weights=(30, 18, 42, 10))[0]
    article, part, category = _pick_charge(rng)
    role = "participant"
    context = rng.choices(("riot", "unknown", "unrelated"), weights=(92, 5, 3))[0]
    if article == 362:
        role, context = "law_enforcement", "suppression"
    offence = _offence_date(rng)
    charges: list[dict[str, Any]] = [
        {
            "article": article,
            "part": part,
            "category": category,
            "offence_date": offence.isoformat(),
            "context": context,
        }
    ]
    if rng.random() < 0.2:
        second = _pick_charge(rng)
        if second[0] != article:
            charges.append(
                {
                    "article": second[0],
                    "part": second[1],
                    "category": second[2],
                    "offence_date": offence.isoformat(),
                    "context": context,
                }
            )
    record: dict[str, Any] = {
        "person_id": f"P-{index:06d}",
        "iin": make_iin(birth, 300 + index % 600),
        "full_name": f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)} {rng.choice(_PATRONYMIC)}",
        "case_number": f"2201{rng.randint(10, 99)}0{index:05d}",
        "region": region,
        "role": role,
        "recidivism": rng.choices(("none", "recidivism"), weights=(95, 5))[0],
        "stage": stage,
        "charges": charges,
        "fixed_residence": rng.random() > 0.1,
        "able_bodied": rng.random() > 0.08,
        "needs_medical_care": rng.random() < 0.1,
        "needs_documents": rng.random() < 0.12,
    }
    if stage in ("serving", "served", "trial"):
        grave = any(c["category"] in ("grave", "especially_grave") for c in charges)
        years = rng.randint(3, 12) if grave else rng.randint(1, 4)
        if stage == "served":
            years = 0
        months = rng.choice((0, 0, 6)) if stage != "served" else rng.randint(3, 9)
        start = dt.date(2022, 1, 8) + dt.timedelta(days=rng.randint(0, 60))
        sentence: dict[str, Any] = {
            "punishment": "imprisonment",
            "term": {"years": years, "months": months, "days": 0},
            "start_date": start.isoformat(),
        }
        if stage == "serving" and not grave and rng.random() < 0.2:
            sentence = {
                "punishment": "restriction_of_freedom",
                **{k: v for k, v in sentence.items() if k != "punishment"},
            }
        if stage != "trial" or rng.random() < 0.5:
            record["sentence"] = sentence
    return record


def demo_records(count: int = 240, seed: int = 20221102) -> list[dict[str, Any]]:
    """`count` fictitious records, the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    return [demo_record(index + 1, rng) for index in range(count)]
