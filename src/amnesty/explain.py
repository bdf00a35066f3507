"""Plain-language explanation of a decision (used by `amnesty explain`, the web pages, documents).

The words themselves are rendered by `amnesty.render` (one renderer for every place people read a
decision); this module keeps the names the rest of the code imports.
"""

from __future__ import annotations

from amnesty.render.decisions import (
    OUTCOME_WORDS,
    cites_text,
    decision_with_texts,
    headline,
    reason_text,
    render_reasons,
)
from amnesty.render.formats import format_date, format_number, format_term

__all__ = [
    "OUTCOME_WORDS",
    "cites_text",
    "decision_with_texts",
    "format_date",
    "format_number",
    "format_term",
    "headline",
    "reason_text",
    "render_reasons",
]
