"""Citations as values, rendered in the reader's language.

The law pack and the decision's `cites` keep one canonical form ("Law 152-VII, art. 1",
"Law 152-VII; Criminal Code art. 272 part 1", "Law 152-VII (by inference)"): that string is the
machine value. `render_cites` reads it into `Citation`s and writes them as a lawyer of each language
would: "Закон № 152-VII, ст. 1", "УК РК, ст. 272 ч. 1"; "№ 152-VII Заң, 1-бап",
"ҚР ҚК 272-бабы 1-бөлігі" (the Kazakh forms of adilet.zan.kz: "19-бабы 1-бөлігі", "№ 94 ҚРЗ 2-бап").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from amnesty.render.formats import language_of


class Act(StrEnum):
    """The acts a citation can name."""

    LAW = "law"
    CRIMINAL_CODE = "criminal_code"
    PENAL_ENFORCEMENT_CODE = "penal_enforcement_code"


@dataclass(frozen=True)
class Citation:
    """One cited provision: an act, optionally an article and a part, and whether it is inferred."""

    act: Act
    number: str | None = None
    article: int | None = None
    part: int | None = None
    inferred: bool = False
    also: tuple[int, ...] = ()
    """Further articles cited together with `article` ("art. 10, 11")."""
    point: str | None = None
    """The paragraph (пункт, тармақ) of the article: "5", or "4-5" for two."""
    subpoint: str | None = None
    """The sub-paragraph (подпункт, тармақша) of the paragraph or, where it has none, of the article."""


_LAW = re.compile(
    r"^Law (?P<number>[0-9]+-[IVXLC]+)(?:,? art\. (?P<article>\d+)(?: part (?P<part>\d+))?"
    r"(?: p\. (?P<point>\d+(?:-\d+)?))?(?: sp\. (?P<sub>\d+))?)?"
    r"(?P<inferred> \(by inference\))?$"
)
_PENAL_ENFORCEMENT = re.compile(r"^Penal Enforcement Code,? art\. (?P<article>\d+)$")
_CODE = re.compile(
    r"^Criminal Code,? art\. (?P<article>\d+)(?P<also>(?:, \d+)*)(?:,? part (?P<part>\d+))?"
    r"(?P<inferred> \(by inference\))?$"
)


def parse_citation(text: str) -> Citation | None:
    """One segment of a `cites` string as a `Citation`, or None when it is not in the canonical form."""
    text = text.strip()
    law = _LAW.match(text)
    if law is not None:
        return Citation(
            Act.LAW,
            law["number"],
            int(law["article"]) if law["article"] else None,
            int(law["part"]) if law["part"] else None,
            bool(law["inferred"]),
            point=law["point"],
            subpoint=law["sub"],
        )
    enforcement = _PENAL_ENFORCEMENT.match(text)
    if enforcement is not None:
        return Citation(Act.PENAL_ENFORCEMENT_CODE, article=int(enforcement["article"]))
    code = _CODE.match(text)
    if code is not None:
        return Citation(
            Act.CRIMINAL_CODE,
            None,
            int(code["article"]),
            int(code["part"]) if code["part"] else None,
            bool(code["inferred"]),
            tuple(int(number) for number in re.findall(r"\d+", code["also"] or "")),
        )
    return None


_INFERRED = {"en": " (by inference)", "ru": " (по выводу из текста)", "kk": " (мәтіннен тұжырым бойынша)"}


def article_number(article: int | str, part: int | str | None, language: str) -> str:
    """An article's number with its part, for a sentence that says "Art." / "ст." before it:
    '272 part 2', '272 ч. 2' (Kazakh sentences put the part in their own case, see `article_words`)."""
    language = language_of(language)
    if not part:
        return str(article)
    return f"{article} ч. {part}" if language == "ru" else f"{article} part {part}"


def article_words(article: int | str, part: int | str | None, language: str) -> str:
    """An article of the Criminal Code with its part, as the citations write it: 'art. 272 part 2',
    'ст. 272 ч. 2', '272-бабы 2-бөлігі' (a charges table, a sentence that names the code already)."""
    language = language_of(language)
    if language == "kk":
        return f"{article}-бабы" + (f" {part}-бөлігі" if part else "")
    return ("ст. " if language == "ru" else "art. ") + article_number(article, part, language)


def render_citation(citation: Citation, language: str) -> str:
    """A citation as written in `language`."""
    language = language_of(language)
    article, part = citation.article, citation.part
    if citation.also:
        articles = ", ".join(str(number) for number in (article, *citation.also))
        many = {"ru": f"УК РК, ст. {articles}", "kk": f"ҚР ҚК {articles}-баптары"}
        text = many.get(language, f"Criminal Code art. {articles}")
        return text + (_INFERRED[language] if citation.inferred else "")
    if citation.act is Act.PENAL_ENFORCEMENT_CODE:
        return {"ru": f"УИК РК, ст. {article}", "kk": f"ҚР ҚАК {article}-бабы"}.get(
            language, f"Penal Enforcement Code art. {article}"
        )
    if citation.act is Act.LAW and article and (citation.point or citation.subpoint):
        return _law_paragraph(citation, language) + (_INFERRED[language] if citation.inferred else "")
    if citation.act is Act.LAW:
        if language == "ru":
            text = f"Закон № {citation.number}" + (f", ст. {article}" if article else "")
            text += f" ч. {part}" if article and part else ""
        elif language == "kk":
            text = f"№ {citation.number} Заң" + (f", {article}-бап" if article else "")
            text = f"№ {citation.number} Заң, {article}-бабы {part}-бөлігі" if article and part else text
        else:
            text = f"Law {citation.number}" + (f", art. {article}" if article else "")
            text += f" part {part}" if article and part else ""
    else:
        code = {"ru": "УК РК, ", "kk": "ҚР ҚК "}.get(language, "Criminal Code ")
        text = code + article_words(article or 0, part, language)
    return text + (_INFERRED[language] if citation.inferred else "")


def _law_paragraph(citation: Citation, language: str) -> str:
    """A law's article with its paragraph and sub-paragraph: "Law 81-VII, art. 2 p. 1 sp. 2", "Закон №
    81-VII, подп. 2 п. 1 ст. 2", "№ 81-VII Заң, 2-бабының 1-тармағының 2-тармақшасы"."""
    article, point, sub = citation.article, citation.point, citation.subpoint
    if language == "ru":
        pieces = [f"подп. {sub}" if sub else "", f"п. {point}" if point else "", f"ст. {article}"]
        return f"Закон № {citation.number}, " + " ".join(piece for piece in pieces if piece)
    if language == "kk":
        text = f"№ {citation.number} Заң, {article}-бабының "
        if point and sub:
            return text + f"{point}-тармағының {sub}-тармақшасы"
        if point:
            return text + (f"{point}-тармақтары" if "-" in point else f"{point}-тармағы")
        return text + f"{sub}-тармақшасы"
    pieces = [f"art. {article}", f"p. {point}" if point else "", f"sp. {sub}" if sub else ""]
    return f"Law {citation.number}, " + " ".join(piece for piece in pieces if piece)


@lru_cache(maxsize=1_024)
def render_cites(cites: str, language: str) -> str:
    """A `cites` string ("Law 152-VII; Criminal Code art. 175") in `language`; segments that are not in
    the canonical form are kept as written."""
    segments = [segment for segment in cites.split(";") if segment.strip()]
    rendered = []
    for segment in segments:
        citation = parse_citation(segment)
        rendered.append(render_citation(citation, language) if citation is not None else segment.strip())
    return "; ".join(rendered)
