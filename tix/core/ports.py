"""Ports: what the core needs from the outside world, as protocols.

Adapters in `tix.adapters` implement them; `tix.bootstrap` picks which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, Self

from tix.core.accounts.ports import AccountTokens, Sessions, Users
from tix.core.audit.ports import AuditLog
from tix.core.catalog.ports import Catalog
from tix.core.intents import Intent
from tix.core.inventory.ports import Holds, Stock
from tix.core.messages import Message
from tix.core.notifications.ports import Notifications
from tix.core.orders.ports import Answers, Orders, Tills
from tix.core.tickets.model import Ticket
from tix.core.tickets.ports import Tickets
from tix.core.vouchers.ports import Vouchers


class UnitOfWork(Protocol):
    """One database transaction; messages published in it reach the outbox on commit."""

    # Read-only properties, so an adapter may hold its own concrete repository types.
    @property
    def users(self) -> Users: ...

    @property
    def account_tokens(self) -> AccountTokens: ...

    @property
    def sessions(self) -> Sessions: ...

    @property
    def notifications(self) -> Notifications: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def catalog(self) -> Catalog: ...

    @property
    def stock(self) -> Stock: ...

    @property
    def holds(self) -> Holds: ...

    @property
    def orders(self) -> Orders: ...

    @property
    def answers(self) -> Answers: ...

    @property
    def tills(self) -> Tills: ...

    @property
    def tickets(self) -> Tickets: ...

    @property
    def vouchers(self) -> Vouchers: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Write the work, apply its intents last and commit. Raises IntentRefused, with
        nothing committed, when a conditional intent no longer holds (too few tickets
        left, the hold used meanwhile); OrderNumberTaken likewise when a new order's
        number was taken meanwhile."""
        ...

    def intend(self, *intents: Intent) -> None:
        """Record what this work takes or gives back (`tix.core.intents`): applied by
        `commit()`, after everything else, in one round trip with the commit where the
        database allows."""
        ...

    def publish(self, *messages: Message) -> None: ...

    def issue_tickets(self, tickets: list[Ticket], event_number: int) -> None:
        """New tickets of one event, numbered (each given its number) and stored by this
        unit of work's commit (in the one round trip that ends a sale on PostgreSQL)."""
        ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, readonly: bool = False) -> UnitOfWork: ...


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "application/pdf"
    data: bytes


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    message_id: str | None = None  # stable Message-ID, so a resend after a crash dedupes


class MailError(Exception):
    """A send failed. `temporary` says whether trying again later can help.

    `reason` may quote the mail server, which often names the recipient: it is stored
    (encrypted) for `tix notifications list`; logs get `summary`, which never does.
    """

    def __init__(self, reason: str, *, temporary: bool, summary: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary
        self.summary = summary or reason


class Mailer(Protocol):
    def send(self, mail: OutgoingMail) -> None:
        """Deliver one mail or raise MailError."""
        ...


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


class MailRenderer(Protocol):
    def render(self, template: str, context: dict[str, object]) -> RenderedMail: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password: str, hashed: str) -> bool: ...


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    session_id: str
    expires_at: datetime


class AccessTokens(Protocol):
    """Signed, expiring bearer tokens (JWT)."""

    def issue(self, *, user_id: str, session_id: str, issued_at: datetime,
              expires_at: datetime) -> str: ...

    def read(self, token: str, *, now: datetime) -> AccessClaims:
        """The claims of a valid token; raises NotAuthenticated otherwise."""
        ...


class Cache(Protocol):
    """A best-effort cache: failures read as misses, never as errors."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, ttl: timedelta) -> None: ...

    def delete(self, *keys: str) -> None: ...

    def stats(self) -> tuple[int, int] | None:
        """Lookups so far that found a value and that did not (hits, misses), as far as
        this cache can see them; None when it keeps no count or cannot tell now."""
        ...


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: timedelta = timedelta(0)


class RateLimiter(Protocol):
    def hit(self, key: str, *, limit: int, window: timedelta, now: datetime) -> RateDecision:
        """Count one attempt for `key`; refused once `limit` attempts fall in `window`."""
        ...

    def check(self, key: str, *, limit: int, window: timedelta, now: datetime
              ) -> RateDecision:
        """Whether one more attempt would be allowed, counting nothing."""
        ...
