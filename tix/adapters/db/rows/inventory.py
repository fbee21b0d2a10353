"""Tables of the inventory module."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from tix.adapters.db.rows import catalog  # noqa: F401  (ticket_types, named by a foreign key)
from tix.adapters.db.rows.base import Base, Id


class StockRow(Base):
    """One row per ticket type: the hot row every sale updates with one conditional UPDATE.

    Only `available` lives here; held and sold are counted from holds and orders, so a
    purchase touches this row once.
    """

    __tablename__ = "stock"

    ticket_type_id: Mapped[str] = mapped_column(
        Id, ForeignKey("ticket_types.id", ondelete="CASCADE"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
    available: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("available >= 0", name="available_not_negative"),
        CheckConstraint("available <= quantity", name="available_within_quantity"),
    )
