"""Issue 23: a row of an import (the API's and a file's) with the full name and birth date of a
person on file, and no IIN that matches, makes a new person and is counted and listed as "possibly the
same person" (name compared without case, ё/е and extra spaces); the import says for how many rows the
data contract's default role and recidivism were applied. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from amnesty.auth import Role
from amnesty.store.bulk import name_key, persons_by_name_and_birth
from amnesty.store.models import Person


def test_name_key_leaves_case_yo_and_spaces_aside() -> None:
    assert name_key("  Семёнов   Артём\tИльич ") == name_key("семенов артем ильич")
    assert name_key("Семёнов Артём") != name_key("Семёнова Артём")


def test_an_import_flags_a_name_and_birth_date_on_file(service, record, unique_id) -> None:
    admin = service.as_role(Role.ADMIN)
    tag = unique_id("N")
    name = f"Семёнов Артём {tag}"
    born = "1979-11-30"
    owner = unique_id("PSO")
    first = service.client.post(
        "/api/import",
        json=[record(owner, full_name=name, birth_date=born, role="participant", recidivism="none")],
        headers=admin,
    )
    assert first.status_code == 201, first.text
    assert first.json()["possibly_same"] == 0
    assert "defaults_applied" in first.json()
    assert first.json()["defaults_applied"] == {}
    twin, other = unique_id("PST"), unique_id("PSX")
    rows = [
        record(other, full_name=f"Другой {tag}", birth_date=born),
        record(twin, full_name=f"  СЕМЕНОВ  артем {tag.lower()} ", birth_date=born),
    ]
    second = service.client.post("/api/import", json=rows, headers=admin)
    assert second.status_code == 201, second.text
    answer = second.json()
    assert answer["created"] == 2, "the import makes the new person; it flags the row, merges nothing"
    assert answer["possibly_same"] == 1
    assert answer["possibly_same_rows"] == [{"row": 2, "person_id": twin, "on_file": 1}]
    assert answer["defaults_applied"] == {
        "role": {"rows": 2, "value": "participant"},
        "recidivism": {"rows": 2, "value": "none"},
    }
    with service.app.state.sessions() as db:
        found = persons_by_name_and_birth(db, [(name, dt.date(1979, 11, 30))])
        assert [p.person_id for p in found[(name_key(name), dt.date(1979, 11, 30))]] == sorted([owner, twin])
        assert persons_by_name_and_birth(db, [(name, dt.date(1979, 11, 30))], region="Nowhere") == {}
        assert db.scalar(select(Person.id).where(Person.person_id == twin)) is not None


def test_a_birth_date_known_only_from_the_iin_matches(service, record, unique_id) -> None:
    from amnesty.domain.iin import make_iin

    admin = service.as_role(Role.ADMIN)
    name = f"Ибраев Нурлан {unique_id('I')}"
    owner = unique_id("PSI")
    iin = make_iin(dt.date(1984, 2, 29), 2000 + int(owner[-3:], 16) % 5000)
    first = service.client.post("/api/import", json=[record(owner, full_name=name, iin=iin)], headers=admin)
    assert first.status_code == 201, first.text
    twin = unique_id("PSJ")
    second = service.client.post(
        "/api/import", json=[record(twin, full_name=name, birth_date="1984-02-29")], headers=admin
    )
    assert second.status_code == 201, second.text
    assert second.json()["possibly_same_rows"] == [{"row": 1, "person_id": twin, "on_file": 1}]
