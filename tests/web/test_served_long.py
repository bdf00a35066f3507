"""The served test application keeps answering after more requests than a pipe's worth of access log:
its log goes to a file (`LiveServer.log`), so a long test session never stalls on a full pipe."""

from __future__ import annotations

import httpx

from .conftest import LiveServer, Register


def test_the_served_application_answers_after_two_thousand_requests(
    live: tuple[LiveServer, Register],
) -> None:
    server, _ = live
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for _ in range(2000):
            assert client.get("/signin").status_code == 200
        assert client.get("/api/health").json()["database"] == "ok"
    assert "GET /signin 200" in server.log.read_text(errors="replace")
