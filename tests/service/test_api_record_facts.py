"""The API takes and gives back the facts some laws read (CONTRACT.md, "Several laws"): evaluation,
import, the person's file, a case update; the OpenAPI document names them."""

from __future__ import annotations

from typing import Any

from amnesty.auth import Role

FACTS: dict[str, Any] = {
    "sex": "female",
    "veteran": False,
    "children_under_18": True,
    "sole_parent": True,
    "disability_group": 2,
    "negative_conduct": False,
    "malicious_violator": True,
}
CHARGE_FACTS: dict[str, Any] = {
    "code": "kz-2014",
    "article": "188-1",
    "part": "1-1",
    "damage": "outstanding",
    "civil_claim": True,
    "criminal_group": True,
    "intoxicated": None,
}


def _with_facts(record: Any, person_id: str) -> dict[str, Any]:
    data = record(person_id) | FACTS
    data["charges"] = [data["charges"][0] | CHARGE_FACTS, *data["charges"][1:]]
    if data.get("sentence"):
        data["sentence"] = data["sentence"] | {"death_commuted": True, "fine_unpaid_mci": 7.0}
    return data


def test_evaluate_takes_the_new_facts(service, record, unique_id):
    data = _with_facts(record, unique_id())
    response = service.client.post("/api/evaluate", json=data, headers=service.as_role(Role.CASE_OFFICER))
    assert response.status_code == 200, response.text
    bad = data | {"disability_group": 4}
    response = service.client.post("/api/evaluate", json=bad, headers=service.as_role(Role.CASE_OFFICER))
    assert response.status_code == 422
    assert "disability_group" in response.text


def test_imported_facts_come_back_in_the_person_file_and_survive_an_update(service, record, unique_id):
    person_id = unique_id()
    data = _with_facts(record, person_id)
    response = service.client.post("/api/import", json=[data], headers=service.as_role(Role.ADMIN))
    assert response.status_code == 201, response.text
    (case_id,) = response.json()["case_ids"]
    person = service.client.get(f"/api/persons/{person_id}", headers=service.as_role(Role.REVIEWER)).json()
    assert {name: person[name] for name in FACTS} == FACTS
    assert person["pregnant"] is None
    assert person["objects"] is False
    charge = person["cases"][0]["record"]["charges"][0]
    assert {name: charge[name] for name in CHARGE_FACTS} == CHARGE_FACTS
    headers = service.as_role(Role.CASE_OFFICER)
    version = service.client.get(f"/api/cases/{case_id}", headers=headers).json()["version"]
    changed = data | {"veteran": True, "malicious_violator": False}
    response = service.client.put(
        f"/api/cases/{case_id}", json={"version": version, "record": changed}, headers=headers
    )
    assert response.status_code == 200, response.text
    person = service.client.get(f"/api/persons/{person_id}", headers=service.as_role(Role.REVIEWER)).json()
    assert (person["veteran"], person["malicious_violator"]) == (True, False)


def test_openapi_names_the_new_facts(service):
    schema = service.client.get("/openapi.json").json()
    text = str(schema)
    for name in (*FACTS, "pregnant", "objects", "death_commuted", "fine_unpaid_mci", *CHARGE_FACTS):
        assert f"'{name}'" in text, name
    assert "life_imprisonment" in text
