"""A law's order of application as labelled defaults, resolved by the default logic of Catala.

A law declares its order in its pack (`order`: stages of labels; schema `OrderStage` and `OrderLabel`,
checked at load by `order_problems`, cycles of `overrides` included). Each label names the rule whose
answer says whether it applies (yes, no, unknown) and what it yields when it does: an outcome, the
rule's own outcome (`rule`), or nothing (a label that marks the decision and decides nothing). The law's
rules answer (`RuleAnswer`); `resolve` says what wins:

- Stages are applied in their order: the first stage with an applicable label decides, and the rules
  of the later stages are not asked. The position of a stage is the rank of its labels.
- Within a stage an exception beats the labels it `overrides` (directly, or through an exception to the
  exception). The applicable labels no other applicable label beats win; when they yield different
  outcomes the law does not say which holds: `needs_review` with `RULE_CONFLICT`, never a silent pick.
- An exception whose answer is unknown could defeat what it overrides: a winner it overrides cannot
  win, and the decision is `needs_review` on that exception's reasons. An unknown label of the winners'
  own stage that no winner overrides and that would yield another outcome blocks it likewise. An unknown
  label of an earlier stage that does not override the winner does not block it: the law's order says
  the winner holds whatever that label answers (declare `overrides` where it must block).
- When no label applies: with some label unknown, `needs_review` on their reasons; with none,
  `needs_review` with `NO_RULE_APPLIES`.

The codes `RULE_CONFLICT` and `NO_RULE_APPLIES` belong to no law: their sentences are the generic ones
of `amnesty.engine.messages` (`ORDER_MESSAGES`), and `UNSETTLED_TEXTS` says why no fact settles them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from amnesty.domain.decision import Reason
from amnesty.domain.enums import Outcome, Tri
from amnesty.law.loader import Law
from amnesty.law.schema import OrderLabel, OrderStage


class OrderCode(StrEnum):
    """The reasons the resolver itself gives (the law's order does not settle the case)."""

    RULE_CONFLICT = "RULE_CONFLICT"
    NO_RULE_APPLIES = "NO_RULE_APPLIES"


UNSETTLED_TEXTS: dict[str, dict[str, str]] = {
    OrderCode.RULE_CONFLICT: {
        "en": "Two rules of the same rank apply and lead to different outcomes, and the law's order does "
        "not say which prevails: a question of law for the reviewer, not a fact of the record.",
        "ru": "Применяются два правила одного ранга с разными последствиями, и порядок применения закона не "
        "говорит, какое из них имеет приоритет: это вопрос права для проверяющего, а не сведение записи.",
        "kk": "Бір деңгейдегі екі ереже қолданылады және әртүрлі нәтижеге әкеледі, ал заңның қолданылу "
        "тәртібі қайсысы басым екенін айтпайды: бұл жазбаның мәліметі емес, тексеруші шешетін құқық мәселесі.",
    },
    OrderCode.NO_RULE_APPLIES: {
        "en": "No rule of the law's order of application applies to this case: a question of law for the "
        "reviewer, not a fact of the record.",
        "ru": "Ни одно правило порядка применения закона к этому делу не применяется: это вопрос права для "
        "проверяющего, а не сведение записи.",
        "kk": "Заңның қолданылу тәртібінің бірде-бір ережесі бұл іске қолданылмайды: бұл жазбаның мәліметі "
        "емес, тексеруші шешетін құқық мәселесі.",
    },
}
"""Why no fact of the record settles the resolver's own reasons (a `needs_review` decision names them)."""


class OrderError(RuntimeError):
    """A law's rules do not answer a label of its order (a fault of the law's package, not of a case)."""


@dataclass(frozen=True)
class RuleAnswer:
    """A rule's answer for a label: whether it applies, with its reasons; `outcome` for a label that
    yields the rule's own outcome (`outcome: rule` in the pack)."""

    answer: Tri
    reasons: tuple[Reason, ...] = ()
    outcome: Outcome | None = None
    provisional: bool = False


NOT_APPLICABLE = RuleAnswer(Tri.NO)
"""The answer of a rule that does not apply."""


class Settled(StrEnum):
    """How the order settled a case."""

    WINS = "wins"  # one outcome wins
    UNKNOWN = "unknown"  # an unknown answer could change the outcome
    CONFLICT = "conflict"  # applicable labels of the same rank disagree
    NO_RULE = "no_rule"  # no label applies


@dataclass(frozen=True)
class Resolution:
    """What the order gives: how it settled, the outcome (`needs_review` unless a label wins), the
    labels that settled it (the winners; the unknown labels that block; the labels in conflict), the
    stage where it settled, the marks (applicable labels that yield nothing) and every answer asked."""

    settled: Settled
    outcome: Outcome
    labels: tuple[str, ...]
    stage: str | None
    marks: tuple[str, ...] = ()
    answers: Mapping[str, RuleAnswer] = field(default_factory=dict)

    def reasons(self) -> tuple[Reason, ...]:
        """The reasons of the labels that settled it, in the order's order."""
        return tuple(r for label in self.labels for r in self.answers[label].reasons)


@dataclass(frozen=True)
class Order:
    """A law's order compiled for resolution: the stages, each label by name with its rank, and what each
    label beats (the closure of `overrides`, stages expanded to their labels), and from each stage on the
    labels that yield an outcome."""

    stages: tuple[OrderStage, ...]
    labels: Mapping[str, OrderLabel]
    rank: Mapping[str, int]
    beats: Mapping[str, frozenset[str]]
    deciding_from: tuple[tuple[str, ...], ...] = ()

    def stage_labels(self, stage: str) -> tuple[str, ...]:
        """The names of a stage's labels."""
        return next(tuple(label.label for label in s.labels) for s in self.stages if s.stage == stage)


def compile_order(stages: tuple[OrderStage, ...]) -> Order:
    """The order of `stages` (validated by the schema: no cycle, no unknown name)."""
    members: dict[str, tuple[str, ...]] = {}
    labels: dict[str, OrderLabel] = {}
    rank: dict[str, int] = {}
    for position, stage in enumerate(stages):
        members[stage.stage] = tuple(label.label for label in stage.labels)
        for label in stage.labels:
            members[label.label] = (label.label,)
            labels[label.label] = label
            rank[label.label] = position
    direct = {
        name: {target for over in label.overrides for target in members[over]}
        for name, label in labels.items()
    }
    beats: dict[str, frozenset[str]] = {}
    for name in labels:
        seen: set[str] = set()
        todo = list(direct[name])
        while todo:
            target = todo.pop()
            if target not in seen:
                seen.add(target)
                todo.extend(direct[target])
        beats[name] = frozenset(seen - {name})
    deciding = [label.label for stage in stages for label in stage.labels if label.outcome is not None]
    deciding_from = tuple(
        tuple(name for name in deciding if rank[name] >= position) for position in range(len(stages))
    )
    return Order(stages, labels, rank, beats, deciding_from)


@lru_cache(maxsize=64)
def law_order(law: Law) -> Order:
    """The compiled order of a law's pack (empty for a law that declares none)."""
    return compile_order(law.pack.order)


def _yields(order: Order, name: str, answer: RuleAnswer) -> Outcome:
    declared = order.labels[name].outcome
    if declared == "rule":
        if answer.outcome is None:
            raise OrderError(f"label `{name}` yields its rule's outcome, and the rule gave none")
        return answer.outcome
    assert isinstance(declared, Outcome)
    return declared


def resolve(order: Order, answers: Mapping[str, Callable[[], RuleAnswer]]) -> Resolution:
    """What wins under `order`, asking the rules' answers (`answers`, by label) stage by stage as needed
    (see the module doc)."""
    asked: dict[str, RuleAnswer] = {}
    unknown: list[str] = []
    marks: list[str] = []
    for position, stage in enumerate(order.stages):
        deciding = order.deciding_from[position]  # the labels that could still decide
        if unknown and deciding and all(any(name in order.beats[u] for u in unknown) for name in deciding):
            # every label that could still decide waits on an unknown exception: no need to ask further
            blockers = [u for u in unknown if any(name in order.beats[u] for name in deciding)]
            return Resolution(
                Settled.UNKNOWN, Outcome.NEEDS_REVIEW, tuple(blockers), stage.stage, tuple(marks), asked
            )
        applicable: list[str] = []
        for label in stage.labels:
            provider = answers.get(label.label)
            if provider is None:
                raise OrderError(f"the rules give no answer for label `{label.label}` of the order")
            answer = asked[label.label] = provider()
            if answer.answer is Tri.YES:
                (applicable if label.outcome is not None else marks).append(label.label)
            elif answer.answer is Tri.UNKNOWN and label.outcome is not None:
                unknown.append(label.label)
        if applicable:
            return _settle(order, stage, position, applicable, unknown, asked, tuple(marks))
    if unknown:
        return Resolution(Settled.UNKNOWN, Outcome.NEEDS_REVIEW, tuple(unknown), None, tuple(marks), asked)
    return Resolution(Settled.NO_RULE, Outcome.NEEDS_REVIEW, (), None, tuple(marks), asked)


def _settle(
    order: Order,
    stage: OrderStage,
    position: int,
    applicable: list[str],
    unknown: list[str],
    asked: dict[str, RuleAnswer],
    marks: tuple[str, ...],
) -> Resolution:
    """The winners among a stage's applicable labels, unless they disagree or an unknown answer blocks."""
    winners = [w for w in applicable if not any(w in order.beats[other] for other in applicable)]
    outcomes = {_yields(order, w, asked[w]) for w in winners}
    if len(outcomes) > 1:
        return Resolution(Settled.CONFLICT, Outcome.NEEDS_REVIEW, tuple(winners), stage.stage, marks, asked)
    outcome = outcomes.pop()

    def blocks(name: str) -> bool:
        if any(w in order.beats[name] for w in winners):
            return True
        if order.rank[name] != position or any(name in order.beats[w] for w in winners):
            return False
        declared = order.labels[name].outcome
        return declared == "rule" or declared != outcome

    blocking = tuple(name for name in unknown if blocks(name))
    if blocking:
        return Resolution(Settled.UNKNOWN, Outcome.NEEDS_REVIEW, blocking, stage.stage, marks, asked)
    return Resolution(Settled.WINS, outcome, tuple(winners), stage.stage, marks, asked)


def conflict_reason_params(order: Order, resolution: Resolution) -> dict[str, str]:
    """The parameters of a `RULE_CONFLICT` reason: the rules of the labels in conflict ("R2, R5"; rule IDs
    read the same in every language, a label's name would not)."""
    rules = dict.fromkeys(order.labels[name].rule for name in resolution.labels)
    return {"rules": ", ".join(rules)}
