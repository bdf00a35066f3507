"""Loading law packs: read YAML, validate against the schema, hash the content, index for lookups.

A malformed pack fails loudly with `LawPackError`, whose message names the file, the field and the
problem. The content hash (over the validated data, not the file's formatting) identifies the pack
version; every decision records it.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from amnesty.domain.enums import Category, KindCondition, Provenance, Tag
from amnesty.law.schema import (
    ArticleList,
    Catalogue,
    CatalogueEntry,
    Exclusion,
    LawPack,
    ListEntry,
    OffenceKind,
    Relief,
    Sanction,
    Window,
)

DEFAULT_PACK = "kz-2022-152-vii"
DEFAULT_CATALOGUE = "criminal-code-kz-2014"
PACK_FILE = "pack.yaml"


class LawPackError(ValueError):
    """A law pack, catalogue or variant that cannot be loaded; the message says where and why."""


@dataclass(frozen=True)
class CatalogueFacts:
    """What the catalogue knows of one article and part: its entries (the article's, then the part's),
    the sanction read for the part (with the entry it comes from), the kinds that always apply (with their
    provenance) and the kinds that apply only under a condition the record may not state."""

    entries: tuple[CatalogueEntry, ...]
    sanction: Sanction | None
    sanction_entry: CatalogueEntry | None
    tags: dict[Tag, Provenance]
    conditional: tuple[OffenceKind, ...]


@dataclass(frozen=True, eq=False)
class Law:
    """A validated law pack with its catalogue, content hash and lookup indexes (immutable)."""

    pack: LawPack
    catalogue: Catalogue
    version: str
    list_by_article: Mapping[int | str, ListEntry] = field(repr=False)
    exclusion_by_tag: Mapping[Tag, Exclusion] = field(repr=False)
    recidivism_exclusion: Exclusion | None = field(repr=False)
    _catalogue_index: Mapping[tuple[int | str, int | str | None], tuple[CatalogueEntry, ...]] = field(
        repr=False
    )
    folder: Traversable | None = field(default=None, repr=False)
    """The folder the pack was read from (its data files beside `pack.yaml`), None for a pack file."""

    @property
    def entry_into_force(self) -> dt.date:
        """The day the law enters into force (default as-of date)."""
        value = self.pack.dates.entry_into_force.value
        assert value is not None, "validated at load"
        return value

    @property
    def window(self) -> Window:
        """The offence window of a law that has one (its rules require it)."""
        window = self.pack.dates.offence_window
        if window is None:
            raise LawPackError(f"law {self.pack.id} has no offence window (dates.offence_window)")
        return window

    @property
    def article_list(self) -> ArticleList:
        """The article list of a law that has one (its rules require it)."""
        if self.pack.article_list is None:
            raise LawPackError(f"law {self.pack.id} has no article list (article_list)")
        return self.pack.article_list

    @property
    def relief(self) -> Relief:
        """The relief table of a law whose rules read one by category alone (`relief`)."""
        if self.pack.relief is None:
            raise LawPackError(f"law {self.pack.id} has no relief table (relief)")
        return self.pack.relief

    def fraction_for(self, category: Category) -> Fraction | None:
        """Share of the term removed for the category (R4/R5), None when the law does not reduce it (or
        has no relief table by category alone)."""
        return self.pack.relief.fraction_for(category) if self.pack.relief is not None else None

    @cache  # noqa: B019 - Law is frozen and lives as long as the process
    def facts(self, article: int | str, part: int | str | None) -> CatalogueFacts:
        """Catalogue facts for an article and part: the part's entry refines the article's."""
        general = self._catalogue_index.get((article, None), ())
        specific = self._catalogue_index.get((article, part), ()) if part is not None else ()
        entries = general + specific
        sanction: Sanction | None = None
        sanction_entry: CatalogueEntry | None = None
        tags: dict[Tag, Provenance] = {}
        conditional: list[OffenceKind] = []
        for entry in entries:
            if entry.sanction is not None:
                sanction, sanction_entry = entry.sanction, entry
            for kind in entry.kinds:
                if kind.condition is KindCondition.ALWAYS:
                    tags[kind.tag] = kind.provenance
                else:
                    conditional.append(kind)
        return CatalogueFacts(entries, sanction, sanction_entry, tags, tuple(conditional))

    @cache  # noqa: B019 - Law is frozen and lives as long as the process
    def part_only_tags(self, article: int | str) -> dict[Tag, Provenance]:
        """Tags the catalogue gives only to some part of an article (art. 272 part 1: riot organisation):
        a charge under that article with no part recorded may or may not carry them."""
        general = self.facts(article, None).tags
        tags: dict[Tag, Provenance] = {}
        for (entry_article, part), entries in self._catalogue_index.items():
            if entry_article == article and part is not None:
                for entry in entries:
                    tags.update({k.tag: k.provenance for k in entry.kinds if k.tag not in general})
        return tags

    def catalogue_parts(
        self, article: int | str
    ) -> list[tuple[tuple[int | str, int | str | None], tuple[CatalogueEntry, ...]]]:
        """The catalogue's entries for each part of an article that has part-specific entries."""
        return [
            (key, entries) for key, entries in self._catalogue_index.items() if key[0] == article and key[1]
        ]

    def title(self, article: int | str, part: int | str | None, language: str = "en") -> str | None:
        """Short title of an article (the part's own title when the catalogue has one)."""
        titled = [entry.title for entry in self.facts(article, part).entries if entry.title is not None]
        if not titled:
            return None
        return str(getattr(titled[-1], language))


def _format_location(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else ("." if path else "") + str(part)
    return path or "(top level)"


def _validate(model: type[BaseModel], data: Any, source: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{_format_location(tuple(item['loc']))}: {str(item['msg']).removeprefix('Value error, ')}"
            for item in error.errors(include_url=False)
        )
        raise LawPackError(f"{source}: {problems}") from error


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The safe YAML loader, in C when PyYAML has libyaml (the same data, several times faster)."""


def _read_yaml(path: Path | str, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader (libyaml's when built)
    except yaml.YAMLError as error:
        raise LawPackError(f"{path}: not valid YAML: {error}") from error


def _content_hash(pack: LawPack, catalogue: Catalogue) -> str:
    unordered = None if pack.order else {"order"}  # a law with no `order` hashes as it did before it
    canonical = json.dumps(
        {
            "pack": pack.model_dump(mode="json", exclude=unordered),
            "catalogue": catalogue.model_dump(mode="json"),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def deep_merge(base: Any, overlay: Any) -> Any:
    """Overlay mapping values onto a base (recursively); lists and scalars in the overlay replace."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        merged = dict(base)
        for key, value in overlay.items():
            merged[key] = deep_merge(base.get(key), value) if key in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(overlay)


def build_law(
    pack_data: Any,
    catalogue_data: Any,
    pack_source: str,
    catalogue_source: str,
    folder: Traversable | None = None,
) -> Law:
    """Validate raw pack and catalogue data and build the indexed `Law` (read from `folder`, if any)."""
    pack: LawPack = _validate(LawPack, pack_data, pack_source)
    catalogue: Catalogue = _validate(Catalogue, catalogue_data, catalogue_source)
    if pack.dates.entry_into_force.value is None:
        raise LawPackError(f"{pack_source}: dates.entry_into_force.value: required")
    index: dict[tuple[int | str, int | str | None], tuple[CatalogueEntry, ...]] = {}
    for entry in catalogue.entries:
        key = (entry.article, entry.part)
        index[key] = (*index.get(key, ()), entry)
    by_tag: dict[Tag, Exclusion] = {}
    recidivism: Exclusion | None = None
    for exclusion in pack.exclusions:
        if exclusion.tag is not None:
            by_tag[exclusion.tag] = exclusion
        else:
            recidivism = exclusion
    return Law(
        pack=pack,
        catalogue=catalogue,
        version=_content_hash(pack, catalogue),
        list_by_article=dict[int | str, ListEntry](
            (entry.article, entry) for entry in (pack.article_list.entries if pack.article_list else ())
        ),
        exclusion_by_tag=by_tag,
        recidivism_exclusion=recidivism,
        _catalogue_index=index,
        folder=folder,
    )


def _bundled_text(name: str) -> str:
    return resources.files("amnesty.law").joinpath("data", f"{name}.yaml").read_text(encoding="utf-8")


def shipped_pack_folder(law_id: str) -> Traversable:
    """The folder of a law shipped with the product (`kz-2022-152-vii` -> `packs/kz_2022_152_vii`)."""
    return resources.files("amnesty.law").joinpath("packs", folder_name(law_id))


def folder_name(law_id: str) -> str:
    """The folder that holds a law (`kz-2022-152-vii` -> `kz_2022_152_vii`)."""
    return law_id.replace("-", "_")


def read_text(file: Traversable, source: str) -> str:
    """A pack's text (UTF-8), or `LawPackError` naming the file."""
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LawPackError(f"{source}: cannot read: {error}") from error


def raw_pack_of(folder: Traversable, law_id: str) -> Any:
    """The pack in a folder as plain data (for overlays, drafts and display)."""
    source = f"{law_id}/{PACK_FILE}"
    return _read_yaml(source, read_text(folder.joinpath(PACK_FILE), source))


def raw_pack(law_id: str = DEFAULT_PACK) -> Any:
    """A shipped pack as plain data (for overlays and display)."""
    return raw_pack_of(shipped_pack_folder(law_id), law_id)


def catalogue_data() -> Any:
    """The shared Criminal Code catalogue as plain data."""
    return _read_yaml(f"{DEFAULT_CATALOGUE}.yaml", _bundled_text(DEFAULT_CATALOGUE))


_LOADED_FOLDERS: dict[tuple[str, str], Law] = {}
"""Laws loaded from pack folders, by (law id, folder): a process loads each once."""


def load_pack_folder(law_id: str, folder: Traversable) -> Law:
    """The law in a pack folder, loaded once per process; its `id` must be the folder's law id."""
    key = (law_id, str(folder))
    if key not in _LOADED_FOLDERS:
        source = f"{law_id}/{PACK_FILE}"
        law = load_law(folder=folder)
        if law.pack.id != law_id:
            raise LawPackError(
                f"{source}: id: {law.pack.id!r} does not match its folder (expected {law_id!r})"
            )
        _LOADED_FOLDERS[key] = law
    return _LOADED_FOLDERS[key]


def load_law(
    pack_path: Path | None = None,
    catalogue_path: Path | None = None,
    variant: Mapping[str, Any] | None = None,
    variant_source: str = "variant",
    folder: Traversable | None = None,
) -> Law:
    """Load a law: the pack file `pack_path`, else the pack in `folder` (a registered law's folder;
    default: the shipped `DEFAULT_PACK`), optionally with a what-if variant overlaid on it and another
    catalogue."""
    if pack_path is None:
        folder = folder if folder is not None else shipped_pack_folder(DEFAULT_PACK)
        pack_source = f"{folder.name}/{PACK_FILE}"
        pack_text = read_text(folder.joinpath(PACK_FILE), pack_source)
    else:
        pack_source, pack_text = str(pack_path), _read_file(pack_path)
    if catalogue_path is None:
        cat_source, cat_data = f"{DEFAULT_CATALOGUE}.yaml", catalogue_data()
    else:
        cat_source = str(catalogue_path)
        cat_data = _read_yaml(cat_source, _read_file(catalogue_path))
    pack_data = _read_yaml(pack_source, pack_text)
    if variant is not None:
        pack_data = deep_merge(pack_data, dict(variant))
        pack_source = f"{pack_source} + {variant_source}"
    return build_law(pack_data, cat_data, pack_source, cat_source, folder if pack_path is None else None)


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LawPackError(f"{path}: cannot read: {error}") from error


def default_law() -> Law:
    """The shipped law `DEFAULT_PACK` (the default of `--law` and of the API's `law`), loaded once."""
    return load_pack_folder(DEFAULT_PACK, shipped_pack_folder(DEFAULT_PACK))
