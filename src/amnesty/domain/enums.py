"""Closed vocabularies of the domain (contract values), as string enums."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Procedural stage of the case on the evaluation date."""

    PRE_TRIAL = "pre_trial"
    TRIAL = "trial"
    SERVING = "serving"
    SERVED = "served"


class Category(StrEnum):
    """Gravity category of a criminal offence (Criminal Code art. 10-11)."""

    MISDEMEANOUR = "misdemeanour"
    SMALL = "small"
    MEDIUM = "medium"
    GRAVE = "grave"
    ESPECIALLY_GRAVE = "especially_grave"

    @property
    def gravity(self) -> int:
        """Rank used to find the gravest category among several charges."""
        return _GRAVITY[self]

    @property
    def is_lesser(self) -> bool:
        """Misdemeanours and crimes of small or medium gravity (rules R1-R3)."""
        return self.gravity <= _GRAVITY[Category.MEDIUM]


_GRAVITY = {
    Category.MISDEMEANOUR: 0,
    Category.SMALL: 1,
    Category.MEDIUM: 2,
    Category.GRAVE: 3,
    Category.ESPECIALLY_GRAVE: 4,
}


class Context(StrEnum):
    """Connection of the offence with the January 2022 events (rule S3)."""

    RIOT = "riot"
    SUPPRESSION = "suppression"
    UNRELATED = "unrelated"
    UNKNOWN = "unknown"


class PersonRole(StrEnum):
    """Who the person was during the events."""

    PARTICIPANT = "participant"
    LAW_ENFORCEMENT = "law_enforcement"
    MILITARY = "military"


class Recidivism(StrEnum):
    """Recidivism as established in the case (rule X9)."""

    NONE = "none"
    RECIDIVISM = "recidivism"
    DANGEROUS = "dangerous"


class Punishment(StrEnum):
    """Kind of main punishment imposed (or about to be imposed)."""

    IMPRISONMENT = "imprisonment"
    RESTRICTION_OF_FREEDOM = "restriction_of_freedom"
    CORRECTIONAL_LABOUR = "correctional_labour"
    COMMUNITY_SERVICE = "community_service"
    FINE = "fine"
    ARREST = "arrest"
    LIFE_IMPRISONMENT = "life_imprisonment"

    @property
    def is_term(self) -> bool:
        """Punishments measured as a term of time, cut like imprisonment."""
        return self in (Punishment.IMPRISONMENT, Punishment.RESTRICTION_OF_FREEDOM, Punishment.ARREST)

    @property
    def is_custodial(self) -> bool:
        """Punishments served in an institution (release leads to resocialisation tasks)."""
        return self in (Punishment.IMPRISONMENT, Punishment.ARREST)


class Outcome(StrEnum):
    """The person-level result of applying the law (contract: exactly one of these)."""

    TERMINATE_CASE = "terminate_case"
    RELEASE = "release"
    REDUCE_SENTENCE = "reduce_sentence"
    REDUCE_AT_SENTENCING = "reduce_at_sentencing"
    EXPUNGE_CONVICTION = "expunge_conviction"
    NO_RELIEF = "no_relief"
    EXCLUDED = "excluded"
    NOT_COVERED = "not_covered"
    NEEDS_REVIEW = "needs_review"


class ReleaseMode(StrEnum):
    """When a person leaves punishment: at once, or on the new end date."""

    IMMEDIATE = "immediate"
    ON_DATE = "on_date"


class ActingBody(StrEnum):
    """The body that executes the decision."""

    INVESTIGATOR = "investigator"
    COURT = "court"
    PENITENTIARY = "penitentiary"
    PROBATION = "probation"
    LEGAL_STATISTICS = "legal_statistics"


class Provenance(StrEnum):
    """How a legal fact is known (LAW.md preamble)."""

    VERIFIED = "verified"
    REPORTED = "reported"
    INFERRED = "inferred"
    ASSUMED = "assumed"
    UNVERIFIED = "unverified"


class Tag(StrEnum):
    """Kinds of offence that matter for the exclusions (X1-X8)."""

    TERRORIST = "terrorist"
    EXTREMIST = "extremist"
    CORRUPTION = "corruption"
    TREASON = "treason"
    SEIZURE_OF_POWER = "seizure_of_power"
    TORTURE = "torture"
    SEXUAL_OFFENCE_MINOR = "sexual_offence_minor"
    RIOT_ORGANISATION = "riot_organisation"


class Guilt(StrEnum):
    """Form of guilt of an offence (Criminal Code art. 11: intentional or negligent)."""

    INTENTIONAL = "intentional"
    NEGLIGENT = "negligent"


class KindCondition(StrEnum):
    """When a kind of offence the Code names (Criminal Code art. 3) applies to a charge under a part."""

    ALWAYS = "always"
    VICTIM_MINOR = "victim_minor"
    POINT = "point"


class Flag(StrEnum):
    """Markers on a decision that a lawyer must see."""

    PROVISIONAL_BASIS = "provisional_basis"
    INTERPRETATION = "interpretation"
    STRICT_MODE = "strict_mode"
    BEFORE_ENTRY_INTO_FORCE = "before_entry_into_force"


class Tri(StrEnum):
    """Tri-state answer of a rule: missing data is never read as 'no'."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class AnswerKind(StrEnum):
    """The kind of value a question about the record asks for (how a form or a prompt takes it)."""

    CHOICE = "choice"
    DATE = "date"
    INTEGER = "integer"
    TERM = "term"
    SENTENCE = "sentence"


class TaskKind(StrEnum):
    """Resocialisation duties of the akimats (LAW.md section 6)."""

    EMPLOYMENT = "employment"
    SOCIAL_ASSISTANCE = "social_assistance"
    RESOCIALISATION_CENTRE = "resocialisation_centre"
    MEDICAL_CARE = "medical_care"
    DOCUMENTS = "documents"


class TaskStatus(StrEnum):
    """Life cycle of a resocialisation task."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REFUSED = "refused"
    CANNOT_BE_DONE = "cannot_be_done"


REGIONS: tuple[str, ...] = (
    "Abai",
    "Akmola",
    "Aktobe",
    "Almaty Region",
    "Atyrau",
    "East Kazakhstan",
    "Jambyl",
    "Jetisu",
    "Karaganda",
    "Kostanay",
    "Kyzylorda",
    "Mangystau",
    "North Kazakhstan",
    "Pavlodar",
    "Turkistan",
    "Ulytau",
    "West Kazakhstan",
    "Astana",
    "Almaty",
    "Shymkent",
)
"""The 17 regions and 3 cities of national significance (since June 2022)."""


class CriminalCode(StrEnum):
    """The Criminal Code a charge's article belongs to (CONTRACT.md, "Several laws")."""

    KZ_2014 = "kz-2014"
    KZ_1997 = "kz-1997"
    KAZSSR_1959 = "kazssr-1959"


class Damage(StrEnum):
    """What became of the damage an offence caused (a charge's `damage`)."""

    NONE = "none"
    REPAID = "repaid"
    OUTSTANDING = "outstanding"


class Sex(StrEnum):
    """A person's sex as recorded (or read from the IIN's seventh digit)."""

    FEMALE = "female"
    MALE = "male"
