"""How a bulk run writes a decision: compact by default, with sentences in the languages asked for.

A compact decision is the engine's decision serialised by its model without the sentences a person
reads: codes, rule IDs, citations, provenance, outcomes, dates and terms stay; each reason's `text`
and `texts`, and each charge's English `title`, are left out (they are words, rendered at the edges).
It is also short: fields whose value is null are left out (`exclude_none`, as the contract's example
leaves out the sentence fields it does not use), and so are the fields that are the same for every
decision of a run and are not in the contract's decision (`RUN_FIELDS`: the engine version and the
strict mode), which `summary.json` holds once. `decision_from_compact` reads a compact line back into
the same `Decision` (nulls restored from the model, the run's fields from the summary).
With languages (`amnesty batch --lang ru --lang kk`), each reason carries `texts` in those languages
only, as `reason_sentences` gives them, and charges keep their title.

`reason_sentences` is the one place a bulk run gets a sentence: the project's renderer
(`amnesty.render.decisions.reason_text`), from each reason's code and parameters.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from amnesty.domain.decision import Decision, Reason
from amnesty.engine.messages import LANGUAGES
from amnesty.law.loader import Law
from amnesty.render.decisions import reason_text

_REASON_WORDS = {"text", "texts", "params"}
ZSTD_SUFFIX = ".zst"
"""The suffix of decision lines compressed with zstd, as a bulk run writes them by default
(`decisions.jsonl.zst`; `amnesty report` reads them too)."""
RUN_FIELDS = ("engine_version", "strict")
"""Decision fields the same for a whole run and not in the contract: written once, in summary.json."""
COMPACT_EXCLUDE: dict[str, Any] = {
    **dict.fromkeys(RUN_FIELDS, True),
    "reasons": {"__all__": _REASON_WORDS},
    "charges": {"__all__": {"title": True, "reasons": {"__all__": _REASON_WORDS}}},
    "questions": True,
    "unanswerable": True,
}
"""What a compact decision leaves out of the model's JSON (besides its null fields): the run's
fields, the words, the reasons' rendering parameters, and the guided questions (`amnesty questions INPUT` lists those for a registry; their
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


def reason_sentences(reason: Reason, languages: Sequence[str], law: Law) -> dict[str, str]:
    """A reason's sentences in `languages`, from the project's one renderer (`amnesty.render`), in the
    words of the law it was decided under."""
    return {language: reason_text(reason, language, law) for language in languages}


def _with_sentences(reasons: tuple[Reason, ...], languages: Sequence[str], law: Law) -> tuple[Reason, ...]:
    return tuple(
        reason.model_copy(update={"texts": reason_sentences(reason, languages, law)}) for reason in reasons
    )


def decision_json(decision: Decision, languages: Sequence[str] = (), law: Law | None = None) -> str:
    """The decision as one line of JSON: compact, or with the sentences in `languages` (in the words
    of `law`, the law it was decided under, which a worded line needs)."""
    if not languages:
        return decision.model_dump_json(exclude=COMPACT_EXCLUDE, exclude_none=True)
    if law is None:
        raise ValueError("a decision with sentences needs the law it was decided under")
    charges = tuple(
        charge.model_copy(update={"reasons": _with_sentences(charge.reasons, languages, law)})
        for charge in decision.charges
    )
    worded = decision.model_copy(
        update={"reasons": _with_sentences(decision.reasons, languages, law), "charges": charges}
    )
    return worded.model_dump_json(exclude=_WITH_TEXTS_EXCLUDE)


def _with_nulls(model: type[BaseModel], data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with every field of `model` that a compact line left out because it was null set back to
    null, in nested decision parts too (the model's fields say which: those that admit None)."""
    filled = dict(data)
    for name, info in model.model_fields.items():
        if name not in filled:
            if info.is_required() and _admits_none(info.annotation):
                filled[name] = None
            continue
        inner = _model_of(info.annotation)
        if inner is None or filled[name] is None:
            continue
        value = filled[name]
        if isinstance(value, Mapping):
            filled[name] = _with_nulls(inner, value)
        elif isinstance(value, list | tuple):
            filled[name] = [_with_nulls(inner, item) if isinstance(item, Mapping) else item for item in value]
    return filled


def _admits_none(annotation: Any) -> bool:
    return type(None) in typing.get_args(annotation)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The decision part a field holds (itself, optionally, or as a tuple of them), if any."""
    candidates = [annotation, *typing.get_args(annotation)]
    for candidate in candidates:
        if typing.get_origin(candidate) is tuple:
            candidates.extend(typing.get_args(candidate))
        elif isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def decision_from_compact(data: Mapping[str, Any], run: Mapping[str, Any]) -> Decision:
    """The decision a compact line holds (`data`, the parsed JSON object), with the run's fields from
    `run` (the run's `summary.json`: `engine_version`, `strict`)."""
    return Decision.model_validate(
        {**_with_nulls(Decision, data), **{name: run[name] for name in RUN_FIELDS}}
    )
