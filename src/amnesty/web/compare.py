"""Two decisions side by side (what-if): each aspect in words, with the ones that differ marked."""

from __future__ import annotations

from dataclasses import dataclass

from amnesty.domain.decision import Decision, TermOut
from amnesty.engine.messages import describe_term
from amnesty.law.registry import get_law
from amnesty.render.citations import article_words
from amnesty.render.decisions import headline, reason_text
from amnesty.render.formats import format_date
from amnesty.web.i18n import gettext
from amnesty.web.labels import N_, label


@dataclass(frozen=True)
class Line:
    """One aspect of the decision before and after the edit."""

    name: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        """Whether the edit changed this aspect."""
        return self.before != self.after


@dataclass(frozen=True)
class Comparison:
    """The stored decision and the what-if decision."""

    before_headline: str
    after_headline: str
    lines: tuple[Line, ...]
    before: Decision
    after: Decision

    @property
    def changed_count(self) -> int:
        """How many aspects differ."""
        return sum(1 for line in self.lines if line.changed)


def _term(term: TermOut | None, language: str) -> str:
    return describe_term(term.years, term.months, term.days, language) if term else "—"


def _aspects(decision: Decision, language: str) -> dict[str, str]:
    sentence = decision.sentence
    charges = "; ".join(
        article_words(charge.article, charge.part, language)
        + " — "
        + (
            gettext("covered")
            if charge.covered
            else gettext("not covered")
            if charge.covered is False
            else gettext("uncertain")
        )
        for charge in decision.charges
    )
    return {
        N_("The law"): str(getattr(get_law(decision.law).pack.title, language)),
        N_("Outcome"): label("outcome", decision.outcome),
        N_("Who acts"): label("acting_body", decision.acting_body),
        N_("Original term"): _term(sentence.original_term if sentence else None, language),
        N_("New term"): _term(sentence.new_term if sentence else None, language),
        N_("New end date"): format_date(sentence.new_end_date, language)
        if sentence and sentence.new_end_date
        else "—",
        N_("Release"): label("release", sentence.release) if sentence and sentence.release else "—",
        N_("Charges"): charges,
        N_("Reasons"): " ".join(
            dict.fromkeys(reason_text(r, language, get_law(decision.law)) for r in decision.reasons)
        )
        or "—",
        N_("Flags"): ", ".join(label("flag", f).split(":")[0] for f in decision.flags) or "—",
    }


def compare_decisions(before: Decision, after: Decision, language: str) -> Comparison:
    """Side-by-side comparison in the given language."""
    old, new = _aspects(before, language), _aspects(after, language)
    lines = tuple(Line(gettext(name), old[name], new[name]) for name in old)
    return Comparison(headline(before, language), headline(after, language), lines, before, after)
