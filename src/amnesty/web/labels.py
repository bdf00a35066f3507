"""Words for the vocabularies the pages show (outcomes, stages, categories, regions...) as gettext
messages.

The English text is the message id; `label(value)` translates it into the current language. The
closed vocabularies of the record and the decision are `amnesty.domain.vocabulary_labels.LABELS`
(read by the domain and the tables too); the words only the web uses are added here. Strings are
marked with `N_` so that Babel's extractor finds them (see babel.cfg).
"""

from __future__ import annotations

from enum import StrEnum

from amnesty.domain.vocabulary_labels import LABELS, N_
from amnesty.law.schema import Texts
from amnesty.web.i18n import current_language, gettext

__all__ = ["N_", "REGION_GRID", "VOCABULARY", "label", "rule_title"]

VOCABULARY: dict[str, dict[str, str]] = LABELS | {
    "user_role": {
        "admin": N_("Administrator"),
        "case_officer": N_("Case officer"),
        "reviewer": N_("Reviewer"),
        "social_worker": N_("Social worker"),
        "auditor": N_("Auditor"),
        "analyst": N_("Analyst"),
    },
    "review_code": {
        "ARTICLE_LIST_INCOMPLETE": N_("Article beyond the part of the law's list we could read"),
        "CONTEXT_UNKNOWN": N_("Connection with the events not established"),
        "OFFENCE_SPANS_WINDOW": N_("Offence continued after 7 January 2022"),
        "PARTIAL_COVERAGE": N_("Only some charges are covered"),
        "MISSING_CATEGORY": N_("Category of the offence not recorded"),
        "MISSING_SENTENCE": N_("Sentence not recorded"),
        "CATEGORY_CONFLICT": N_("Recorded category contradicts the Criminal Code"),
        "EXCLUSION_VICTIM_AGE_UNKNOWN": N_("Victim's age not recorded (sexual offence against a minor?)"),
        "EXCLUSION_POINT_UNKNOWN": N_("Point of the part not recorded (corruption?)"),
        "LIST_ENTRY_UNVERIFIED": N_("Article is on the law's list only as an unverified candidate"),
        "LIST_ENTRY_INFERRED": N_("Article's place on the law's list is inferred, not read"),
        "CODE_EDITION_MAY_DIFFER": N_("The Criminal Code edition at the offence may differ"),
        "ENTRY_INTO_FORCE_ASSUMED": N_("Date of entry into force of the law is assumed"),
        "PART_UNKNOWN": N_("Part of the article not recorded"),
        "COVERAGE_UNCERTAIN": N_("Whether the charges are covered is uncertain"),
        "AGE_UNKNOWN": N_("Age at the offence not established"),
        "EXCLUSION_TAG_UNVERIFIED": N_("Kind of offence that may exclude the amnesty is not verified"),
        "EXCLUSION_PART_UNKNOWN": N_("Part of the article not recorded (exclusion?)"),
        "NON_CUSTODIAL_GRAVE": N_("Non-custodial punishment for a grave crime"),
        "CONDITIONAL_SENTENCE_GRAVE": N_("Conditional sentence for a grave crime"),
    },
    "rule": {
        "S1": N_("Offence committed from 4 to 7 January 2022 inclusive"),
        "S2": N_("Offence committed on the territory of the Republic of Kazakhstan"),
        "S3": N_("Offence connected with the mass riots or committed while suppressing them"),
        "S4": N_("Offence under an article (and part) listed in Article 1"),
        "X1": N_("No amnesty for terrorist crimes"),
        "X2": N_("No amnesty for extremist crimes"),
        "X3": N_("No amnesty for corruption crimes"),
        "X4": N_("No amnesty for high treason"),
        "X5": N_("No amnesty for seizure or retention of power"),
        "X6": N_("No amnesty for organisers of mass riots, except persons under 18 at the offence"),
        "X7": N_("No amnesty for torture"),
        "X8": N_("No amnesty for crimes against the sexual inviolability of minors"),
        "X9": N_("No amnesty in case of recidivism or dangerous recidivism"),
        "R1": N_(
            "Release from criminal liability (case closed) for misdemeanours and crimes of small or medium gravity"
        ),
        "R2": N_("Release from punishment for misdemeanours and crimes of small or medium gravity"),
        "R3": N_("Conviction removed for misdemeanours and crimes of small or medium gravity"),
        "R4": N_("Imposed main punishment cut by three quarters for grave crimes"),
        "R5": N_("Imposed main punishment cut by half for especially grave crimes"),
        "R6": N_("The court applies the reduction when it sentences"),
        "R7": N_("No removal of convictions for grave and especially grave crimes"),
        "R8": N_("Release when the unserved part is at most one year"),
        "C1": N_(
            "Category of an offence from the sanction of its part (art. 10-11); the record's category checked against it"
        ),
        "M1": N_("Several charges - relief follows the gravest category; partial coverage goes to the court"),
        "N1": N_("Non-custodial and conditional punishments for grave crimes"),
        "A1": N_("Sentence arithmetic - terms, fractions, rounding in the convict's favour"),
        "E1": N_("Date of entry into force"),
        "T1": N_("Resocialisation of released persons by the Government and the akimats"),
    },
    "audit_action": {
        "case.answer": N_("Question answered"),
        "case.create": N_("Case created"),
        "case.history": N_("Case history read"),
        "case.read": N_("Case read"),
        "case.search": N_("Cases searched"),
        "case.update": N_("Case changed"),
        "decision.create": N_("Decision made"),
        "decision.read": N_("Decision read"),
        "document.read": N_("Document prepared"),
        "export": N_("List exported"),
        "import.chunk": N_("Records imported"),
        "job.cancel": N_("Job cancelled"),
        "job.finish": N_("Job finished"),
        "job.start": N_("Job started"),
        "job.submit": N_("Job submitted"),
        "login.failure": N_("Failed sign-in"),
        "login.success": N_("Signed in"),
        "override.create": N_("Decision overridden"),
        "override.withdraw": N_("Override withdrawn"),
        "person.create": N_("Person added"),
        "person.read": N_("Person's data read"),
        "person.search": N_("Persons searched"),
        "register.read": N_("Register read"),
        "rows.seal": N_("Audit rows sealed"),
        "session.end_all": N_("All sessions ended"),
        "task.create": N_("Task created"),
        "task.update": N_("Task changed"),
        "token.issue": N_("Access token issued"),
        "token.revoke": N_("Access token revoked"),
        "user.create": N_("User created"),
        "user.disable": N_("User disabled"),
        "user.profile": N_("Full name and organisation of a user recorded"),
        "user.enable": N_("User enabled"),
        "user.unlock": N_("Sign-in lock lifted"),
        "user.password": N_("Password changed"),
        "user.region": N_("User's region changed"),
        "user.role": N_("User's role changed"),
    },
    "object_type": {
        "audit": N_("Audit trail"),
        "case": N_("Case"),
        "decision": N_("Decision"),
        "document": N_("Document"),
        "import": N_("Import"),
        "job": N_("Job"),
        "list": N_("List"),
        "person": N_("Person"),
        "task": N_("Task"),
        "user": N_("User"),
    },
    "actor": {
        "demo-seed": N_("Demo register (generated)"),
        "cli": N_("Command line"),
    },
    "variant": {
        "variant": N_("The variant of the law"),
        "grave-half": N_("Grave crimes cut by half instead of three quarters"),
        "no-one-year-rule": N_("Without the one-year release rule"),
        "wider-window": N_("Offence window widened to all of January 2022"),
    },
}
"""Every vocabulary the pages label: the closed vocabularies of the record and the decision
(`amnesty.domain.vocabulary_labels.LABELS`) and the words only the web uses (roles of users, review
reasons, audit actions...)."""

# Rough geographic placement of the regions on a 6 x 5 grid (column, row), west to east, north to south.
REGION_GRID: dict[str, tuple[int, int]] = {
    "North Kazakhstan": (4, 1),
    "Kostanay": (3, 1),
    "Pavlodar": (5, 1),
    "West Kazakhstan": (1, 2),
    "Aktobe": (2, 2),
    "Akmola": (4, 2),
    "Astana": (5, 2),
    "Abai": (6, 2),
    "Atyrau": (1, 3),
    "Ulytau": (3, 3),
    "Karaganda": (4, 3),
    "East Kazakhstan": (6, 3),
    "Mangystau": (1, 4),
    "Kyzylorda": (2, 4),
    "Turkistan": (3, 4),
    "Jambyl": (4, 4),
    "Almaty Region": (5, 4),
    "Jetisu": (6, 4),
    "Shymkent": (3, 5),
    "Almaty": (5, 5),
}


def rule_title(rule: str, title: Texts | str) -> str:
    """A rule's title in the current language (the pack gives it in ru, kk and en)."""
    if isinstance(title, Texts):
        return title[current_language.get()]
    message = VOCABULARY["rule"].get(rule)
    return gettext(message) if message == title else title


def label(kind: str, value: str | StrEnum | None) -> str:
    """The translated word for a vocabulary value; the raw value when it is unknown."""
    key = "" if value is None else str(value.value if isinstance(value, StrEnum) else value)
    message = VOCABULARY.get(kind, {}).get(key)
    return gettext(message) if message is not None else key
