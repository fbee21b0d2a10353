"""The outgoing mail log of the notifications module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tix.adapters.db.rows.base import Base, Id
from tix.adapters.db.types import UtcDateTime


class NotificationRow(Base):
    __tablename__ = "notifications"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    recipient: Mapped[str] = mapped_column(Text)  # encrypted, like the subject and bodies
    template: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(Text)
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    user_id: Mapped[str | None] = mapped_column(Id, index=True)
    source_message_id: Mapped[str | None] = mapped_column(Id)
    # JSON list of {"kind", "ref"}: documents are built when the mail is sent.
    attachments: Mapped[str] = mapped_column(Text, default="[]")

    __table_args__ = (Index("ix_notifications_due", "status", "next_attempt_at"),
                      # a mass mail run again finds whom it reached (tix event message)
                      Index("ix_notifications_source_message_id_user_id",
                            "source_message_id", "user_id"))
