"""The answers to an event's questions, per ticket and per order (the orders module's)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tix.adapters.db.rows import orders  # noqa: F401  (the table named by the foreign key)
from tix.adapters.db.rows.base import Base, Id


class OrderAnswerRow(Base):
    """One answer: to a question of the order (`seat` None) or of one of its tickets."""

    __tablename__ = "order_answers"

    # a key of its own: re-encrypting under a new key (rekey) updates row by row
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    seat: Mapped[int | None] = mapped_column(Integer)  # None: asked of the order
    question: Mapped[str] = mapped_column(String(40))  # the question's key
    text: Mapped[str] = mapped_column(String(300))  # the question as it was asked
    value: Mapped[str] = mapped_column(Text)  # encrypted: personal data

    __table_args__ = (Index("ix_order_answers_order_position", "order_id", "position",
                            unique=True),)
