"""Invented full names in the synthetic and demo registries; names sorted in the reader's alphabet."""

from __future__ import annotations

from amnesty.domain.enums import REGIONS
from amnesty.domain.regions import region_name
from amnesty.render.collation import collation_key, sorted_regions
from amnesty.store.demo import synthetic_records
from amnesty.synth.names import NameDraw, female_from_iin


def test_names_are_seeded_and_agree_with_the_gender() -> None:
    first = [NameDraw(7).full_name(female) for female in (True, False, None) * 50]
    again = [NameDraw(7).full_name(female) for female in (True, False, None) * 50]
    assert first == again
    draw = NameDraw(3)
    for _ in range(300):
        patronymic = draw.full_name(True).split(" ")[2]
        assert patronymic.endswith(("овна", "евна", "ьевна", "қызы"))
        patronymic_male = draw.full_name(False).split(" ")[2]
        assert patronymic_male.endswith(("ович", "евич", "ьевич", "ұлы"))
    assert female_from_iin("850315300128") is False
    assert female_from_iin("850315400128") is True
    assert female_from_iin(None) is None


def test_the_demo_registry_has_a_name_for_everyone() -> None:
    items, source = synthetic_records(200, seed=1)
    assert "synth" in source
    names = [item.record.full_name for item in items if hasattr(item, "record")]
    assert len(names) == 200
    assert all(name and len(name.split(" ")) == 3 for name in names)
    assert len(set(names)) > 150


def test_kazakh_letters_sort_where_the_kazakh_alphabet_puts_them() -> None:
    words = [
        "Ұлытау",
        "Үржар",
        "Ақтөбе",
        "Алматы",
        "Ілияс",
        "Ыбырай",
        "Әлия",
        "Аян",
        "Бота",
        "Қарағанды",
        "Кеген",
    ]
    kk = sorted(words, key=lambda w: collation_key(w, "kk"))
    assert kk == [
        "Ақтөбе",
        "Алматы",
        "Аян",
        "Әлия",
        "Бота",
        "Кеген",
        "Қарағанды",
        "Ұлытау",
        "Үржар",
        "Ыбырай",
        "Ілияс",
    ]
    ru = sorted(["ёж", "ель", "Ерлан", "Жан", "еда"], key=lambda w: collation_key(w, "ru"))
    assert ru == ["еда", "ёж", "ель", "Ерлан", "Жан"]


def test_regions_sort_by_their_names_in_the_language() -> None:
    for language in ("ru", "kk"):
        names = [region_name(r, language) for r in sorted_regions(REGIONS, language)]
        assert names[0].startswith("Аба"), names
        assert names != [region_name(r, language) for r in sorted(REGIONS)]
    kk = [region_name(r, "kk") for r in sorted_regions(REGIONS, "kk")]
    assert kk.index("Қарағанды облысы") == kk.index("Жетісу облысы") + 1
    assert kk[-1] == "Шымкент қаласы"
