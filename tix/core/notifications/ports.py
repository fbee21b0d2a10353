"""What the notifications module needs from storage."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from tix.core.notifications.model import Notification, Status


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
