"""A new law starts from the last one: `amnesty law new ID --from ID` writes a draft pack.

The draft is the source law's pack with its own id and a title marked as a draft, in which **every
fact's provenance is `unverified`** (the pack's word for a candidate not yet checked against the
text), whatever it was in the source: a decision under the draft therefore carries
`provisional_basis`, and under `--strict` every unverified list entry needs review, until a lawyer
reads the new law's text and sets each fact's provenance. A note `draft` on the law page says so.
Beside the pack goes a scenario file for the lawyer to fill in: one record per stage, each with its
`expect` left empty (expectations are worked out by hand from the text, never copied from the
program's output).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from amnesty.law.loader import PACK_FILE, LawPackError, build_law, catalogue_data, folder_name, raw_pack_of
from amnesty.law.registry import pack_folder

SCENARIO_FILE = "scenarios.yaml"
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


def _starter_scenarios(new_id: str) -> list[dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {
        "pre_trial": {"stage": "pre_trial"},
        "trial": {"stage": "trial", "sentence": {"punishment": "imprisonment", "term": {"years": 5}}},
        "serving": {
            "stage": "serving",
            "sentence": {"punishment": "imprisonment", "term": {"years": 5}, "start_date": "2022-01-10"},
        },
        "served": {"stage": "served", "conviction_expunged": False},
    }
    return [
        {
            "name": f"{new_id}: a person at the {stage.replace('_', '-')} stage (fill in from the law's text)",
            "law": "the rules of the new law this case tests, e.g. 'art. 1; art. 2 p. 1'",
            "record": {
                "person_id": f"D-{index}",
                "charges": [
                    {
                        "article": 272,
                        "part": 2,
                        "category": "grave",
                        "offence_date": "2022-01-05",
                        "context": "riot",
                    }
                ],
                **fields,
            },
            "expect": {},
        }
        for index, (stage, fields) in enumerate(records.items(), start=1)
    ]


def write_draft(new_id: str, source_id: str, out: Path) -> Path:
    """Write the draft pack and its scenario file into `out/<folder of new_id>/`; the pack is checked
    against the schema first. Refuses to overwrite an existing folder (`LawPackError`)."""
    data = draft_pack(new_id, source_id)
    build_law(data, catalogue_data(), f"{new_id}/{PACK_FILE}", "catalogue")  # the draft must load
    folder = out / folder_name(new_id)
    if folder.exists():
        raise LawPackError(f"{folder} already exists; choose another id or folder")
    folder.mkdir(parents=True)
    header = (
        f"# Draft law pack {new_id}, made from {source_id} by `amnesty law new`. Every fact is unverified.\n"
    )
    (folder / PACK_FILE).write_text(
        header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8"
    )
    scenarios = (
        f"# Scenarios for {new_id}: fill in each `expect` by hand from the law's text (see\n"
        "# tests/scenarios/README.md for the fields), then add one scenario per rule and condition.\n"
    )
    scenarios += yaml.safe_dump(_starter_scenarios(new_id), allow_unicode=True, sort_keys=False)
    (folder / SCENARIO_FILE).write_text(scenarios, "utf-8")
    return folder
