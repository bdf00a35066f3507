"""Law 152-VII's guided questions: a `needs_review` decision that waits on a missing fact asks for
exactly that fact.

One table, `CAUSES`, classifies every reason code this law's rules give:
- `Ask`: the reason comes from a missing or unknown fact of the record; the entry names the record
  field that settles it (`charges[].context`: the charge the reason is about) and the question's text
  in Russian, Kazakh and English;
- `CannotAsk`: the reason makes a decision `needs_review` but no fact of the record can settle it
  (the law's list after Art. 207, a question of law for the court); the entry says why, in each
  language;
- `NOT_A_CAUSE`: the reason never makes a decision `needs_review` by itself.

Everything else is derived, not written per case (`amnesty.engine.questions.question_for`): the
allowed answers are the values of the field's type in the record model (an enum, a yes/no), and what
each answer leads to is found by evaluating the record with that answer put in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from amnesty.domain.decision import Decision, Question, Reason, Unanswerable
from amnesty.domain.enums import Category, Context, KindCondition, Outcome, Tag
from amnesty.domain.records import CaseRecord, number_order
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.exclusions import condition_met
from amnesty.engine.messages import LANGUAGES, WORDS
from amnesty.engine.questions import (
    Params,
    Texts,
    field_type,
    fill_texts,
    option_key,
    question_for,
    settling_answers,
)
from amnesty.engine.rules import article_ref
from amnesty.law.loader import Law
from amnesty.render.formats import format_date


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
# Building the questions of a decision.


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
        return fill_texts(entry.other_fields[last], params)
    if entry.field == "sentence":
        return fill_texts(entry.text, {"what": _SENTENCE_PIECES[path]})
    return fill_texts(entry.text, params)


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
            text = fill_texts(entry.text, entry.params(situation))
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


def with_questions(
    decision: Decision, record: CaseRecord, law: Law, decide: Callable[[CaseRecord], Decision]
) -> Decision:
    """The decision with its questions, when it is `needs_review` (any other decision as it is)."""
    if decision.outcome is not Outcome.NEEDS_REVIEW:
        return decision
    questions, unanswerable = review_questions(record, decision, law, decide)
    return decision.model_copy(update={"questions": questions, "unanswerable": unanswerable})
