"""The questions of a `needs_review` decision under the 2021 Independence amnesty.

Each reason that waits on a fact of the record asks for exactly that fact (vulnerability: the facts of
the groups still open, in the order of Art. 1; the damage and the civil claim of a charge; the conduct
rating; the part, point, age or intoxication a list entry depends on; the sentence's dates; a missing
category), with where each answer leads (the decision worked out again with that answer). Reasons no
fact of the record settles (a continuing offence over the day the Law came into force; the unquantified
cut of Art. 3 p. 5) are named as such.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from amnesty.domain.decision import Decision, Question, Reason, Unanswerable
from amnesty.domain.enums import Damage, Outcome
from amnesty.domain.records import CaseRecord
from amnesty.engine.defaults import UNSETTLED_TEXTS
from amnesty.engine.messages import LANGUAGES, WORDS, with_article_ref
from amnesty.engine.questions import option_key, question_for, settling_answers
from amnesty.engine.rules import article_ref
from amnesty.law.loader import Law
from amnesty.law.packs.kz_2021_81_vii.vulnerability import assess

QUESTION_TEXTS: dict[str, dict[str, str]] = {
    "veteran": {
        "en": "Is the person a veteran, or covered by the Law 'On Veterans'?",
        "ru": "Является ли лицо ветераном или лицом, на которое распространяется Закон «О ветеранах»?",
        "kk": "Адам ардагер ме немесе «Ардагерлер туралы» Заң қолданылатын адам ба?",
    },
    "birth_date": {
        "en": "What is the person's date of birth?",
        "ru": "Какова дата рождения лица?",
        "kk": "Адамның туған күні қандай?",
    },
    "sex": {"en": "What is the person's sex?", "ru": "Каков пол лица?", "kk": "Адамның жынысы қандай?"},
    "pregnant": {
        "en": "Was the woman pregnant on the day the Law came into force?",
        "ru": "Была ли женщина беременна на день введения Закона в действие?",
        "kk": "Заң қолданысқа енгізілген күні әйел жүкті болды ма?",
    },
    "children_under_18": {
        "en": "Did the person have a child under 18 (own, adopted or under guardianship) on the day the Law came into force, without being deprived of parental rights?",
        "ru": "Был ли у лица на день введения Закона в действие ребёнок до 18 лет (в том числе усыновлённый или под опекой), и не лишено ли оно родительских прав?",
        "kk": "Заң қолданысқа енгізілген күні адамның 18 жасқа толмаған баласы (асырап алынған немесе қорғаншылықтағы) болды ма және ол ата-ана құқығынан айырылмаған ба?",
    },
    "sole_parent": {
        "en": "Is the man the only parent of those minor children?",
        "ru": "Является ли мужчина единственным родителем несовершеннолетних детей?",
        "kk": "Ер адам кәмелетке толмаған балалардың жалғыз ата-анасы ма?",
    },
    "disabled_dependant": {
        "en": "Did the person have a disabled child, or a person disabled since childhood, as a dependant at the offence and at conviction?",
        "ru": "Был ли у лица на иждивении ребёнок-инвалид или инвалид с детства на момент правонарушения и осуждения?",
        "kk": "Құқық бұзушылық пен сотталу кезінде адамның асырауында мүгедек бала немесе бала кезінен мүгедек адам болды ма?",
    },
    "disability_group": {
        "en": "Which disability group was recognised before the Law came into force (0 for none)?",
        "ru": "Какая группа инвалидности признана до введения Закона в действие (0 — нет)?",
        "kk": "Заң қолданысқа енгізілгенге дейін қандай мүгедектік тобы танылды (0 — жоқ)?",
    },
    "negative_conduct": {
        "en": "Did the person have a negative conduct rating on the day the Law came into force?",
        "ru": "Имело ли лицо отрицательную степень поведения на день введения Закона в действие?",
        "kk": "Заң қолданысқа енгізілген күні адамның теріс мінез-құлық дәрежесі болды ма?",
    },
    "damage": {
        "en": "Did the offence under art. {article_ref} cause damage, and was it repaid in full?",
        "ru": "Причинён ли ущерб деянием по ст. {article_ref} и возмещён ли он полностью?",
        "kk": "{article_ref}-бап бойынша әрекет залал келтірді ме және ол толық өтелді ме?",
    },
    "civil_claim": {
        "en": "Was a civil claim brought in the offence under art. {article_ref}?",
        "ru": "Предъявлен ли гражданский иск по деянию по ст. {article_ref}?",
        "kk": "{article_ref}-бап бойынша әрекетке азаматтық талап қойылды ма?",
    },
    "part": {
        "en": "Under which part of art. {article_ref} is the charge?",
        "ru": "По какой части ст. {article_ref} предъявлено обвинение?",
        "kk": "Айып {article_ref}-баптың қай бөлігі бойынша тағылды?",
    },
    "point": {
        "en": "Under which point of art. {article_ref} is the charge?",
        "ru": "По какому пункту ст. {article_ref} предъявлено обвинение?",
        "kk": "Айып {article_ref}-баптың қай тармағы бойынша тағылды?",
    },
    "intoxicated": {
        "en": "Was the offence under art. {article_ref} committed while intoxicated?",
        "ru": "Совершено ли деяние по ст. {article_ref} в состоянии опьянения?",
        "kk": "{article_ref}-бап бойынша әрекет мас күйінде жасалды ма?",
    },
    "category": {
        "en": "What is the category of the offence under art. {article_ref}?",
        "ru": "Какова категория деяния по ст. {article_ref}?",
        "kk": "{article_ref}-бап бойынша әрекеттің санаты қандай?",
    },
    "start_date": {
        "en": "On which day did the term begin?",
        "ru": "С какого дня исчисляется срок наказания?",
        "kk": "Жаза мерзімі қай күннен басталды?",
    },
    "term": {
        "en": "What term was imposed?",
        "ru": "Какой срок наказания назначен?",
        "kk": "Қандай жаза мерзімі тағайындалды?",
    },
}
"""The question for each fact, by the field's last name."""

UNANSWERABLE_TEXTS: dict[str, dict[str, str]] = {
    "OFFENCE_SPANS_ENTRY_INTO_FORCE": {
        "en": "Whether a continuing offence counts as committed before the Law came into force is for the reviewer; no fact of the record settles it.",
        "ru": "Считается ли длящееся деяние совершённым до введения Закона в действие, решает проверяющий; ни одно сведение записи этого не устанавливает.",
        "kk": "Созылмалы әрекет Заң қолданысқа енгізілгенге дейін жасалды деп есептеле ме — мұны тексеруші шешеді; жазбаның ешбір мәліметі оны анықтамайды.",
    },
    "ONE_YEAR_LEFT_UNQUANTIFIED": {
        "en": "Art. 3 p. 5 does not say by how much the unserved part is cut: a question of law for the court, not a fact of the record.",
        "ru": "П. 5 ст. 3 не называет размер сокращения неотбытой части: это вопрос права для суда, а не сведение записи.",
        "kk": "3-баптың 5-тармағы өтелмеген бөліктің қанша қысқаратынын атамайды: бұл жазбаның мәліметі емес, сот шешетін құқық мәселесі.",
    },
    "PUNISHMENT_REMAINDER_UNKNOWN": {
        "en": "The unexecuted part of the punishment must be taken from the execution file.",
        "ru": "Неисполненную часть наказания нужно взять из материалов исполнения.",
        "kk": "Жазаның орындалмаған бөлігін орындау материалдарынан алу қажет.",
    },
    **UNSETTLED_TEXTS,  # the order of application's own: a conflict of rules, no rule that applies
}

_DAMAGE_WORDS = {
    Damage.NONE.value: {"en": "no damage caused", "ru": "ущерб не причинён", "kk": "залал келтірілмеген"},
    Damage.REPAID.value: {"en": "repaid in full", "ru": "возмещён полностью", "kk": "толық өтелген"},
    Damage.OUTSTANDING.value: {"en": "not repaid", "ru": "не возмещён", "kk": "өтелмеген"},
}
_SEX_WORDS = {
    "female": {"en": "female", "ru": "женский", "kk": "әйел"},
    "male": {"en": "male", "ru": "мужской", "kk": "ер"},
}
_YES_NO = {
    "true": {"en": "yes", "ru": "да", "kk": "иә"},
    "false": {"en": "no", "ru": "нет", "kk": "жоқ"},
}


def _charge_index(record: CaseRecord, reason: Reason) -> int:
    ref = reason.params.get("article_ref")
    for index, charge in enumerate(record.charges):
        part = f"({charge.part})" if charge.part is not None else ""
        if ref in (f"{charge.article}{part}", str(charge.article)):
            return index
    return 0


def _paths(record: CaseRecord, law: Law, reason: Reason) -> Iterator[str]:
    """The record fields a reason asks for."""
    code = reason.code
    if code == "VULNERABILITY_UNKNOWN":
        yield from assess(record, law.entry_into_force).missing
    elif code == "DAMAGE_UNKNOWN":
        index = _charge_index(record, reason)
        yield f"charges[{index}].damage"
        if reason.rule == "R2":
            yield f"charges[{index}].civil_claim"
    elif code == "CONDUCT_UNKNOWN":
        yield "negative_conduct"
    elif code in ("LISTED_OFFENCE_UNCERTAIN", "EXCLUSION_PART_UNKNOWN", "EXCLUSION_POINT_UNKNOWN"):
        index = _charge_index(record, reason)
        named = reason.params.get("missing", "")
        facts = named.split(":", 2)[2].split("+") if named.startswith("w:fact:") else []
        if code == "EXCLUSION_PART_UNKNOWN":
            facts = ["part"]
        elif code == "EXCLUSION_POINT_UNKNOWN":
            facts = ["point"]
        for fact in facts:
            yield "birth_date" if fact == "minor" else f"charges[{index}].{fact}"
    elif code in ("MISSING_CATEGORY", "CATEGORY_CONFLICT"):
        yield f"charges[{_charge_index(record, reason)}].category"
    elif code == "SENTENCE_END_UNKNOWN":
        sentence = record.sentence
        if sentence is not None and sentence.start_date is None:
            yield "sentence.start_date"
        if sentence is not None and sentence.term is None:
            yield "sentence.term"


def _option_texts(path: str, options: tuple[str | bool, ...]) -> dict[str, dict[str, str]]:
    last = path.rsplit(".", 1)[-1]
    texts = {}
    for option in options:
        key = option_key(option)
        if isinstance(option, bool):
            texts[key] = dict(_YES_NO[key])
        elif last == "damage":
            texts[key] = dict(_DAMAGE_WORDS[key])
        elif last == "sex":
            texts[key] = dict(_SEX_WORDS[key])
        elif last == "category":
            texts[key] = {language: WORDS["category"][key][language] for language in LANGUAGES}
        else:
            texts[key] = dict.fromkeys(LANGUAGES, key)
    return texts


def _text(path: str, record: CaseRecord) -> dict[str, str]:
    """The question for `path` in every language, the charge's article spelt out as citations write it."""
    template = QUESTION_TEXTS[path.rsplit(".", 1)[-1]]
    ref = ""
    if path.startswith("charges["):
        charge = record.charges[int(path[len("charges[") : path.index("]")])]
        ref = article_ref(charge.article, charge.part)
    texts = {}
    for language in LANGUAGES:
        text, shown = with_article_ref(template[language], ref, language)
        texts[language] = text.replace("{article_ref}", shown)
    return texts


def ask_2021(
    decision: Decision, record: CaseRecord, law: Law, decide: Callable[[CaseRecord], Decision]
) -> Decision:
    """The decision with the questions whose answers would settle it (settling ones first), and the causes
    no answer can settle."""
    if decision.outcome is not Outcome.NEEDS_REVIEW:
        return decision
    questions: dict[str, Question] = {}
    unanswerable: dict[str, Unanswerable] = {}
    causes = [r for charge in decision.charges if charge.covered is None for r in charge.reasons]
    for cause in [*causes, *decision.reasons]:
        if cause.code in UNANSWERABLE_TEXTS:
            unanswerable.setdefault(
                cause.code,
                Unanswerable(code=cause.code, rule=cause.rule, text=dict(UNANSWERABLE_TEXTS[cause.code])),
            )
            continue
        for path in _paths(record, law, cause):
            if path in questions or path.rsplit(".", 1)[-1] not in QUESTION_TEXTS:
                continue
            questions[path] = question_for(
                record, path, cause, _text(path, record), _option_texts, law, decide
            )
    ordered = sorted(questions.values(), key=settling_answers, reverse=True)
    return decision.model_copy(
        update={"questions": tuple(ordered), "unanswerable": tuple(unanswerable.values())}
    )
