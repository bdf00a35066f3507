"""Law 152-VII's scope rules S1-S4, per charge: is this charge one the law covers? (LAW.md section 2)."""

from __future__ import annotations

from amnesty.domain.enums import Context, Provenance, Tri
from amnesty.domain.records import Charge, number_order
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.messages import word
from amnesty.engine.rules import Finding, implements, reason
from amnesty.law.loader import Law
from amnesty.law.packs.kz_2022_152_vii.names import CITES, ENGINE


@implements(
    "S1",
    f"{CITES}, art. 1",
    engine=ENGINE,
    reads=("charges[].offence_date", "charges[].offence_end_date"),
)
def s1_offence_window(charge: Charge, law: Law) -> Finding:
    """S1: committed between 4 and 7 January 2022 inclusive; a continuing offence that runs past the
    window, or began before it and ran into it, is uncertain (`OFFENCE_SPANS_WINDOW`)."""
    window = law.window
    start, end = charge.offence_date, charge.offence_end_date
    overlaps = end is not None and start <= window.end and end >= window.start
    if not window.start <= start <= window.end and not overlaps:
        return Finding(Tri.NO, (reason(law, C.OUT_OF_WINDOW, "S1", date=start.isoformat()),))
    if end is not None and (start < window.start or end > window.end):
        return Finding(
            Tri.UNKNOWN,
            (reason(law, C.OFFENCE_SPANS_WINDOW, "S1", date=start.isoformat(), end_date=end.isoformat()),),
        )
    return Finding(Tri.YES)


@implements("S2", f"{CITES}, art. 1", engine=ENGINE, reads=("charges[].territory",))
def s2_territory(charge: Charge, law: Law) -> Finding:
    """S2: committed on the territory of the Republic of Kazakhstan."""
    if charge.territory in law.pack.scope.territories:
        return Finding(Tri.YES)
    return Finding(
        Tri.NO, (reason(law, C.OUTSIDE_TERRITORY, "S2", territory=word("country", charge.territory)),)
    )


@implements("S3", f"{CITES}, art. 1", engine=ENGINE, reads=("charges[].context",))
def s3_context(charge: Charge, law: Law) -> Finding:
    """S3: connected with the mass riots, or committed while suppressing them (officers included)."""
    if charge.context in law.pack.scope.contexts:
        return Finding(Tri.YES)
    if charge.context is Context.UNKNOWN:
        return Finding(Tri.UNKNOWN, (reason(law, C.CONTEXT_UNKNOWN, "S3"),))
    return Finding(Tri.NO, (reason(law, C.CONTEXT_UNRELATED, "S3"),))


@implements("S4", f"{CITES}, art. 1", engine=ENGINE, reads=("charges[].article", "charges[].part"))
def s4_listed_article(charge: Charge, law: Law, strict: bool) -> Finding:
    """S4: the article (and, where the law names parts, the part) is listed in Article 1.

    The published list is known through Article 207: an unlisted article above it is uncertain
    (`ARTICLE_LIST_INCOMPLETE`). Unverified candidates count as listed but make the decision
    provisional; in strict mode they are uncertain instead.
    """
    article, part = charge.article, charge.part
    known_through = law.article_list.known_through
    entry = law.list_by_article.get(article)
    if entry is None:
        if number_order(article) > (known_through, 0):
            return Finding(
                Tri.UNKNOWN,
                (reason(law, C.ARTICLE_LIST_INCOMPLETE, "S4", article=article, known_through=known_through),),
            )
        return Finding(Tri.NO, (reason(law, C.ARTICLE_NOT_LISTED, "S4", article=article),))
    if entry.parts != "all":
        parts = ", ".join(str(p) for p in entry.parts)
        if part is None:
            return Finding(Tri.UNKNOWN, (reason(law, C.PART_UNKNOWN, "S4", article=article, parts=parts),))
        if not entry.covers_part(part):
            return Finding(
                Tri.NO, (reason(law, C.PART_NOT_LISTED, "S4", article=article, parts=parts, part=part),)
            )
    if entry.provenance is Provenance.UNVERIFIED:
        caveat = reason(law, C.LIST_ENTRY_UNVERIFIED, "S4", Provenance.UNVERIFIED, article=article)
        return Finding(Tri.UNKNOWN if strict else Tri.YES, (caveat,), provisional=True)
    if entry.provenance is Provenance.INFERRED:
        return Finding(
            Tri.YES, (reason(law, C.LIST_ENTRY_INFERRED, "S4", Provenance.INFERRED, article=article),)
        )
    return Finding(Tri.YES)
