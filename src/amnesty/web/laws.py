"""The law picker of the web forms: the registered laws as the reader names them, and the law a form
or a page asks for.

A form that decides (a new case, an import, a re-evaluation, a what-if, an impact run) and a page that
counts (the dashboard) carry the law's id in a `law` field; the page shows a select of the laws'
titles in the reader's language when more than one law is registered, else a line naming the one law
(`_macros.html`, `law_picker`). The chosen law is passed to the service as it is: an unknown id is
refused (422), never replaced by the default.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request

from amnesty.law.loader import Law
from amnesty.law.registry import DEFAULT_LAW_ID, UnknownLawError, get_law, registered_laws
from amnesty.web.labels import N_
from amnesty.web.templating import ENV

LAW_FIELD = "law"
"""The form field and query parameter that names the law."""


@dataclass(frozen=True)
class LawChoice:
    """One registered law as the picker offers it: its id and its title in the reader's language."""

    law_id: str
    title: str


def law_choices(language: str) -> list[LawChoice]:
    """Every registered law, in order of entry into force, titled in `language`."""
    return [LawChoice(law.pack.id, str(getattr(law.pack.title, language))) for law in registered_laws()]


def picked_law(request: Request, value: str | None) -> Law:
    """The law a form or a query names (`law`; the default law when the field is absent or empty);
    404 for a page's query, 422 for a form, when no registered law has that id. The server's own law
    is used when it is the one named (`amnesty serve --law-pack` may have replaced its pack)."""
    wanted = (value or "").strip() or DEFAULT_LAW_ID
    served: Law = request.app.state.law
    if wanted == served.pack.id:
        return served
    try:
        return get_law(wanted)
    except UnknownLawError:
        status = 404 if request.method == "GET" else 422
        raise HTTPException(status_code=status, detail=N_("No such law is registered.")) from None


ENV.globals["law_choices"] = law_choices
