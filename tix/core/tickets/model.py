"""A ticket, its signed QR payload, and the rules of the door."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

PAYLOAD_VERSION = "TIX1"


class TicketStatus(StrEnum):
    VALID = "VALID"
    USED = "USED"  # admitted at the door
    VOIDED = "VOIDED"  # its order cancelled, the ticket refunded, voided or transferred


@dataclass
class Ticket:
    id: str
    number: str  # E12-000123: unique per event, read out at the door
    event_id: str
    order_id: str
    seat: int  # 0.. within the order
    user_id: str  # the buyer
    ticket_type_id: str
    holder: str
    qr_payload: str
    created_at: datetime
    status: TicketStatus = TicketStatus.VALID
    checked_in_at: datetime | None = None
    checked_in_by: str | None = None


@dataclass(frozen=True)
class TicketAtDoor:
    """A ticket as the attendee list shows it: who holds it and how far it got at the
    door (`holder` is "" when it was not read: personal data not shown)."""

    id: str
    number: str
    order_id: str
    seat: int
    user_id: str  # the buyer
    ticket_type_id: str
    holder: str
    status: TicketStatus
    checked_in_at: datetime | None  # the admission that stands now
    first_scan_at: datetime | None  # its first admission ever (re-entries come later)


@dataclass(frozen=True)
class TicketDocument:
    """Everything printed on a ticket."""

    ticket_id: str
    number: str
    holder: str
    ticket_type: str
    price: str  # formatted with its currency
    order_number: str
    qr_payload: str
    event_name: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str
    address: str | None
    city: str
    status: TicketStatus = TicketStatus.VALID  # the mobile page says when it is not


class Signer(Protocol):
    """Signs ticket payloads; a scanner verifies them with the public key alone."""

    def sign(self, message: bytes) -> bytes: ...

    def verify(self, message: bytes, signature: bytes) -> bool: ...


def ticket_number(event_number: int, sequence: int) -> str:
    return f"E{event_number}-{sequence:06d}"


def make_payload(ticket_id: str, event_number: int, signer: Signer) -> str:
    """`TIX1.<ticket id, hex>.<event number>.<Ed25519 signature, base64url>`: ~130
    characters, a small QR code."""
    body = f"{PAYLOAD_VERSION}.{uuid.UUID(ticket_id).hex}.{event_number}"
    signature = base64.urlsafe_b64encode(signer.sign(body.encode())).rstrip(b"=").decode()
    return f"{body}.{signature}"


@dataclass(frozen=True)
class ReadPayload:
    ticket_id: str
    event_number: int


def read_payload(payload: str, signer: Signer) -> ReadPayload | None:
    """The ticket a payload names, if its signature holds; None for anything forged."""
    parts = payload.strip().split(".")
    if len(parts) != 4 or parts[0] != PAYLOAD_VERSION:
        return None
    body = ".".join(parts[:3])
    try:
        signature = base64.urlsafe_b64decode(parts[3] + "=" * (-len(parts[3]) % 4))
        ticket_id = str(uuid.UUID(hex=parts[1]))
        event_number = int(parts[2])
    except ValueError:
        return None
    if not signer.verify(body.encode(), signature):
        return None
    return ReadPayload(ticket_id=ticket_id, event_number=event_number)
