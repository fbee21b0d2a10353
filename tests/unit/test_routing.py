"""The daemon's routing table: a handler's name keys its idempotency record in every
database (message id, handler name), so the names may never change, and within a message
the handlers run in this order."""

from __future__ import annotations

from unittest.mock import Mock

from tix.routing import jobs, routes

HANDLERS = {  # message type -> handler names, in the order they run
    "PaymentCompleted": ["mail_order_confirmation", "generate_tickets",
                         "count_sale_for_popularity"],
    "TicketsGenerated": ["mail_tickets"],
    "OrderCancelled": ["mail_order_cancelled", "void_tickets"],
    "OrderRefunded": ["mail_order_refunded"],
    "EventUpdated": ["mail_event_updated"],
    "EventCancelled": ["mail_event_cancelled", "refund_orders_of_cancelled_event"],
    "VerificationRequested": ["mail_verification"],
    "PasswordResetRequested": ["mail_password_reset"],
    "PasswordChanged": ["mail_password_changed"],
    "AccountLocked": ["mail_account_locked"],
    "AccountErased": ["erase_holder_names", "erase_order_holders", "erase_order_answers",
                     "forget_erased_in_outbox"],
    "NotificationFailed": ["alert_admins"],
    "MessageDeadLettered": ["alert_admins_of_dead_letters"],
}


def test_every_handler_keeps_its_name_and_its_place():
    found: dict[str, list[str]] = {}
    for subscription in routes(Mock()):
        found.setdefault(subscription.message.message_type, []).append(subscription.name)
    assert found == HANDLERS


def test_each_handler_is_the_service_method_it_names():
    services = Mock()
    handlers = {s.name: s.handle for s in routes(services)}
    assert handlers["generate_tickets"] is services.tickets.generate
    assert handlers["refund_orders_of_cancelled_event"] is services.orders.cancel_for_event
    assert handlers["forget_erased_in_outbox"] is services.housekeeping.forget_erased


def test_the_wal_is_emptied_only_on_the_embedded_database():
    services = Mock()
    services.settings.is_embedded_database = False
    assert "empty the WAL after erasures" not in [job.name for job in jobs(services)]
    services.settings.is_embedded_database = True
    assert [job.name for job in jobs(services)][-1] == "empty the WAL after erasures"
