"""Ids taken as arguments: an empty one is the caller's mistake (exit 2), not "not found"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from tix.core.errors import Invalid


def required(what: str) -> Callable[[str], str]:
    """A parameter callback: blank ids stop before any lookup (TixGroup renders Invalid)."""
    def check(value: str) -> str:
        if not value.strip():
            raise Invalid(f"{what} is required (it was empty)")
        return value
    return check


EventId = Annotated[str, typer.Argument(
    metavar="EVENT", help="Event id or number (E12).", callback=required("an event id"))]
OrderId = Annotated[str, typer.Argument(
    metavar="ORDER", help="Order number (TIX-…) or id.", callback=required("an order id"))]
TicketId = Annotated[str, typer.Argument(
    metavar="TICKET", help="Ticket number (E12-…) or id.", callback=required("a ticket id"))]
HoldId = Annotated[str, typer.Argument(
    metavar="HOLD_ID", help="The hold to pay for.", callback=required("a hold id"))]
