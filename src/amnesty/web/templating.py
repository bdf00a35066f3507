"""Jinja2 environment of the web pages: autoescaping, the i18n extension, and the display helpers.

`render(request, name, context)` sets the request's language for the gettext callables and returns an
HTMLResponse. Templates live in `templates/` next to this module.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from amnesty.auth import csrf_token
from amnesty.domain.decision import Reason, TermOut
from amnesty.domain.enums import TaskStatus
from amnesty.engine.messages import describe_term
from amnesty.law.loader import LawPackError
from amnesty.law.registry import get_law
from amnesty.render.citations import render_cites
from amnesty.render.collation import sort_by_name
from amnesty.render.decisions import OUTCOME_WORDS, reason_text
from amnesty.render.formats import format_number
from amnesty.service.policy import Action, may
from amnesty.web import i18n
from amnesty.web.labels import REGION_GRID, VOCABULARY, label, rule_title

TEMPLATES = Path(__file__).parent / "templates"


def term_words(term: TermOut | None) -> str:
    """A term in words in the current language."""
    if term is None:
        return "—"
    return describe_term(term.years, term.months, term.days, i18n.current_language.get())


def outcome_sentence(outcome: Any) -> str:
    """The engine's plain sentence for an outcome in the current language."""
    words = OUTCOME_WORDS[outcome]
    return words.get(i18n.current_language.get(), words["en"])


def cites(text: str) -> str:
    """A citation ("Law 152-VII, art. 1") in the current language ("Закон № 152-VII, ст. 1")."""
    return render_cites(text, i18n.current_language.get())


def reason_words(reason: Reason, law_id: str) -> str:
    """A reason's sentence in the current language, rendered from its code and parameters in the words
    of the law `law_id` that the decision was made under."""
    return reason_text(reason, i18n.current_language.get(), get_law(law_id))


def law_name(law_id: str) -> str:
    """A registered law's title in the current language (its id when no pack has it any more)."""
    try:
        return str(getattr(get_law(law_id).pack.title, i18n.current_language.get()))
    except LawPackError:
        return law_id


def by_name(values: Any, kind: str) -> list[Any]:
    """Vocabulary values (regions...) in the alphabetical order of their labels in the current language."""
    language = i18n.current_language.get()
    return sort_by_name(list(values), language, lambda value: label(kind, value))


def actor_name(name: str | None) -> str:
    """Who made a decision or an event: a user's name as typed; the program's own actors in words."""
    if not name:
        return "—"
    return label("actor", name) if name in VOCABULARY["actor"] else name


def local_number(value: float | int, digits: int | None = None, signed: bool = False) -> str:
    """A number as the page's reader writes it ('55,57' in ru and kk), rounded to `digits` decimals
    when given, with its sign when `signed`."""
    if digits is not None:
        value = round(value, digits)
    text = format_number(value, i18n.current_language.get())
    return ("+" + text) if signed and value > 0 else text


def law_title(law_id: str, article: int, part: int | None) -> str | None:
    """The Criminal Code title of an article in the current language, as the law `law_id` (the one a
    decision was made under) names it; None when no registered law has that id any more."""
    try:
        law = get_law(law_id)
    except LawPackError:
        return None
    return law.title(article, part, i18n.current_language.get())


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html", "svg")),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["by_name"] = by_name
    env.filters["number"] = local_number
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        label=label,
        law_title=law_title,
        rule_title=rule_title,
        cites=cites,
        reason_words=reason_words,
        law_name=law_name,
        csrf_token_value=csrf_token,
        local_date=i18n.local_date,
        short_date=i18n.short_date,
        numeric_date=i18n.numeric_date,
        numeric_moment=i18n.numeric_moment,
        local_time=i18n.local_time,
        local_day=i18n.local_day,
        actor_name=actor_name,
        term_words=term_words,
        outcome_sentence=outcome_sentence,
        LANGUAGES=i18n.LANGUAGES,
        may=may,
        as_date=lambda text: dt.date.fromisoformat(text[:10]) if text else None,
        as_status=TaskStatus,
        Action=Action,
        VOCABULARY=VOCABULARY,
        REGION_GRID=REGION_GRID,
    )
    return env


ENV = _environment()


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render a template in the request's language."""
    language = getattr(request.state, "language", i18n.DEFAULT_LANGUAGE)
    token = i18n.current_language.set(language)
    try:
        values = {"csrf": csrf_token(request)} | context
        html = ENV.get_template(name).render(request=request, lang=language, **values)
    finally:
        i18n.current_language.reset(token)
    return HTMLResponse(html, status_code=status_code)
