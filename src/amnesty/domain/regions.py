"""The regions of Kazakhstan whose akimats take over released persons, and their spellings."""

from __future__ import annotations

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


def normalise_region(value: str) -> str:
    """Return the canonical region name, or raise `ValueError` naming the accepted values."""
    key = " ".join(value.split()).casefold()
    found = _BY_FOLDED.get(key)
    if found is None:
        raise ValueError(f"unknown region {value!r}; expected one of: {', '.join(REGIONS)}")
    return found
