"""How a bulk run writes a decision: compact by default, with sentences in the languages asked for.

A compact decision is the engine's decision serialised by its model without the sentences a person
reads: codes, rule IDs, citations, provenance, outcomes, dates and terms stay; each reason's `text`
and `texts`, and each charge's English `title`, are left out (they are words, rendered at the edges).
With languages (`amnesty batch --lang ru --lang kk`), each reason carries `texts` in those languages
only, as `reason_sentences` gives them, and charges keep their title.

`reason_sentences` is the one place a bulk run gets a sentence: the project's renderer
(`amnesty.render.decisions.reason_text`), from each reason's code and parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from amnesty.domain.decision import Decision, Reason
from amnesty.engine.messages import LANGUAGES
from amnesty.render.decisions import reason_text

_REASON_WORDS = {"text", "texts", "params"}
COMPACT_EXCLUDE: dict[str, Any] = {
    "reasons": {"__all__": _REASON_WORDS},
    "charges": {"__all__": {"title": True, "reasons": {"__all__": _REASON_WORDS}}},
    "questions": True,
    "unanswerable": True,
}
"""What a compact decision leaves out of the model's JSON: the words, the reasons' rendering
parameters, and the guided questions (`amnesty questions INPUT` lists those for a registry; their
answers' outcomes are worked out per person, which a bulk run does not do)."""
_WITH_TEXTS_EXCLUDE: dict[str, Any] = {
    "reasons": {"__all__": {"text"}},
    "charges": {"__all__": {"reasons": {"__all__": {"text"}}}},
}


class UnknownLanguageError(ValueError):
    """A language the renderer does not have."""


def check_languages(languages: Sequence[str]) -> tuple[str, ...]:
    """The languages in the order given, without repeats; raises for one the renderer lacks."""
    unknown = [language for language in languages if language not in LANGUAGES]
    if unknown:
        raise UnknownLanguageError(
            f"unknown language {', '.join(unknown)}: choose among {', '.join(LANGUAGES)}"
        )
    return tuple(dict.fromkeys(languages))


def reason_sentences(reason: Reason, languages: Sequence[str]) -> dict[str, str]:
    """A reason's sentences in `languages`, from the project's one renderer (`amnesty.render`)."""
    return {language: reason_text(reason, language) for language in languages}


def _with_sentences(reasons: tuple[Reason, ...], languages: Sequence[str]) -> tuple[Reason, ...]:
    return tuple(
        reason.model_copy(update={"texts": reason_sentences(reason, languages)}) for reason in reasons
    )


def decision_json(decision: Decision, languages: Sequence[str] = ()) -> str:
    """The decision as one line of JSON: compact, or with the sentences in `languages`."""
    if not languages:
        return decision.model_dump_json(exclude=COMPACT_EXCLUDE)
    charges = tuple(
        charge.model_copy(update={"reasons": _with_sentences(charge.reasons, languages)})
        for charge in decision.charges
    )
    worded = decision.model_copy(
        update={"reasons": _with_sentences(decision.reasons, languages), "charges": charges}
    )
    return worded.model_dump_json(exclude=_WITH_TEXTS_EXCLUDE)
