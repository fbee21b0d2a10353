"""Builds the services from Settings: the one place that picks adapters.

Wiring only: each `cached_property` builds one adapter or service from Settings and the
others, on first use, so a command imports only what it touches: `tix whoami` with Redis
configured never loads SQLAlchemy, and nothing but the daemon loads Jinja. What is done
with the pieces lives beside this module, outside the faces:

  tix/routing.py      which handlers each message goes to, and the daemon's jobs
  tix/operations.py   operator tasks: readiness, metrics, migrations, key rotation, queues
  tix/documents.py    a ticket's files and page for every face
  tix/webhooks.py     payment providers' reports fed into the saga
  tix/background.py   the daemon's workers and HTTP listener run until a signal (`tix daemon`)

To add a service: a `cached_property` here; its message handlers and periodic work go in
tix/routing.py.
"""

from __future__ import annotations

import os
from functools import cached_property
from typing import TYPE_CHECKING

from tix.config import Settings, load_settings
from tix.core.clock import Clock, SystemClock
from tix.core.errors import Invalid

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from tix.adapters.crypto import FieldCipher
    from tix.adapters.db.admission import Admission
    from tix.adapters.db.housekeeping import DatabaseHousekeeping
    from tix.adapters.db.repositories.vouchers import VoucherTerms
    from tix.adapters.db.uow import SqlUnitOfWork
    from tix.adapters.queue.dead_letters import OutboxDeadLetters
    from tix.adapters.queue.outbox import OutboxQueue
    from tix.adapters.queue.sqs import SqsTransport
    from tix.adapters.render.ticket_documents import RenderedTicketDocuments
    from tix.adapters.signing import Ed25519Signer
    from tix.core.accounts.privacy import PrivacyService
    from tix.core.accounts.service import AccountService
    from tix.core.audit.service import AuditService
    from tix.core.catalog.service import CatalogService
    from tix.core.catalog.team import EventTeams
    from tix.core.inventory.service import InventoryService
    from tix.core.messages import Subscription
    from tix.core.notifications.holder_message import HolderMessages
    from tix.core.notifications.service import NotificationService
    from tix.core.orders.service import OrderService
    from tix.core.ports import Cache, Mailer, RateLimiter
    from tix.core.tickets.service import TicketService
    from tix.core.vouchers.service import VoucherService
    from tix.routing import Job


class Runtime:
    def __init__(self, settings: Settings, *, clock: Clock | None = None,
                 mailer: Mailer | None = None, migrate: bool = True) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self._mailer = mailer
        self._migrate = migrate
        if settings.env == "production":  # refuse to start on development secrets
            self._secret_key()
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

        return SqlUnitOfWork(self.sessions, self.clock, self.cipher, readonly=readonly,
                             voucher_terms=self._voucher_terms, admission=self._admission)

    @cached_property
    def _admission(self) -> Admission:
        """The process's units of work at the database, as many at a time as the pool's
        size, first come first served (tix.adapters.db.admission)."""
        from tix.adapters.db.admission import Admission
        from tix.adapters.db.engine import POOL_TIMEOUT_S

        return Admission(self.settings.database_pool_size, timeout=POOL_TIMEOUT_S)

    @cached_property
    def _voucher_terms(self) -> VoucherTerms:
        from tix.adapters.db.repositories.vouchers import VoucherTerms

        return VoucherTerms()

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

        tokens = JwtAccessTokens(self._secret_key(),
                                 previous_secrets=self.settings.previous_secret_keys)
        return AccountService(
            uow=self.uow, clock=self.clock, hasher=BcryptHasher(self.settings.bcrypt_rounds),
            tokens=tokens, cache=self._session_cache, limiter=self.limiter,
            normalize_email=normalize_email, audit=self.audit)

    def secret_key(self) -> str:
        """TIX_SECRET_KEY, or the development key file: sessions' tokens and the web
        face's CSRF tokens are signed with keys derived from it."""
        return self._secret_key()

    def _secret_key(self) -> str:
        from tix.adapters.security import secret_key

        return secret_key(self.settings.secret_key, self.settings.data_dir,
                          production=self.settings.env == "production")

    @cached_property
    def privacy(self) -> PrivacyService:
        from tix.core.accounts.privacy import PrivacyService
        from tix.core.orders.answers import export_section as answers_export

        privacy = PrivacyService(uow=self.uow, clock=self.clock, audit=self.audit,
                                 cache=self._session_cache)
        privacy.contributors += [("orders", self.orders.export_section),
                                 ("tickets", self.tickets.export_section),
                                 ("answers", answers_export)]
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
    def teams(self) -> EventTeams:
        from tix.core.catalog.team import EventTeams

        return EventTeams(uow=self.uow, clock=self.clock, audit=self.audit)

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
        gateways: dict[Tender, PaymentGateway] = {Tender.CASH: offline, Tender.COMP: offline,
                                                   Tender.FREE: offline}
        if self.settings.stripe_api_key:
            from tix.adapters.payments.stripe import StripeGateway

            gateways[Tender.CARD] = StripeGateway(self.settings.stripe_api_key,
                                                  api_base=self.settings.stripe_api_base)
        service = OrderService(uow=self.uow, clock=self.clock, audit=self.audit,
                               gateways=gateways, inventory=self.inventory)
        service.issue_tickets = self.tickets.issue_with_sale
        return service

    @cached_property
    def vouchers(self) -> VoucherService:
        from tix.core.vouchers.service import VoucherService

        return VoucherService(uow=self.uow, clock=self.clock, audit=self.audit,
                              limiter=self.limiter)

    @cached_property
    def tickets(self) -> TicketService:
        from tix.core.tickets.service import TicketService

        return TicketService(uow=self.uow, clock=self.clock, audit=self.audit,
                             signer=self.ticket_signer, notifications=self.notifications,
                             limiter=self.limiter,
                             checkins_per_second=self.settings.checkins_per_second)

    @cached_property
    def ticket_documents(self) -> RenderedTicketDocuments:
        """Tickets drawn as files: mails attach them as they are sent, `tix ticket pdf`
        saves one (tix.documents)."""
        from tix.adapters.render.ticket_documents import RenderedTicketDocuments

        # the tickets service is reached at each use: it mails through the notifications
        # this is given to, so it is built after them
        return RenderedTicketDocuments(lambda: self.tickets)

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
            renderer=JinjaMailRenderer(self.settings.template_dir,
                                       order_page=self._order_page),
            retry_delays=tuple(timedelta(seconds=s) for s in self.settings.mail_retry_delays),
            ticket_documents=self.ticket_documents)

    @cached_property
    def holder_messages(self) -> HolderMessages:
        """An organizer's message to every holder of an event, through the mail log."""
        from tix.core.notifications.holder_message import HolderMessages

        return HolderMessages(uow=self.uow, notifications=self.notifications,
                              audit=self.audit)

    def _order_page(self, order_id: str, user_id: str) -> str:
        """The receipt's link to the order's page on the web shop (tix/order_links.py)."""
        from tix.order_links import order_path

        return self.settings.public_url.rstrip("/") + order_path(self._secret_key(), order_id,
                                                                 user_id)

    # -- what the daemon runs (tix.routing) ----------------------------------------------

    @cached_property
    def subscriptions(self) -> list[Subscription]:
        from tix.routing import routes

        return routes(self)

    @cached_property
    def jobs(self) -> list[Job]:
        from tix.routing import jobs

        return jobs(self)

    @cached_property
    def housekeeping(self) -> DatabaseHousekeeping:
        from datetime import timedelta

        from tix.adapters.db.housekeeping import DatabaseHousekeeping

        return DatabaseHousekeeping(
            engine=self.engine, sessions=self.sessions, cipher=self.cipher, clock=self.clock,
            message_retention=timedelta(days=self.settings.message_retention_days))

    def close(self) -> None:
        for name in ("engine", "read_engine"):
            if name in self.__dict__:
                self.__dict__[name].dispose()


def bootstrap(settings: Settings | None = None, *, clock: Clock | None = None,
              mailer: Mailer | None = None, migrate: bool = True) -> Runtime:
    return Runtime(settings or load_settings(), clock=clock, mailer=mailer, migrate=migrate)


def _origin() -> str:
    """Who runs this process, where: recorded with every audit entry."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except Exception:  # no login name (a container without passwd entry)
        user = str(os.getuid())
    return f"{user}@{socket.gethostname()}"
