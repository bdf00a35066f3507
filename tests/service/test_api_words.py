"""API errors keep their stable machine code and give the message in the language of Accept-Language."""

from __future__ import annotations

from amnesty.auth import Role


def test_validation_error_message_follows_accept_language(service, record, unique_id):
    bad = record(unique_id())
    bad["charges"][0]["offence_date"] = "2022-02-30"
    headers = {**service.as_role(Role.ADMIN), "Accept-Language": "kk-KZ,ru;q=0.8"}
    response = service.client.post("/api/evaluate", json=bad, headers=headers)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"].startswith("кіріс деректер дұрыс емес: ")
    field = next(f for f in error["fields"] if f["field"] == "charges[0].offence_date")
    assert field["code"] == "date_from_datetime_parsing"
    assert field["problem"] == "күн дұрыс емес (айда мұндай күн жоқ)"


def test_english_stays_the_default(service, record, unique_id):
    bad = record(unique_id())
    bad["charges"][0]["offence_date"] = "2022-02-30"
    response = service.client.post("/api/evaluate", json=bad, headers=service.as_role(Role.ADMIN))
    error = response.json()["error"]
    assert error["message"].startswith("invalid input: ")
    assert "day value is outside expected range" in error["fields"][0]["problem"]


def test_not_found_in_russian(service):
    headers = {**service.as_role(Role.ADMIN), "Accept-Language": "ru"}
    response = service.client.get("/api/no-such-thing", headers=headers)
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": "не найдено", "fields": []}


def test_search_by_surname_finds_the_demo_person(service):
    from tests.service.conftest import demo_records

    target = next(r for r in demo_records() if r.get("full_name"))
    surname = target["full_name"].split(" ")[0]
    assert surname[0] in "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЫІЭЮЯ"
    response = service.client.get("/api/persons", params={"q": surname}, headers=service.as_role(Role.ADMIN))
    assert response.status_code == 200, response.text
    body = response.json()
    items = body.get("items", body.get("persons", []))
    assert target["person_id"] in [item["person_id"] for item in items], body
    typed = service.client.get(
        "/api/persons", params={"q": surname.lower()[:5]}, headers=service.as_role(Role.ADMIN)
    ).json()
    typed_items = typed.get("items", typed.get("persons", []))
    assert target["person_id"] in [item["person_id"] for item in typed_items], "lower-case search"
