"""A new law starts from the last one: `amnesty law new ID --from ID` writes a draft pack.

The draft is the source law's pack with its own id and a title marked as a draft, in which **every
fact's provenance is `unverified`** (the pack's word for a candidate not yet checked against the
text), whatever it was in the source: a decision under the draft therefore carries
`provisional_basis`, and under `--strict` every unverified list entry needs review, until a lawyer
reads the new law's text and sets each fact's provenance. A note `draft` on the law page says so.
The source's data files beside its pack (the 2021 law's `exclusion_lists.yaml`) are copied into the
draft's folder with every entry unverified too, and its engine reads them from there.
Beside the pack goes a scenario file for the lawyer to fill in: one record per stage, dated by the
source law's own dates (its window or entry into force, its implementation deadline) so that each
record is one the draft decides on, each with its `expect` left empty (expectations are worked out by
hand from the text, never copied from the program's output).
"""

from __future__ import annotations

import datetime as dt
import re
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from amnesty.law.example import example_case
from amnesty.law.loader import (
    PACK_FILE,
    Law,
    LawPackError,
    build_law,
    catalogue_data,
    folder_name,
    raw_pack_of,
    read_text,
)
from amnesty.law.registry import pack_folder

SCENARIO_FILE = "scenarios.yaml"
DATA_SUFFIX = ".yaml"
"""The source law's data files the draft carries (every YAML file of its folder beside the pack)."""
LAW_ID = re.compile(r"^[a-z]{2}-\d{4}-[a-z0-9-]+$")
DRAFT_NOTE = {
    "en": "Draft based on: {source}. Every fact is marked unverified until a lawyer reads the new "
    "law's published text and sets its provenance; every decision under this draft is provisional.",
    "ru": "Проект на основе: {source}. Каждый факт отмечен как непроверенный, пока юрист не "
    "сверит его с опубликованным текстом нового закона и не укажет источник; каждое решение по этому "
    "проекту предварительное.",
    "kk": "Жобаның негізі: {source}. Заңгер жаңа заңның жарияланған мәтінімен салыстырып, "
    "дереккөзін көрсеткенге дейін әрбір факт тексерілмеген деп белгіленеді; осы жоба бойынша әрбір "
    "шешім алдын ала шешім болып табылады.",
}
DRAFT_TITLE = {
    "en": "Draft law based on: {title}",
    "ru": "Проект закона на основе: {title}",
    "kk": "Заң жобасы, негізі: {title}",
}
"""The draft's title until the lawyer writes the new law's: the source law's title, named as a draft."""


def mark_unverified(data: Any) -> Any:
    """The pack data with every `provenance` set to `unverified`, at any depth."""
    if isinstance(data, dict):
        return {
            key: "unverified" if key == "provenance" else mark_unverified(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [mark_unverified(item) for item in data]
    return data


def draft_pack(new_id: str, source_id: str) -> dict[str, Any]:
    """The draft pack's data: the source law's pack, renamed, every fact unverified, with the note."""
    if not LAW_ID.match(new_id):
        raise LawPackError(f"{new_id!r} is not a law id like kz-2026-123-viii (country, year, number)")
    data: dict[str, Any] = dict(mark_unverified(raw_pack_of(pack_folder(source_id), source_id)))
    data["id"] = new_id
    source_titles = data["title"]
    data["title"] = {lang: text.format(title=source_titles[lang]) for lang, text in DRAFT_TITLE.items()}
    note = {
        "id": "draft",
        "provenance": "unverified",
        "text": {lang: text.format(source=source_titles[lang]) for lang, text in DRAFT_NOTE.items()},
    }
    data["notes"] = [note, *[n for n in data.get("notes", []) if n.get("id") != "draft"]]
    return data


def _starter_scenarios(new_id: str, law: Law) -> list[dict[str, Any]]:
    """One record per stage with the source law's example case (`amnesty.law.example`: a charge it
    reaches, dated by its own window or entry into force), each decided on the day of entry into force;
    and the serving case again on the last day of the implementation deadline."""
    case = example_case(law)
    charge: dict[str, Any] = {"article": case.article, "part": case.part, "offence_date": case.offence_date}
    if case.context is not None:
        charge["context"] = case.context
    imprisonment = {"punishment": "imprisonment", "term": {"years": case.sentence_years}}
    serving = {"stage": "serving", "sentence": {**imprisonment, "start_date": case.sentence_start}}
    records: list[tuple[dict[str, Any], dt.date]] = [
        ({"stage": "pre_trial"}, case.entry_into_force),
        ({"stage": "trial", "sentence": imprisonment}, case.entry_into_force),
        (serving, case.entry_into_force),
        ({"stage": "served", "conviction_expunged": False}, case.entry_into_force),
    ]
    if case.deadline is not None:
        records.append((serving, case.deadline))
    return [
        {
            "name": f"{new_id}: a person at the {fields['stage'].replace('_', '-')} stage, decided on {as_of}"
            " (fill in from the law's text)",
            "law": "the rules of the new law this case tests, e.g. 'art. 1; art. 2 p. 1'",
            "as_of": as_of,
            "record": {"person_id": f"D-{index}", "charges": [dict(charge)], **fields},
            "expect": {},
        }
        for index, (fields, as_of) in enumerate(records, start=1)
    ]


def _draft_data_files(source: Traversable, source_id: str, new_id: str) -> dict[str, Any]:
    """The source law's data files beside its pack (its lists, tables), every fact in them unverified and
    the law they belong to renamed: the rules of the source's engine read them from the draft's folder."""
    files: dict[str, Any] = {}
    for file in sorted(source.iterdir(), key=lambda item: item.name):
        if (
            not file.is_file()
            or not file.name.endswith(DATA_SUFFIX)
            or file.name in (PACK_FILE, SCENARIO_FILE)
        ):
            continue
        data = mark_unverified(yaml.safe_load(read_text(file, f"{source_id}/{file.name}")))
        if isinstance(data, dict) and data.get("law") == source_id:
            data["law"] = new_id
        files[file.name] = data
    return files


def write_draft(new_id: str, source_id: str, out: Path) -> Path:
    """Write the draft pack, the source's data files and the scenario file into `out/<folder of
    new_id>/`; the pack is checked against the schema first. Refuses to overwrite an existing folder
    (`LawPackError`)."""
    data = draft_pack(new_id, source_id)
    source = pack_folder(source_id)
    data_files = _draft_data_files(source, source_id, new_id)
    law = build_law(data, catalogue_data(), f"{new_id}/{PACK_FILE}", "catalogue")  # the draft must load
    folder = out / folder_name(new_id)
    if folder.exists():
        raise LawPackError(f"{folder} already exists; choose another id or folder")
    folder.mkdir(parents=True)
    header = (
        f"# Draft law pack {new_id}, made from {source_id} by `amnesty law new`. Every fact is unverified.\n"
    )
    (folder / PACK_FILE).write_text(header + _dump(data), "utf-8")
    for name, content in data_files.items():
        note = f"# {name} of the draft {new_id}, copied from {source_id}: every entry is unverified.\n"
        (folder / name).write_text(note + _dump(content), "utf-8")
    scenarios = (
        f"# Scenarios for {new_id}: fill in each `expect` by hand from the law's text (see\n"
        "# tests/scenarios/README.md for the fields), then add one scenario per rule and condition.\n"
        f"# The records are dated by the dates of {source_id}: change them with the new law's dates.\n"
    )
    scenarios += _dump(_starter_scenarios(new_id, law))
    (folder / SCENARIO_FILE).write_text(scenarios, "utf-8")
    return folder


class _PlainDumper(yaml.SafeDumper):
    """YAML written for a lawyer to read: a value repeated is written out again, never as an alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False)
