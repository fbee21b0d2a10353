"""Tables of the vouchers module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tix.adapters.db.rows import catalog  # noqa: F401  (events, named by a foreign key)
from tix.adapters.db.rows.base import Base, Id
from tix.adapters.db.types import UtcDateTime


class VoucherRow(Base):
    """A code of one event. `uses_left` is a hot row for a popular code: a sale takes a
    use with one conditional UPDATE in its commit, as it takes stock.

    Codes are stored upper case without spaces (tix.core.vouchers.model.normal_code), so a
    buyer's code is found by the unique index on (event, code) whatever its case."""

    __tablename__ = "vouchers"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    percent: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[int] = mapped_column(Integer, default=0)  # minor units, off one order
    max_uses: Mapped[int] = mapped_column(Integer)
    uses_left: Mapped[int] = mapped_column(Integer)
    per_order: Mapped[int | None] = mapped_column(Integer)
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    unlock_only: Mapped[bool] = mapped_column(Boolean, default=False)
    ticket_type_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list; [] all
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("event_id", "code", name="uq_vouchers_event_code"),
        CheckConstraint("uses_left >= 0", name="uses_left_not_negative"),
        CheckConstraint("uses_left <= max_uses", name="uses_left_within_max"),
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )
