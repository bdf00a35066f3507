"""The rule registry: each rule function names the rule ID of LAW.md and the article it implements.

`@implements("S1", "Law 152-VII, art. 1")` records the function under its rule ID, so a test can
check that every rule of LAW.md has exactly one function and that code and law pack cite the same
article. `Finding` is a rule's tri-state answer with the reasons that led to it. `reason` builds a
reason with its sentences in every language, except within `sentences(False)` (a compact bulk run,
which writes codes, citations and facts only), where the sentences are left empty, as the decision
model allows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ParamSpec, TypeVar

from amnesty.domain.decision import Reason
from amnesty.domain.enums import Provenance, Tri
from amnesty.engine.codes import ReasonCode
from amnesty.engine.messages import LANGUAGES, encode_param, law_words, render
from amnesty.law.loader import Law

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class RuleInfo:
    """A rule's identity: its ID in LAW.md, the article it cites and the function implementing it."""

    rule_id: str
    cites: str
    function: Callable[..., Any]


RULES: dict[str, RuleInfo] = {}


def implements(rule_id: str, cites: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Register a function as the implementation of rule `rule_id`, citing `cites`."""

    def register(function: Callable[P, R]) -> Callable[P, R]:
        if rule_id in RULES:
            raise RuntimeError(f"rule {rule_id} implemented twice")
        RULES[rule_id] = RuleInfo(rule_id, cites, function)
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


def reason(
    law: Law, code: ReasonCode, rule_id: str, fact_provenance: Provenance | None = None, /, **params: object
) -> Reason:
    """Build a reason: citation from the law pack, sentences in every language (none within
    `sentences(False)`). Its provenance is the rule's, or `fact_provenance` when the reason rests on a
    particular fact (a list entry, a tag)."""
    key = tuple(sorted((name, encode_param(value)) for name, value in params.items()))
    return _reason(law, code, rule_id, fact_provenance, key, _SENTENCES.get())


@lru_cache(maxsize=65_536)
def _reason(
    law: Law,
    code: ReasonCode,
    rule_id: str,
    fact_provenance: Provenance | None,
    params: tuple[tuple[str, str], ...],
    rendered: bool,
) -> Reason:
    rule_text = law.pack.rules[rule_id]
    text_params = dict(params)
    if rendered:
        sentence_params = law_words(law) | text_params
        texts = {language: render(code, language, sentence_params) for language in LANGUAGES}
    else:
        texts = {}
    return Reason(
        code=code.value,
        rule=rule_id,
        cites=rule_text.cites,
        text=texts.get("en", ""),
        texts=texts,
        provenance=fact_provenance or rule_text.provenance,
        params=text_params,
    )


def article_ref(article: int, part: int | None) -> str:
    """'272(2)' for article 272 part 2, or '188' when no part is given (the same in every language)."""
    return f"{article}({part})" if part is not None else str(article)
