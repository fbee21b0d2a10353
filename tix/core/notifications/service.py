"""Composing mails from templates, sending them with retries, and the admins' view."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from tix.core.clock import Clock
from tix.core.errors import NotFound, RuleViolation
from tix.core.ids import new_id
from tix.core.notifications.events import NotificationFailed
from tix.core.notifications.model import (
    DEFAULT_RETRY_DELAYS,
    SEND_LEASE,
    AttachmentRef,
    Notification,
    Status,
)
from tix.core.ports import (
    Attachment,
    Mailer,
    MailError,
    MailRenderer,
    OutgoingMail,
    UnitOfWork,
    UnitOfWorkFactory,
)
from tix.core.principal import is_undeliverable

if TYPE_CHECKING:
    from tix.core.notifications.ports import TicketDocuments

log = logging.getLogger(__name__)

AttachmentSource = Callable[[str], Sequence[Attachment]]


class NotificationService:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, mailer: Mailer,
                 renderer: MailRenderer, public_url: str,
                 retry_delays: tuple[timedelta, ...] = DEFAULT_RETRY_DELAYS,
                 ticket_documents: TicketDocuments | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._mailer = mailer
        self._renderer = renderer
        self.public_url = public_url.rstrip("/")
        self._delays = retry_delays
        self._attachment_sources: dict[str, AttachmentSource] = {}
        if ticket_documents is not None:
            self._attach_tickets(ticket_documents)

    def add_attachment_source(self, kind: str, build: AttachmentSource) -> None:
        """Teach the sender to build the files of `kind` from a reference (one reference
        may stand for several files: an order's tickets)."""
        self._attachment_sources[kind] = build

    def _attach_tickets(self, documents: TicketDocuments) -> None:
        # the kinds are stored with each queued mail: "ticket_pdf" and "ticket_ics" name
        # one ticket's file in mails queued before whole orders were attached
        self._attachment_sources.update({
            "order_tickets": documents.of_order,
            "ticket_pdf": lambda ticket_id: documents.of_ticket(ticket_id, "pdf"),
            "ticket_ics": lambda ticket_id: documents.of_ticket(ticket_id, "ics"),
        })

    def queue(self, uow: UnitOfWork, *, to: str, template: str,
              context: Mapping[str, object], user_id: str | None = None,
              source_message_id: str | None = None,
              attachments: Sequence[AttachmentRef] = ()) -> Notification:
        """Render a mail and store it as PENDING inside the caller's transaction (none is
        stored for an account without an address: a web visitor, a walk-in)."""
        now = self._clock.now()
        rendered = self._renderer.render(
            template, {"public_url": self.public_url, **context})
        notification = Notification(
            id=new_id(), recipient=to, template=template, subject=rendered.subject,
            text=rendered.text, html=rendered.html, created_at=now, next_attempt_at=now,
            user_id=user_id, source_message_id=source_message_id,
            attachments=tuple(attachments))
        if not is_undeliverable(to):  # a guest without email: the screen is the receipt
            uow.notifications.add(notification)
        return notification

    def send_due(self, limit: int = 200) -> int:
        """Send what is due; returns how many were attempted."""
        now = self._clock.now()
        with self._uow() as uow:
            batch = uow.notifications.claim_due(now, limit, SEND_LEASE)
            uow.commit()
        for notification in batch:
            self._send(notification)
        return len(batch)

    def _send(self, notification: Notification) -> None:
        try:
            mail = OutgoingMail(to=notification.recipient, subject=notification.subject,
                                text=notification.text, html=notification.html or None,
                                attachments=self._build_attachments(notification),
                                message_id=f"<{notification.id}@tix>")
            self._mailer.send(mail)
        except MailError as error:
            self._record_failure(notification, error)
            return
        with self._uow() as uow:
            notification.sent(self._clock.now())
            uow.notifications.save(notification)
            uow.commit()

    def _build_attachments(self, notification: Notification) -> tuple[Attachment, ...]:
        built: list[Attachment] = []
        for ref in notification.attachments:
            source = self._attachment_sources.get(ref.kind)
            if source is None:
                raise MailError(f"no source for attachments of kind {ref.kind!r}",
                                temporary=False)
            try:
                built.extend(source(ref.ref))
            except Exception as error:  # a broken document must not stop the other mails
                raise MailError(f"cannot build the {ref.kind} attachment {ref.ref}: {error}",
                                temporary=True) from error
        return tuple(built)

    def _record_failure(self, notification: Notification, error: MailError) -> None:
        now = self._clock.now()
        with self._uow() as uow:
            gave_up = notification.failed(error.reason, temporary=error.temporary, now=now,
                                          delays=self._delays)
            uow.notifications.save(notification)
            if gave_up:
                uow.publish(NotificationFailed(
                    notification_id=notification.id, recipient=notification.recipient,
                    template=notification.template, reason=error.reason))
            uow.commit()
        if gave_up:
            log.error("mail %s (%s) failed for good: %s", notification.id,
                      notification.template, error.summary)
        else:
            log.warning("mail %s (%s) failed, retry at %s: %s", notification.id,
                        notification.template, notification.next_attempt_at.isoformat(),
                        error.summary)

    def list(self, status: Status | None = None, limit: int = 100) -> list[Notification]:
        with self._uow(readonly=True) as uow:
            return uow.notifications.list(status, limit)

    def retry(self, notification_id: str) -> None:
        """Send a failed mail again at the next daemon pass."""
        with self._uow() as uow:
            notification = uow.notifications.get(notification_id)
            if notification is None:
                raise NotFound("notification", notification_id)
            if notification.status is Status.SENT:
                raise RuleViolation("this mail was already sent", code="already_sent")
            notification.status = Status.PENDING
            notification.attempts = 0
            notification.next_attempt_at = self._clock.now()
            uow.notifications.save(notification)
            uow.commit()
