"""The API documentation works without internet: `/docs` (Swagger UI) and `/redoc` of `amnesty serve`
reference only assets of the same origin, those assets answer 200, and Chromium renders both pages
with every request to another origin refused."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.web.conftest import LiveServer, browser

__all__ = ["browser"]

PAGES = ("/docs", "/redoc")
_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url:\s*'([^']+)'|spec-url="([^"]+)\"""")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("docs"), 2) as server:
        yield server


def _get(url: str) -> tuple[int, bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.status, answer.read(), dict(answer.headers.items())


def _same_origin(url: str, base: str) -> bool:
    target, origin = urlsplit(url), urlsplit(base)
    return (target.scheme, target.netloc) == (origin.scheme, origin.netloc)


@pytest.mark.parametrize("page", PAGES)
def test_docs_page_references_only_same_origin_assets_that_answer(served: LiveServer, page: str) -> None:
    status, body, headers = _get(served.url + page)
    assert status == 200
    html = body.decode()
    references = [next(g for g in groups if g) for groups in _REFERENCE.findall(html)]
    assets = [urljoin(served.url + page, ref) for ref in references]
    assert any(asset.endswith(".js") for asset in assets), html
    assert "/openapi.json" in {urlsplit(asset).path for asset in assets}
    foreign = [asset for asset in assets if not _same_origin(asset, served.url)]
    assert not foreign, f"{page} loads from elsewhere: {foreign}"
    assert "cdn" not in html.lower()
    assert "https://" not in html
    for asset in assets:
        asset_status, content, _ = _get(asset)
        assert asset_status == 200, asset
        assert content, asset
    policy = headers["content-security-policy"]
    assert "https:" not in policy, policy
    assert "http:" not in policy, policy


@pytest.mark.parametrize(
    ("page", "rendered", "operation"),
    [("/docs", ".swagger-ui .info .title", ".opblock"), ("/redoc", "h1", "li[data-item-id]")],
)
def test_docs_render_in_chromium_without_internet(
    browser: Any, served: LiveServer, page: str, rendered: str, operation: str
) -> None:
    context = browser.new_context(locale="ru-RU")
    refused: list[str] = []
    loaded: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if _same_origin(url, served.url) or url.startswith(("data:", "blob:")):
            loaded.append(url)
            request_route.continue_()
        else:
            refused.append(url)
            request_route.abort()

    context.route("**/*", route)
    try:
        tab = context.new_page()
        tab.goto(served.url + page)
        title = tab.locator(rendered).first
        title.wait_for(state="visible", timeout=30_000)
        assert "amnesty" in title.inner_text()
        tab.locator(operation).first.wait_for(state="visible")
        assert tab.locator(operation).count() > 10
    finally:
        context.close()
    assert not refused, f"{page} asked another origin for {refused}"
    assert any(url.endswith(".js") for url in loaded)
