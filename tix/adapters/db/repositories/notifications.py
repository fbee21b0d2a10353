"""The outgoing mail log in SQL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tix.adapters.crypto import FieldCipher
from tix.adapters.db.rows.notifications import NotificationRow
from tix.core.notifications.model import AttachmentRef, Notification, Status

_SENDABLE = (Status.PENDING.value, Status.FAILED.value)


class SqlNotifications:
    """The mail log; recipient, subject and bodies are personal data, stored encrypted."""

    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher

    def _seal_error(self, error: str | None) -> str | None:
        # mail servers quote the recipient in their refusals: personal data too
        return None if error is None else self._cipher.encrypt(error)

    def add(self, notification: Notification) -> None:
        n = notification
        seal = self._cipher.encrypt
        self._session.add(NotificationRow(
            id=n.id, recipient=seal(n.recipient), template=n.template, subject=seal(n.subject),
            text_body=seal(n.text), html_body=seal(n.html), status=n.status.value,
            attempts=n.attempts,
            last_error=self._seal_error(n.last_error), created_at=n.created_at,
            next_attempt_at=n.next_attempt_at, sent_at=n.sent_at, user_id=n.user_id,
            source_message_id=n.source_message_id,
            attachments=json.dumps([{"kind": a.kind, "ref": a.ref} for a in n.attachments])))

    def get(self, notification_id: str) -> Notification | None:
        row = self._session.get(NotificationRow, notification_id)
        return None if row is None else self._notification(row)

    def save(self, notification: Notification) -> None:
        n = notification
        self._session.execute(update(NotificationRow).where(NotificationRow.id == n.id).values(
            status=n.status.value, attempts=n.attempts,
            last_error=self._seal_error(n.last_error),
            next_attempt_at=n.next_attempt_at, sent_at=n.sent_at))

    def claim_due(self, now: datetime, limit: int, lease: timedelta) -> list[Notification]:
        rows = list(self._session.scalars(
            select(NotificationRow)
            .where(NotificationRow.status.in_(_SENDABLE),
                   NotificationRow.next_attempt_at <= now)
            .order_by(NotificationRow.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)))
        if rows:
            # Push the due time past the lease: another daemon skips these while we send,
            # and takes them over if we die before recording the outcome.
            self._session.execute(update(NotificationRow)
                                  .where(NotificationRow.id.in_([r.id for r in rows]))
                                  .values(next_attempt_at=now + lease))
        return [self._notification(r) for r in rows]

    def for_user(self, user_id: str) -> list[Notification]:
        rows = self._session.scalars(select(NotificationRow)
                                     .where(NotificationRow.user_id == user_id)
                                     .order_by(NotificationRow.created_at))
        return [self._notification(r) for r in rows]

    def erase_for_user(self, user_id: str, address: str) -> int:
        erased = self._cipher.encrypt("")
        result = self._session.execute(
            update(NotificationRow).where(NotificationRow.user_id == user_id).values(
                recipient=self._cipher.encrypt(address), subject=erased, text_body=erased,
                html_body=erased, last_error=None))  # servers' refusals quote the person
        return int(result.rowcount)  # type: ignore[attr-defined]

    def list(self, status: Status | None = None, limit: int = 100) -> list[Notification]:
        query = select(NotificationRow).order_by(NotificationRow.created_at.desc()).limit(limit)
        if status is not None:
            query = query.where(NotificationRow.status == status.value)
        return [self._notification(r) for r in self._session.scalars(query)]

    def recipients_of(self, source_message_id: str, user_ids: Sequence[str]) -> set[str]:
        if not user_ids:
            return set()
        return {user_id for user_id in self._session.scalars(
            select(NotificationRow.user_id).where(
                NotificationRow.source_message_id == source_message_id,
                NotificationRow.user_id.in_(user_ids))) if user_id is not None}

    def _notification(self, row: NotificationRow) -> Notification:
        plain = self._cipher.decrypt
        return Notification(
            id=row.id, recipient=plain(row.recipient), template=row.template,
            subject=plain(row.subject), text=plain(row.text_body), html=plain(row.html_body),
            created_at=row.created_at, next_attempt_at=row.next_attempt_at,
            status=Status(row.status), attempts=row.attempts,
            last_error=None if row.last_error is None else plain(row.last_error),
            sent_at=row.sent_at, user_id=row.user_id, source_message_id=row.source_message_id,
            attachments=tuple(AttachmentRef(a["kind"], a["ref"])
                              for a in json.loads(row.attachments)))
