"""Rule C1: the category of a charge by the Criminal Code (art. 10 and 11), from the catalogue's facts.

The catalogue records what the Code's text says of a part (the kinds of punishment, the longest
imprisonment, life imprisonment, intentional or negligent), never the category itself: `category_of`
derives it. A charge without a recorded category takes the Code's (`CATEGORY_FROM_CATALOGUE`); a recorded
category that contradicts the Code's is a conflict for a lawyer (`CATEGORY_CONFLICT`, both values shown).
Where the Code's text may have changed since January 2022, the charge says so (`CODE_EDITION_MAY_DIFFER`)
and a category taken from it makes the decision provisional.
"""

from __future__ import annotations

from dataclasses import dataclass

from amnesty.domain.decision import Reason
from amnesty.domain.enums import Category, Guilt, Provenance, Punishment
from amnesty.domain.records import Charge
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.family import SHARED
from amnesty.engine.messages import word
from amnesty.engine.rules import article_ref, implements, reason
from amnesty.law.loader import Law
from amnesty.law.schema import CatalogueEntry, Sanction

CHARGE_CATEGORY_READS = ("charges[].article", "charges[].part", "charges[].category")
"""C1 as applied to a charge (`charge_category`): the Code's category of its article and part, checked
against the category recorded on it. (`category_of` itself reads the catalogue's sanction only.)"""

_SMALL_INTENTIONAL, _SMALL_NEGLIGENT, _MEDIUM_INTENTIONAL, _GRAVE = 2, 5, 5, 12


@implements("C1", "Criminal Code art. 10, 11", engine=SHARED, reads=CHARGE_CATEGORY_READS)
def category_of(sanction: Sanction) -> Category | None:
    """C1: the category a sanction gives. Art. 10: an offence punishable without imprisonment and without
    restriction of freedom is a criminal misdemeanour when its sanction has arrest (a punishment only for
    misdemeanours), or when the entry records it as one (`offence_form`, read from the Code's limits on the
    size of the fine); restriction of freedom without imprisonment is a crime of small gravity. Art. 11, by
    the longest imprisonment: intentional up to 2 years small, up to 5 medium, up to 12 grave, over 12 or
    life especially grave; negligent up to 5 years small, over 5 medium. None when the facts do not settle it.
    """
    if Punishment.IMPRISONMENT not in sanction.kinds:
        if Punishment.RESTRICTION_OF_FREEDOM in sanction.kinds or sanction.offence_form == "crime":
            return Category.SMALL
        if Punishment.ARREST in sanction.kinds or sanction.offence_form == "misdemeanour":
            return Category.MISDEMEANOUR
        return None
    years = sanction.max_years or 0
    if sanction.guilt is Guilt.NEGLIGENT:
        return Category.SMALL if years <= _SMALL_NEGLIGENT and not sanction.life else Category.MEDIUM
    if sanction.life or years > _GRAVE:
        return Category.ESPECIALLY_GRAVE
    if years > _MEDIUM_INTENTIONAL:
        return Category.GRAVE
    return Category.MEDIUM if years > _SMALL_INTENTIONAL else Category.SMALL


def _code_facts(
    law: Law, article: int | str, part: int | str | None
) -> tuple[Category | None, CatalogueEntry | None]:
    """The Code's category for an article and part, and the entry it rests on. A charge recorded without
    its part takes the article's category only when every part the catalogue knows gives the same one."""
    facts = law.facts(article, part)
    if facts.sanction is not None and facts.sanction_entry is not None:
        return category_of(facts.sanction), facts.sanction_entry
    if part is not None:
        return None, None
    found = [
        (category_of(entry.sanction), entry)
        for _, entries in law.catalogue_parts(article)
        for entry in entries
        if entry.sanction is not None
    ]
    categories = {category for category, _ in found}
    if len(categories) != 1 or None in categories:
        return None, None
    unsure = [entry for _, entry in found if entry.source is not None and entry.source.may_differ_2022]
    weakest = min(found, key=lambda item: _TRUST[item[1].provenance])[1]
    return found[0][0], unsure[0] if unsure else weakest


_TRUST = {
    Provenance.UNVERIFIED: 0,
    Provenance.ASSUMED: 1,
    Provenance.INFERRED: 2,
    Provenance.REPORTED: 3,
    Provenance.VERIFIED: 4,
}


def code_category(law: Law, article: int | str, part: int | str | None) -> Category | None:
    """The category the catalogue's facts give an article and part (None when they do not settle it)."""
    return _code_facts(law, article, part)[0]


@dataclass(frozen=True)
class ChargeCategory:
    """A charge's category, where it comes from, and what the decision must say about it."""

    category: Category | None
    source: str | None
    reasons: tuple[Reason, ...] = ()
    conflict: tuple[Reason, ...] = ()
    provisional: bool = False


def charge_category(charge: Charge, law: Law) -> ChargeCategory:
    """The category a charge is decided with: the record's, checked against the Code's; else the Code's.

    Where the catalogue's entry may differ from the edition in force in January 2022, the Code's current
    category can neither replace nor contradict a recorded one (the record was made under the law of the
    time): the record's stands, and the charge says the check could not be made."""
    code, entry = _code_facts(law, charge.article, charge.part)
    if code is None or entry is None:
        source = "record" if charge.category is not None else None
        return ChargeCategory(charge.category, source)
    ref = article_ref(charge.article, charge.part)
    edition: tuple[Reason, ...] = ()
    if entry.source is not None and entry.source.may_differ_2022:
        edition = (reason(law, C.CODE_EDITION_MAY_DIFFER, "C1", Provenance.UNVERIFIED, article_ref=ref),)
    if charge.category is None:
        taken = reason(
            law,
            C.CATEGORY_FROM_CATALOGUE,
            "C1",
            entry.provenance,
            category=word("category", code.value),
            article_ref=ref,
            provenance=word("provenance", entry.provenance.value),
        )
        unsure = entry.provenance in (Provenance.UNVERIFIED, Provenance.ASSUMED) or bool(edition)
        return ChargeCategory(code, "catalogue", (taken, *edition), provisional=unsure)
    if charge.category is code:
        return ChargeCategory(charge.category, "record")
    if edition:
        return ChargeCategory(charge.category, "record", edition)
    conflict = reason(
        law,
        C.CATEGORY_CONFLICT,
        "C1",
        entry.provenance,
        article_ref=ref,
        recorded=word("category", charge.category.value),
        code=word("category", code.value),
    )
    return ChargeCategory(charge.category, "record", conflict=(conflict,))


def catalogue_view(law: Law) -> list[dict[str, object]]:
    """The catalogue as rows for people (the law page, `amnesty law`): each entry's facts, the category
    rule C1 derives from them, its kinds with their conditions, and where and in which edition it was read."""
    rows: list[dict[str, object]] = []
    for entry in law.catalogue.entries:
        row: dict[str, object] = entry.model_dump(mode="json", exclude_none=True)
        category = category_of(entry.sanction) if entry.sanction is not None else None
        row["category"] = category.value if category is not None else None
        row["title"] = {lang: law.title(entry.article, entry.part, lang) for lang in ("ru", "kk", "en")}
        rows.append(row)
    return rows
