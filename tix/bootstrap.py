"""Builds the services from Settings: the one place that picks adapters.

Everything is built on first use, so a command imports only what it touches: `tix whoami`
with Redis configured never loads SQLAlchemy, and nothing but the daemon loads Jinja.
To add a service: a `cached_property` here; its message handlers go in `subscriptions`,
its periodic work in `jobs`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from tix.config import Settings, load_settings
from tix.core.clock import Clock, SystemClock
from tix.core.errors import Invalid, NotFound, TixError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from tix.adapters.crypto import FieldCipher
    from tix.adapters.db.metrics import Metric
    from tix.adapters.db.uow import SqlUnitOfWork
    from tix.adapters.queue.dead_letters import OutboxDeadLetters
    from tix.adapters.queue.outbox import OutboxQueue
    from tix.adapters.queue.sqs import SqsTransport
    from tix.adapters.signing import Ed25519Signer
    from tix.core.accounts.events import AccountErased
    from tix.core.accounts.privacy import PrivacyService
    from tix.core.accounts.service import AccountService
    from tix.core.audit.service import AuditService
    from tix.core.catalog.service import CatalogService
    from tix.core.inventory.service import InventoryService
    from tix.core.messages import Subscription
    from tix.core.notifications.service import NotificationService
    from tix.core.orders.service import OrderService
    from tix.core.ports import Cache, Mailer, RateLimiter
    from tix.core.principal import Principal
    from tix.core.tickets.service import TicketService


_CONTENT_TYPES = {"pdf": "application/pdf", "ics": "text/calendar"}


@dataclass(frozen=True)
class Job:
    """Periodic work for the daemon; `run` returns how many items it handled.

    `every` (seconds) spaces out the sweeps that need not run on every pass: each costs a
    transaction, and a pass runs after every batch of messages.
    """

    name: str
    run: Callable[[], int]
    every: float = 0.0


class Runtime:
    def __init__(self, settings: Settings, *, clock: Clock | None = None,
                 mailer: Mailer | None = None, migrate: bool = True) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self._mailer = mailer
        self._migrate = migrate
        self._erased_rows_in_wal = False  # SQLite: an erasure left older copies in the WAL
        if settings.env == "production":  # refuse to start on development secrets
            _secret_key(settings)
            if not settings.encryption_key:
                raise Invalid("TIX_ENCRYPTION_KEY must be set when TIX_ENV=production")

    # -- storage -------------------------------------------------------------------------

    @cached_property
    def engine(self) -> Engine:
        from tix.adapters.db.engine import make_engine
        from tix.adapters.db.migrate import ensure_current

        engine = make_engine(self.settings.database_url,
                             pool_size=self.settings.database_pool_size)
        if self._migrate:
            ensure_current(engine, auto_upgrade=self.settings.is_embedded_database,
                           lock_dir=self.settings.data_dir)
        return engine

    @cached_property
    def read_engine(self) -> Engine:
        """For read views (search): autocommit, on the replica when one is configured,
        else on the primary's own pool (one pool per database and process)."""
        from tix.adapters.db.engine import make_engine

        primary = self.engine  # the schema is checked (and migrated) through the primary
        if self.settings.database_replica_url:
            return make_engine(self.settings.database_replica_url, autocommit=True,
                               pool_size=self.settings.database_pool_size)
        return primary.execution_options(isolation_level="AUTOCOMMIT")

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        from tix.adapters.db.engine import make_session_factory

        return make_session_factory(self.engine)

    def uow(self, *, readonly: bool = False) -> SqlUnitOfWork:
        from tix.adapters.db.uow import SqlUnitOfWork

        return SqlUnitOfWork(self.sessions, self.clock, self.cipher, readonly=readonly)

    @cached_property
    def outbox(self) -> OutboxQueue:
        from tix.adapters.queue.outbox import OutboxQueue

        return OutboxQueue(self.sessions, self.clock, self.cipher)

    @cached_property
    def dead_letters(self) -> OutboxDeadLetters:
        """Outbox messages set aside: unreadable, or failed too often (`tix queue dlq`)."""
        from tix.adapters.queue.dead_letters import OutboxDeadLetters

        return OutboxDeadLetters(self.sessions, self.clock, self.cipher)

    @cached_property
    def cipher(self) -> FieldCipher:
        """Encrypts personal data at rest (TIX_ENCRYPTION_KEY, or a key file made here)."""
        from tix.adapters.crypto import FieldCipher, key_ring

        return FieldCipher(key_ring(self.settings.encryption_key, self.settings.data_dir,
                                    production=self.settings.env == "production"))

    # -- infrastructure ------------------------------------------------------------------

    @cached_property
    def cache(self) -> Cache:
        if self.settings.redis_url:
            from tix.adapters.cache.redis import RedisCache

            return RedisCache(self._redis)
        from tix.adapters.cache.memory import MemoryCache

        return MemoryCache()

    @cached_property
    def limiter(self) -> RateLimiter:
        from tix.adapters.db.ratelimit import SqlRateLimiter

        in_database = SqlRateLimiter(self.sessions, self.cipher.blind_index)
        if self.settings.redis_url:
            from tix.adapters.cache.redis import RateLimiterWithFallback, RedisRateLimiter

            return RateLimiterWithFallback(
                RedisRateLimiter(self._redis, self.cipher.blind_index), in_database)
        return in_database

    @cached_property
    def _redis(self):  # type: ignore[no-untyped-def]
        from tix.adapters.cache.redis import connect

        assert self.settings.redis_url
        return connect(self.settings.redis_url)

    @cached_property
    def mailer(self) -> Mailer:
        if self._mailer is not None:
            return self._mailer
        if self.settings.smtp_url:
            from tix.adapters.mail.smtp import SmtpConfig, SmtpMailer

            return SmtpMailer(SmtpConfig.from_url(self.settings.smtp_url),
                              self.settings.mail_from)
        from tix.adapters.mail.maildir import MaildirMailer

        return MaildirMailer(self.settings.mail_dir, self.settings.mail_from)

    # -- services ------------------------------------------------------------------------

    @cached_property
    def accounts(self) -> AccountService:
        from tix.adapters.email_address import normalize_email
        from tix.adapters.security import BcryptHasher, JwtAccessTokens
        from tix.core.accounts.service import AccountService

        tokens = JwtAccessTokens(_secret_key(self.settings),
                                 previous_secrets=self.settings.previous_secret_keys)
        return AccountService(
            uow=self.uow, clock=self.clock, hasher=BcryptHasher(self.settings.bcrypt_rounds),
            tokens=tokens, cache=self._session_cache, limiter=self.limiter,
            normalize_email=normalize_email, audit=self.audit)

    @cached_property
    def privacy(self) -> PrivacyService:
        from tix.core.accounts.privacy import PrivacyService

        privacy = PrivacyService(uow=self.uow, clock=self.clock, audit=self.audit,
                                 cache=self._session_cache)
        privacy.contributors += [("orders", self.orders.export_section),
                                 ("tickets", self.tickets.export_section)]
        return privacy

    @cached_property
    def audit(self) -> AuditService:
        from tix.core.audit.service import AuditService

        return AuditService(uow=self.uow, clock=self.clock, origin=_origin())

    @property
    def _session_cache(self) -> Cache:
        """Sessions are cached only where every process sees a logout: in Redis."""
        if self.settings.redis_url:
            return self.cache
        from tix.adapters.cache.memory import NoCache

        return NoCache()

    @cached_property
    def catalog(self) -> CatalogService:
        from tix.adapters.db.repositories.catalog_search import SqlCatalogSearch
        from tix.core.catalog.service import CatalogService

        return CatalogService(uow=self.uow, clock=self.clock, cache=self.cache,
                              search=SqlCatalogSearch(self.read_engine), audit=self.audit)

    @cached_property
    def inventory(self) -> InventoryService:
        from datetime import timedelta

        from tix.core.inventory.service import InventoryService

        return InventoryService(uow=self.uow, clock=self.clock, limiter=self.limiter,
                                hold_ttl=timedelta(minutes=self.settings.hold_minutes),
                                holds_per_minute=self.settings.holds_per_minute)

    @cached_property
    def orders(self) -> OrderService:
        from tix.adapters.payments.offline import OfflineGateway
        from tix.core.orders.model import Tender
        from tix.core.orders.ports import PaymentGateway
        from tix.core.orders.service import OrderService

        offline = OfflineGateway()
        gateways: dict[Tender, PaymentGateway] = {Tender.CASH: offline, Tender.COMP: offline}
        if self.settings.stripe_api_key:
            from tix.adapters.payments.stripe import StripeGateway

            gateways[Tender.CARD] = StripeGateway(self.settings.stripe_api_key,
                                                  api_base=self.settings.stripe_api_base)
        service = OrderService(uow=self.uow, clock=self.clock, audit=self.audit,
                               gateways=gateways, inventory=self.inventory)
        service.issue_tickets = self.tickets.issue_with_sale
        return service

    @cached_property
    def tickets(self) -> TicketService:
        from tix.core.ports import Attachment
        from tix.core.tickets.service import TicketService

        service = TicketService(uow=self.uow, clock=self.clock, audit=self.audit,
                                signer=self.ticket_signer, notifications=self.notifications,
                                limiter=self.limiter,
                                checkins_per_second=self.settings.checkins_per_second)

        def order_tickets(order_id: str) -> list[Attachment]:
            from tix.adapters.render.documents import ticket_ics, ticket_pdf

            return [attachment for document in service.order_documents(order_id)
                    for attachment in (
                        Attachment(f"{document.number}.pdf", "application/pdf",
                                   ticket_pdf(document)),
                        Attachment(f"{document.number}.ics", "text/calendar",
                                   ticket_ics(document)))]

        def one_file(kind: str) -> Callable[[str], list[Attachment]]:
            # mails queued before "order_tickets" name each ticket's file
            def build(ticket_id: str) -> list[Attachment]:
                document = service.document(ticket_id)
                return [Attachment(f"{document.number}.{kind}", _CONTENT_TYPES[kind],
                                   self.ticket_file(ticket_id, kind))]
            return build

        # The tickets mail is built when it is sent: PDFs never sit in the database.
        self.notifications.add_attachment_source("order_tickets", order_tickets)
        self.notifications.add_attachment_source("ticket_pdf", one_file("pdf"))
        self.notifications.add_attachment_source("ticket_ics", one_file("ics"))
        return service

    def ticket_file(self, ticket_id: str, kind: str) -> bytes:
        """A ticket as a PDF ("pdf") or a calendar entry ("ics")."""
        from tix.adapters.render.documents import ticket_ics, ticket_pdf

        render = ticket_pdf if kind == "pdf" else ticket_ics
        return render(self.tickets.document(ticket_id))

    # -- what the daemon's HTTP listener serves ------------------------------------------

    def ping_database(self) -> None:
        """Raises Unavailable unless the database answers."""
        from sqlalchemy import text

        from tix.adapters.db.engine import translated_errors

        with translated_errors(), self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def readiness(self) -> list[str]:
        """What keeps this process from working: [] when the database (and the queue,
        if any) answer."""
        from sqlalchemy import text

        problems = []
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as error:  # any failure to reach it is the answer
            problems.append(f"database: {type(error).__name__}")
        if self.queue_transport is not None:
            try:
                self.queue_transport.pending()
            except TixError as error:
                problems.append(f"queue: {error.message}")
        return problems

    def metrics(self) -> str:
        from tix.adapters.db.metrics import Metric, collect, render

        found = collect(self.engine, self.clock.now())
        found += self._cache_metrics()
        if self.queue_transport is not None:
            found.append(Metric("tix_queue_messages", "Messages waiting per SQS queue.",
                                "gauge", [({"queue": q}, float(n)) for q, n
                                          in self.queue_transport.pending().items()]))
        return render(found)

    def _cache_metrics(self) -> list[Metric]:
        from tix.adapters.db.metrics import Metric

        counted = self.cache.stats()
        if counted is None:  # Redis unreachable: unknown, not zero
            return []
        hits, misses = counted
        seen = ("from every process sharing this Redis" if self.settings.redis_url else
                "in this process only: the cache is in-process, so lookups by box offices "
                "and CLIs are not seen here")
        return [
            Metric("tix_cache_requests_total", f"Cache lookups by result, {seen}.",
                   "counter", [({"result": "hit"}, float(hits)),
                               ({"result": "miss"}, float(misses))]),
            Metric("tix_cache_hit_ratio", f"Share of cache lookups that hit, {seen}.",
                   "gauge", [({}, hits / (hits + misses) if hits + misses else 0.0)]),
        ]

    def ticket_page(self, ticket_id: str) -> str:
        """The mobile ticket; its link (in the tickets mail) is the ticket's unguessable
        id, which is all it takes to open it, like the mail itself."""
        from tix.adapters.render.ticket_page import ticket_page
        from tix.core.ids import looks_like_uuid

        if not looks_like_uuid(ticket_id):
            raise NotFound("ticket", ticket_id)
        return ticket_page(self.tickets.document(ticket_id))

    def payment_webhook(self, payload: bytes, signature: str) -> str:
        """A Stripe webhook, verified, fed into the saga; replays change nothing."""
        from tix.adapters.payments.stripe import read_webhook

        if not self.settings.stripe_webhook_secret:
            raise Invalid("webhooks are not configured here (TIX_STRIPE_WEBHOOK_SECRET)")
        report = read_webhook(payload, signature, self.settings.stripe_webhook_secret)
        if report is None:
            return "ignored"
        return self.orders.payment_reported(report.order_id, report.outcome,
                                            report.reference, report.refunded)

    def order_pdf(self, principal: Principal, order_reference: str) -> bytes:
        """All of an order's valid tickets in one PDF, a page each."""
        from tix.adapters.render.documents import tickets_pdf

        return tickets_pdf(self.tickets.order_documents_for(principal, order_reference))

    @cached_property
    def queue_transport(self) -> SqsTransport | None:
        """SQS between the outbox and the handlers (TIX_QUEUE_URL=sqs://…); None: the
        daemon delivers straight from the database outbox."""
        if not self.settings.queue_url:
            return None
        from tix.adapters.queue.sqs import SqsTransport

        return SqsTransport(self.settings.queue_url, self.cipher)

    @cached_property
    def ticket_signer(self) -> Ed25519Signer:
        from tix.adapters.signing import load_signer

        return load_signer(self.settings.ticket_signing_key, self.settings.data_dir)

    @cached_property
    def notifications(self) -> NotificationService:
        from datetime import timedelta

        from tix.adapters.render.templates import JinjaMailRenderer
        from tix.core.notifications.service import NotificationService

        return NotificationService(
            uow=self.uow, clock=self.clock, mailer=self.mailer,
            public_url=self.settings.public_url,
            renderer=JinjaMailRenderer(self.settings.template_dir),
            retry_delays=tuple(timedelta(seconds=s) for s in self.settings.mail_retry_delays))

    # -- what the daemon runs ------------------------------------------------------------

    @cached_property
    def subscriptions(self) -> list[Subscription]:
        from tix.core.accounts.events import AccountErased
        from tix.core.catalog.events import EventCancelled
        from tix.core.messages import Subscription
        from tix.core.notifications.handlers import AccountMails
        from tix.core.notifications.order_mails import OrderMails
        from tix.core.orders.events import PaymentCompleted

        subscriptions: list[Subscription] = []
        subscriptions += AccountMails(self.notifications).subscriptions()
        subscriptions += OrderMails(self.notifications).subscriptions()
        subscriptions += self.tickets.subscriptions()
        subscriptions.append(Subscription(PaymentCompleted, "count_sale_for_popularity",
                                          self.catalog.count_sale))
        subscriptions.append(Subscription(EventCancelled, "refund_orders_of_cancelled_event",
                                          self.orders.cancel_for_event))
        subscriptions.append(Subscription(AccountErased, "erase_order_holders",
                                          self.orders.erase_holders))
        subscriptions.append(Subscription(AccountErased, "forget_erased_in_outbox",
                                          self._forget_erased))
        return subscriptions

    def _forget_erased(self, message: AccountErased, uow: SqlUnitOfWork) -> None:
        """The erased person's dead letters go now; on SQLite the older copies of their
        rows leave the WAL at the next pass (the job "empty the WAL after erasures")."""
        from tix.adapters.queue.retention import forget_dead_letters_of

        forget_dead_letters_of(uow.session, self.cipher, message.user_id)
        self._erased_rows_in_wal = True

    @cached_property
    def jobs(self) -> list[Job]:
        jobs = [Job("send mail", self.notifications.send_due),
                Job("seal the audit trail", self.audit.seal, every=1),
                Job("age event popularity", self.catalog.age_popularity, every=60),
                Job("expire holds", self.inventory.expire_holds, every=1),
                Job("resume unfinished payments", self.orders.resume_unfinished, every=1),
                Job("refund orders of cancelled events", self.orders.refund_cancelled_events,
                    every=5),
                Job("forget old rate-limit hits", self._forget_old_hits, every=60),
                Job("forget old messages", self._forget_old_messages, every=3600)]
        if self.settings.is_embedded_database:
            jobs.append(Job("empty the WAL after erasures", self._empty_wal, every=1))
        return jobs

    def _forget_old_messages(self) -> int:
        from datetime import timedelta

        from tix.adapters.queue.retention import forget_old_messages

        return forget_old_messages(self.sessions, self.clock.now(),
                                   timedelta(days=self.settings.message_retention_days))

    def _empty_wal(self) -> int:
        from tix.adapters.db.engine import empty_wal

        if self._erased_rows_in_wal:
            self._erased_rows_in_wal = False  # an erasure handled meanwhile sets it again
            if not empty_wal(self.engine):
                self._erased_rows_in_wal = True  # a reader held it: the next pass tries
        return 0  # housekeeping: never a reason to run again at once

    def _forget_old_hits(self) -> int:
        from tix.adapters.db.ratelimit import forget_old_hits

        forget_old_hits(self.sessions, self.clock.now())
        return 0  # housekeeping: never a reason to run again at once

    def close(self) -> None:
        for name in ("engine", "read_engine"):
            if name in self.__dict__:
                self.__dict__[name].dispose()


def bootstrap(settings: Settings | None = None, *, clock: Clock | None = None,
              mailer: Mailer | None = None, migrate: bool = True) -> Runtime:
    return Runtime(settings or load_settings(), clock=clock, mailer=mailer, migrate=migrate)


def upgrade_database(settings: Settings) -> str:
    """Apply pending migrations; returns the revision now current."""
    from tix.adapters.db.engine import make_engine
    from tix.adapters.db.migrate import upgrade

    engine = make_engine(settings.database_url)
    try:
        return upgrade(engine)
    finally:
        engine.dispose()


def rotate_encryption_key(runtime: Runtime, *, new_key: bool,
                          progress: Callable[[str, int], None]) -> tuple[str, int]:
    """Re-encrypt personal data with the current key (after making one, with new_key).

    With TIX_ENCRYPTION_KEY the operator puts the new key first in the variable; on the
    embedded default `new_key` adds one to the key file. Returns (key id, rows changed).
    """
    from tix.adapters.crypto import add_key_to_file
    from tix.adapters.db.rekey import rekey
    from tix.adapters.db.rows import metadata

    if new_key:
        if runtime.settings.encryption_key:
            raise Invalid("TIX_ENCRYPTION_KEY is set: put the new key first in it "
                          "(NEWID:BASE64,OLDID:BASE64) and run without --new-key")
        _ = runtime.cipher  # makes the key file if there is none yet
        add_key_to_file(runtime.settings.data_dir)
        runtime.__dict__.pop("cipher", None)
    cipher = runtime.cipher
    changed = rekey(runtime.engine, cipher, metadata(),
                    lambda step: progress(step.table, step.rows))
    return cipher.current_key_id, changed


def erase_all_data(runtime: Runtime) -> None:
    """Delete every row of every tix table (for `tix demo --reset`); the schema stays."""
    from tix.adapters.db.rows import metadata

    with runtime.engine.begin() as conn:
        for table in reversed(metadata().sorted_tables):
            conn.execute(table.delete())


def _origin() -> str:
    """Who runs this process, where: recorded with every audit entry."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except Exception:  # no login name (a container without passwd entry)
        user = str(os.getuid())
    return f"{user}@{socket.gethostname()}"


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
