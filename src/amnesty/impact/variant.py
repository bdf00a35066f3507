"""A variant of the law: a YAML overlay on the law pack (as OpenFisca's reforms).

The file holds the keys of the law pack to change; mappings are merged key by key, lists and scalars
replace (`amnesty.law.loader.deep_merge`). An optional top-level `about:` mapping (`name`,
`description`) describes the variant and is not part of the overlay. The merged pack is validated
against the law-pack schema; a variant that does not validate is refused with `LawPackError`, whose
message names the field and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from amnesty.law.loader import Law, LawPackError, load_law
from amnesty.law.registry import DEFAULT_LAW_ID, pack_folder

ABOUT_KEY = "about"


@dataclass(frozen=True)
class Variant:
    """A named overlay on the law pack."""

    name: str
    description: str
    overlay: dict[str, Any]
    source: str


def parse_variant(text: str, source: str) -> Variant:
    """Parse a variant's YAML text; raises `LawPackError` when it is not a YAML mapping."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise LawPackError(f"{source}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise LawPackError(f"{source}: (top level): a variant is a mapping of law-pack keys to change")
    about = data.pop(ABOUT_KEY, None) or {}
    if not isinstance(about, dict):
        raise LawPackError(f"{source}: {ABOUT_KEY}: expected a mapping with name and description")
    if not data:
        raise LawPackError(f"{source}: (top level): the variant changes nothing")
    default_name = Path(source).stem
    return Variant(
        name=str(about.get("name") or default_name),
        description=str(about.get("description") or ""),
        overlay=data,
        source=source,
    )


def read_variant(path: Path) -> Variant:
    """Read a variant file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LawPackError(f"{path}: cannot read: {error}") from error
    return parse_variant(text, str(path))


def variant_law(variant: Variant, pack_path: Path | None = None, law_id: str = DEFAULT_LAW_ID) -> Law:
    """The law `law_id` (or the pack file `pack_path`) with the variant overlaid, validated (raises
    `LawPackError`, `UnknownLawError` for an id no pack has)."""
    folder = pack_folder(law_id) if pack_path is None else None
    return load_law(pack_path, variant=variant.overlay, variant_source=variant.source, folder=folder)
