"""Login rate limiting: too many failed attempts for one username from one client address lock that
pair out for a while (5 failures in 15 minutes), on the web as in the API; and, whatever the
addresses, too many failures for one account lock the account (20 in an hour: a ceiling that an
attacker spreading guesses over many addresses reaches) until the failures age out or an
administrator lifts the lock (`amnesty users unlock`, `PATCH /api/users/{username}` with
`{"unlock": true}`).

The failures live in the database (`login_failures`), so every worker process of `amnesty serve
--workers N`, and every machine behind a proxy on one PostgreSQL, counts the same attempts. The
address is stored as a SHA-256 digest, never in clear.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import weakref

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from amnesty.store.models import LoginFailure, utcnow

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
ACCOUNT_MAX_FAILURES = 20
"""Failures of one account from any addresses that lock it."""
ACCOUNT_WINDOW_SECONDS = 60 * 60


class LoginRateLimitedError(Exception):
    """Raised when a username+address pair, or the account itself (`account`), has failed too often;
    says when to retry."""

    def __init__(self, retry_after: int, account: bool = False) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after} seconds")
        self.retry_after = retry_after
        self.account = account


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class LoginRateLimiter:
    """Sliding window of failed attempts per (username, client address), counted in the database."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window_seconds: float = WINDOW_SECONDS,
        account_max_failures: int = ACCOUNT_MAX_FAILURES,
        account_window_seconds: float = ACCOUNT_WINDOW_SECONDS,
    ) -> None:
        self.max_failures = max_failures
        self.window = dt.timedelta(seconds=window_seconds)
        self.account_max_failures = account_max_failures
        self.account_window = dt.timedelta(seconds=account_window_seconds)
        self._engines: weakref.WeakSet[Engine] = weakref.WeakSet()
        self._lock = threading.Lock()

    @staticmethod
    def _key(username: str, client: str) -> tuple[str, str]:
        name = username.strip().casefold()[:64]
        return name, hashlib.sha256(client.encode("utf-8")).hexdigest()

    def _remember(self, db: Session) -> None:
        bind = db.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        with self._lock:
            self._engines.add(engine)

    def check(self, db: Session, username: str, client: str) -> None:
        """Raise `LoginRateLimitedError` when the pair is locked out (says how long to wait)."""
        self._remember(db)
        name, address = self._key(username, client)
        now = utcnow()
        count, oldest = db.execute(
            select(func.count(LoginFailure.id), func.min(LoginFailure.failed_at)).where(
                LoginFailure.username == name,
                LoginFailure.client == address,
                LoginFailure.failed_at > now - self.window,
            )
        ).one()
        if count >= self.max_failures and oldest is not None:
            remaining = (_aware(oldest) + self.window - now).total_seconds()
            raise LoginRateLimitedError(max(1, int(remaining) + 1))
        times = list(
            db.scalars(
                select(LoginFailure.failed_at)
                .where(LoginFailure.username == name, LoginFailure.failed_at > now - self.account_window)
                .order_by(LoginFailure.failed_at.desc())
                .limit(self.account_max_failures)
            )
        )
        if len(times) >= self.account_max_failures:
            # locked until the oldest of the newest failures that reach the ceiling ages out
            remaining = (_aware(times[-1]) + self.account_window - now).total_seconds()
            raise LoginRateLimitedError(max(1, int(remaining) + 1), account=True)

    def account_locked(self, db: Session, username: str) -> bool:
        """Whether the account is locked whatever the address (for the administrator's list)."""
        name, _ = self._key(username, "")
        since = utcnow() - self.account_window
        count = db.scalar(
            select(func.count(LoginFailure.id)).where(
                LoginFailure.username == name, LoginFailure.failed_at > since
            )
        )
        return int(count or 0) >= self.account_max_failures

    def lift(self, db: Session, username: str) -> int:
        """Forget every failure of the account, from every address (an administrator lifting a lock;
        the caller audits and commits); how many were forgotten."""
        name, _ = self._key(username, "")
        done = db.execute(delete(LoginFailure).where(LoginFailure.username == name))
        return int(getattr(done, "rowcount", 0) or 0)

    def failure(self, db: Session, username: str, client: str) -> None:
        """Count a failed attempt and drop the expired ones (the caller commits)."""
        self._remember(db)
        name, address = self._key(username, client)
        now = utcnow()
        db.execute(
            delete(LoginFailure).where(LoginFailure.failed_at <= now - max(self.window, self.account_window))
        )
        db.add(LoginFailure(username=name, client=address, failed_at=now))

    def success(self, db: Session, username: str, client: str) -> None:
        """Forget the failures of a pair after a successful login (the caller commits)."""
        name, address = self._key(username, client)
        db.execute(delete(LoginFailure).where(LoginFailure.username == name, LoginFailure.client == address))

    def reset(self, db: Session | None = None) -> None:
        """Forget every failure: in `db`, or else in each database this process has counted in
        (tests, or an administrator lifting a lock-out)."""
        if db is not None:
            db.execute(delete(LoginFailure))
            db.commit()
            return
        with self._lock:
            engines = list(self._engines)
        for engine in engines:
            try:
                with engine.begin() as connection:
                    connection.execute(delete(LoginFailure))
            except SQLAlchemyError:  # that database is gone (a test's dropped schema): nothing to forget
                with self._lock:
                    self._engines.discard(engine)


LOGIN_LIMITER = LoginRateLimiter()
