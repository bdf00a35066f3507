"""The pages' downloads of list exports (`amnesty.service.exports`) as HTTP responses, in the reader's
language: column titles and values in words (`labels.VOCABULARY`), dates in the local short form, and
the codes again in extra columns for programs. The audit log is streamed (`stream`): never held whole,
in the request's language however the server's threads take its pieces."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from amnesty.law.loader import LawPackError
from amnesty.law.registry import get_law
from amnesty.service.exports import MEDIA_TYPES, ExportFormat, ExportTable, export_table, stream_export
from amnesty.service.policy import Actor
from amnesty.service.reports import BY_REVIEWER
from amnesty.web.i18n import current_language, gettext, numeric_moment, short_date
from amnesty.web.labels import N_, label, rule_title
from amnesty.web.templating import law_name

HEADERS: dict[str, str] = {
    "person_id": N_("Person number"),
    "full_name": N_("Full name"),
    "iin": N_("IIN"),
    "region": N_("Region"),
    "case_number": N_("Case number"),
    "stage": N_("Stage"),
    "outcome": N_("Decision of the software"),
    "outcome_in_effect": N_("Decision in force"),
    "release": N_("Release"),
    "new_end_date": N_("New end of the term"),
    "needs_review": N_("Needs review"),
    "provisional": N_("provisional"),
    "decision_id": N_("Decision number"),
    "reason_codes": N_("Reason for review"),
    "taken_by": N_("Taken by"),
    "waiting_since": N_("Waiting since"),
    "law": N_("Law"),
    "decisions": N_("Decisions"),
    "rule": N_("Rule"),
    "task_id": N_("Task number"),
    "akimat": N_("Akimat"),
    "kind": N_("Task"),
    "status": N_("Status"),
    "assignee": N_("Assignee"),
    "due_date": N_("Due"),
    "completed_on": N_("Completed on"),
    "notes": N_("Notes"),
    "seq": N_("Event number"),
    "at": N_("When"),
    "actor": N_("Who"),
    "action": N_("Action"),
    "object_type": N_("Object type"),
    "object_id": N_("Object"),
    "hash": N_("Event hash"),
    "section": N_("Table"),
    "group": N_("Group"),
    "to": N_("To"),
    "persons_law": N_("Persons, law"),
    "persons_variant": N_("Persons, variant"),
    "persons_change": N_("Change"),
    "persons": N_("Persons"),
    "outcome_changed": N_("Change outcome"),
    "baseline_person_years": N_("Person-years, law"),
    "variant_person_years": N_("Person-years, variant"),
    "person_years_delta": N_("Difference"),
    "unmeasured": N_("Not measured"),
}
"""The title of each export column (`amnesty.service.exports.Column.name`)."""


IMPACT_SECTIONS: dict[str, str] = {
    "outcomes": N_("Persons per outcome"),
    "transitions": N_("Changes of outcome"),
    "by_region": N_("By region"),
    "by_category": N_("By category"),
}
"""The parts of an impact export (`amnesty.service.exports.IMPACT_SECTIONS`) in words."""


def impact_group(value: str) -> str:
    """A group of an impact export (`region:Almaty`, `category:unknown`, `outcome:release`,
    `region:total`) in words: the total as "Total", a region or category not recorded in words."""
    kind, _, code = value.partition(":")
    return gettext(N_("Total")) if code == "total" else label(kind, code)


def law_rule_words(value: str) -> str:
    """A rule of a law (`law:rule`, as `amnesty.service.reports` writes it) as its id and title in the
    law's words; the reviewer's exclusion in words."""
    law_id, _, rule = value.partition(":")
    if rule == BY_REVIEWER:
        return gettext(N_("Excluded by a reviewer"))
    try:
        text = get_law(law_id).pack.rules.get(rule)
    except LawPackError:
        text = None
    return f"{rule} — {rule_title(rule, text.title)}" if text is not None else rule


class PageWords:
    """An export's words in the current language of the request."""

    def header(self, name: str) -> str:
        """The column's title (its field name when it has none)."""
        message = HEADERS.get(name)
        return gettext(message) if message is not None else name

    def value(self, kind: str, value: Any) -> str:
        """A yes/no, a date, review reason codes or a vocabulary code in words."""
        if kind == "bool":
            return gettext(N_("Yes")) if value in (True, "True", "true", 1) else gettext(N_("No"))
        if kind == "date":
            return short_date(str(value))
        if kind == "moment":
            return numeric_moment(str(value))
        if kind == "impact_section":
            message = IMPACT_SECTIONS.get(str(value))
            return gettext(message) if message is not None else str(value)
        if kind == "impact_group":
            return impact_group(str(value))
        if kind == "law":
            return law_name(str(value))
        if kind == "law_rule":
            return law_rule_words(str(value))
        if kind == "codes":
            return "; ".join(label("review_code", code) for code in dict.fromkeys(str(value).split()))
        return label(kind, value)


def download(db: Session, user: Actor, name: str, fmt: ExportFormat, table: ExportTable) -> Response:
    """The export, in the reader's words, as an attachment."""
    exported = export_table(db, user, name, fmt, table, PageWords())
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )


def _in_language(pieces: Iterator[bytes], language: str) -> Iterator[bytes]:
    """The pieces, each made in `language` (a streamed response's pieces may be made in other
    threads than the request's, which do not share its language)."""
    while True:
        current_language.set(language)
        piece = next(pieces, None)
        if piece is None:
            return
        yield piece


def stream(name: str, fmt: ExportFormat, table: ExportTable, language: str) -> StreamingResponse:
    """The table in the reader's words as an attachment, streamed (the caller audited the export)."""
    pieces = stream_export(fmt, table.in_words(PageWords()), name)
    return StreamingResponse(
        _in_language(pieces, language),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt.value}"'},
    )
