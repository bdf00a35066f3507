"""The words of the closed vocabularies of the record and the decision (outcome, stage, category,
role, region, task...), in ru, kk and en, below every layer that shows or reads them.

Each word is an English message id (`LABELS`) whose Russian and Kazakh texts are in the gettext
catalogues (`amnesty/web/locale/<lang>/LC_MESSAGES/messages.po`, data files read here, never a module
imported): `word(kind, code, language)` is the word of one code. The web's labels
(`amnesty.web.labels`), the tables' words (`amnesty.render.vocabulary.term`) and the words a file may
hold for a code (`amnesty.domain.vocabulary_words`) all read these, so nothing is translated twice and
the domain imports neither the rendering nor the web.

Babel finds the message ids through the `N_` marker: the extraction command in
`amnesty/web/babel.cfg` names this file beside the web's folder.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a string for extraction without translating it here."""
    return message


LABELS: dict[str, dict[str, str]] = {
    "outcome": {
        "terminate_case": N_("Case closed"),
        "release": N_("Release"),
        "reduce_sentence": N_("Sentence reduced"),
        "reduce_at_sentencing": N_("Reduced at sentencing"),
        "expunge_conviction": N_("Conviction removed"),
        "no_relief": N_("No further relief"),
        "excluded": N_("Excluded"),
        "not_covered": N_("Not covered"),
        "needs_review": N_("Needs review"),
    },
    "stage": {
        "pre_trial": N_("Investigation"),
        "trial": N_("In court"),
        "serving": N_("Serving sentence"),
        "served": N_("Sentence served"),
    },
    "category": {
        "misdemeanour": N_("Misdemeanour"),
        "small": N_("Small gravity"),
        "medium": N_("Medium gravity"),
        "grave": N_("Grave"),
        "especially_grave": N_("Especially grave"),
        "": N_("Not recorded"),
        "unknown": N_("Not recorded"),
    },
    "role": {
        "participant": N_("Participant"),
        "law_enforcement": N_("Law enforcement officer"),
        "military": N_("Serviceman"),
    },
    "recidivism": {
        "none": N_("None"),
        "recidivism": N_("Recidivism"),
        "dangerous": N_("Dangerous recidivism"),
    },
    "context": {
        "riot": N_("Connected with the riots"),
        "suppression": N_("While suppressing the riots"),
        "unrelated": N_("Unrelated to the events"),
        "unknown": N_("Not established"),
    },
    "punishment": {
        "imprisonment": N_("Imprisonment"),
        "restriction_of_freedom": N_("Restriction of freedom"),
        "correctional_labour": N_("Correctional labour"),
        "community_service": N_("Community service"),
        "fine": N_("Fine"),
        "arrest": N_("Arrest"),
        "life_imprisonment": N_("Life imprisonment"),
    },
    "release": {"immediate": N_("At once"), "on_date": N_("On the new end date")},
    "acting_body": {
        "investigator": N_("Investigator"),
        "court": N_("Court"),
        "penitentiary": N_("Penitentiary institution"),
        "probation": N_("Probation service"),
        "legal_statistics": N_("Legal statistics committee"),
    },
    "flag": {
        "provisional_basis": N_("Provisional legal basis: rests on an unverified or assumed fact of the law"),
        "interpretation": N_("Rests on an interpretation of the law"),
        "strict_mode": N_("Strict mode"),
        "before_entry_into_force": N_("Evaluated before the law entered into force"),
    },
    "provenance": {
        "verified": N_("verified"),
        "reported": N_("reported"),
        "inferred": N_("inferred"),
        "assumed": N_("assumed"),
        "unverified": N_("unverified"),
    },
    "task": {
        "employment": N_("Employment"),
        "social_assistance": N_("Social assistance"),
        "resocialisation_centre": N_("Place in a resocialisation centre"),
        "medical_care": N_("Medical care"),
        "documents": N_("Documents"),
    },
    "task_status": {
        "open": N_("Open"),
        "in_progress": N_("In progress"),
        "done": N_("Done"),
        "refused": N_("Refused"),
        "cannot_be_done": N_("Cannot be done"),
    },
    "tag": {
        "terrorist": N_("Terrorist"),
        "extremist": N_("Extremist"),
        "corruption": N_("Corruption"),
        "treason": N_("High treason"),
        "seizure_of_power": N_("Seizure of power"),
        "torture": N_("Torture"),
        "sexual_offence_minor": N_("Sexual offence against a minor"),
        "riot_organisation": N_("Organising mass riots"),
    },
    "region": {
        "Abai": N_("Abai Region"),
        "Akmola": N_("Akmola Region"),
        "Aktobe": N_("Aktobe Region"),
        "Almaty Region": N_("Almaty Region"),
        "Atyrau": N_("Atyrau Region"),
        "East Kazakhstan": N_("East Kazakhstan Region"),
        "Jambyl": N_("Jambyl Region"),
        "Jetisu": N_("Jetisu Region"),
        "Karaganda": N_("Karaganda Region"),
        "Kostanay": N_("Kostanay Region"),
        "Kyzylorda": N_("Kyzylorda Region"),
        "Mangystau": N_("Mangystau Region"),
        "North Kazakhstan": N_("North Kazakhstan Region"),
        "Pavlodar": N_("Pavlodar Region"),
        "Turkistan": N_("Turkistan Region"),
        "Ulytau": N_("Ulytau Region"),
        "West Kazakhstan": N_("West Kazakhstan Region"),
        "Astana": N_("Astana city"),
        "Almaty": N_("Almaty city"),
        "Shymkent": N_("Shymkent city"),
        "": N_("Region not recorded"),
        "unknown": N_("Region not recorded"),
    },
    "sex": {"female": N_("Female"), "male": N_("Male")},
    "damage": {
        "none": N_("No damage caused"),
        "repaid": N_("Damage repaid in full"),
        "outstanding": N_("Damage not repaid"),
    },
    "code": {
        "kz-2014": N_("Criminal Code of 2014"),
        "kz-1997": N_("Criminal Code of 1997"),
        "kazssr-1959": N_("Criminal Code of the Kazakh SSR of 1959"),
    },
    "disability_group": {
        "0": N_("No disability"),
        "1": N_("First disability group"),
        "2": N_("Second disability group"),
        "3": N_("Third disability group"),
    },
}
"""The English message id of each code of each closed vocabulary of the record and the decision."""


NOT_RECORDED_CODE = "unknown"
"""The code of a value the record does not give."""

NOT_RECORDED: dict[str, str] = {"en": "Not recorded", "ru": "Не указано", "kk": "Көрсетілмеген"}
"""How the tables name a value not recorded (`NOT_RECORDED_CODE`), in each language."""


def po_text(language: str) -> str | None:
    """The source catalogue of a language (`amnesty/web/locale`, read as a data file), or None when
    there is none."""
    path = resources.files("amnesty").joinpath("web", "locale", language, "LC_MESSAGES", "messages.po")
    return path.read_text(encoding="utf-8") if path.is_file() else None


@cache
def translations(language: str) -> NullTranslations:
    """Compiled translations of a language (English msgids pass through when a string is missing)."""
    text = po_text(language)
    if text is None:
        return NullTranslations()
    catalog = read_po(io.StringIO(text), locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


def word(kind: str, code: str, language: str) -> str | None:
    """The word of `code` in the vocabulary `kind` in `language` (None when the vocabulary has no such
    code)."""
    message = LABELS.get(kind, {}).get(code)
    return None if message is None else translations(language).gettext(message)
