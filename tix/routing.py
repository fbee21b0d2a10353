"""What the daemon runs: the one table of which handlers each message goes to, and the
periodic jobs.

A handler's name keys its idempotency record in the database (message id, handler name):
renaming one makes every message it already handled look new to it, so names stay as
they are, whatever the method behind them is called. Within a message, handlers run in
the order listed, each in its own savepoint.

To add a handler: a line under its message here (a new message: a new entry); a periodic
sweep: a Job in `jobs`. The daemon reads both through the Runtime (`subscriptions`,
`jobs`), which builds them once per process from this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from tix.core.accounts.events import (
    AccountErased,
    AccountLocked,
    PasswordChanged,
    PasswordResetRequested,
    VerificationRequested,
)
from tix.core.catalog.events import EventCancelled, EventUpdated
from tix.core.messages import Message, MessageDeadLettered, Subscription
from tix.core.notifications.events import NotificationFailed
from tix.core.orders.answers import erase_answers
from tix.core.orders.events import OrderCancelled, OrderRefunded, PaymentCompleted
from tix.core.tickets.events import TicketsGenerated

if TYPE_CHECKING:
    from tix.adapters.db.housekeeping import DatabaseHousekeeping
    from tix.config import Settings
    from tix.core.accounts.service import AccountService
    from tix.core.audit.service import AuditService
    from tix.core.catalog.service import CatalogService
    from tix.core.inventory.service import InventoryService
    from tix.core.notifications.service import NotificationService
    from tix.core.orders.service import OrderService
    from tix.core.tickets.service import TicketService

Handler = Callable[[Any, Any], None]  # (message, unit of work) -> None


class Services(Protocol):
    """What the routes and jobs are drawn from: the Runtime (a protocol, so that this
    module, which bootstrap uses, does not import bootstrap)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def accounts(self) -> AccountService: ...
    @property
    def notifications(self) -> NotificationService: ...
    @property
    def tickets(self) -> TicketService: ...
    @property
    def orders(self) -> OrderService: ...
    @property
    def catalog(self) -> CatalogService: ...
    @property
    def inventory(self) -> InventoryService: ...
    @property
    def audit(self) -> AuditService: ...
    @property
    def housekeeping(self) -> DatabaseHousekeeping: ...


def routes(services: Services) -> list[Subscription]:
    """Every message the daemon delivers, with its handlers by name."""
    from tix.core.notifications.handlers import AccountMails
    from tix.core.notifications.order_mails import OrderMails

    account_mails = AccountMails(services.notifications)
    order_mails = OrderMails(services.notifications)
    tickets, orders, catalog = services.tickets, services.orders, services.catalog
    table: dict[type[Message], dict[str, Handler]] = {
        # sales
        PaymentCompleted: {
            "mail_order_confirmation": order_mails.mail_confirmation,
            "generate_tickets": tickets.generate,
            "count_sale_for_popularity": catalog.count_sale,
        },
        TicketsGenerated: {"mail_tickets": tickets.mail_tickets},
        OrderCancelled: {
            "mail_order_cancelled": order_mails.mail_cancellation,
            "void_tickets": tickets.void,
        },
        OrderRefunded: {"mail_order_refunded": order_mails.mail_refund},
        # events changed or called off
        EventUpdated: {"mail_event_updated": order_mails.mail_event_updated},
        EventCancelled: {
            "mail_event_cancelled": order_mails.mail_event_cancelled,
            "refund_orders_of_cancelled_event": orders.cancel_for_event,
        },
        # accounts
        VerificationRequested: {"mail_verification": account_mails.mail_verification},
        PasswordResetRequested: {"mail_password_reset": account_mails.mail_reset},
        PasswordChanged: {"mail_password_changed": account_mails.mail_password_changed},
        AccountLocked: {"mail_account_locked": account_mails.mail_account_locked},
        AccountErased: {
            "erase_holder_names": tickets.erase_holders,
            "erase_order_holders": orders.erase_holders,
            "erase_order_answers": erase_answers,
            "forget_erased_in_outbox": services.housekeeping.forget_erased,
        },
        # what operators must hear of
        NotificationFailed: {"alert_admins": account_mails.alert_admins},
        MessageDeadLettered: {
            "alert_admins_of_dead_letters": account_mails.alert_admins_of_dead_letters},
    }
    return [Subscription(message, name, handle)
            for message, handlers in table.items() for name, handle in handlers.items()]


@dataclass(frozen=True)
class Job:
    """Periodic work for the daemon; `run` returns how many items it handled.

    `every` (seconds) spaces out the sweeps that need not run on every pass: each costs a
    transaction, and a pass runs after every batch of messages.
    """

    name: str
    run: Callable[[], int]
    every: float = 0.0


def jobs(services: Services) -> list[Job]:
    """The daemon's sweeps, in the order a pass runs them."""
    housekeeping = services.housekeeping
    found = [Job("send mail", services.notifications.send_due),
             Job("seal the audit trail", services.audit.seal, every=1),
             Job("age event popularity", services.catalog.age_popularity, every=60),
             Job("expire holds", services.inventory.expire_holds, every=1),
             Job("resume unfinished payments", services.orders.resume_unfinished, every=1),
             Job("finish refunds left unanswered", services.orders.finish_refunds, every=5),
             Job("refund orders of cancelled events", services.orders.refund_cancelled_events,
                 every=5),
             Job("forget old rate-limit hits", housekeeping.forget_old_hits, every=60),
             Job("forget idle visitors' accounts", services.accounts.forget_idle_visits,
                 every=3600),
             Job("forget old messages", housekeeping.forget_old_messages, every=3600)]
    if services.settings.is_embedded_database:
        found.append(Job("empty the WAL after erasures", housekeeping.empty_wal_after_erasures,
                         every=1))
    return found
