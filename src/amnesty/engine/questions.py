"""Guided questions: a `needs_review` decision that waits on a missing fact asks for exactly that fact.

One table, `CAUSES`, classifies every reason code of the engine:
- `Ask`: the reason comes from a missing or unknown fact of the record; the entry names the record
  field that settles it (`charges[].context`: the charge the reason is about) and the question's text
  in Russian, Kazakh and English;
- `CannotAsk`: the reason makes a decision `needs_review` but no fact of the record can settle it
  (the law's list after Art. 207, a question of law for the court); the entry says why, in each
  language;
- `NOT_A_CAUSE`: the reason never makes a decision `needs_review` by itself.

Everything else is derived, not written per case: the allowed answers are the values of the field's
type in the record model (an enum, a yes/no), and what each answer leads to is found by evaluating the
record with that answer put in. Questions are computed only for `needs_review` decisions.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import types
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from amnesty.domain.decision import Decision, Question, Reason, Unanswerable
from amnesty.domain.enums import AnswerKind, Category, Context, KindCondition, Outcome, Tag
from amnesty.domain.records import CaseRecord, Sentence, TermIn, number_order, parse_record
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.exclusions import condition_met
from amnesty.engine.messages import LANGUAGES, WORDS, with_article_ref
from amnesty.engine.rules import article_ref
from amnesty.law.loader import Law
from amnesty.render.formats import format_date

Texts = Mapping[str, str]
"""A sentence per language (en, ru, kk), with `{named}` parameters."""

Params = Mapping[str, str | Mapping[str, str]]
"""Parameters of a text: one value for every language, or a value per language."""


@dataclass(frozen=True)
class Situation:
    """What a locator sees: the record, its decision, the law, and the charge a reason is about."""

    record: CaseRecord
    decision: Decision
    law: Law
    charge: int | None


Locator = Callable[[Situation], Iterator[tuple[str, Params]]]
"""Yields the record fields a reason asks about, each with the parameters of the question's text."""


@dataclass(frozen=True)
class Ask:
    """A reason caused by a missing or unknown fact: the rules that give it, the field that settles it
    and the question (`other_fields`: the question for another field the reason may ask about, keyed by
    the field's last name: `part` when a category depends on the part)."""

    rules: tuple[str, ...]
    field: str
    text: Texts
    locate: Locator
    other_fields: Mapping[str, Texts] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class CannotAsk:
    """A reason that makes the decision `needs_review` though no fact of the record can settle it: the
    rules that give it, and why no fact settles it."""

    rules: tuple[str, ...]
    text: Texts
    strict_only: bool = False
    params: Callable[[Situation], Params] = dataclass_field(default=lambda situation: {})


NOT_A_CAUSE = None

_TAGGED_EXCLUSIONS = ("X1", "X2", "X3", "X4", "X5", "X6", "X7", "X8")

# ----------------------------------------------------------------------------------------------------
# Locators: which field (and which charge) a reason asks about.


def _this_charge(name: str, params: Callable[[Situation, int], Params]) -> Locator:
    """A charge-level reason asks about a field of the charge it is given on."""

    def locate(situation: Situation) -> Iterator[tuple[str, Params]]:
        if situation.charge is not None:
            yield f"charges[{situation.charge}].{name}", params(situation, situation.charge)

    return locate


def _context_params(situation: Situation, index: int) -> Params:
    charge = situation.record.charges[index]
    date = {language: format_date(charge.offence_date, language) for language in LANGUAGES}
    return {"article_ref": article_ref(charge.article, charge.part), "date": date}


def _listed_parts_params(situation: Situation, index: int) -> Params:
    charge = situation.record.charges[index]
    entry = situation.law.list_by_article.get(charge.article)
    parts = entry.parts if entry is not None and entry.parts != "all" else ()
    return {"article": str(charge.article), "parts": ", ".join(str(p) for p in parts)}


def _uncategorised_charges(situation: Situation) -> Iterator[tuple[str, Params]]:
    """MISSING_CATEGORY is given for the person; it asks about each charge with no category known: its
    part, when the record lacks it (the Code gives each part its category), and the category."""
    for index, result in enumerate(situation.decision.charges):
        if result.category is None:
            params = {"article_ref": article_ref(result.article, result.part), "article": str(result.article)}
            if situation.record.charges[index].part is None:
                yield f"charges[{index}].part", params
            yield f"charges[{index}].category", params


def _tag_words(tags: list[Tag]) -> dict[str, str]:
    return {language: ", ".join(WORDS["tag"][tag.value][language] for tag in tags) for language in LANGUAGES}


def _parts_carrying_excluded_kinds(situation: Situation) -> Iterator[tuple[str, Params]]:
    """EXCLUSION_PART_UNKNOWN is given for the person; it asks for the part of each charge whose article
    has parts of an excluded kind while the record gives no part."""
    law = situation.law
    for index, charge in enumerate(situation.record.charges):
        tags = [tag for tag in law.part_only_tags(charge.article) if tag not in charge.tags]
        if charge.part is not None or not tags:
            continue
        parts = sorted(
            (
                part
                for (_, part), entries in law.catalogue_parts(charge.article)
                if part is not None and any(tag in entry.tags for entry in entries for tag in tags)
            ),
            key=number_order,
        )
        yield (
            f"charges[{index}].part",
            {"article": str(charge.article), "parts": ", ".join(map(str, parts)), "kind": _tag_words(tags)},
        )


def _conditional_kinds(situation: Situation, condition: KindCondition) -> Iterator[tuple[int, list[Any]]]:
    """Each charge with kinds the Code conditions on `condition` that the record leaves unsettled."""
    law = situation.law
    for index, charge in enumerate(situation.record.charges):
        kinds = [
            kind
            for kind in law.facts(charge.article, charge.part).conditional
            if kind.condition is condition
            and kind.tag not in charge.tags
            and condition_met(kind, charge) is None
        ]
        if kinds:
            yield index, kinds


def _victims_age_unknown(situation: Situation) -> Iterator[tuple[str, Params]]:
    """EXCLUSION_VICTIM_AGE_UNKNOWN is given for the person; it asks, for each charge whose kind
    depends on it, whether the victim was a minor."""
    for index, kinds in _conditional_kinds(situation, KindCondition.VICTIM_MINOR):
        charge = situation.record.charges[index]
        tags = list(dict.fromkeys(kind.tag for kind in kinds))
        yield (
            f"charges[{index}].victim_minor",
            {"article_ref": article_ref(charge.article, charge.part), "kind": _tag_words(tags)},
        )


def _points_unknown(situation: Situation) -> Iterator[tuple[str, Params]]:
    """EXCLUSION_POINT_UNKNOWN is given for the person; it asks for the point of each charge whose kind
    depends on it."""
    for index, kinds in _conditional_kinds(situation, KindCondition.POINT):
        charge = situation.record.charges[index]
        tags = list(dict.fromkeys(kind.tag for kind in kinds))
        points = sorted({point for kind in kinds for point in kind.points})
        yield (
            f"charges[{index}].point",
            {
                "article_ref": article_ref(charge.article, charge.part),
                "points": ", ".join(map(str, points)),
                "kind": _tag_words(tags),
            },
        )


def _birth_date(situation: Situation) -> Iterator[tuple[str, Params]]:
    exclusion = situation.law.exclusion_by_tag.get(Tag.RIOT_ORGANISATION)
    under = exclusion.minor_exception_under if exclusion is not None else None
    yield "birth_date", {"under": str(under if under is not None else 18)}


def _missing_sentence_part(situation: Situation) -> Iterator[tuple[str, Params]]:
    """MISSING_SENTENCE asks for the first missing piece: the sentence, its term, or its start."""
    sentence = situation.record.sentence
    if sentence is None:
        yield "sentence", {}
    elif sentence.term is None:
        yield "sentence.term", {}
    elif sentence.start_date is None:
        yield "sentence.start_date", {}


def _article_of_charge(situation: Situation) -> Params:
    if situation.charge is None:
        return {"article": "?"}
    return {"article": str(situation.record.charges[situation.charge].article)}


def _known_through(situation: Situation) -> Params:
    return {
        **_article_of_charge(situation),
        "known_through": str(situation.law.article_list.known_through),
    }


# ----------------------------------------------------------------------------------------------------
# The table: every reason code of the engine, classified.

_NO_FACT = {
    "en": "No fact of the case record can settle this: ",
    "ru": "Это нельзя разрешить ни одним фактом из материалов дела: ",
    "kk": "Мұны іс материалдарындағы бірде-бір дерек шеше алмайды: ",
}


def _cannot(en: str, ru: str, kk: str) -> Texts:
    return {"en": _NO_FACT["en"] + en, "ru": _NO_FACT["ru"] + ru, "kk": _NO_FACT["kk"] + kk}


CAUSES: dict[C, Ask | CannotAsk | None] = {
    # Scope, per charge (S1-S4)
    C.IN_SCOPE: NOT_A_CAUSE,
    C.OUT_OF_WINDOW: NOT_A_CAUSE,
    C.OFFENCE_SPANS_WINDOW: CannotAsk(
        ("S1",),
        _cannot(
            "whether the law covers an offence that continued beyond 4-7 January 2022 is a question of law "
            "for a lawyer or the court.",
            "распространяется ли закон на деяние, длившееся за пределами 4-7 января 2022 года, — вопрос "
            "права для юриста или суда.",
            "2022 жылғы 4-7 қаңтардан тыс жалғасқан әрекетке заңның қолданылатыны — заңгер немесе сот "
            "шешетін құқық мәселесі.",
        ),
    ),
    C.OUTSIDE_TERRITORY: NOT_A_CAUSE,
    C.CONTEXT_UNRELATED: NOT_A_CAUSE,
    C.CONTEXT_UNKNOWN: Ask(
        ("S3",),
        "charges[].context",
        {
            "en": "Was the offence under Art. {article_ref} (committed on {date}) connected with the mass "
            "riots, or committed while suppressing them?",
            "ru": "Связано ли деяние по ст. {article_ref} (совершено {date}) с массовыми беспорядками "
            "либо совершено при их пресечении?",
            "kk": "{article_ref}-бап бойынша әрекет ({date} жасалған) жаппай тәртіпсіздіктерге байланысты "
            "ма, әлде оларды басу кезінде жасалды ма?",
        },
        _this_charge("context", _context_params),
    ),
    C.ARTICLE_NOT_LISTED: NOT_A_CAUSE,
    C.PART_NOT_LISTED: NOT_A_CAUSE,
    C.PART_UNKNOWN: Ask(
        ("S4",),
        "charges[].part",
        {
            "en": "Under which part of Art. {article} is the charge? The law lists only parts {parts}.",
            "ru": "По какой части ст. {article} предъявлено обвинение? Закон включает только части {parts}.",
            "kk": "Айып {article}-баптың қай бөлігі бойынша тағылған? Заң тек {parts} бөліктерін қамтиды.",
        },
        _this_charge("part", _listed_parts_params),
    ),
    C.ARTICLE_LIST_INCOMPLETE: CannotAsk(
        ("S4",),
        _cannot(
            "the law's list after Art. {known_through} was not available; a lawyer must check whether "
            "Art. {article} is in the published Article 1.",
            "перечень закона после ст. {known_through} недоступен; юрист должен проверить, входит ли "
            "ст. {article} в опубликованную статью 1.",
            "заң тізбесінің {known_through}-баптан кейінгі бөлігі қолжетімсіз; {article}-баптың "
            "жарияланған 1-бапқа енетінін заңгер тексеруі тиіс.",
        ),
        params=_known_through,
    ),
    C.LIST_ENTRY_INFERRED: NOT_A_CAUSE,
    C.LIST_ENTRY_UNVERIFIED: CannotAsk(
        ("S4",),
        _cannot(
            "whether Art. {article} is in the law's list is an unverified reading that a lawyer must "
            "check against the published text.",
            "включение ст. {article} в перечень закона не проверено; юрист должен сверить его с "
            "опубликованным текстом.",
            "{article}-баптың заң тізбесіне енуі тексерілмеген; заңгер оны жарияланған мәтінмен "
            "салыстыруы тиіс.",
        ),
        strict_only=True,
        params=_article_of_charge,
    ),
    C.CATEGORY_FROM_CATALOGUE: NOT_A_CAUSE,
    C.CODE_EDITION_MAY_DIFFER: NOT_A_CAUSE,  # makes a decision provisional, not needs_review
    C.CATEGORY_CONFLICT: CannotAsk(
        ("C1",),
        _cannot(
            "the category the record gives contradicts the Criminal Code's sanction for the part; a lawyer "
            "must check the verdict (the record is not missing a fact, its facts disagree).",
            "категория, указанная в деле, противоречит санкции Уголовного кодекса для этой части; юрист "
            "должен проверить приговор (в деле не недостаёт факта, его факты расходятся).",
            "істе көрсетілген санат бөліктің Қылмыстық кодекстегі санкциясына қайшы келеді; заңгер үкімді "
            "тексеруі тиіс (істе дерек жетіспейді емес, оның деректері бір-біріне сәйкес келмейді).",
        ),
    ),
    # Exclusions, per person (X1-X9)
    C.EXCLUDED_TERRORIST: NOT_A_CAUSE,
    C.EXCLUDED_EXTREMIST: NOT_A_CAUSE,
    C.EXCLUDED_CORRUPTION: NOT_A_CAUSE,
    C.EXCLUDED_TREASON: NOT_A_CAUSE,
    C.EXCLUDED_SEIZURE_OF_POWER: NOT_A_CAUSE,
    C.EXCLUDED_RIOT_ORGANISER: NOT_A_CAUSE,
    C.EXCLUDED_TORTURE: NOT_A_CAUSE,
    C.EXCLUDED_SEXUAL_OFFENCE_MINOR: NOT_A_CAUSE,
    C.EXCLUDED_RECIDIVISM: NOT_A_CAUSE,
    C.MINOR_ORGANISER_EXCEPTION: NOT_A_CAUSE,
    C.AGE_UNKNOWN: Ask(
        ("X6",),
        "birth_date",
        {
            "en": "What is the person's date of birth? A person under {under} on the day of the offence is "
            "not excluded as an organiser of the riots.",
            "ru": "Какова дата рождения лица? Лицо, не достигшее {under} лет на день деяния, не исключается "
            "из амнистии как организатор беспорядков.",
            "kk": "Адамның туған күні қандай? Әрекет жасалған күні {under} жасқа толмаған адам "
            "тәртіпсіздіктерді ұйымдастырушы ретінде рақымшылықтан шығарылмайды.",
        },
        _birth_date,
    ),
    C.EXCLUSION_TAG_UNVERIFIED: CannotAsk(
        _TAGGED_EXCLUSIONS,
        _cannot(
            "that a charge is of an excluded kind rests on an unverified catalogue entry that a lawyer "
            "must check against the Criminal Code.",
            "отнесение обвинения к исключённому виду основано на непроверенной записи каталога; юрист "
            "должен сверить её с Уголовным кодексом.",
            "айыптың алып тасталған түрге жатқызылуы каталогтың тексерілмеген жазбасына негізделген; "
            "заңгер оны Қылмыстық кодекспен салыстыруы тиіс.",
        ),
        strict_only=True,
    ),
    C.EXCLUSION_VICTIM_AGE_UNKNOWN: Ask(
        _TAGGED_EXCLUSIONS,
        "charges[].victim_minor",
        {
            "en": "Was the victim of the offence under Art. {article_ref} under 18? Against a minor it is "
            "{kind}, which the law excludes from the amnesty.",
            "ru": "Был ли потерпевший по ст. {article_ref} несовершеннолетним (до 18 лет)? В отношении "
            "несовершеннолетнего это {kind}, на что амнистия не распространяется.",
            "kk": "{article_ref}-бап бойынша жәбірленуші кәмелетке толмаған ба (18 жасқа дейін)? Кәмелетке "
            "толмағанға қатысты бұл — {kind}, оған рақымшылық қолданылмайды.",
        },
        _victims_age_unknown,
    ),
    C.EXCLUSION_POINT_UNKNOWN: Ask(
        _TAGGED_EXCLUSIONS,
        "charges[].point",
        {
            "en": "Under which point of the part is the charge under Art. {article_ref}? Under point "
            "{points} it is {kind}, which the law excludes from the amnesty.",
            "ru": "По какому пункту части предъявлено обвинение по ст. {article_ref}? По пункту {points} "
            "это {kind}, на что амнистия не распространяется.",
            "kk": "{article_ref}-бап бойынша айып бөліктің қай тармағы бойынша тағылған? {points}-тармақ "
            "бойынша бұл — {kind}, оған рақымшылық қолданылмайды.",
        },
        _points_unknown,
    ),
    C.EXCLUSION_PART_UNKNOWN: Ask(
        _TAGGED_EXCLUSIONS,
        "charges[].part",
        {
            "en": "Under which part of Art. {article} is the charge? Part {parts} is {kind}, which the law "
            "excludes from the amnesty.",
            "ru": "По какой части ст. {article} предъявлено обвинение? Часть {parts} — {kind}, на что "
            "амнистия не распространяется.",
            "kk": "Айып {article}-баптың қай бөлігі бойынша тағылған? {parts}-бөлік — {kind}, оған "
            "рақымшылық қолданылмайды.",
        },
        _parts_carrying_excluded_kinds,
    ),
    # Person-level coverage (M1)
    C.NOT_COVERED: NOT_A_CAUSE,
    C.PARTIAL_COVERAGE: CannotAsk(
        ("M1",),
        _cannot(
            "some charges are covered and others are not, so the court must set the sentence anew for "
            "the charges that remain.",
            "часть обвинений подпадает под амнистию, часть нет, поэтому суд должен заново назначить "
            "наказание по оставшимся обвинениям.",
            "айыптардың бір бөлігі рақымшылыққа жатады, бір бөлігі жатпайды, сондықтан сот қалған "
            "айыптар бойынша жазаны қайта тағайындауы тиіс.",
        ),
    ),
    C.COVERAGE_UNCERTAIN: NOT_A_CAUSE,  # a summary: its causes are the charges' own reasons
    C.AGGREGATE_BY_GRAVEST: NOT_A_CAUSE,
    C.MISSING_CATEGORY: Ask(
        ("M1",),
        "charges[].category",
        {
            "en": "What is the category of the offence under Art. {article_ref}, as the case gives it "
            "(Criminal Code art. 10-11)?",
            "ru": "Какова категория уголовного правонарушения по ст. {article_ref} согласно материалам дела "
            "(ст. 10-11 УК)?",
            "kk": "Іс материалдары бойынша {article_ref}-баптағы қылмыстық құқық бұзушылықтың санаты қандай "
            "(ҚК 10-11-баптары)?",
        },
        _uncategorised_charges,
        other_fields={
            "part": {
                "en": "Under which part of Art. {article} is the charge? The Criminal Code gives each part "
                "its own category.",
                "ru": "По какой части ст. {article} предъявлено обвинение? Уголовный кодекс определяет "
                "категорию для каждой части отдельно.",
                "kk": "Айып {article}-баптың қай бөлігі бойынша тағылған? Қылмыстық кодекс әр бөліктің "
                "санатын жеке белгілейді.",
            }
        },
    ),
    C.MISSING_SENTENCE: Ask(
        ("R4", "R5"),
        "sentence",
        {
            "en": "The sentence is incomplete: {what}",
            "ru": "Сведения о наказании неполны: {what}",
            "kk": "Жаза туралы мәліметтер толық емес: {what}",
        },
        _missing_sentence_part,
    ),
    # Relief (R1-R8)
    C.TERMINATE_CASE: NOT_A_CAUSE,
    C.RELEASE_FROM_PUNISHMENT: NOT_A_CAUSE,
    C.EXPUNGE_CONVICTION: NOT_A_CAUSE,
    C.ALREADY_EXPUNGED: NOT_A_CAUSE,
    C.REDUCE_GRAVE: NOT_A_CAUSE,
    C.REDUCE_ESPECIALLY_GRAVE: NOT_A_CAUSE,
    C.REDUCE_AT_SENTENCING: NOT_A_CAUSE,
    C.SENTENCING_CALCULATION: NOT_A_CAUSE,
    C.NO_EXPUNGEMENT_GRAVE: NOT_A_CAUSE,
    C.ONE_YEAR_RULE: NOT_A_CAUSE,
    C.ONE_YEAR_BOUNDARY: NOT_A_CAUSE,  # an interpretation flagged on a decided outcome
    C.REDUCED_TERM_SERVED: NOT_A_CAUSE,
    C.ENTRY_INTO_FORCE_ASSUMED: NOT_A_CAUSE,
    C.BEFORE_ENTRY_INTO_FORCE: NOT_A_CAUSE,
    # Non-custodial and other punishments (N1)
    C.NON_CUSTODIAL_GRAVE: CannotAsk(
        ("N1",),
        _cannot(
            "how the cut applies to a fine, correctional labour or community service for a grave crime is "
            "for the court to decide.",
            "порядок сокращения штрафа, исправительных или общественных работ за тяжкое преступление "
            "определяет суд.",
            "ауыр қылмыс үшін айыппұлды, түзеу немесе қоғамдық жұмыстарды қысқарту тәртібін сот белгілейді.",
        ),
    ),
    C.CONDITIONAL_SENTENCE_GRAVE: CannotAsk(
        ("N1",),
        _cannot(
            "how the cut applies to a suspended sentence for a grave crime is for the court to decide.",
            "порядок сокращения условного осуждения за тяжкое преступление определяет суд.",
            "ауыр қылмыс үшін шартты соттауды қысқарту тәртібін сот белгілейді.",
        ),
    ),
    C.ADDITIONAL_PUNISHMENT_UNCHANGED: NOT_A_CAUSE,
    # Resocialisation (T1)
    C.RESOCIALISATION_TASKS: NOT_A_CAUSE,
    C.REGION_UNKNOWN: NOT_A_CAUSE,
}
"""Every reason code: `Ask` (a fact of the record settles it), `CannotAsk` (no fact does), or
`NOT_A_CAUSE` (never a cause of `needs_review`). A test checks that no code is left out."""

# What MISSING_SENTENCE asks for, by the piece that is missing.
_SENTENCE_PIECES: dict[str, Texts] = {
    "sentence": {
        "en": "which punishment was imposed, for what term, and from which day does it run?",
        "ru": "какое наказание назначено, на какой срок и с какого дня он исчисляется?",
        "kk": "қандай жаза тағайындалды, қандай мерзімге және ол қай күннен бастап есептеледі?",
    },
    "sentence.term": {
        "en": "what is the term of the punishment imposed (years, months, days)?",
        "ru": "каков срок назначенного наказания (годы, месяцы, дни)?",
        "kk": "тағайындалған жазаның мерзімі қандай (жыл, ай, күн)?",
    },
    "sentence.start_date": {
        "en": "from which day does the term run (with detention already credited)?",
        "ru": "с какого дня исчисляется срок (с учётом зачтённого времени содержания под стражей)?",
        "kk": "мерзім қай күннен бастап есептеледі (қамауда ұсталған уақыт есепке алынып)?",
    },
}

_CONTEXT_OPTIONS: dict[str, Texts] = {
    Context.RIOT.value: {
        "en": "connected with the mass riots",
        "ru": "связано с массовыми беспорядками",
        "kk": "жаппай тәртіпсіздіктерге байланысты",
    },
    Context.SUPPRESSION.value: {
        "en": "committed while suppressing the riots",
        "ru": "совершено при пресечении беспорядков",
        "kk": "тәртіпсіздіктерді басу кезінде жасалған",
    },
    Context.UNRELATED.value: {
        "en": "not connected with the January 2022 events",
        "ru": "не связано с январскими событиями 2022 года",
        "kk": "2022 жылғы қаңтар оқиғаларына байланысы жоқ",
    },
}

_YES_NO: dict[str, Texts] = {
    "true": {"en": "yes", "ru": "да", "kk": "иә"},
    "false": {"en": "no", "ru": "нет", "kk": "жоқ"},
}


# ----------------------------------------------------------------------------------------------------
# Record paths: `charges[0].context`, `sentence.start_date`, `birth_date`.

_STEP = re.compile(r"([a-z_][a-z0-9_]*)(?:\[(\d+)\])?")


class FieldPathError(ValueError):
    """A path that names no field of the case record."""


def _steps(path: str) -> list[tuple[str, int | None]]:
    steps: list[tuple[str, int | None]] = []
    for piece in path.split("."):
        match = _STEP.fullmatch(piece)
        if match is None:
            raise FieldPathError(f"{path}: not a field path of the case record")
        steps.append((match[1], int(match[2]) if match[2] is not None else None))
    return steps


def _unwrap(annotation: Any) -> Any:
    """The type inside `X | None`, `Annotated[X, ...]` and `tuple[X, ...]`."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            inner = [arg for arg in get_args(annotation) if arg is not type(None)]
            annotation = inner[0]
        elif origin is tuple:
            annotation = get_args(annotation)[0]
        else:
            return annotation


def field_type(path: str) -> Any:
    """The type of the value at `path` in a case record (`charges[0].context` -> `Context`)."""
    model: Any = CaseRecord
    annotation: Any = None
    for name, _ in _steps(path):
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or name not in model.model_fields:
            raise FieldPathError(f"{path}: the case record has no field '{name}' there")
        annotation = _unwrap(model.model_fields[name].annotation)
        model = annotation
    return annotation


def answer_kind(path: str) -> AnswerKind:
    """How a value for `path` is given: a choice, a date, a whole number, a term or a whole sentence."""
    kind = field_type(path)
    if kind is bool or (isinstance(kind, type) and issubclass(kind, Enum)):
        return AnswerKind.CHOICE
    if kind is dt.date:
        return AnswerKind.DATE
    if kind is int:
        return AnswerKind.INTEGER
    if kind is TermIn:
        return AnswerKind.TERM
    if kind is Sentence:
        return AnswerKind.SENTENCE
    raise FieldPathError(f"{path}: no question can ask for a value of type {kind!r}")


def options_for(path: str) -> tuple[str | bool, ...] | None:
    """The allowed answers when the field's values are a closed set (an enum, yes/no), else None.
    The 'unknown' value of an enum is what the question replaces, so it is not an answer."""
    kind = field_type(path)
    if kind is bool:
        return (True, False)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return tuple(member.value for member in kind if member.value != "unknown")
    return None


_PART = re.compile(r"charges\[(\d+)\]\.(part|point)")


def telling_parts(record: CaseRecord, path: str, law: Law) -> tuple[int | str, ...] | None:
    """For a question on a charge's part or point (open values), the values whose outcome is worth
    showing: the article's parts the catalogue knows (with any the law's list names); where the catalogue
    knows none, the parts the list names and the next one up, standing for any other; for a point, the
    points a kind of offence names for the part and the next one up."""
    match = _PART.fullmatch(path)
    if match is None:
        return None
    charge = record.charges[int(match[1])]
    named: set[int | str] = set()
    if match[2] == "part":
        catalogued: set[int | str] = {
            part for (_, part), _ in law.catalogue_parts(charge.article) if part is not None
        }
        entry = law.list_by_article.get(charge.article)
        listed: set[int | str] = set(entry.parts) if entry is not None and entry.parts != "all" else set()
        if catalogued:  # the catalogue knows the article's parts: those (and any the list names) are all
            return tuple(sorted(catalogued | listed, key=number_order))
        named = listed
    else:
        named = {
            point for kind in law.facts(charge.article, charge.part).conditional for point in kind.points
        }
    if not named:
        return None
    highest = max(named, key=number_order)
    return (*sorted(named, key=number_order), number_order(highest)[0] + 1)


def option_key(value: str | bool | int) -> str:
    """An option as a JSON object key (`leads_to`): enum values as they are, yes/no as true/false."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def set_field(data: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of the record's JSON data with `value` put at `path` (missing objects on the way are
    created). The result is plain data: validate it with `parse_record`."""
    result: dict[str, Any] = copy.deepcopy(dict(data))
    steps = _steps(path)
    node: Any = result
    for depth, (name, index) in enumerate(steps):
        last = depth == len(steps) - 1
        if index is None:
            if last:
                node[name] = value
            else:
                if not isinstance(node.get(name), dict):
                    node[name] = {}
                node = node[name]
            continue
        items = node.get(name)
        if not isinstance(items, list) or index >= len(items):
            raise FieldPathError(f"{path}: the record has no {name}[{index}]")
        if last:
            items[index] = value
        else:
            node = items[index]
    return result


def record_with(record: CaseRecord, path: str, value: Any) -> CaseRecord:
    """The record with `value` (JSON data) at `path`, validated as any record is; raises
    `ValidationError` when the answer makes the record invalid (a birth date after the offence)."""
    return parse_record(set_field(record.model_dump(mode="json"), path, value))


# ----------------------------------------------------------------------------------------------------
# Building the questions of a decision.


def _fill(texts: Texts, params: Params) -> dict[str, str]:
    result: dict[str, str] = {}
    for language in LANGUAGES:
        values = {key: value if isinstance(value, str) else value[language] for key, value in params.items()}
        template = texts[language]
        if "article_ref" in values:
            template, values["article_ref"] = with_article_ref(template, values["article_ref"], language)
        result[language] = template.format_map(values)
    return result


def _option_texts(path: str, options: tuple[str | bool, ...]) -> dict[str, dict[str, str]]:
    kind = field_type(path)
    texts: dict[str, dict[str, str]] = {}
    for option in options:
        key = option_key(option)
        if kind is Context:
            texts[key] = dict(_CONTEXT_OPTIONS[key])
        elif kind is Category:
            texts[key] = {language: WORDS["category"][key][language] for language in LANGUAGES}
        elif kind is bool:
            texts[key] = dict(_YES_NO[key])
        else:
            texts[key] = dict.fromkeys(LANGUAGES, key)
    return texts


def _question_text(entry: Ask, path: str, params: Params) -> dict[str, str]:
    last = path.rsplit(".", 1)[-1]
    if last in entry.other_fields and not entry.field.endswith("." + last):
        return _fill(entry.other_fields[last], params)
    if entry.field == "sentence":
        return _fill(entry.text, {"what": _SENTENCE_PIECES[path]})
    return _fill(entry.text, params)


def _causes(decision: Decision) -> Iterator[tuple[Reason, int | None]]:
    """The decision's reasons, the uncertain charges' first (with the charge's position), then the
    person's."""
    for index, charge in enumerate(decision.charges):
        if charge.covered is None:  # a charge known to be outside the law needs no more facts for scope
            for reason in charge.reasons:
                yield reason, index
    for reason in decision.reasons:
        yield reason, None


def review_questions(
    record: CaseRecord, decision: Decision, law: Law, decide: Callable[[CaseRecord], Decision]
) -> tuple[tuple[Question, ...], tuple[Unanswerable, ...]]:
    """The questions whose answers would settle `decision` (a `needs_review` one), those with more
    answers that settle it first, and the causes that no answer can settle. `decide` evaluates a
    record with the same law, date and mode (no questions)."""
    questions: dict[str, Question] = {}
    unanswerable: dict[tuple[str, str], Unanswerable] = {}
    for reason, charge in _causes(decision):
        entry = CAUSES.get(C(reason.code))
        if entry is None:
            continue
        situation = Situation(record, decision, law, charge)
        if isinstance(entry, CannotAsk):
            if entry.strict_only and not decision.strict:
                continue
            text = _fill(entry.text, entry.params(situation))
            unanswerable.setdefault(
                (reason.code, text["en"]), Unanswerable(code=reason.code, rule=reason.rule, text=text)
            )
            continue
        for path, params in entry.locate(situation):
            if path in questions:
                continue
            text = _question_text(entry, path, params)
            questions[path] = question_for(record, path, reason, text, _option_texts, law, decide)
    return tuple(sorted(questions.values(), key=settling_answers, reverse=True)), tuple(unanswerable.values())


def question_for(
    record: CaseRecord,
    path: str,
    cause: Reason,
    text: dict[str, str],
    option_texts: Callable[[str, tuple[str | bool, ...]], dict[str, dict[str, str]]],
    law: Law,
    decide: Callable[[CaseRecord], Decision],
) -> Question:
    """The question for the fact at `path` that `cause` waits on, with where each answer leads: the
    decision worked out again with that answer put in (the closed set of answers, or the telling parts
    and points); every law's questions are built here, each law wording its own texts."""
    options = options_for(path)
    tried = options if options is not None else telling_parts(record, path, law)
    leads_to = None
    if tried is not None:
        leads_to = {}
        for value in tried:
            try:
                answered = record_with(record, path, value)
            except ValidationError:
                continue
            leads_to[option_key(value)] = decide(answered).outcome
    return Question(
        field=path,
        rule=cause.rule,
        code=cause.code,
        answer=answer_kind(path),
        text=text,
        options=options,
        option_texts=option_texts(path, options) if options is not None else None,
        leads_to=leads_to,
    )


def settling_answers(question: Question) -> int:
    """How many known answers settle the decision: questions that can settle it are asked first."""
    return sum(outcome is not Outcome.NEEDS_REVIEW for outcome in (question.leads_to or {}).values())


def with_questions(
    decision: Decision, record: CaseRecord, law: Law, decide: Callable[[CaseRecord], Decision]
) -> Decision:
    """The decision with its questions, when it is `needs_review` (any other decision as it is)."""
    if decision.outcome is not Outcome.NEEDS_REVIEW:
        return decision
    questions, unanswerable = review_questions(record, decision, law, decide)
    return decision.model_copy(update={"questions": questions, "unanswerable": unanswerable})
