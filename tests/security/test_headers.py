"""Headers of a served process as an attacker and a browser meet them: `X-Forwarded-For` is believed
from no address unless the operator names the proxy (`amnesty serve --forwarded-allow-ips`), so a
client on the machine cannot escape the login limit by claiming addresses; every page, export and
API answer carries `Cache-Control: no-store`, the static assets alone may be cached."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from amnesty.auth.ratelimit import MAX_FAILURES
from amnesty.cli.service_commands import forwarded_options
from tests.auth.served import Served, serve

USER = "demo-reviewer"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    served = serve(tmp_path_factory.mktemp("headers"))
    yield served
    served.stop()


def _token(server: Served, user: str, address: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/auth/token",
        json={"username": user, "password": server.passwords.get(user, "wrong-password-here")},
        headers={"X-Forwarded-For": address},
        timeout=30,
    )


def test_spoofed_forwarded_for_does_not_escape_the_login_limit(server: Served) -> None:
    for attempt in range(MAX_FAILURES):
        wrong = httpx.post(
            f"{server.url}/api/auth/token",
            json={"username": USER, "password": "wrong-password-here"},
            headers={"X-Forwarded-For": f"203.0.113.{attempt + 1}"},
            timeout=30,
        )
        assert wrong.status_code == 401
    spoofed = _token(server, USER, "198.51.100.77")  # "another" address, the right password
    assert spoofed.status_code == 429, spoofed.text
    assert int(spoofed.headers["retry-after"]) > 0


def test_forwarded_headers_are_read_only_from_named_proxies() -> None:
    assert forwarded_options(None) == {"proxy_headers": False, "forwarded_allow_ips": ""}
    assert forwarded_options(" ") == {"proxy_headers": False, "forwarded_allow_ips": ""}
    assert forwarded_options("10.0.0.5, 127.0.0.1") == {
        "proxy_headers": True,
        "forwarded_allow_ips": "10.0.0.5,127.0.0.1",
    }


def test_pages_exports_and_answers_are_no_store(server: Served) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        signed = browser.post(
            "/signin",
            data={"username": "demo-admin", "password": server.passwords["demo-admin"], "next": "/home"},
            headers={"Origin": server.url},
        )
        assert signed.status_code == 303, signed.text
        for path in (
            "/home",
            "/cases",
            "/cases/export.csv",
            "/review",
            "/tasks/export.csv",
            "/jobs",
            "/audit",
        ):
            answer = browser.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            assert answer.headers["cache-control"] == "no-store", path
        assert browser.get("/api/health").headers["cache-control"] == "no-store"
        assert browser.get("/nowhere-at-all").headers["cache-control"] == "no-store"
        assert browser.get("/signin").headers["cache-control"] == "no-store"
        static = browser.get("/static/htmx.min.js")
        assert static.status_code == 200
        assert "no-store" not in static.headers.get("cache-control", "")
