"""tix hold: set tickets aside for a few minutes while you pay."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tix.cli.ids import HoldId
from tix.cli.output import JsonFlag, emit, say
from tix.cli.state import state
from tix.json_shapes import hold_json, order_json


def hold(
    ctx: typer.Context,
    ticket_type: Annotated[str, typer.Argument(
        help="Ticket type: its reference (E12-T2, see tix event show) or id.")],
    quantity: Annotated[int, typer.Option(help="How many tickets.")] = 1,
    json_: JsonFlag = False,
) -> None:
    """Hold tickets for 10 minutes (the sale window, stock and per-person limit permitting)."""
    cli = state(ctx)
    placed = cli.runtime.inventory.place_hold(cli.principal(), ticket_type, quantity)
    emit(hold_json(placed), as_json=json_, human=_print_hold)


def _print_hold(data: dict[str, Any]) -> None:
    typer.echo(data["id"])  # stdout: the id, for scripts
    say(f"Holding {data['quantity']} ticket(s) until {data['expires_at']:%H:%M:%S} UTC.")


PayOption = Annotated[str, typer.Option(
    "--pay", help="cash (clerks), comp (the event's organizer) or card (Stripe).")]
HolderOption = Annotated[list[str] | None, typer.Option(
    "--holder", help="A ticket holder's name; repeat for each ticket (default: yours).")]
TenderedOption = Annotated[str | None, typer.Option(
    "--tendered", help="Cash: the amount handed over, in major units (change is shown).")]
MethodOption = Annotated[str | None, typer.Option(
    "--payment-method", help="Card: Stripe's payment method id (e.g. pm_card_visa).")]


def buy(
    ctx: typer.Context,
    ticket_type: Annotated[str, typer.Argument(
        help="Ticket type: its reference (E12-T2, see tix event show) or id.")],
    quantity: Annotated[int, typer.Option(help="How many tickets.")] = 1,
    holder: HolderOption = None,
    pay: PayOption = "card",
    tendered: TenderedOption = None,
    payment_method: MethodOption = None,
    json_: JsonFlag = False,
) -> None:
    """Hold, order and pay in one step."""
    cli = state(ctx)
    principal = cli.principal()
    tender, cash = _tender(cli, pay, tendered, ticket_type)
    order = cli.runtime.orders.buy(principal, ticket_type, quantity, tender=tender,
                                   holders=holder or [], tendered=cash,
                                   payment_method=payment_method)
    _emit_sold(cli, order, json_)


def checkout(
    ctx: typer.Context,
    hold_id: HoldId,
    holder: HolderOption = None,
    pay: PayOption = "card",
    tendered: TenderedOption = None,
    payment_method: MethodOption = None,
    json_: JsonFlag = False,
) -> None:
    """Pay for a hold you placed."""
    cli = state(ctx)
    principal = cli.principal()
    hold = cli.runtime.inventory.get_hold(principal, hold_id)
    tender, cash = _tender(cli, pay, tendered, hold.ticket_type_id)
    order = cli.runtime.orders.checkout(principal, hold_id, tender=tender,
                                        holders=holder or [], tendered=cash,
                                        payment_method=payment_method)
    _emit_sold(cli, order, json_)


def _emit_sold(cli: Any, order: Any, as_json: bool) -> None:
    """The order with its tickets: a sale at the counter has them already."""
    tickets = cli.runtime.tickets.of_orders([order.id]).get(order.id)
    emit(order_json(order, tickets), as_json=as_json, human=_print_order)


def _tender(cli: Any, pay: str, tendered: str | None, ticket_type_id: str
            ) -> tuple[Any, int | None]:
    from tix.core.catalog.money import to_minor
    from tix.core.catalog.references import find_ticket_type
    from tix.core.errors import Invalid, NotFound
    from tix.core.orders.model import Tender

    try:
        tender = Tender(pay.lower())
    except ValueError:
        raise Invalid(f"--pay: {pay!r} is not cash, comp or card") from None
    if tendered is None:
        return tender, None
    with cli.runtime.uow(readonly=True) as uow:
        view = find_ticket_type(uow.catalog, ticket_type_id)
    if view is None:
        raise NotFound("ticket type", ticket_type_id)
    return tender, to_minor(tendered, view.currency, field="--tendered")


def _print_order(data: dict[str, Any]) -> None:
    from tix.core.catalog.money import format_money

    typer.echo(data["number"])
    line = data["lines"][0]
    say(f"{data['status'].title()}: {line['quantity']} ticket(s), "
        f"{format_money(data['total'], data['currency'])} ({data['tender']}); "
        f"holders: {', '.join(line['holders'])}")
    if data["change"]:
        say(f"Change due: {format_money(data['change'], data['currency'])}")


def register(app: typer.Typer) -> None:
    app.command("hold")(hold)
    app.command("buy")(buy)
    app.command("checkout")(checkout)
