"""Several laws through the API: `GET /api/laws`, and the `law` parameter of evaluation and import
(CONTRACT.md, "Several laws")."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from amnesty.auth import Role
from amnesty.law.loader import deep_merge, raw_pack
from amnesty.law.registry import DEFAULT_LAW_ID, LAW_PATH_VARIABLE


def test_laws_lists_the_registered_packs(service):
    response = service.client.get("/api/laws", headers=service.as_role(Role.AUDITOR))
    assert response.status_code == 200, response.text
    laws = response.json()
    assert [law["id"] for law in laws] == ["kz-2021-81-vii", DEFAULT_LAW_ID]
    assert laws[1]["dates"]["offence_window"]["provenance"] == "verified"
    assert laws[0]["dates"].get("offence_window") is None  # the 2021 law reaches every offence before it


def test_evaluate_takes_the_law_by_id(service, record, unique_id):
    body = record(unique_id())
    headers = service.as_role(Role.ADMIN)
    default = service.client.post("/api/evaluate", json=body, headers=headers)
    named = service.client.post(f"/api/evaluate?law={DEFAULT_LAW_ID}", json=body, headers=headers)
    assert default.status_code == named.status_code == 200
    assert named.json() == default.json()
    assert named.json()["law"] == DEFAULT_LAW_ID


def test_an_unknown_law_is_a_422_in_the_readers_language(service, record, unique_id):
    headers = service.as_role(Role.ADMIN) | {"Accept-Language": "ru"}
    response = service.client.post(
        "/api/evaluate?law=kz-1999-none", json=record(unique_id()), headers=headers
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unknown_law"
    assert error["fields"][0]["field"] == "law"
    assert "не зарегистрирован" in error["message"]
    assert DEFAULT_LAW_ID in error["message"]


def test_a_law_added_as_a_folder_is_served(
    service, record, unique_id, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = tmp_path / "kz_2099_none_covered"
    folder.mkdir()
    pack = deep_merge(
        raw_pack(),
        {
            "id": "kz-2099-none-covered",
            "dates": {"offence_window": {"start": "2099-01-01", "end": "2099-01-02"}},
        },
    )
    (folder / "pack.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(LAW_PATH_VARIABLE, str(tmp_path))
    headers = service.as_role(Role.ADMIN)
    assert [law["id"] for law in service.client.get("/api/laws", headers=headers).json()] == [
        "kz-2021-81-vii",
        DEFAULT_LAW_ID,
        "kz-2099-none-covered",
    ]
    body = record(unique_id())
    under_default = service.client.post("/api/evaluate", json=body, headers=headers).json()
    under_other = service.client.post(
        "/api/evaluate?law=kz-2099-none-covered", json=body, headers=headers
    ).json()
    assert under_default["outcome"] == "release"
    assert under_other["law"] == "kz-2099-none-covered"
    assert under_other["outcome"] == "not_covered"
