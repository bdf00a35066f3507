"""The case record: one person and the charges of one criminal case (CONTRACT.md, input).

Records are validated Pydantic models, frozen once built. Validation names the field and the
problem; data that is merely missing (a category, a sentence) is *not* an error here: the engine
answers `needs_review` for it, never "no".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from amnesty.domain.enums import (
    Category,
    Context,
    CriminalCode,
    Damage,
    PersonRole,
    Punishment,
    Recidivism,
    Sex,
    Stage,
    Tag,
)
from amnesty.domain.iin import IinError, birth_date_from_iin, validate_iin
from amnesty.domain.regions import normalise_region
from amnesty.domain.vocabulary_words import VocabularyReader

NonNegativeInt = Annotated[int, Field(ge=0, le=100_000)]

_NATIONAL_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


def read_date(value: Any) -> Any:
    """A date written the national way, day.month.year (`05.01.2022`), as a date; anything else as it
    is (ISO `2022-01-05` and date values are Pydantic's to read). An impossible day is refused."""
    if isinstance(value, str) and (found := _NATIONAL_DATE.match(value)) is not None:
        day, month, year = (int(part) for part in found.groups())
        try:
            return dt.date(year, month, day)
        except ValueError as error:
            detail = (
                "month value is outside expected range"
                if not 1 <= month <= 12
                else "day value is outside expected range"
            )
            raise PydanticCustomError(
                "date_parsing", "not a valid date ({error})", {"error": detail}
            ) from error
    return value


DateIn = Annotated[dt.date, BeforeValidator(read_date)]
"""A date in a record: ISO (`2022-01-05`) or day.month.year (`05.01.2022`)."""

_INSERTED_NUMBER = r"^\d{1,3}-\d{1,2}$"


class NumberReader:
    """Reads an article or part number as written: a string of digits is the integer it spells, which
    must lie between 1 and `limit`; an inserted number ("188-1") stays a string; anything else is
    refused here, with one message (not one per member of the union the field is)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if re.match(_INSERTED_NUMBER, text):
                return text
            value = int(text) if text.isdigit() else value
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= self.limit:
            raise PydanticCustomError("article_number", "not an article or part number")
        return value


read_article = NumberReader(500)
read_part = NumberReader(20)


ArticleNumber = Annotated[
    Annotated[int, Field(ge=1, le=500)] | Annotated[str, Field(pattern=_INSERTED_NUMBER)],
    BeforeValidator(read_article),
]
"""An article of a Criminal Code: `272`, or `"188-1"` for an article inserted after 188."""
PartNumber = Annotated[
    Annotated[int, Field(ge=1, le=20)] | Annotated[str, Field(pattern=_INSERTED_NUMBER)],
    BeforeValidator(read_part),
]
"""A part of an article: `2`, or `"1-1"` for a part inserted after part 1."""


StageIn = Annotated[Stage, BeforeValidator(VocabularyReader("stage"))]
CategoryIn = Annotated[Category, BeforeValidator(VocabularyReader("category"))]
RoleIn = Annotated[PersonRole, BeforeValidator(VocabularyReader("role"))]
RecidivismIn = Annotated[Recidivism, BeforeValidator(VocabularyReader("recidivism"))]
ContextIn = Annotated[Context, BeforeValidator(VocabularyReader("context"))]
PunishmentIn = Annotated[Punishment, BeforeValidator(VocabularyReader("punishment"))]
CodeIn = Annotated[CriminalCode, BeforeValidator(VocabularyReader("code"))]
DamageIn = Annotated[Damage, BeforeValidator(VocabularyReader("damage"))]
SexIn = Annotated[Sex, BeforeValidator(VocabularyReader("sex"))]
"""Vocabulary fields: a code, or its word in ru, kk or en (`amnesty.domain.vocabulary_words`)."""


def number_order(number: int | str) -> tuple[int, int]:
    """Where an article or part number stands in the Code: `188` is (188, 0), `"188-1"` is (188, 1),
    after 188 and before 189."""
    if isinstance(number, int):
        return (number, 0)
    base, _, inserted = number.partition("-")
    return (int(base), int(inserted or 0))


def today() -> dt.date:
    """Today, the latest day an offence can have been committed on."""
    return dt.date.today()


RECORD_CHECK_CODES = frozenset(
    {
        "iin_format",
        "iin_check_digit",
        "iin_birth_date",
        "person_id_empty",
        "offence_end_before_start",
        "birth_date_iin_mismatch",
        "born_after_offence",
        "offence_in_future",
        "article_number",
    }
)
"""The error types of the record's own checks (beside Pydantic's), translated by `amnesty.render.validation`."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class TermIn(_Frozen):
    """A term as recorded: years, months, days (non-negative integers)."""

    years: NonNegativeInt = 0
    months: NonNegativeInt = 0
    days: NonNegativeInt = 0


class Sentence(_Frozen):
    """The main punishment imposed (serving, served) or about to be imposed (trial: court's calculator)."""

    punishment: PunishmentIn
    term: TermIn | None = None
    start_date: DateIn | None = None
    conditional: bool = False
    fine_amount_mci: Annotated[float, Field(ge=0)] | None = None
    hours: Annotated[int, Field(ge=0)] | None = None
    additional: tuple[str, ...] = ()
    death_commuted: bool = False
    fine_unpaid_mci: Annotated[float, Field(ge=0)] | None = None


class Charge(_Frozen):
    """One charge: an article (and part, and point) of a Criminal Code (`code`: 2014 by default).

    `victim_minor` (was the victim under 18?) and `point` settle a kind of offence the Code counts only
    against minors or only under some points of a part (Criminal Code art. 3); unknown when absent.
    `damage`, `civil_claim`, `criminal_group` and `intoxicated` are facts some laws read (CONTRACT.md,
    "Several laws"); None is "not known"."""

    code: CodeIn = CriminalCode.KZ_2014
    article: ArticleNumber
    part: PartNumber | None = None
    category: CategoryIn | None = None
    offence_date: DateIn
    offence_end_date: DateIn | None = None
    territory: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "KZ"
    context: ContextIn = Context.UNKNOWN
    tags: tuple[Tag, ...] = ()
    victim_minor: bool | None = None
    point: Annotated[int, Field(ge=1, le=50)] | Annotated[str, Field(min_length=1, max_length=4)] | None = (
        None
    )
    damage: DamageIn | None = None
    civil_claim: bool | None = None
    criminal_group: bool = False
    intoxicated: bool | None = None

    @field_validator("territory", mode="before")
    @classmethod
    def _upper_territory(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Charge:
        if self.offence_end_date is not None and self.offence_end_date < self.offence_date:
            raise PydanticCustomError(
                "offence_end_before_start",
                "offence_end_date: is before offence_date",
                {"field": "offence_end_date"},
            )
        return self

    @model_validator(mode="after")
    def _not_in_future(self) -> Charge:
        latest = today()
        for name in ("offence_date", "offence_end_date"):
            day = getattr(self, name)
            if day is not None and day > latest:
                raise PydanticCustomError(
                    "offence_in_future",
                    "{field}: {date} is after today ({today})",
                    {"field": name, "date": day.isoformat(), "today": latest.isoformat()},
                )
        return self


class CaseRecord(_Frozen):
    """One person and the charges of one criminal case."""

    person_id: Annotated[str, Field(min_length=1, max_length=64)]
    iin: str | None = None
    birth_date: DateIn | None = None
    full_name: Annotated[str, Field(max_length=200)] | None = None
    case_number: Annotated[str, Field(max_length=64)] | None = None
    region: str | None = None
    role: RoleIn = PersonRole.PARTICIPANT
    recidivism: RecidivismIn = Recidivism.NONE
    stage: StageIn
    charges: Annotated[tuple[Charge, ...], Field(min_length=1)]
    sentence: Sentence | None = None
    conviction_expunged: bool = False
    fixed_residence: bool | None = None
    able_bodied: bool | None = None
    needs_medical_care: bool | None = None
    needs_documents: bool | None = None
    sex: SexIn | None = None
    veteran: bool | None = None
    pregnant: bool | None = None
    children_under_18: bool | None = None
    sole_parent: bool | None = None
    disabled_dependant: bool | None = None
    disability_group: Annotated[int, Field(ge=0, le=3)] | None = None
    negative_conduct: bool | None = None
    malicious_violator: bool = False
    crime_while_serving: bool = False
    objects: bool = False

    @field_validator("person_id")
    @classmethod
    def _strip_person_id(cls, value: str) -> str:
        stripped = value.strip()
        if not stripped:
            raise PydanticCustomError("person_id_empty", "person_id is empty")
        return stripped

    @field_validator("iin")
    @classmethod
    def _valid_iin(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        try:
            return validate_iin(value.strip())
        except IinError as error:
            raise PydanticCustomError(error.code, str(error)) from error

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        return normalise_region(value)

    @model_validator(mode="after")
    def _iin_agrees_with_birth_date(self) -> CaseRecord:
        if self.iin is not None and self.birth_date is not None:
            from_iin = birth_date_from_iin(self.iin)
            if from_iin is not None and from_iin != self.birth_date:
                raise PydanticCustomError(
                    "birth_date_iin_mismatch",
                    "birth_date: {birth_date} disagrees with the IIN (which encodes {iin_date})",
                    {
                        "field": "birth_date",
                        "birth_date": self.birth_date.isoformat(),
                        "iin_date": from_iin.isoformat(),
                    },
                )
        return self

    @model_validator(mode="after")
    def _born_before_offences(self) -> CaseRecord:
        birth = self.effective_birth_date
        if birth is not None:
            for index, charge in enumerate(self.charges):
                if charge.offence_date <= birth:
                    field = "birth_date" if self.birth_date is not None else "iin"
                    raise PydanticCustomError(
                        "born_after_offence",
                        "{field}: the person was born on {birth}, not before the offence of "
                        "charges[{charge}] ({offence_date})",
                        {
                            "field": field,
                            "birth": birth.isoformat(),
                            "charge": index,
                            "offence_date": charge.offence_date.isoformat(),
                        },
                    )
        return self

    @property
    def effective_birth_date(self) -> dt.date | None:
        """The birth date as recorded, or else as encoded in the IIN."""
        if self.birth_date is not None:
            return self.birth_date
        return birth_date_from_iin(self.iin) if self.iin else None


DEFAULTED_FACTS: tuple[str, ...] = ("role", "recidivism")
"""Fields of the record whose default asserts a fact (the data contract's `participant` and `none`: no
recidivism established in the case, the reading favourable to the person). A form makes the officer
choose them; an import says for how many rows the default was applied."""


def defaults_applied(records: Iterable[CaseRecord]) -> dict[str, dict[str, Any]]:
    """For each of `DEFAULTED_FACTS` that some record did not give: how many (`rows`) and the default
    they were read with (`value`, its code)."""
    counts = dict.fromkeys(DEFAULTED_FACTS, 0)
    for record in records:
        for name in DEFAULTED_FACTS:
            if name not in record.model_fields_set:
                counts[name] += 1
    return {
        name: {"rows": count, "value": CaseRecord.model_fields[name].default.value}
        for name, count in counts.items()
        if count
    }


class FieldError(BaseModel):
    """One validation problem: which field, and what is wrong with it (in English). `code` and
    `params` say the same as values, so `amnesty.render.validation` can write it in any language;
    they are not part of the JSON shape."""

    model_config = ConfigDict(frozen=True)

    field: str
    problem: str
    code: str = Field(default="", exclude=True)
    params: dict[str, str] = Field(default_factory=dict, exclude=True)

    def message(self, language: str) -> str:
        """The problem in `language`, naming the field by its label."""
        from amnesty.render.validation import describe_problem

        return describe_problem(self.field, self.code, self.params, self.problem, language)


_FIELD_PREFIX = re.compile(r"^(?P<field>[a-z_]+): (?P<problem>.+)$", re.S)


def field_errors(error: ValidationError) -> list[FieldError]:
    """Turn a Pydantic error into field paths a clerk can read (`charges[0].offence_date`)."""
    result: list[FieldError] = []
    items = error.errors(include_url=False)
    nested = [tuple(item["loc"]) for item in items]
    for item in items:
        loc = tuple(item["loc"])
        if item["type"] == "too_short" and any(len(o) > len(loc) and o[: len(loc)] == loc for o in nested):
            continue  # a collection reported empty only because its items failed: the items' errors say why
        path = ""
        for part in item["loc"]:
            if isinstance(part, int):
                path += f"[{part}]"
            elif part not in ("function-after", "function-before"):
                path += ("." if path else "") + str(part)
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field"
        named = _FIELD_PREFIX.match(message)
        if named is not None:  # a record-level check that names its field: "birth_date: ..."
            path = f"{path}.{named['field']}" if path else named["field"]
            message = named["problem"]
        params = {str(k): str(v) for k, v in (item.get("ctx") or {}).items() if k != "field"}
        code = str(item["type"]) if item["type"] != "value_error" else ""
        result.append(FieldError(field=path or "(record)", problem=message, code=code, params=params))
    return result


def parse_record(data: Any) -> CaseRecord:
    """Validate one record (a mapping); raises `ValidationError` naming the fields."""
    return CaseRecord.model_validate(data)
