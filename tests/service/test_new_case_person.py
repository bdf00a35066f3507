"""Whose file a new case goes to (`amnesty.service.cases.resolve_person`): an IIN in the register wins
over a typed number, the system issues the next number of its series when none was given, and a
name (any letter case, spaces) and birth date already in the register are offered as possibly the
same person."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from amnesty.auth import Role
from amnesty.domain.iin import make_iin
from amnesty.domain.records import parse_record
from amnesty.service import cases


def _unique_iin() -> str:
    return make_iin(dt.date(1985, 3, 15), 1000 + secrets.randbelow(8000))


@dataclass(frozen=True)
class Officer:
    """A case officer as the policy sees one."""

    username: str = "officer-test"
    role: str = Role.CASE_OFFICER.value
    region: str | None = None


def _record(person_id: str, **extra: object):
    data = {
        "person_id": person_id,
        "region": "Astana",
        "stage": "pre_trial",
        "charges": [{"article": 188, "part": 2, "category": "medium", "offence_date": "2022-01-06"}],
        **extra,
    }
    return parse_record(data)


def test_an_iin_in_the_register_wins_over_the_number_typed(service, record, unique_id):
    owner, iin = unique_id(), _unique_iin()
    response = service.client.post(
        "/api/import", json=[record(owner, iin=iin)], headers=service.as_role(Role.ADMIN)
    )
    assert response.status_code == 201, response.text
    with service.app.state.sessions() as db:
        found = cases.resolve_person(db, Officer(), _record("TYPED-1", iin=iin), given=True)
    assert found.person_id == owner
    assert found.matched_by_iin is not None
    assert found.matched_by_iin.person_id == owner
    assert not found.issued


def test_the_system_issues_the_next_number_of_its_series(service, record):
    with service.app.state.sessions() as db:
        first = cases.issue_person_id(db)
    assert first.startswith("P-")
    assert len(first) == 10
    response = service.client.post("/api/import", json=[record(first)], headers=service.as_role(Role.ADMIN))
    assert response.status_code == 201, response.text
    with service.app.state.sessions() as db:
        second = cases.issue_person_id(db)
        found = cases.resolve_person(db, Officer(), _record(cases.ISSUED_PREFIX), given=False)
    assert int(second[2:]) == int(first[2:]) + 1
    assert found.person_id == second
    assert found.issued


def test_a_name_and_birth_date_are_offered_as_possibly_the_same_person(service, record, unique_id):
    twin = unique_id()
    stored = record(twin, full_name="Двойников  Пётр Ильич", birth_date="1990-02-03")
    stored.pop("iin", None)
    response = service.client.post("/api/import", json=[stored], headers=service.as_role(Role.ADMIN))
    assert response.status_code == 201, response.text
    typed = _record("NEW-1", full_name="двойников пётр ильич", birth_date="1990-02-03")
    other_day = _record("NEW-2", full_name="двойников пётр ильич", birth_date="1990-02-04")
    with service.app.state.sessions() as db:
        found = cases.resolve_person(db, Officer(), typed, given=True)
        none = cases.resolve_person(db, Officer(), other_day, given=True)
    assert [m.person_id for m in found.possible] == [twin]
    assert found.person_id == "NEW-1"
    assert none.possible == ()
