"""Tables of the system of record (SQLAlchemy 2 declarative models).

Persons and their cases (with charges and the sentence) hold the facts; decisions are immutable
engine results (law hash, engine version, as-of date, full reason trace, the input they were made on
and the difference from the previous decision of the case); overrides are reviewers' decisions kept
beside the engine's (a withdrawal takes one out of force); tasks are the akimats' resocialisation
duties; users and API tokens are the accounts; audit events form an append-only hash chain.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current time in UTC (timezone-aware)."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (for migrations)."""

    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    """A person as recorded in their case records (person-level facts of the latest import)."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[str] = mapped_column(String(64), unique=True)
    iin: Mapped[str | None] = mapped_column(String(12), index=True)
    full_name: Mapped[str | None] = mapped_column(String(200), index=True)
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    region: Mapped[str | None] = mapped_column(String(40), index=True)
    role: Mapped[str] = mapped_column(String(20))
    recidivism: Mapped[str] = mapped_column(String(20))
    conviction_expunged: Mapped[bool] = mapped_column(Boolean, default=False)
    fixed_residence: Mapped[bool | None] = mapped_column(Boolean)
    able_bodied: Mapped[bool | None] = mapped_column(Boolean)
    needs_medical_care: Mapped[bool | None] = mapped_column(Boolean)
    needs_documents: Mapped[bool | None] = mapped_column(Boolean)
    sex: Mapped[str | None] = mapped_column(String(10))
    veteran: Mapped[bool | None] = mapped_column(Boolean)
    pregnant: Mapped[bool | None] = mapped_column(Boolean)
    children_under_18: Mapped[bool | None] = mapped_column(Boolean)
    sole_parent: Mapped[bool | None] = mapped_column(Boolean)
    disabled_dependant: Mapped[bool | None] = mapped_column(Boolean)
    disability_group: Mapped[int | None] = mapped_column(Integer)
    negative_conduct: Mapped[bool | None] = mapped_column(Boolean)
    malicious_violator: Mapped[bool | None] = mapped_column(Boolean)
    crime_while_serving: Mapped[bool | None] = mapped_column(Boolean)
    objects: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cases: Mapped[list[Case]] = relationship(back_populates="person", order_by="Case.id")


class Case(Base):
    """One criminal case of a person: stage, charges, sentence. `version` guards concurrent edits."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("person_fk", "case_key", name="uq_cases_person_case_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_fk: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    case_number: Mapped[str | None] = mapped_column(String(64), index=True)
    case_key: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    person: Mapped[Person] = relationship(back_populates="cases")
    charges: Mapped[list[ChargeRow]] = relationship(
        back_populates="case", order_by="ChargeRow.position", cascade="all, delete-orphan"
    )
    sentence: Mapped[SentenceRow | None] = relationship(
        back_populates="case", cascade="all, delete-orphan", uselist=False
    )
    decisions: Mapped[list[DecisionRow]] = relationship(
        back_populates="case", order_by="DecisionRow.sequence"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ChargeRow(Base):
    """One charge of a case (article, part, point, category, dates, context, tags, victim a minor, and
    the facts some laws read: Code, damage, civil claim, criminal group, intoxication). The article,
    part and point are text: "188-1" for an inserted article, the digits of a whole number."""

    __tablename__ = "charges"
    __table_args__ = (UniqueConstraint("case_fk", "position", name="uq_charges_case_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_fk: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    article: Mapped[str] = mapped_column(String(8), index=True)
    part: Mapped[str | None] = mapped_column(String(8))
    point: Mapped[str | None] = mapped_column(String(8))
    category: Mapped[str | None] = mapped_column(String(20))
    offence_date: Mapped[dt.date] = mapped_column(Date)
    offence_end_date: Mapped[dt.date | None] = mapped_column(Date)
    territory: Mapped[str] = mapped_column(String(2))
    context: Mapped[str] = mapped_column(String(20))
    tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    victim_minor: Mapped[bool | None] = mapped_column(Boolean)
    code: Mapped[str | None] = mapped_column(String(12))
    damage: Mapped[str | None] = mapped_column(String(12))
    civil_claim: Mapped[bool | None] = mapped_column(Boolean)
    criminal_group: Mapped[bool | None] = mapped_column(Boolean)
    intoxicated: Mapped[bool | None] = mapped_column(Boolean)

    case: Mapped[Case] = relationship(back_populates="charges")


class SentenceRow(Base):
    """The main punishment of a case."""

    __tablename__ = "sentences"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_fk: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    punishment: Mapped[str] = mapped_column(String(30))
    term_years: Mapped[int | None] = mapped_column(Integer)
    term_months: Mapped[int | None] = mapped_column(Integer)
    term_days: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    conditional: Mapped[bool] = mapped_column(Boolean, default=False)
    fine_amount_mci: Mapped[float | None] = mapped_column(Float)
    hours: Mapped[int | None] = mapped_column(Integer)
    additional: Mapped[list[Any]] = mapped_column(JSON, default=list)
    death_commuted: Mapped[bool | None] = mapped_column(Boolean)
    fine_unpaid_mci: Mapped[float | None] = mapped_column(Float)

    case: Mapped[Case] = relationship(back_populates="sentence")


class DecisionRow(Base):
    """An engine decision: never updated or deleted; a re-evaluation adds the next `sequence`."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("case_fk", "sequence", name="uq_decisions_case_sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_fk: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    previous_fk: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    law: Mapped[str] = mapped_column(String(64))
    law_version: Mapped[str] = mapped_column(String(128))
    engine_version: Mapped[str] = mapped_column(String(32))
    as_of: Mapped[dt.date] = mapped_column(Date)
    strict: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(30), index=True)
    acting_body: Mapped[str] = mapped_column(String(30))
    needs_review: Mapped[bool] = mapped_column(Boolean, index=True)
    provisional: Mapped[bool] = mapped_column(Boolean, index=True)
    release_mode: Mapped[str | None] = mapped_column(String(20))
    new_end_date: Mapped[dt.date | None] = mapped_column(Date)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)
    input_record: Mapped[dict[str, Any]] = mapped_column(JSON)
    diff: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))

    case: Mapped[Case] = relationship(back_populates="decisions")
    overrides: Mapped[list[OverrideRow]] = relationship(back_populates="decision", order_by="OverrideRow.id")
    claim: Mapped[ReviewClaimRow | None] = relationship(viewonly=True)


class OverrideRow(Base):
    """A reviewer's decision recorded beside an engine decision (which stays as it was)."""

    __tablename__ = "overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_fk: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(30))
    release_date: Mapped[dt.date | None] = mapped_column(Date)
    new_end_date: Mapped[dt.date | None] = mapped_column(Date)
    justification: Mapped[str] = mapped_column(Text)
    citation: Mapped[str] = mapped_column(String(300))
    reviewer: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    decision: Mapped[DecisionRow] = relationship(back_populates="overrides")
    withdrawal: Mapped[OverrideWithdrawal | None] = relationship(
        back_populates="override", lazy="selectin", uselist=False
    )


class OverrideWithdrawal(Base):
    """A reviewer's withdrawal of an override, with the reason (the override itself stays as it was;
    once withdrawn it is no longer in force). At most one per override; never changed."""

    __tablename__ = "override_withdrawals"

    id: Mapped[int] = mapped_column(primary_key=True)
    override_fk: Mapped[int] = mapped_column(ForeignKey("overrides.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    withdrawn_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    override: Mapped[OverrideRow] = relationship(back_populates="withdrawal")


class ReviewClaimRow(Base):
    """Who has taken a review item (a decision waiting for review): one row per decision, replaced on
    reassignment; the decision itself is never updated."""

    __tablename__ = "review_claims"

    decision_fk: Mapped[int] = mapped_column(ForeignKey("decisions.id"), primary_key=True)
    reviewer: Mapped[str] = mapped_column(String(64), index=True)
    assigned_by: Mapped[str] = mapped_column(String(64))
    assigned_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TaskRow(Base):
    """A resocialisation duty of a region's akimat towards a released person."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("case_fk", "kind", name="uq_tasks_case_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_fk: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    case_fk: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    decision_fk: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    kind: Mapped[str] = mapped_column(String(30))
    region: Mapped[str | None] = mapped_column(String(40), index=True)
    akimat: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), index=True)
    assignee: Mapped[str | None] = mapped_column(String(64))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    person: Mapped[Person] = relationship()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class UserRow(Base):
    """An account: username, role, region (social workers), Argon2 password hash, disabled flag."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    region: Mapped[str | None] = mapped_column(String(40))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UserProfileRow(Base):
    """Who an account belongs to: the person's full name and organisation (beside the account, whose
    row the audit trail seals as it was)."""

    __tablename__ = "user_profiles"

    user_fk: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))


class ApiToken(Base):
    """A bearer token for the API; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_fk: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[UserRow] = relationship()


class WebSession(Base):
    """A signed-in browser: only the SHA-256 digest of the cookie's random token is stored.

    A session ends when it expires or is revoked (sign-out, password reset, disabling, role or region
    change end every session of the user at once); every worker process reads the same rows.
    """

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_fk: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[UserRow] = relationship()


class LoginFailure(Base):
    """One failed sign-in of a username from a client address (its SHA-256 digest, not the address),
    kept in the database so that every worker process counts the same failures."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


Index("ix_login_failures_username_client", LoginFailure.username, LoginFailure.client)


class AuditEvent(Base):
    """One append-only audit event, chained to the previous one by its hash."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(128))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The latest event's sequence number and hash, so that deleting the newest events shows."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class JobRow(Base):
    """A background job (import, re-evaluation, impact): its progress counts, rejected rows and result.

    The state lives here so that every server process can report it; a runner claims a queued job
    by switching its status in one conditional UPDATE. `input` holds an uploaded file until the job
    no longer needs it and `output` a dry run's decisions (gzip JSON Lines); both may hold personal data."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    decided: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    input_name: Mapped[str | None] = mapped_column(String(200))
    input: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    output: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ImmutableRowError(RuntimeError):
    """Raised when code tries to change a decision, an override or an audit event."""


def _refuse_change(_mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    raise ImmutableRowError(f"{type(target).__name__} rows are immutable")


for _immutable in (DecisionRow, OverrideRow, OverrideWithdrawal, AuditEvent):
    event.listen(_immutable, "before_update", _refuse_change)
    event.listen(_immutable, "before_delete", _refuse_change)
