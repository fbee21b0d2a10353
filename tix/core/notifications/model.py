"""An outgoing mail and its delivery state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# Waits before the 1st, 2nd and 3rd retry; after the last one the mail has failed for good.
DEFAULT_RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=25))
# How long a daemon may hold a mail it is sending before another may take it over.
SEND_LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class AttachmentRef:
    """A file to attach, built when the mail is sent (a PDF is not stored in the log)."""

    kind: str  # e.g. "ticket_pdf"; a source registered for the kind builds it
    ref: str  # what the source needs to find it, e.g. a ticket id


class Status(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"  # will be retried at next_attempt_at
    PERMANENTLY_FAILED = "PERMANENTLY_FAILED"


@dataclass
class Notification:
    id: str
    recipient: str
    template: str
    subject: str
    text: str
    html: str
    created_at: datetime
    next_attempt_at: datetime
    status: Status = Status.PENDING
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None
    user_id: str | None = None
    source_message_id: str | None = None
    attachments: tuple[AttachmentRef, ...] = ()

    def sent(self, now: datetime) -> None:
        self.status = Status.SENT
        self.sent_at = now
        self.last_error = None

    def failed(self, reason: str, *, temporary: bool, now: datetime,
               delays: tuple[timedelta, ...] = DEFAULT_RETRY_DELAYS) -> bool:
        """Record a failed attempt; True when the mail is now given up for good."""
        self.attempts += 1
        self.last_error = reason[:500]
        retries_done = self.attempts - 1
        if temporary and retries_done < len(delays):
            self.status = Status.FAILED
            self.next_attempt_at = now + delays[retries_done]
            return False
        self.status = Status.PERMANENTLY_FAILED
        return True
