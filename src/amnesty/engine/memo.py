"""Memoising a rule on the facts it declares it reads (`implements(..., reads=...)`), for bulk runs.

A rule's answer depends on the facts of the record it declares (and on the law, the mode and its other
arguments) only: the property tests of `tests/engine/test_rule_reads*.py` check every rule against its
declaration. So two persons whose records agree on those facts get the same answer, and within a
`memoised()` block a rule wrapped by `by_reads` is computed once per distinct projection of its input
onto its reads and reused for the next person with the same projection. Outside such a block (the web,
the API, the plain bulk path) the wrapper calls the rule as it is. A test decides random records with
and without the memo and compares the decisions.

The key is derived from the declaration, never written by hand: a record-level rule is keyed on each
declared top-level field, on the declared fields of the sentence (None without one) and on the declared
fields of each charge in order; a charge-level rule (one whose first argument is a `Charge`) on the
charge's declared fields. The law (by identity), the other arguments and whether reasons carry their
sentences (`rules.rendering`) complete the key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from operator import attrgetter
from typing import Any, TypeVar, cast

from amnesty.domain.records import CaseRecord, Charge
from amnesty.engine.rules import rendering, rules_of

F = TypeVar("F", bound=Callable[..., Any])
MAX_ENTRIES = 100_000
"""Entries kept per rule and law before its cache starts again (bounded memory on any input)."""

_CACHES: ContextVar[dict[tuple[str, int], tuple[object, dict[Any, Any]]] | None] = ContextVar(
    "amnesty_rule_memo", default=None
)


@contextmanager
def memoised(enabled: bool = True) -> Iterator[None]:
    """Within the block, rules wrapped by `by_reads` reuse their answers for equal projections (the
    caches live as long as the outermost block); `enabled` False: within it, every rule is computed."""
    caches = _CACHES.get()
    token = _CACHES.set(None if not enabled else {} if caches is None else caches)
    try:
        yield
    finally:
        _CACHES.reset(token)


class Projection:
    """The part of a record (or of one charge) a set of declared reads names, as a hashable value."""

    def __init__(self, reads: Iterable[str]) -> None:
        top: set[str] = set()
        sentence: set[str] = set()
        charge: set[str] = set()
        for path in reads:
            head, _, rest = path.partition(".")
            if head == "charges[]":
                charge.add(rest.split(".", 1)[0])
            elif head == "sentence" and rest:
                sentence.add(rest.split(".", 1)[0])
            else:
                top.add(head)
        self.top = _getter(top)
        self.sentence = _getter(sentence)
        self.charge = _getter(charge)

    def of_charge(self, charge: Charge) -> Any:
        """The declared facts of one charge."""
        return None if self.charge is None else self.charge(charge)

    def of_record(self, record: CaseRecord) -> tuple[Any, Any, Any]:
        """The declared facts of a record: its fields, its sentence's (None without a sentence), each
        of its charges' in order."""
        sentence = record.sentence
        return (
            None if self.top is None else self.top(record),
            None if self.sentence is None or sentence is None else (self.sentence(sentence),),
            None if self.charge is None else tuple(map(self.charge, record.charges)),
        )


def _getter(names: set[str]) -> Callable[[Any], Any] | None:
    """The named attributes of an object (a tuple for several, the value for one); None for none."""
    return attrgetter(*sorted(names)) if names else None


def by_reads(function: F, reads: Iterable[str], name: str | None = None) -> F:
    """`function` (a rule, or a composition of rules, whose first argument is a record or a charge and
    whose second is the law) memoised within `memoised()` on the projection of its first argument onto
    `reads`; its other arguments must be hashable."""
    projection = Projection(reads)
    label = name or f"{function.__module__}.{function.__qualname__}"

    @wraps(function)
    def memo(subject: Any, law: Any, *args: Any) -> Any:
        caches = _CACHES.get()
        if caches is None:
            return function(subject, law, *args)
        entry = caches.get((label, id(law)))
        if entry is None or len(entry[1]) >= MAX_ENTRIES:
            entry = (law, {})  # the law is held so that its id is not reused while the cache lives
            caches[(label, id(law))] = entry
        facts = (
            projection.of_charge(subject) if isinstance(subject, Charge) else projection.of_record(subject)
        )
        key = (facts, args, rendering())
        found = entry[1].get(key, _MISSING)
        if found is _MISSING:
            found = function(subject, law, *args)
            entry[1][key] = found
        return found

    return cast(F, memo)


def rule_memo(engine: str, *rule_ids: str) -> Callable[[F], F]:
    """A decorator memoising a function on the union of the reads the rules `rule_ids` of `engine`
    declare (the rules it applies, its own or shared; each must be registered before)."""

    def wrap(function: F) -> F:
        rules = rules_of(engine)
        reads = frozenset[str]().union(*(rules[rule_id].reads for rule_id in rule_ids))
        return by_reads(function, reads)

    return wrap


_MISSING = object()
