"""The regions of Kazakhstan whose akimats take over released persons, and their spellings."""

from __future__ import annotations

from functools import cache

from amnesty.domain.enums import REGIONS

_ALIASES: dict[str, str] = {
    "nur-sultan": "Astana",
    "nur-sultan city": "Astana",
    "astana city": "Astana",
    "almaty city": "Almaty",
    "shymkent city": "Shymkent",
    "almaty oblast": "Almaty Region",
    "almaty region": "Almaty Region",
    "akmola region": "Akmola",
    "east kazakhstan region": "East Kazakhstan",
    "west kazakhstan region": "West Kazakhstan",
    "north kazakhstan region": "North Kazakhstan",
    "zhambyl": "Jambyl",
    "zhetysu": "Jetisu",
    "turkestan": "Turkistan",
    "aktobe region": "Aktobe",
    "mangystau region": "Mangystau",
}

_BY_FOLDED = {name.casefold(): name for name in REGIONS} | _ALIASES


def _local_names() -> dict[str, str]:
    """The Russian and Kazakh names of `REGION_NAMES` (`город Алматы`, `Алматы қаласы`), folded, by
    canonical name; also each without its `город`/`г.`/`область`/`облысы`/`қаласы` word when that short
    form names one region only (`Шымкент`, `Актюбинская`; not `Алматы`, the city or the region)."""
    full: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    generic = ("город", "г.", "область", "облысы", "қаласы")
    for names in REGION_NAMES.values():
        for canonical, name in names.items():
            words = name.casefold().split()
            full[" ".join(words)] = canonical
            full[" ".join("г." if word == "город" else word for word in words)] = canonical
            short.setdefault(" ".join(w for w in words if w not in generic), set()).add(canonical)
    unique = {name: next(iter(found)) for name, found in short.items() if len(found) == 1}
    return unique | full


def normalise_region(value: str) -> str:
    """Return the canonical region name (from its English, Russian or Kazakh name), or raise
    `ValueError` naming the accepted values."""
    key = " ".join(value.split()).casefold()
    found = _BY_FOLDED.get(key) or _local_folded().get(key)
    if found is None:
        raise ValueError(f"unknown region {value!r}; expected one of: {', '.join(REGIONS)}")
    return found


REGION_NAMES: dict[str, dict[str, str]] = {
    "ru": {
        "Abai": "Абайская область",
        "Akmola": "Акмолинская область",
        "Aktobe": "Актюбинская область",
        "Almaty Region": "Алматинская область",
        "Atyrau": "Атырауская область",
        "East Kazakhstan": "Восточно-Казахстанская область",
        "Jambyl": "Жамбылская область",
        "Jetisu": "область Жетісу",
        "Karaganda": "Карагандинская область",
        "Kostanay": "Костанайская область",
        "Kyzylorda": "Кызылординская область",
        "Mangystau": "Мангистауская область",
        "North Kazakhstan": "Северо-Казахстанская область",
        "Pavlodar": "Павлодарская область",
        "Turkistan": "Туркестанская область",
        "Ulytau": "область Ұлытау",
        "West Kazakhstan": "Западно-Казахстанская область",
        "Astana": "город Астана",
        "Almaty": "город Алматы",
        "Shymkent": "город Шымкент",
    },
    "kk": {
        "Abai": "Абай облысы",
        "Akmola": "Ақмола облысы",
        "Aktobe": "Ақтөбе облысы",
        "Almaty Region": "Алматы облысы",
        "Atyrau": "Атырау облысы",
        "East Kazakhstan": "Шығыс Қазақстан облысы",
        "Jambyl": "Жамбыл облысы",
        "Jetisu": "Жетісу облысы",
        "Karaganda": "Қарағанды облысы",
        "Kostanay": "Қостанай облысы",
        "Kyzylorda": "Қызылорда облысы",
        "Mangystau": "Маңғыстау облысы",
        "North Kazakhstan": "Солтүстік Қазақстан облысы",
        "Pavlodar": "Павлодар облысы",
        "Turkistan": "Түркістан облысы",
        "Ulytau": "Ұлытау облысы",
        "West Kazakhstan": "Батыс Қазақстан облысы",
        "Astana": "Астана қаласы",
        "Almaty": "Алматы қаласы",
        "Shymkent": "Шымкент қаласы",
    },
}
"""Region names in Russian and Kazakh (the canonical English names are the keys)."""


def region_name(region: str, language: str) -> str:
    """The region's name in a language (English canonical name when no translation is known)."""
    return REGION_NAMES.get(language, {}).get(region, region)


@cache
def _local_folded() -> dict[str, str]:
    return _local_names()
