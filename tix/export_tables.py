"""The columns of an event's exports and a CSV row of each: the attendee list and the
orders, the same whichever face writes them (the CLI's `tix event attendees | orders`,
the box office's export)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tix.core.catalog.money import format_money

if TYPE_CHECKING:
    from tix.core.exports import Export
    from tix.core.orders.order_export import ExportedOrder
    from tix.core.tickets.attendees import Attendee

ATTENDEE_COLUMNS = ["ticket", "ticket_type", "status", "holder", "buyer_email", "order",
                    "checked_in_at", "first_scan_at"]
ORDER_COLUMNS = ["number", "status", "buyer_email", "lines", "quantity", "total",
                 "discount", "voucher", "refunded", "tender", "currency", "test",
                 "created_at", "completed_at"]


def attendee_table(export: Export[Attendee]
                   ) -> tuple[list[str], Callable[[Attendee], list[Any]]]:
    """The header (an answer's column after the fixed ones) and a row of the list."""
    keys = list(export.columns)
    header = ATTENDEE_COLUMNS + [k if k not in ATTENDEE_COLUMNS else f"answer:{k}"
                                 for k in keys]

    def csv_row(a: Attendee) -> list[Any]:
        return [a.ticket, a.ticket_type, a.status, a.holder, a.buyer_email, a.order,
                time_cell(a.checked_in_at), time_cell(a.first_scan_at),
                *(a.answers.get(k, "") for k in keys)]

    return header, csv_row


def order_row(o: ExportedOrder) -> list[Any]:
    """An order as CSV: amounts as decimals of its currency column."""
    money = decimal_of(o.currency)
    lines = "; ".join(f"{line.quantity} x {line.ticket_type} at "
                      f"{money(line.unit_price)}" for line in o.lines)
    return [o.number, o.status, o.buyer_email, lines, o.quantity, money(o.total),
            money(o.discount), o.voucher, money(o.refunded), o.tender, o.currency,
            "yes" if o.test else "no", time_cell(o.created_at), time_cell(o.completed_at)]


def time_cell(moment: Any) -> str:
    return moment.isoformat() if moment is not None else ""


def decimal_of(currency: str) -> Callable[[int], str]:
    """Minor units as a plain decimal of the currency (2550 -> "25.50"), for CSV."""
    return lambda minor: format_money(minor, currency).rsplit(" ", 1)[0].replace(",", "")
