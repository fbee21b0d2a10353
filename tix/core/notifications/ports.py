"""What the notifications module needs from storage, and from outside it to build a
mail's files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from tix.core.notifications.model import Notification, Status

if TYPE_CHECKING:  # tix.core.ports imports this module
    from tix.core.ports import Attachment


class Notifications(Protocol):
    def add(self, notification: Notification) -> None: ...

    def get(self, notification_id: str) -> Notification | None: ...

    def save(self, notification: Notification) -> None:
        """Store the delivery state (status, attempts, errors, times)."""
        ...

    def claim_due(self, now: datetime, limit: int, lease: timedelta) -> list[Notification]:
        """Take up to `limit` mails due for sending; others skip them until the lease ends."""
        ...

    def for_user(self, user_id: str) -> list[Notification]:
        """Every mail to a user (GDPR export)."""
        ...

    def erase_for_user(self, user_id: str, address: str) -> int:
        """Wipe recipient and bodies of a user's mails (GDPR erasure); returns how many."""
        ...

    def list(self, status: Status | None = None, limit: int = 100) -> list[Notification]: ...

    def recipients_of(self, source_message_id: str, user_ids: Sequence[str]) -> set[str]:
        """Which of these users already have a mail queued for that message (a mass mail
        run again sends nobody a second copy)."""
        ...


class TicketDocuments(Protocol):
    """Tickets as files to attach, built when the mail is sent: a PDF never sits in the
    database, and a ticket voided since the mail was queued is not attached."""

    def of_order(self, order_id: str) -> Sequence[Attachment]:
        """Every valid ticket of the order, each as a PDF and a calendar entry."""
        ...

    def of_ticket(self, ticket_id: str, kind: str) -> Sequence[Attachment]:
        """One ticket as a PDF ("pdf") or a calendar entry ("ics")."""
        ...
