"""The CSRF check accepts the same-origin posts real browsers send and refuses the others; the
sign-in form has an origin check too. Driven through the real /signout and /signin forms."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from amnesty.auth import Role
from tests.auth.conftest import PASSWORD, Site, sign_in, username_of


def _signed_in(site: Site, base_url: str = "http://testserver") -> tuple[TestClient, str]:
    client = TestClient(site.app, base_url=base_url)
    assert sign_in(client, username_of(Role.REVIEWER)) == 303
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/home").text)
    assert match
    return client, match.group(1)


def _sign_out(client: TestClient, csrf: str, headers: dict[str, str]) -> int:
    response = client.post("/signout", data={"csrf_token": csrf}, headers=headers, follow_redirects=False)
    return response.status_code


ACCEPTED = {
    "origin": {"Origin": "http://testserver"},
    "origin and fetch metadata": {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    "referer only": {"Referer": "http://testserver/home"},
    "origin with the default port": {"Origin": "http://testserver:80"},
    "neither (not a browser)": {},
}
REFUSED = {
    "null origin": {"Origin": "null"},
    "foreign origin": {"Origin": "https://evil.example"},
    "foreign referer": {"Referer": "https://evil.example/page"},
    "other port": {"Origin": "http://testserver:8081"},
    "sub-domain": {"Origin": "http://a.testserver"},
    "cross-site fetch": {"Sec-Fetch-Site": "cross-site"},
    "same-site fetch": {"Origin": "http://testserver", "Sec-Fetch-Site": "same-site"},
    "not http": {"Origin": "file://testserver"},
}


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_same_origin_form_posts_are_accepted(site: Site, case: str) -> None:
    client, csrf = _signed_in(site)
    assert _sign_out(client, csrf, ACCEPTED[case]) == 303
    assert client.get("/api/auth/me").status_code == 401


@pytest.mark.parametrize("case", list(REFUSED))
def test_cross_origin_form_posts_are_refused(site: Site, case: str) -> None:
    client, csrf = _signed_in(site)
    assert _sign_out(client, csrf, REFUSED[case]) == 403
    assert client.get("/api/auth/me").status_code == 200


def test_the_host_header_names_the_site_behind_a_tls_proxy(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the proxy terminates TLS and passes Host through; the app itself sees plain HTTP (and the test
    # client, speaking plain HTTP, needs the cookie without `Secure`)
    monkeypatch.setenv("AMNESTY_COOKIE_SECURE", "0")
    client, csrf = _signed_in(site, base_url="http://amnesty.example")
    assert _sign_out(client, csrf, {"Origin": "https://amnesty.example"}) == 303
    client, csrf = _signed_in(site, base_url="http://amnesty.example:8443")
    assert _sign_out(client, csrf, {"Origin": "https://amnesty.example:8443"}) == 303
    client, csrf = _signed_in(site, base_url="http://amnesty.example")
    assert _sign_out(client, csrf, {"Origin": "https://amnesty.example.evil.example"}) == 403


def test_a_token_of_another_session_is_refused(site: Site) -> None:
    client, _csrf = _signed_in(site)
    _other, other_csrf = _signed_in(site)
    assert _sign_out(client, other_csrf, {"Origin": "http://testserver"}) == 403
    assert _sign_out(client, "", {"Origin": "http://testserver"}) == 403


def test_the_sign_in_form_checks_the_origin(site: Site) -> None:
    client = TestClient(site.app)
    data = {"username": username_of(Role.ADMIN), "password": PASSWORD, "next": "/home"}
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = client.post("/signin", data=data, headers=headers, follow_redirects=False)
        assert refused.status_code == 403
        assert "amnesty_session" not in refused.headers.get("set-cookie", "")
    accepted = client.post(
        "/signin", data=data, headers={"Referer": "http://testserver/signin"}, follow_redirects=False
    )
    assert accepted.status_code == 303


def test_the_referrer_policy_lets_browsers_name_the_origin(site: Site) -> None:
    response = TestClient(site.app).get("/signin")
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
