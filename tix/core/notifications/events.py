"""Messages the notifications module publishes."""

from __future__ import annotations

from dataclasses import dataclass

from tix.core.messages import Message


@dataclass(frozen=True, kw_only=True)
class NotificationFailed(Message):
    notification_id: str
    recipient: str
    template: str
    reason: str
