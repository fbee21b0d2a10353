"""The JSON shapes of tix's public nouns (CLI.md), one place for every face: `--json`, the
daemon's HTTP routes and the coming REST API print the same fields for the same thing.

Each `…_json` function returns a dict of plain values, datetimes and enums; `to_jsonable`
turns that into what `json.dumps` takes (ISO 8601 strings, enum values), and
`json_document` is the text `--json` prints. The human printers of the CLI read the same
dicts before that last step, so a datetime stays one for them to format.

Face-neutral: it reads the core's models and imports no face or adapter.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for the hints: `--json` starts without importing the models
    from tix.core.catalog.model import EventLabel
    from tix.core.catalog.search import (
        EventDetails,
        EventSummary,
        QuotaDetails,
        TicketTypeDetails,
    )
    from tix.core.catalog.team import TeamChange, TeamEntry
    from tix.core.errors import TixError
    from tix.core.inventory.model import Hold
    from tix.core.orders.answers import Answer
    from tix.core.orders.model import Order, Refund
    from tix.core.orders.order_export import ExportedOrder
    from tix.core.orders.till import TillReport
    from tix.core.tickets.attendees import Attendee
    from tix.core.tickets.door_pack import DoorPack
    from tix.core.tickets.model import Ticket
    from tix.core.tickets.offline import Conflict, Merged, OfflineVerdict
    from tix.core.tickets.service import Admission
    from tix.core.vouchers.model import Voucher


def to_jsonable(value: Any) -> Any:
    """Dataclasses, dicts, lists, datetimes and enums as JSON's plain values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def json_document(data: Any) -> str:
    """One JSON document as `--json` prints it: indented, UTF-8 as is, a final newline."""
    return json.dumps(to_jsonable(data), indent=2, ensure_ascii=False) + "\n"


def event_summary_json(summary: EventSummary) -> dict[str, Any]:
    """An event in a list: times in the event's own zone, prices in minor units."""
    return {"id": summary.id, "number": f"E{summary.number}", "name": summary.name,
            "starts_at": _local(summary.starts_at, summary.timezone),
            "ends_at": _local(summary.ends_at, summary.timezone),
            "timezone": summary.timezone, "venue": summary.venue, "city": summary.city,
            "category": summary.category, "status": summary.status,
            "currency": summary.currency, "min_price": summary.min_price,
            "max_price": summary.max_price, "available": summary.available,
            "image_url": summary.image_url}


def event_json(details: EventDetails) -> dict[str, Any]:
    """One event with its policy and ticket types (`event show`, `event create`)."""
    return {**event_summary_json(details.summary), "description": details.description,
            "address": details.address, "organizer_id": details.organizer_id,
            "cancellation_policy": details.cancellation_policy,
            "ticket_types": [ticket_type_json(t) for t in details.ticket_types]}


def ticket_type_json(ticket_type: TicketTypeDetails) -> dict[str, Any]:
    """A ticket type: its UUID as `id`, its short reference (E12-T2) as `ref`."""
    t = ticket_type
    return {"id": t.id, "ref": t.ref, "name": t.name, "price": t.price,
            "currency": t.currency, "quantity": t.quantity, "available": t.available,
            "limit": t.limit, "sale_starts_at": t.sale_starts_at,
            "sale_ends_at": t.sale_ends_at, "hidden": t.hidden}


def quota_json(quota: QuotaDetails) -> dict[str, Any]:
    """A quota of an event (`name` null: its capacity) with its tickets left."""
    return {"name": quota.name, "quantity": quota.quantity, "available": quota.available,
            "ticket_types": quota.ticket_types}


def event_label_json(label: EventLabel | None) -> dict[str, Any]:
    """Which event an order is for, as people know it (E12, its name)."""
    return {"event_number": f"E{label.number}" if label else None,
            "event_name": label.name if label else None}


def hold_json(hold: Hold) -> dict[str, Any]:
    """A hold: its lines, and (for scripts of one type) the first line's type and the
    number of tickets in all."""
    return {"id": hold.id, "ticket_type_id": hold.lines[0].ticket_type_id,
            "quantity": hold.quantity, "expires_at": hold.expires_at,
            "lines": [{"ticket_type_id": line.ticket_type_id, "quantity": line.quantity}
                      for line in hold.lines]}


def order_json(order: Order, tickets: list[Ticket] | None = None,
               answers: list[Answer] | None = None) -> dict[str, Any]:
    """An order; `tickets`: its tickets, once they were generated (else an empty list);
    `answers`: those given to the event's questions, where they were read (`answers`:
    `ticket` from 1, or null for the order's own questions)."""
    change = (order.tendered_amount - order.amount
              if order.tendered_amount is not None else None)
    return {"id": order.id, "number": order.number, "status": order.status.value,
            "total": order.amount, "currency": order.currency, "tender": order.tender.value,
            "payment_reference": order.payment_reference, "event_id": order.event_id,
            "lines": _lines_json(order),
            "refunded": order.refunded_amount, "change": change,
            "discount": order.discount_amount,
            "voucher": order.discount.code if order.discount else None,
            "failure_reason": order.failure_reason, "test": order.test,
            "created_at": order.created_at,
            "completed_at": order.completed_at, "cancelled_at": order.cancelled_at,
            "tickets": [ticket_json(t) for t in tickets or []],
            **({} if answers is None else {"answers": _answers_json(answers)})}


def refund_json(refund: Refund) -> dict[str, Any]:
    """A refund short of a cancellation: `amount` in minor units, the `ticket` number it
    voided (or null), `status` PENDING (the payment service's answer awaited) or DONE."""
    return {"id": refund.id, "amount": refund.amount, "ticket": refund.ticket_number,
            "reason": refund.reason, "by": refund.actor, "status": refund.status.value,
            "reference": refund.reference, "created_at": refund.created_at,
            "done_at": refund.done_at}


def till_json(report: TillReport) -> dict[str, Any]:
    """A till: its shift, the cash sales taken in it and, once closed, the count. Amounts
    in minor units of `currency`; `expected` is float + cash_in - refunds (while open:
    so far), `difference` counted - expected (negative: cash missing)."""
    till = report.till
    return {"id": till.id, "clerk_id": till.clerk_id, "box_office": till.box_office,
            "currency": till.currency, "status": "open" if till.is_open else "closed",
            "opened_at": till.opened_at, "closed_at": till.closed_at,
            "float": till.float_amount, "sales": report.sales, "cash_in": report.cash_in,
            "refunds": report.refunds, "expected": report.expected,
            "counted": till.counted, "difference": till.difference}


def _answers_json(answers: list[Answer]) -> list[dict[str, Any]]:
    from tix.core.orders.answers import answers_json  # the GDPR export's shape too

    return answers_json(answers)


def _lines_json(order: Order) -> list[dict[str, Any]]:
    """Each line with the holders of its seats (seats are numbered across the lines)."""
    lines, seat = [], 0
    for line in order.lines:
        lines.append({"ticket_type_id": line.ticket_type_id, "quantity": line.quantity,
                      "unit_price": line.unit_price,
                      "holders": order.holders[seat:seat + line.quantity]})
        seat += line.quantity
    return lines


def attendee_json(attendee: Attendee) -> dict[str, Any]:
    """A row of an event's attendee list (`holder`, `buyer_email` and `answers` empty when
    personal data was left out); `answers` by question key."""
    return {"ticket": attendee.ticket, "ticket_type": attendee.ticket_type,
            "status": attendee.status, "holder": attendee.holder,
            "buyer_email": attendee.buyer_email, "order": attendee.order,
            "checked_in": attendee.checked_in_at is not None,
            "checked_in_at": attendee.checked_in_at, "first_scan_at": attendee.first_scan_at,
            "answers": dict(attendee.answers)}


def exported_order_json(order: ExportedOrder) -> dict[str, Any]:
    """A row of an event's orders export: amounts in minor units, as in `order_json`."""
    return {"number": order.number, "status": order.status,
            "buyer_email": order.buyer_email,
            "lines": [{"ticket_type": line.ticket_type, "quantity": line.quantity,
                       "unit_price": line.unit_price, "amount": line.amount}
                      for line in order.lines],
            "quantity": order.quantity, "total": order.total, "currency": order.currency,
            "discount": order.discount, "voucher": order.voucher or None,
            "refunded": order.refunded, "tender": order.tender, "test": order.test,
            "created_at": order.created_at, "completed_at": order.completed_at}


def voucher_json(voucher: Voucher, type_refs: dict[str, str] | None = None
                 ) -> dict[str, Any]:
    """A voucher: its code (upper case), what it gives (`percent`, or `amount` in minor
    units off one order; neither: `unlock_only`), its uses and limits; `types` as
    references (E12-T2) where `type_refs` knows them, else ids; [] for every type."""
    refs = type_refs or {}
    return {"id": voucher.id, "event_id": voucher.event_id, "code": voucher.code,
            "percent": voucher.percent, "amount": voucher.amount,
            "unlock_only": voucher.unlock_only, "max_uses": voucher.max_uses,
            "uses_left": voucher.uses_left, "used": voucher.used,
            "per_order": voucher.per_order, "valid_until": voucher.valid_until,
            "types": [refs.get(t, t) for t in voucher.ticket_type_ids],
            "voided": voucher.voided_at is not None, "voided_at": voucher.voided_at,
            "created_at": voucher.created_at}


def team_member_json(entry: TeamEntry) -> dict[str, Any]:
    """One person on an event's team: `role` is co-organizer, clerk or door."""
    return {"email": entry.email, "name": entry.name, "role": entry.role.value,
            "added_at": entry.added_at}


def team_change_json(change: TeamChange) -> dict[str, Any]:
    """A change of an event's team: who, their role now (or, removed, the one they had)
    and `was`, the role before (null: not on the team)."""
    return {"event_id": change.event_id, "event": f"E{change.event_number}",
            "email": change.email, "role": change.role.value,
            "was": change.before.value if change.before else None}


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    return {"id": ticket.id, "number": ticket.number, "status": ticket.status.value,
            "holder": ticket.holder, "event_id": ticket.event_id,
            "order_id": ticket.order_id, "ticket_type_id": ticket.ticket_type_id,
            "qr_payload": ticket.qr_payload, "checked_in_at": ticket.checked_in_at}


def admission_json(admission: Admission) -> dict[str, Any]:
    """A door's yes: the ticket, and what the door tells the person let in."""
    return {**ticket_json(admission.ticket), "event": admission.event_name,
            "ticket_type": admission.ticket_type, "admitted": True}


def refusal_json(refused: TixError) -> dict[str, Any]:
    """A door's no, as a scanner script reads it (the error line says the same)."""
    return {"admitted": False, "code": refused.code, "reason": refused.message}


def door_pack_json(pack: DoorPack) -> dict[str, Any]:
    """What a door pack holds, counted (never its tickets: those are for the door)."""
    return {"event_id": pack.event_id, "event": pack.event_name, "made_at": pack.made_at,
            "last_revocation_at": pack.last_revocation_at,
            "lists": [c.name for c in pack.lists], "tickets": len(pack.tickets),
            "revoked": len(pack.revoked), "scans": len(pack.scans)}


def offline_verdict_json(verdict: OfflineVerdict, pack: DoorPack, *, holder: str,
                         device: str, list_name: str) -> dict[str, Any]:
    """An offline door's verdict: an admission's (or exit's, undo's) fields as online,
    a refusal as `refusal_json`, both saying which device and scan."""
    place = {"offline": True, "device": device, "list": list_name,
             "scan_id": verdict.scan.id}
    if verdict.refusal is not None or verdict.ticket is None:
        assert verdict.refusal is not None
        return {**refusal_json(verdict.refusal), **place}
    ticket = verdict.ticket
    return {"id": ticket.id, "number": ticket.number, "holder": holder,
            "ticket_type": pack.ticket_types.get(ticket.ticket_type_id, ""),
            "event_id": pack.event_id, "event": pack.event_name,
            "kind": verdict.scan.kind.value, "admitted": verdict.admitted, **place}


def door_conflict_json(conflict: Conflict, zone: str) -> dict[str, Any]:
    """A ticket let in at two doors while apart: the first stands."""
    return {"ticket_id": conflict.ticket_id, "number": conflict.number,
            "first": {"device": conflict.first.device, "at": conflict.first.at,
                      "scan_id": conflict.first.id},
            "second": {"device": conflict.second.device, "at": conflict.second.at,
                       "scan_id": conflict.second.id},
            "message": conflict.describe(zone)}


def door_merge_json(merged: Merged, pack: DoorPack) -> dict[str, Any]:
    """Every scan a door knows, replayed: how many in, and the conflicts."""
    return {"event_id": pack.event_id, "scans": len(merged.scans),
            "admitted": merged.admitted, "inside": merged.inside,
            "conflicts": [door_conflict_json(c, pack.timezone) for c in merged.conflicts]}


def _local(moment: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)).isoformat()
