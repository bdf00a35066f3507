"""The pages' downloads of list exports (`amnesty.service.exports`) as HTTP responses, in the reader's
language: column titles and values in words (`labels.VOCABULARY`), dates in the local short form, and
the codes again in extra columns for programs."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from sqlalchemy.orm import Session

from amnesty.service.exports import ExportFormat, ExportTable, export_table
from amnesty.service.policy import Actor
from amnesty.web.i18n import gettext, short_date
from amnesty.web.labels import N_, label

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
    "task_id": N_("Task number"),
    "akimat": N_("Akimat"),
    "kind": N_("Task"),
    "status": N_("Status"),
    "assignee": N_("Assignee"),
    "due_date": N_("Due"),
    "completed_on": N_("Completed on"),
    "notes": N_("Notes"),
}
"""The title of each export column (`amnesty.service.exports.Column.name`)."""


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
