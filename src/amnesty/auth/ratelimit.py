"""Login rate limiting: too many failed attempts for one username from one address lock it out.

In-process (one server process, as `amnesty serve` runs); a multi-process deployment should put the
same limit in its reverse proxy as well.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


class LoginRateLimitedError(Exception):
    """Raised when a username+address pair has failed too often; says when to retry."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after} seconds")
        self.retry_after = retry_after


class LoginRateLimiter:
    """Sliding window of failed attempts per (username, client address)."""

    def __init__(self, max_failures: int = MAX_FAILURES, window_seconds: float = WINDOW_SECONDS) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._failures: defaultdict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    @staticmethod
    def _key(username: str, client: str) -> tuple[str, str]:
        return (username.strip().casefold(), client)

    def _prune(self, window: deque[float], now: float) -> None:
        while window and now - window[0] >= self.window_seconds:
            window.popleft()

    def check(self, username: str, client: str) -> None:
        """Raise `LoginRateLimitedError` when the pair is locked out."""
        now = time.monotonic()
        with self._lock:
            window = self._failures.get(self._key(username, client))
            if window is None:
                return
            self._prune(window, now)
            if len(window) >= self.max_failures:
                raise LoginRateLimitedError(max(1, int(self.window_seconds - (now - window[0])) + 1))

    def failure(self, username: str, client: str) -> None:
        """Count a failed attempt."""
        with self._lock:
            self._failures[self._key(username, client)].append(time.monotonic())

    def success(self, username: str, client: str) -> None:
        """Forget the failures of a pair after a successful login."""
        with self._lock:
            self._failures.pop(self._key(username, client), None)

    def reset(self) -> None:
        """Forget everything (tests, or an administrator's restart)."""
        with self._lock:
            self._failures.clear()


LOGIN_LIMITER = LoginRateLimiter()
