"""The registry of amnesty laws: every law is a folder with its `pack.yaml`, found by its id.

The shipped laws are the folders of `amnesty/law/packs/` (the folder `kz_2022_152_vii` holds the
law `kz-2022-152-vii`). An operator or an analyst can register more without touching the code: every
folder named in the environment variable `AMNESTY_LAW_PATH` (separated by the platform's path
separator) is searched too, its sub-folders holding one `pack.yaml` each. A law's id is the pack's
`id`, and it must match its folder's name (hyphens written as underscores), so a copied folder
cannot silently shadow another law.

Every command, request and decision names the law it works under; `DEFAULT_LAW_ID` is only the
default of the `--law` option and of the API's `law` parameter.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from amnesty.law.loader import DEFAULT_PACK, PACK_FILE, Law, LawPackError, load_pack_folder

DEFAULT_LAW_ID = DEFAULT_PACK
ALL_LAWS = "all"
"""The `--law` value that decides under every registered law."""
LAW_PATH_VARIABLE = "AMNESTY_LAW_PATH"


class UnknownLawError(LawPackError):
    """A law id that no registered pack has; the message lists the ids that exist."""


@dataclass(frozen=True)
class LawFolder:
    """Where one registered law lives: its id and its folder (shipped or from AMNESTY_LAW_PATH)."""

    law_id: str
    folder: Traversable

    @property
    def pack_file(self) -> Traversable:
        """The folder's `pack.yaml`."""
        return self.folder.joinpath(PACK_FILE)


def folder_id(name: str) -> str:
    """The law id a folder's name stands for (`kz_2022_152_vii` -> `kz-2022-152-vii`)."""
    return name.replace("_", "-")


def _folders_under(root: Traversable) -> list[LawFolder]:
    if not root.is_dir():
        return []
    return [
        LawFolder(folder_id(child.name), child)
        for child in sorted(root.iterdir(), key=lambda item: item.name)
        if child.is_dir() and child.joinpath(PACK_FILE).is_file()
    ]


def _search_roots() -> list[Traversable]:
    roots: list[Traversable] = [resources.files("amnesty.law").joinpath("packs")]
    extra = os.environ.get(LAW_PATH_VARIABLE, "")
    roots += [Path(item) for item in extra.split(os.pathsep) if item.strip()]
    return roots


def law_folders() -> dict[str, LawFolder]:
    """Every registered law's folder by id; two folders claiming one id are refused."""
    found: dict[str, LawFolder] = {}
    for root in _search_roots():
        for folder in _folders_under(root):
            if folder.law_id in found:
                raise LawPackError(
                    f"{folder.folder}: law {folder.law_id!r} is already registered from {found[folder.law_id].folder}"
                )
            found[folder.law_id] = folder
    return found


def pack_folder(law_id: str) -> Traversable:
    """The folder of the registered law `law_id`; `UnknownLawError` names the known ids."""
    folders = law_folders()
    folder = folders.get(law_id)
    if folder is None:
        known = ", ".join(sorted(folders)) or "none"
        raise UnknownLawError(f"no law {law_id!r}; registered laws: {known}")
    return folder.folder


def get_law(law_id: str = DEFAULT_LAW_ID) -> Law:
    """The registered law with this id, loaded once per process; `UnknownLawError` names the known ids."""
    return load_pack_folder(law_id, pack_folder(law_id))


def registered_laws() -> tuple[Law, ...]:
    """Every registered law, in order of entry into force (then id)."""
    laws = [get_law(law_id) for law_id in law_folders()]
    return tuple(sorted(laws, key=lambda law: (law.entry_into_force, law.pack.id)))


def law_summary(law: Law) -> dict[str, Any]:
    """What `amnesty laws --json` and `GET /api/laws` say of one law: id, titles, version, source and
    dates with their provenance."""
    pack = law.pack
    return {
        "id": pack.id,
        "title": pack.title.model_dump(mode="json"),
        "version": law.version,
        "reference": pack.reference.model_dump(mode="json", exclude_none=True),
        "dates": pack.dates.model_dump(mode="json", exclude_none=True),
    }


def resolve_laws(choice: str) -> tuple[Law, ...]:
    """The laws a `--law` value names: one id, or `all` for every registered law."""
    if choice == ALL_LAWS:
        return registered_laws()
    return (get_law(choice),)
