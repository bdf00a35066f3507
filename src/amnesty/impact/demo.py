"""A small, varied, deterministic set of case records for demonstrations and tests.

Shaped loosely on the figures reported at adoption (LAW.md section 7: most persons in lesser
categories, a minority of grave cases, some in custody, a few excluded or outside the law); it is not
a statistical model. The batch module's `amnesty synth` is the full generator; this one needs only the
engine, so the web pages and tests always have data. Names and IINs are synthetic.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from amnesty.domain.enums import REGIONS
from amnesty.domain.iin import make_iin
from amnesty.domain.records import CaseRecord, parse_record

# (article, part, category, weight)
_CHARGES: tuple[tuple[int, int | None, str, int], ...] = (
    (188, 2, "medium", 14),
    (191, 2, "medium", 10),
    (202, 1, "small", 6),
    (293, 2, "medium", 8),
    (272, 2, "grave", 16),
    (272, 3, "grave", 4),
    (106, 1, "grave", 3),
    (287, 1, "medium", 5),
    (380, 2, "grave", 4),
    (191, 4, "especially_grave", 3),
    (362, 4, "grave", 2),
    (115, None, "small", 3),
    (272, 1, "especially_grave", 2),
    (255, 2, "especially_grave", 1),
    (188, 1, "small", 3),
    (209, 1, "medium", 1),
)
_FIRST = ("Айбек", "Асель", "Нурлан", "Дана", "Ерлан", "Жанар", "Марат", "Алия", "Серик", "Гульнара")
_LAST = ("Ахметов", "Садыкова", "Омаров", "Жумабаева", "Касымов", "Искакова", "Нуров", "Сейткали", "Әбілов")


def _pick_charge(rng: random.Random) -> tuple[int, int | None, str]:
    article, part, category, _ = rng.choices(_CHARGES, weights=[c[3] for c in _CHARGES])[0]
    return article, part, category


def demo_record_data(index: int, rng: random.Random) -> dict[str, Any]:
    """One synthetic record as contract JSON data."""
    article, part, category = _pick_charge(rng)
    offence = dt.date(2022, 1, rng.choice((4, 5, 5, 6, 6, 7, 7)) if rng.random() > 0.04 else 12)
    birth = dt.date(rng.randint(1960, 2005), rng.randint(1, 12), rng.randint(1, 28))
    male = rng.random() < 0.85
    role = "participant" if rng.random() > 0.06 else rng.choice(("law_enforcement", "military"))
    context = (
        "suppression"
        if role != "participant"
        else rng.choices(("riot", "unrelated", "unknown"), weights=(92, 5, 3))[0]
    )
    charges: list[dict[str, Any]] = [
        {
            "article": article,
            "part": part,
            "category": category,
            "offence_date": offence.isoformat(),
            "context": context,
        }
    ]
    if rng.random() < 0.15:
        extra_article, extra_part, extra_category = _pick_charge(rng)
        charges.append(
            {
                "article": extra_article,
                "part": extra_part,
                "category": extra_category,
                "offence_date": offence.isoformat(),
                "context": context,
            }
        )
    stage = rng.choices(("pre_trial", "trial", "serving", "served"), weights=(25, 12, 45, 18))[0]
    record: dict[str, Any] = {
        "person_id": f"D-{index:05d}",
        "iin": make_iin(birth, serial=index % 10000, female=not male),
        "full_name": f"{rng.choice(_LAST)} {rng.choice(_FIRST)}",
        "case_number": f"22{750000000 + index * 7:09d}",
        "region": rng.choices(
            REGIONS, weights=[8 if r in ("Almaty", "Almaty Region") else 2 for r in REGIONS]
        )[0],
        "role": role,
        "recidivism": "none" if rng.random() > 0.05 else "recidivism",
        "stage": stage,
        "charges": charges,
        "fixed_residence": rng.random() > 0.1,
        "able_bodied": rng.random() > 0.08,
        "needs_medical_care": rng.random() < 0.2,
        "needs_documents": rng.random() < 0.15,
    }
    if stage in ("serving", "served"):
        grave = category in ("grave", "especially_grave")
        years = rng.randint(3, 12) if grave else rng.randint(0, 4)
        months = rng.choice((0, 0, 6, 3))
        if stage == "served":
            years, months = 0, rng.randint(2, 9)
        custodial = grave or rng.random() < 0.6
        start = offence + dt.timedelta(days=rng.randint(0, 40))
        punishment = "imprisonment" if custodial else rng.choice(("restriction_of_freedom", "fine"))
        sentence: dict[str, Any] = {"punishment": punishment, "start_date": start.isoformat()}
        if punishment == "fine":
            sentence["fine_amount_mci"] = float(rng.randint(50, 500))
        else:
            sentence["term"] = {"years": years if years or months else 1, "months": months, "days": 0}
        record["sentence"] = sentence
        if stage == "served":
            record["conviction_expunged"] = rng.random() < 0.1
    return record


def demo_records(count: int = 400, seed: int = 2022) -> list[CaseRecord]:
    """`count` validated synthetic records (the same for the same seed)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo data, not security
    return [parse_record(demo_record_data(index, rng)) for index in range(count)]
