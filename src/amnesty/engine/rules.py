"""The rule registry: each rule function names the rule ID of LAW.md and the article it implements.

`@implements("S1", "Law 152-VII, art. 1", engine=..., reads=(...))` records the function under (engine,
rule ID), so a
test can check that every rule of LAW.md has exactly one function and that code and law pack cite the
same article. `reads` names the facts of the case record the rule's answer depends on, as paths of the
record model (`"stage"`, `"sentence.term"`, `"charges[].offence_date"`; see `record_paths`): checked at
registration, and proved by a property test per rule (tests/engine/test_rule_reads.py) that changing
any other fact never changes the rule's answer. A path under an optional or repeated field also reads
that field's presence (a sentence at all, how many charges). `Finding` is a rule's tri-state answer with the reasons that led to it. `reason` builds a
reason with its sentences in every language, except within `sentences(False)` (a compact bulk run,
which writes codes, citations and facts only), where the sentences are left empty, as the decision
model allows.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, ParamSpec, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

from amnesty.domain.decision import Reason
from amnesty.domain.enums import Provenance, Tri
from amnesty.domain.records import CaseRecord
from amnesty.engine.codes import ReasonCode
from amnesty.engine.family import SHARED
from amnesty.engine.messages import LANGUAGES, encode_param, law_words, render
from amnesty.law.loader import Law

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class RuleInfo:
    """A rule's identity: the engine (law package) it belongs to, its ID in that law's reading, the
    article it cites, the function implementing it and the facts of the record it reads (paths of
    `record_paths`)."""

    rule_id: str
    cites: str
    function: Callable[..., Any]
    reads: frozenset[str] = frozenset()
    engine: str = ""


RULES: dict[tuple[str, str], RuleInfo] = {}
"""Every rule function, keyed by (engine, rule ID): two laws may each have their own "S1"."""


def rule_info(engine: str, rule_id: str) -> RuleInfo | None:
    """The function implementing `rule_id` for a law decided by `engine`: the engine's own, else a shared
    rule of that ID (`amnesty.engine.family.SHARED`)."""
    return RULES.get((engine, rule_id)) or RULES.get((SHARED, rule_id))


def rules_of(engine: str) -> dict[str, RuleInfo]:
    """The rules an engine decides with, by rule ID (its own, and the shared ones it does not redefine)."""
    shared = {key[1]: info for key, info in RULES.items() if key[0] == SHARED}
    return shared | {key[1]: info for key, info in RULES.items() if key[0] == engine}


def _model_of(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The record model an annotation holds (unwrapping `X | None`), and whether it is a tuple of them."""
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        annotation = inner[0] if len(inner) == 1 else annotation
    if get_origin(annotation) is tuple:
        args = get_args(annotation)
        model, _ = _model_of(args[0]) if args else (None, False)
        return model, True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def _paths(model: type[BaseModel], prefix: str) -> Iterator[str]:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        inner, repeated = _model_of(info.annotation)
        if inner is None:
            yield path
            continue
        yield path
        yield from _paths(inner, f"{path}[]." if repeated else f"{path}.")


@cache
def record_paths() -> frozenset[str]:
    """Every fact of a case record a rule may declare it reads: each field of `CaseRecord`, and of the
    models inside it, as a path (`"sentence"`, `"sentence.term"`, `"sentence.term.years"`,
    `"charges[].article"`). A path names the whole value at it, everything under it included."""
    return frozenset(_paths(CaseRecord, ""))


def implements(
    rule_id: str, cites: str, *, engine: str, reads: tuple[str, ...]
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Register a function as the implementation of rule `rule_id` of the laws decided by `engine`,
    citing `cites`, whose answer depends on the facts `reads` of the record (and on the law, the mode
    and its other arguments) only."""
    unknown = sorted(set(reads) - record_paths())
    if unknown:
        raise RuntimeError(f"rule {rule_id} reads {', '.join(unknown)}: not a field of the case record")

    def register(function: Callable[P, R]) -> Callable[P, R]:
        if (engine, rule_id) in RULES:
            raise RuntimeError(f"rule {rule_id} of {engine} implemented twice")
        RULES[(engine, rule_id)] = RuleInfo(rule_id, cites, function, frozenset(reads), engine)
        return function

    return register


@dataclass(frozen=True)
class Finding:
    """A tri-state answer with its reasons; `provisional` when it rests on an unverified or assumed fact."""

    answer: Tri
    reasons: tuple[Reason, ...] = field(default=())
    provisional: bool = False


_SENTENCES: ContextVar[bool] = ContextVar("amnesty_reason_sentences", default=True)


@contextmanager
def sentences(rendered: bool) -> Iterator[None]:
    """Within the block, `reason` renders each reason's sentences (`rendered`) or leaves `text` and
    `texts` empty (codes, rule IDs, citations and params are the same either way)."""
    token = _SENTENCES.set(rendered)
    try:
        yield
    finally:
        _SENTENCES.reset(token)


def rendering() -> bool:
    """Whether `reason` renders sentences here (False within `sentences(False)`)."""
    return _SENTENCES.get()


def reason(
    law: Law,
    code: ReasonCode | str,
    rule_id: str,
    fact_provenance: Provenance | None = None,
    /,
    **params: object,
) -> Reason:
    """Build a reason: citation from the law pack, sentences in every language (none within
    `sentences(False)`). Its provenance is the rule's, or `fact_provenance` when the reason rests on a
    particular fact (a list entry, a tag)."""
    key = tuple(sorted((name, encode_param(value)) for name, value in params.items()))
    return _reason(law, code, rule_id, fact_provenance, key, _SENTENCES.get())


@lru_cache(maxsize=65_536)
def _reason(
    law: Law,
    code: ReasonCode | str,
    rule_id: str,
    fact_provenance: Provenance | None,
    params: tuple[tuple[str, str], ...],
    rendered: bool,
) -> Reason:
    rule_text = law.pack.rules[rule_id]
    text_params = dict(params)
    if rendered:
        sentence_params = law_words(law) | text_params
        texts = {language: render(code, language, sentence_params, law) for language in LANGUAGES}
    else:
        texts = {}
    return Reason(
        code=str(code),
        rule=rule_id,
        cites=rule_text.cites,
        text=texts.get("en", ""),
        texts=texts,
        provenance=fact_provenance or rule_text.provenance,
        params=text_params,
    )


def article_ref(article: int | str, part: int | str | None) -> str:
    """'272(2)' for article 272 part 2, or '188' when no part is given (the same in every language)."""
    return f"{article}({part})" if part is not None else str(article)
