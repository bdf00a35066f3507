"""ASGI middleware: security headers on every response, a cap on request bodies, unexpected
errors answered as JSON (as the web's HTML error page on a page path, when the application gives one),
and request logging without personal data.

The body cap (`AMNESTY_MAX_BODY_BYTES`, default 64 MiB) counts the bytes actually received, so a
chunked body (no Content-Length) or a lying Content-Length is cut off as soon as it passes the cap:
the request is answered 413 `payload_too_large` and the rest of the body is never read. The routes
that spool a file to disk as it arrives (`amnesty.jobs.uploads.STREAMED_PATHS`) have their own
limit, enforced while streaming; the cap here is then above it.

The log line names the method, the route *template* (`/api/persons/{person_id}`, never the actual
identifier or query string), the status and the duration.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from amnesty.auth.sessions import cookie_must_be_secure, request_is_secure
from amnesty.jobs.uploads import STREAMED_PATHS, streamed_body_limit

LOG = logging.getLogger("amnesty.access")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
"""Swagger UI and ReDoc (`/docs`, `/redoc`) start from an inline script; everything they load is
served by the application itself."""
INTERNAL_ERROR = (
    b'{"error":{"code":"internal_error","message":"unexpected server error; it has been logged","fields":[]}}'
)
BASE_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"strict-origin-when-cross-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=(), payment=()",
    b"cross-origin-opener-policy": b"same-origin",
    b"cross-origin-resource-policy": b"same-origin",
}


STATIC_PREFIXES = ("/static/", "/favicon.")
"""The only responses a browser or proxy may keep: the style sheet, htmx and the icons."""


def is_static(path: str) -> bool:
    """Whether the path is a static asset (cacheable); every other response is `no-store`."""
    return path.startswith(STATIC_PREFIXES)


def _host(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"host":
            host: str = value.decode("latin-1")
            if host.startswith("["):
                return host[1 : host.find("]")]
            return host.rsplit(":", 1)[0]
    server = scope.get("server")
    return str(server[0]) if server else None


MAX_BODY_BYTES = 64 * 1024 * 1024
MAX_BODY_ENV = "AMNESTY_MAX_BODY_BYTES"


def _too_large(limit: int) -> bytes:
    size = f"{limit // (1024 * 1024)} MiB" if limit % (1024 * 1024) == 0 else f"{limit} bytes"
    return (
        b'{"error":{"code":"payload_too_large","message":"the request body is larger than '
        + size.encode()
        + b'","fields":[]}}'
    )


def configured_body_limit() -> int:
    """The body cap in bytes: `AMNESTY_MAX_BODY_BYTES` if set, else 64 MiB."""
    value = os.environ.get(MAX_BODY_ENV, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else MAX_BODY_BYTES


class PayloadTooLargeError(Exception):
    """The request body passed the cap while it was being read."""


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


async def _send_error(send: Send, status: int, body: bytes) -> None:
    headers = [
        (b"content-type", b"application/json"),
        *BASE_HEADERS.items(),
        (b"content-security-policy", CSP.encode()),
    ]
    headers.append((b"cache-control", b"no-store"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Adds the security headers (CSP, nosniff, frame denial, HSTS over HTTPS, and `Cache-Control:
    no-store` on every response but the static assets: pages, exports and API answers)."""

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int | None = None,
        error_page: Callable[[Request], Response | None] | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes or configured_body_limit()
        self.error_page = error_page
        """The web's page for an unexpected error of a page path (None: JSON for every path)."""

    def _page(self, scope: Scope) -> Response | None:
        """The web's error page for an unexpected error of a page path, or None (API, or no page)."""
        if self.error_page is None:
            return None
        try:
            return self.error_page(Request(scope))
        except Exception:
            return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        https = scope.get("scheme") == "https"
        limit = streamed_body_limit() if path in STREAMED_PATHS else self.max_body_bytes
        if _declared_length(scope) > limit:
            await _send_error(send, 413, _too_large(limit))
            return
        received = {"bytes": 0, "too_large": False}

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                received["bytes"] += len(message.get("body", b""))
                if received["bytes"] > limit:
                    received["too_large"] = True
                    raise PayloadTooLargeError
            return message

        marker = request_is_secure.set(cookie_must_be_secure(scope.get("scheme", "http"), _host(scope)))
        started = time.perf_counter()
        status_holder: dict[str, Any] = {}

        async def send_with_headers(message: Message) -> None:
            if received["too_large"]:
                # whatever the application answers to the cut body, the client gets the 413
                if "status" not in status_holder:
                    status_holder["status"] = 413
                    await _send_error(send, 413, _too_large(limit))
                return
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in BASE_HEADERS]
                headers.extend(BASE_HEADERS.items())
                csp = DOCS_CSP if path in ("/docs", "/redoc") else CSP
                if not any(k.lower() == b"content-security-policy" for k, _ in headers):
                    headers.append((b"content-security-policy", csp.encode()))
                if https:
                    headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
                if not is_static(path):  # pages, exports and answers may carry personal data
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, counting_receive, send_with_headers)
        except PayloadTooLargeError:
            await send_with_headers({"type": "http.response.start", "status": 413, "headers": []})
        except Exception as error:
            if received["too_large"]:
                await send_with_headers({"type": "http.response.start", "status": 413, "headers": []})
                return
            # Answer 500 as JSON here, so no traceback (which may quote case data) reaches the server log.
            route = scope.get("route")
            LOG.error(
                "unexpected %s in %s %s",
                type(error).__name__,
                scope.get("method", "?"),
                getattr(route, "path", "?"),
            )
            if "status" not in status_holder:
                page = self._page(scope)
                if page is not None:
                    await page(scope, receive, send_with_headers)
                    return
                await send_with_headers(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"application/json")],
                    }
                )
                await send_with_headers({"type": "http.response.body", "body": INTERNAL_ERROR})
        finally:
            request_is_secure.reset(marker)
            route = scope.get("route")
            template = getattr(route, "path", None) or "/?"
            if path.startswith("/api") and not template.startswith("/api"):
                template = "/api" + template
            LOG.info(
                "%s %s %s %.1fms",
                scope.get("method", "?"),
                template,
                status_holder.get("status", "-"),
                (time.perf_counter() - started) * 1000,
            )
