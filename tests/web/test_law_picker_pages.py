"""The law picker's pages on the real application (TestClient): with one law a plain line names it;
with two, a select of their titles; an impact run compares two registered laws as `amnesty impact
--law A --against B` does; a law no pack has is refused, never replaced by the default."""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from amnesty.law.loader import deep_merge, raw_pack
from amnesty.law.registry import DEFAULT_LAW_ID, LAW_PATH_VARIABLE, get_law, registered_laws
from amnesty.store.models import Case, DecisionRow, Person
from amnesty.web import laws
from tests.jobs.test_jobs_pages import finished

from .conftest import Register, csrf_of, make_service_app, signed_in_client
from .test_every_page_words import _what_if_form

OTHER = "kz-2099-none-covered"


@pytest.fixture(scope="module")
def app() -> Iterator[FastAPI]:
    served = make_service_app(Path(tempfile.mkdtemp(prefix="amnesty-picker-")), 12)
    yield served
    served.state.engine.dispose()


@pytest.fixture
def other_law(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A second registered law that covers nobody (its offence window is in 2099)."""
    folder = tmp_path / OTHER.replace("-", "_")
    folder.mkdir()
    pack = deep_merge(
        raw_pack(),
        {
            "id": OTHER,
            "title": {"ru": "Закон-2099", "kk": "Заң-2099", "en": "Law 2099"},
            "dates": {"offence_window": {"start": "2099-01-01", "end": "2099-01-02"}},
        },
    )
    (folder / "pack.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(LAW_PATH_VARIABLE, str(tmp_path))
    return OTHER


def _client(app: FastAPI, language: str = "en") -> TestClient:
    return signed_in_client(app, "admin", language)


def test_with_one_law_a_line_names_it(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(laws, "registered_laws", lambda: (get_law(DEFAULT_LAW_ID),))
    page = _client(app, "ru").get("/cases/new").text
    title = str(get_law(DEFAULT_LAW_ID).pack.title.ru)
    assert 'id="law"' not in page
    line = re.search(r'<p class="law-line" id="law-line">(.*?)</p>', page, re.S)
    assert line, "no line naming the law"
    assert title in line.group(1)
    assert f'name="law" value="{DEFAULT_LAW_ID}"' in line.group(1)


def test_with_two_laws_a_select_of_titles_default_chosen(app: FastAPI, other_law: str) -> None:
    client = _client(app, "kk")
    expected = [
        (law.pack.id, law.pack.id == DEFAULT_LAW_ID, str(law.pack.title.kk)) for law in registered_laws()
    ]
    assert (other_law, False, "Заң-2099") in expected
    for url in ("/cases/new", "/batch", "/dashboard"):
        page = client.get(url).text
        picker = re.search(r'<select id="[a-z-]*law" name="law">(.*?)</select>', page, re.S)
        assert picker, url
        options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', picker.group(1))
        assert [(value, bool(chosen), text) for value, chosen, text in options] == expected, url


def test_an_impact_run_compares_two_laws(app: FastAPI, other_law: str) -> None:
    client = _client(app)
    form = {
        "csrf_token": csrf_of(client, "/impact"),
        "source": "demo",
        "law": other_law,
        "against": DEFAULT_LAW_ID,
        "variant_text": "",
    }
    result = client.post("/impact", data=form)
    assert result.status_code == 200, result.text
    heading = re.search(r'<h2 id="im-result">(.*?)</h2>', result.text, re.S)
    assert heading
    assert "Law 2099" in heading.group(1)
    assert str(get_law(DEFAULT_LAW_ID).pack.title.en) in heading.group(1).replace("&#34;", '"')
    persons = re.search(r"change outcome\w*: <strong>(\d+)</strong>", result.text)
    assert persons
    assert int(persons.group(1)) > 0  # the law covering nobody changes every covered person
    assert 'name="against"' in result.text


def test_a_law_no_pack_has_is_refused(app: FastAPI, other_law: str) -> None:
    client = _client(app)
    assert client.get("/dashboard?law=kz-1999-none").status_code == 404
    assert client.get(f"/dashboard?law={other_law}").status_code == 200
    token = csrf_of(client, "/jobs")
    refused = client.post("/jobs/reevaluate", data={"csrf_token": token, "law": "kz-1999-none"})
    assert refused.status_code == 422


def test_a_what_if_decides_the_changed_facts_under_the_law_picked(app: FastAPI, other_law: str) -> None:
    client = _client(app)
    person = next(iter(Register(app.state.sessions).files))
    form_page = client.get(f"/cases/{person}/what-if").text
    form = _what_if_form(form_page)
    assert form["law"] == DEFAULT_LAW_ID  # the law the stored decision was made under
    same = client.post(f"/cases/{person}/what-if", data=form)
    other = client.post(f"/cases/{person}/what-if", data=form | {"law": other_law})
    assert same.status_code == other.status_code == 200

    def law_row(html: str) -> str:
        row = re.search(r'<tr><th scope="row"( class="changed")?>The law</th>(.*?)</tr>', html, re.S)
        assert row, "no row naming the law"
        return str(row.group(1) or "") + row.group(2)

    assert "changed" not in law_row(same.text)
    assert "changed" in law_row(other.text)
    assert "Law 2099" in law_row(other.text)


def test_an_import_is_tried_and_stored_under_the_law_picked(app: FastAPI, other_law: str) -> None:
    client = _client(app)
    rows = (
        "person_id,full_name,stage,region,article,part,category,offence_date,context\n"
        "LP-1,Один,pre_trial,Almaty,293,1,small,2022-01-05,riot\n"
    )
    trial = client.post(
        "/batch",
        data={"csrf_token": csrf_of(client, "/batch"), "law": other_law},
        files={"file": ("people.csv", rows)},
        follow_redirects=False,
    )
    assert trial.status_code == 303, trial.text
    url = trial.headers["location"]
    finished(client, url)
    tried = client.get(url + "/decisions.jsonl").text.replace(" ", "")
    assert '"outcome":"not_covered"' in tried  # the law picked covers nobody; the default releases
    added = client.post(url + "/add", data={"csrf_token": csrf_of(client, url)}, follow_redirects=False)
    assert added.status_code == 303
    finished(client, added.headers["location"])
    with app.state.sessions() as db:
        stored = db.scalars(
            select(DecisionRow.law).join(Case).join(Person).where(Person.person_id == "LP-1")
        ).all()
    assert stored == [other_law]


def test_the_dashboard_links_to_the_cases_under_its_law(app: FastAPI, other_law: str) -> None:
    client = _client(app)
    dashboard = client.get(f"/dashboard?law={other_law}").text
    assert f'href="/cases?outcome=release&law={other_law}"' in dashboard
    cases = client.get(f"/cases?outcome=release&law={other_law}")
    assert cases.status_code == 200
    assert 'id="cases-law"' in cases.text
    assert "Law 2099" in cases.text
    assert f'<input type="hidden" name="law" value="{other_law}">' in cases.text
    assert "Found: 0" in cases.text  # nobody was decided under the law that covers nobody
    export = re.search(r'href="(/cases/export\.csv[^"]*)"', cases.text)
    assert export
    assert html.unescape(export.group(1)).endswith(f"&law={other_law}")
    assert client.get("/cases?law=kz-1999-none").status_code == 404
    assert "Found: 0" not in client.get(f"/cases?outcome=release&law={DEFAULT_LAW_ID}").text
