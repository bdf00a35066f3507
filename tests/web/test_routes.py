"""Fast tests of the web routes with FastAPI's TestClient (no browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from amnesty.domain.enums import Outcome
from amnesty.web.i18n import LANGUAGES, pick_language, po_text, translations

from .conftest import PASSWORD, csrf_of, make_app, signed_in_client

PAGES = ["/home", "/dashboard", "/cases", "/law"]


def test_signed_out_pages_redirect_to_sign_in_with_next() -> None:
    app, _ = make_app(20)
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/cases?q=x", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Fcases%3Fq%3Dx"
    assert client.get("/law").status_code == 200
    assert client.get("/law?law=kz-2022-152-vii").status_code == 200
    assert client.get("/law?law=kz-1999-none").status_code == 404


def test_sign_in_refuses_a_wrong_password_and_never_redirects_off_site() -> None:
    app, _ = make_app(20)
    from fastapi.testclient import TestClient

    client = TestClient(app)
    bad = client.post("/signin", data={"username": "admin", "password": "nope"}, follow_redirects=False)
    assert bad.status_code == 401
    good = client.post(
        "/signin",
        data={"username": "admin", "password": PASSWORD, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert good.headers["location"] == "/home"
    cookie = good.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


@pytest.mark.parametrize(
    ("username", "status"),
    [("admin", 200), ("officer", 200), ("reviewer", 403), ("social", 403), ("auditor", 403)],
)
def test_new_case_page_is_for_case_officers_and_admins(username: str, status: int) -> None:
    app, _ = make_app(20)
    assert signed_in_client(app, username).get("/cases/new").status_code == status


@pytest.mark.parametrize(
    ("username", "status"), [("reviewer", 200), ("auditor", 200), ("officer", 200), ("social", 403)]
)
def test_review_queue_access(username: str, status: int) -> None:
    app, _ = make_app(20)
    assert signed_in_client(app, username).get("/review").status_code == status


def test_social_worker_sees_only_their_region() -> None:
    app, backend = make_app(120)
    client = signed_in_client(app, "social")
    page = client.get("/cases").text
    expected = sum(1 for f in backend.files.values() if f.record.region == "Almaty")
    assert re.search(rf"Found: {expected}\b", page)
    elsewhere = next(f for f in backend.files.values() if f.record.region != "Almaty")
    assert client.get(f"/cases/{elsewhere.record.person_id}").status_code == 404


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_page_renders_in_every_language(language: str) -> None:
    app, backend = make_app(40)
    client = signed_in_client(app, "admin", language)
    person = next(iter(backend.files))
    for url in [*PAGES, "/cases/new", "/review", f"/cases/{person}", f"/cases/{person}/what-if"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.text


def test_catalogues_translate_every_message_into_russian_and_kazakh() -> None:
    import io

    from babel.messages.pofile import read_po

    for language in ("ru", "kk"):
        text = po_text(language)
        assert text is not None
        catalog = read_po(io.StringIO(text), locale=language)
        untranslated = [
            m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
        ]
        assert untranslated == [], language
    assert translations("ru").gettext("Dashboard") == "Сводка"
    assert translations("kk").gettext("Dashboard") == "Жиынтық"


def test_language_choice_cookie_then_header_then_russian() -> None:
    assert pick_language("kk", "en-US,en") == "kk"
    assert pick_language(None, "en-GB,en;q=0.9") == "en"
    assert pick_language("xx", "de-DE") == "ru"


def test_language_switch_keeps_the_page_and_refuses_foreign_targets() -> None:
    app, _ = make_app(20)
    client = signed_in_client(app, "admin")
    response = client.get("/lang/kk?next=/cases%3Fq%3Dx", follow_redirects=False)
    assert response.headers["location"] == "/cases?q=x"
    assert "lang=kk" in response.headers["set-cookie"]
    assert (
        client.get("/lang/kk?next=https://evil.example", follow_redirects=False).headers["location"]
        == "/home"
    )
    assert client.get("/lang/de").status_code == 404


def test_person_page_puts_the_headline_first_and_links_reasons_to_the_law() -> None:
    app, backend = make_app(120)
    file = next(f for f in backend.files.values() if f.decision.outcome is Outcome.REDUCE_SENTENCE)
    html = signed_in_client(app, "officer").get(f"/cases/{file.record.person_id}").text
    from amnesty.render.decisions import headline

    assert f'id="decision-headline">{headline(file.decision, "en")}<' in html
    law = file.decision.law
    assert f'<a href="/law?law={law}">' in html  # the law the decision was made under, named
    for reason in file.decision.reasons:
        assert f'href="/law?law={law}#rule-{reason.rule}"' in html
    for charge in file.decision.charges:
        assert f'href="/law?law={law}#art-{charge.article}"' in html


def test_new_case_server_validation_names_fields_in_words() -> None:
    app, backend = make_app(20)
    client = signed_in_client(app, "officer", "ru")
    token = csrf_of(client, "/cases/new")
    form = {
        "csrf_token": token,
        "person_id": "P-X",
        "iin": "850315300129",
        "stage": "serving",
        "charges-0-article": "abc",
        "charges-0-offence_date": "",
        "sentence-punishment": "imprisonment",
        "sentence-years": "3",
    }
    response = client.post("/cases/new", data=form)
    assert response.status_code == 422
    errors = re.search(r'id="form-errors".*?</div>', response.text, re.S)
    assert errors is not None
    text = errors.group(0)
    assert "ИИН: неверная контрольная цифра ИИН" in text
    assert "Статья (обвинение 1): это не номер статьи или части" in text
    assert "Обвинения:" not in text  # the charge's own errors say why, not "at least one charge"
    assert "Дата совершения (обвинение 1): обязательное поле не заполнено" in text
    # no fact by default: role and recidivism left empty are named, not stored as the model's default
    assert "Роль в событиях: выберите одно из значений списка" in text
    assert "Рецидив: выберите одно из значений списка" in text
    assert "P-X" not in backend.files


def test_new_case_refuses_a_missing_csrf_token_and_a_duplicate() -> None:
    app, backend = make_app(20)
    client = signed_in_client(app, "officer")
    from amnesty.web.forms import form_values

    existing = next(iter(backend.files.values())).record
    form = form_values(existing)
    assert client.post("/cases/new", data=form).status_code == 403
    response = client.post("/cases/new", data={**form, "csrf_token": csrf_of(client, "/cases/new")})
    assert response.status_code == 422
    assert "already in the register" in response.text


def test_new_charge_row_takes_the_next_number() -> None:
    app, _ = make_app(20)
    client = signed_in_client(app, "officer")
    html = client.get("/cases/new/charge?charges-0-article=1&charges-3-article=2").text
    assert 'id="charge-4"' in html
    assert 'name="charges-4-article"' in html


def test_what_if_changes_nothing_stored() -> None:
    app, backend = make_app(60)
    file = next(f for f in backend.files.values() if f.decision.outcome is Outcome.TERMINATE_CASE)
    client = signed_in_client(app, "reviewer")
    token = csrf_of(client, f"/cases/{file.record.person_id}/what-if")
    from amnesty.web.forms import form_values

    values = {**form_values(file.record), "charges-0-offence_date": "2022-02-01", "csrf_token": token}
    response = client.post(
        f"/cases/{file.record.person_id}/what-if", data=values, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "changed" in response.text
    assert "Not covered" in response.text
    assert backend.files[file.record.person_id] == file


def test_override_requires_reasons_and_is_recorded() -> None:
    app, backend = make_app(120)
    row = backend.review_queue()[0]
    client = signed_in_client(app, "reviewer")
    token = csrf_of(client, f"/cases/{row['person_id']}")
    url = f"/cases/{row['person_id']}/override"
    short = client.post(
        url,
        data={
            "csrf_token": token,
            "outcome": "release",
            "justification": "x",
            "citation": "",
            "decision_id": row["id"],
        },
    )
    assert short.status_code == 422
    assert "Justification: write at least 20 characters" in short.text
    assert "Citation of the law: name the article of the law the decision relies on" in short.text
    assert "Release date: a release needs the release date" in short.text
    ok = client.post(
        url,
        data={
            "csrf_token": token,
            "outcome": "release",
            "justification": "Connection with the riots proven by the court file.",
            "citation": "Law 152-VII, art. 1",
            "release_date": "2024-01-10",
            "decision_id": row["id"],
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    file = backend.person(row["person_id"])
    assert file is not None
    assert file.final_outcome is Outcome.RELEASE
    assert file.overrides[-1].reviewer == "reviewer"
    assert signed_in_client(app, "auditor").post(url, data={"csrf_token": token}).status_code == 403


def test_static_files_are_a_fixed_list() -> None:
    app, _ = make_app(20)
    from fastapi.testclient import TestClient

    client = TestClient(app)
    assert client.get("/static/htmx.min.js").status_code == 200
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/..%2Frouting.py").status_code == 404


def test_no_page_repeats_an_element_id() -> None:
    app, backend = make_app(60)
    client = signed_in_client(app, "admin")
    person = next(iter(backend.files))
    for url in [*PAGES, "/cases/new", "/review", f"/cases/{person}", f"/cases/{person}/what-if"]:
        ids = re.findall(r'\sid="([^"]+)"', client.get(url).text)
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert repeated == [], url


def test_errors_of_pages_are_html_in_the_readers_language_and_the_api_keeps_json() -> None:
    app, _ = make_app(20)
    from fastapi.testclient import TestClient

    anonymous = TestClient(app)
    page = anonymous.get("/no-such-page", headers={"Accept-Language": "kk-KZ,kk;q=0.9"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="kk">' in page.text
    assert "Бет табылмады" in page.text
    assert 'href="/"' in page.text
    api = anonymous.get("/api/no-such-page", headers={"Accept-Language": "kk"})
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"
    redirect = anonymous.get("/review", follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"].startswith("/signin?next=")
    client = signed_in_client(app, "social", "ru")
    bad = client.get("/tasks?page=abc", headers={"Referer": "http://testserver/tasks"})
    assert bad.status_code == 422
    assert "Номер страницы: не целое число" in bad.text
    assert 'href="/tasks" rel="prev"' in bad.text
    forbidden = client.get("/admin/users")
    assert forbidden.status_code == 403
    assert "Ваша роль не даёт доступа к этой странице." in forbidden.text
    assert 'href="/home"' in forbidden.text


def test_every_catalogue_is_a_valid_po_file() -> None:
    """A broken entry (an msgid without its msgstr) would make Babel print warnings on the standard
    output of every command that reads the words, e.g. into `amnesty impact --json`."""
    from babel.messages.pofile import read_po

    from amnesty.web.i18n import LANGUAGES

    for language in LANGUAGES:
        path = Path(__file__).parents[2] / "src/amnesty/web/locale" / language / "LC_MESSAGES/messages.po"
        with path.open("rb") as handle:
            assert len(read_po(handle, abort_invalid=True)) > 100


def test_the_catalogues_hold_exactly_the_messages_babel_extracts(tmp_path: Path) -> None:
    """`pybabel extract` (docs/web.md) finds every message the catalogues translate, and nothing
    more: a message the code builds at run time is marked with `N_`, and a message no code uses is
    not kept. So `pybabel update` neither drops a translation in use nor keeps a dead one."""
    from babel.messages.frontend import CommandLineInterface
    from babel.messages.pofile import read_po

    root = Path(__file__).parents[2]
    template = tmp_path / "messages.pot"
    arguments = ["-F", str(root / "src/amnesty/web/babel.cfg"), "-k", "N_", "-o", str(template)]
    CommandLineInterface().run(["pybabel", "-q", "extract", *arguments, str(root / "src/amnesty/web")])

    def ids(path: Path) -> set[str]:
        with path.open("rb") as handle:
            return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}

    extracted = ids(template)
    for language in LANGUAGES:
        kept = ids(root / "src/amnesty/web/locale" / language / "LC_MESSAGES/messages.po")
        assert sorted(kept - extracted) == [], f"{language}: in the catalogue, used by no code"
        assert sorted(extracted - kept) == [], f"{language}: in the code, not in the catalogue"


def test_the_law_page_gives_each_catalogue_row_its_own_id() -> None:
    """Art. 188 part 1 and art. 188-1 (a later addition) are two rows: their ids must differ."""
    app, _ = make_app(20)
    from fastapi.testclient import TestClient

    html = TestClient(app).get("/law").text
    ids = re.findall(r'<tr id="(code-[^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert {"code-188-1", "code-188_1", "code-188_1-1", "code-120-3-1"} <= set(ids)
