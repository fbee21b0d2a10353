"""Builds the services from Settings: the one place that picks adapters."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tix.adapters.cache.memory import MemoryCache
from tix.adapters.db.engine import make_engine, make_session_factory
from tix.adapters.db.migrate import ensure_current
from tix.adapters.db.ratelimit import SqlRateLimiter
from tix.adapters.db.uow import SqlUnitOfWork
from tix.adapters.email_address import normalize_email
from tix.adapters.mail.maildir import MaildirMailer
from tix.adapters.queue.outbox import OutboxQueue
from tix.adapters.render.templates import JinjaMailRenderer
from tix.adapters.security import BcryptHasher, JwtAccessTokens
from tix.config import Settings, load_settings
from tix.core.accounts.service import AccountService
from tix.core.clock import Clock, SystemClock
from tix.core.errors import Invalid
from tix.core.messages import Subscription
from tix.core.notifications.handlers import AccountMails
from tix.core.notifications.service import NotificationService
from tix.core.ports import Cache, Mailer, RateLimiter


@dataclass(frozen=True)
class Job:
    """Periodic work for the daemon; `run` returns how many items it handled."""

    name: str
    run: Callable[[], int]


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    engine: Engine
    sessions: sessionmaker[Session]
    cache: Cache
    limiter: RateLimiter
    mailer: Mailer
    accounts: AccountService
    notifications: NotificationService
    outbox: OutboxQueue
    subscriptions: list[Subscription] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)

    def uow(self, *, readonly: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, self.clock, readonly=readonly)

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(settings: Settings | None = None, *, clock: Clock | None = None,
              mailer: Mailer | None = None, migrate: bool = True) -> Runtime:
    settings = settings or load_settings()
    clock = clock or SystemClock()
    engine = make_engine(settings.database_url)
    if migrate:
        ensure_current(engine, auto_upgrade=settings.is_embedded_database,
                       lock_dir=settings.data_dir)
    sessions = make_session_factory(engine)

    def uow(*, readonly: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions, clock, readonly=readonly)

    cache, limiter = _cache_and_limiter(settings, sessions)
    mailer = mailer or _mailer(settings)
    notifications = NotificationService(
        uow=uow, clock=clock, mailer=mailer, public_url=settings.public_url,
        renderer=JinjaMailRenderer(settings.template_dir))
    secret = _secret_key(settings)
    accounts = AccountService(
        uow=uow, clock=clock, hasher=BcryptHasher(settings.bcrypt_rounds),
        tokens=JwtAccessTokens(secret, previous_secrets=settings.previous_secret_keys),
        cache=cache, limiter=limiter, normalize_email=normalize_email)
    runtime = Runtime(settings=settings, clock=clock, engine=engine, sessions=sessions,
                      cache=cache, limiter=limiter, mailer=mailer, accounts=accounts,
                      notifications=notifications, outbox=OutboxQueue(sessions, clock))
    runtime.subscriptions.extend(AccountMails(notifications).subscriptions())
    runtime.jobs.append(Job("send mail", notifications.send_due))
    return runtime


def _cache_and_limiter(settings: Settings, sessions: sessionmaker[Session]
                       ) -> tuple[Cache, RateLimiter]:
    if settings.redis_url:
        from tix.adapters.cache.redis import RedisCache, RedisRateLimiter, connect

        client = connect(settings.redis_url)
        return RedisCache(client), RedisRateLimiter(client)
    return MemoryCache(), SqlRateLimiter(sessions)


def _mailer(settings: Settings) -> Mailer:
    if settings.smtp_url:
        from tix.adapters.mail.smtp import SmtpConfig, SmtpMailer

        return SmtpMailer(SmtpConfig.from_url(settings.smtp_url), settings.mail_from)
    return MaildirMailer(settings.mail_dir, settings.mail_from)


DEVELOPMENT_SECRET_FILE = "secret.key"


def _secret_key(settings: Settings) -> str:
    """TIX_SECRET_KEY, or on a development machine a random key kept in the data dir."""
    if settings.secret_key:
        if settings.env == "production" and len(settings.secret_key) < 32:
            raise Invalid("TIX_SECRET_KEY must be at least 32 characters in production")
        return settings.secret_key
    if settings.env == "production":
        raise Invalid("TIX_SECRET_KEY must be set when TIX_ENV=production")
    return _key_file(settings.data_dir / DEVELOPMENT_SECRET_FILE)


def _key_file(path: Path) -> str:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def upgrade_database(settings: Settings) -> str:
    """Apply pending migrations; returns the revision now current."""
    from tix.adapters.db.migrate import upgrade

    engine = make_engine(settings.database_url)
    try:
        return upgrade(engine)
    finally:
        engine.dispose()


def erase_all_data(runtime: Runtime) -> None:
    """Delete every row of every tix table (for `tix demo --reset`); the schema stays."""
    from tix.adapters.db.rows import Base

    with runtime.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
