"""Demo data for `amnesty serve --demo`: synthetic case records and one user per role.

Records come from the January preset of `amnesty.synth` (invented persons). Demo users get fresh
random passwords on every run; they are returned to be printed once and are never stored in clear.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amnesty.auth.passwords import generate_password
from amnesty.auth.roles import Role
from amnesty.auth.users import create_user, get_user, set_disabled, set_password
from amnesty.io.json_records import ParsedRecord, RecordError, validate_item
from amnesty.law.loader import Law
from amnesty.store.cases import ImportResult, import_records
from amnesty.store.models import Person
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset

DEMO_REGION = "Almaty"
DEMO_ACTOR = "demo-seed"


@dataclass(frozen=True)
class DemoUser:
    """A demo account and its password (shown once)."""

    username: str
    role: Role
    region: str | None
    password: str


def synthetic_records(persons: int, seed: int = 0) -> tuple[list[ParsedRecord | RecordError], str]:
    """Records for the demo (the January preset of `amnesty.synth`) and where they come from."""
    people = list(generate(Preset.JANUARY, persons, seed))
    items = [validate_item(index, None, person) for index, person in enumerate(people)]
    return items, f"amnesty.synth january preset ({persons} persons, seed {seed})"


def seed_records(db: Session, law: Law, persons: int = 600, seed: int = 0) -> tuple[ImportResult | None, str]:
    """Import the demo records unless the database already holds persons; the caller commits."""
    if (db.scalar(select(func.count(Person.id))) or 0) > 0:
        return None, "the database already holds case records; none were added"
    items, source = synthetic_records(persons, seed)
    return import_records(db, items, DEMO_ACTOR, law=law), source


def seed_users(db: Session) -> list[DemoUser]:
    """One demo user per role (`demo-admin`, ...), created or given a new password; the caller commits."""
    users: list[DemoUser] = []
    for role in Role:
        username = f"demo-{role.value.replace('_', '-')}"
        region = DEMO_REGION if role is Role.SOCIAL_WORKER else None
        password = generate_password()
        existing = get_user(db, username)
        if existing is None:
            create_user(db, username, password, role, region, actor=DEMO_ACTOR)
        else:
            set_password(db, existing, password, actor=DEMO_ACTOR)
            if existing.disabled:
                set_disabled(db, existing, False, actor=DEMO_ACTOR)
        users.append(DemoUser(username, role, region, password))
    return users
