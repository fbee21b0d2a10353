"""Tables of the tickets module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tix.adapters.db.rows import catalog, orders  # noqa: F401  (tables named by foreign keys)
from tix.adapters.db.rows.base import Base, BigSerial, Id
from tix.adapters.db.types import UtcDateTime


class TicketRow(Base):
    __tablename__ = "tickets"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    number: Mapped[str] = mapped_column(String(30))
    sequence: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"))
    seat: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(Id, index=True)
    ticket_type_id: Mapped[str] = mapped_column(Id)
    holder: Mapped[str] = mapped_column(Text)  # encrypted
    qr_payload: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    checked_in_by: Mapped[str | None] = mapped_column(Id)
    # the door's state, kept in step with the scan log: the list of the admission that
    # stands (None: not admitted) and the list it is inside through now (None: outside)
    door_list: Mapped[str | None] = mapped_column(String(60))
    inside_list: Mapped[str | None] = mapped_column(String(60))

    __table_args__ = (
        UniqueConstraint("order_id", "seat", name="uq_tickets_order_seat"),
        UniqueConstraint("event_id", "sequence", name="uq_tickets_event_sequence"),
        Index("ix_tickets_number", "number"),
        Index("ix_tickets_event_id_inside_list", "event_id", "inside_list"),
    )


class TicketNumberRow(Base):
    """How many ticket numbers each event has given out: the next sale's start. One short
    row lock per sale, held only to the end of its commit (not a scan of the tickets)."""

    __tablename__ = "ticket_numbers"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    issued: Mapped[int] = mapped_column(Integer)


class CheckinListRow(Base):
    """An event's check-in list beyond "main" (which every event has, unstored): the
    ticket types it admits (ids, comma-separated; empty: all) and whether it re-admits."""

    __tablename__ = "checkin_lists"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    ticket_type_ids: Mapped[str] = mapped_column(Text)
    reentry: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DoorScanRow(Base):
    """The server's scan log: every scan at an online door, and those offline doors
    uploaded, once each (by id). `seq` orders them as they reached the server: a door's
    download cursor."""

    __tablename__ = "door_scans"

    seq: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(Id, unique=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"))
    kind: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    device: Mapped[str] = mapped_column(String(60))
    list_name: Mapped[str] = mapped_column(String(60))
    clerk: Mapped[str] = mapped_column(String(200))  # the scan's `by`
    reason: Mapped[str] = mapped_column(Text)
    code: Mapped[str] = mapped_column(String(40))
    undoes: Mapped[str] = mapped_column(String(36))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_door_scans_ticket_id", "ticket_id"),
        Index("ix_door_scans_event_id_seq", "event_id", "seq"),
    )
