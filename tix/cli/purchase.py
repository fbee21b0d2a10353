"""tix hold: set tickets aside for a few minutes while you pay."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tix.cli.output import JsonFlag, emit, say
from tix.cli.state import state


def hold(
    ctx: typer.Context,
    ticket_type: Annotated[str, typer.Argument(help="Ticket type id (see tix event show).")],
    quantity: Annotated[int, typer.Option(help="How many tickets.")] = 1,
    json_: JsonFlag = False,
) -> None:
    """Hold tickets for 10 minutes (the sale window, stock and per-person limit permitting)."""
    cli = state(ctx)
    placed = cli.runtime.inventory.place_hold(cli.principal(), ticket_type, quantity)
    data = {"id": placed.id, "ticket_type_id": placed.ticket_type_id,
            "quantity": placed.quantity, "expires_at": placed.expires_at}
    emit(data, as_json=json_, human=_print_hold)


def _print_hold(data: dict[str, Any]) -> None:
    typer.echo(data["id"])  # stdout: the id, for scripts
    say(f"Holding {data['quantity']} ticket(s) until {data['expires_at']:%H:%M:%S} UTC.")


def register(app: typer.Typer) -> None:
    app.command("hold")(hold)
