"""Tables of the catalog module."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from tix.adapters.db.rows import accounts  # noqa: F401  (users, named by a foreign key)
from tix.adapters.db.rows.base import Base, Id
from tix.adapters.db.types import UtcDateTime


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    organizer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20))
    venue: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    city_key: Mapped[str] = mapped_column(Text, server_default="")  # search.folded(city)
    address: Mapped[str | None] = mapped_column(String(300))
    image_url: Mapped[str | None] = mapped_column(String(2000))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20))
    # JSON list of {"before_hours": int, "percent": int}
    cancellation_policy: Mapped[str] = mapped_column(Text)
    # JSON list of the questions asked at checkout, as the event file declares them
    questions: Mapped[str] = mapped_column(Text, server_default="[]")
    max_per_order: Mapped[int | None] = mapped_column(Integer)  # tickets in one order
    max_per_person: Mapped[int | None] = mapped_column(Integer)  # of every type, per buyer
    # its orders are test orders, left out of sales reports (the event file's test_mode)
    test_mode: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Kept by the catalog for searching and sorting without touching ticket types:
    min_price: Mapped[int] = mapped_column(Integer, default=0)
    max_price: Mapped[int] = mapped_column(Integer, default=0)
    recent_sales: Mapped[int] = mapped_column(Integer, default=0)  # tickets, last 7 days

    __table_args__ = (
        Index("ix_events_status_starts_at", "status", "starts_at"),
        Index("ix_events_status_currency_min_price", "status", "currency", "min_price",
              "starts_at"),
        Index("ix_events_status_recent_sales", "status", "recent_sales"),
        Index("ix_events_category_starts_at", "category", "starts_at"),
        Index("ix_events_city_key", "city_key"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )


class EventSalesDayRow(Base):
    """Tickets sold per event per day: the popularity score is the last 7 days' sum."""

    __tablename__ = "event_sales_days"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    tickets: Mapped[int] = mapped_column(Integer, default=0)
    counted: Mapped[bool] = mapped_column(Boolean, default=True)  # still in recent_sales


class CatalogVersionRow(Base):
    """One row: bumped by every change to an event, so search caches know they are stale."""

    __tablename__ = "catalog_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class TicketTypeRow(Base):
    __tablename__ = "ticket_types"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(100))
    price: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    per_person_limit: Mapped[int | None] = mapped_column(Integer)
    # sold only with a voucher that unlocks it; listed to nobody
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    sale_starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sale_ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    position: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[int] = mapped_column(Integer)  # within the event: E12-T<number>

    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        UniqueConstraint("event_id", "number", name="uq_ticket_types_event_number"),
    )


class EventTeamRow(Base):
    """A person on an event's team, with the one role they have for it."""

    __tablename__ = "event_team"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    added_by: Mapped[str] = mapped_column(Id)

    __table_args__ = (
        # the box office lists a clerk's events: by the user first
        Index("ix_event_team_user_id", "user_id", "role"),
        CheckConstraint("role IN ('co-organizer', 'clerk', 'door')", name="role_known"),
    )
