"""tix order …: your orders; an organizer's, of their events; a clerk's, that they sold."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tix.cli.ids import OrderId
from tix.cli.output import JsonFlag, confirm, emit, save_file, say
from tix.cli.state import state
from tix.json_shapes import event_label_json, order_json

app = typer.Typer(help="Orders: history, details, cancellation.", no_args_is_help=True)


@app.command("list")
def list_(ctx: typer.Context,
          limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
          json_: JsonFlag = False) -> None:
    """The orders you may see, newest first."""
    cli = state(ctx)
    orders = cli.runtime.orders.list(cli.principal(), limit)
    tickets = cli.runtime.tickets.of_orders([o.id for o in orders])
    events = cli.runtime.catalog.labels([o.event_id for o in orders])
    emit([{**order_json(o, tickets.get(o.id)), **event_label_json(events.get(o.event_id))}
          for o in orders], as_json=json_, human=_print_list)


@app.command()
def show(ctx: typer.Context, order: OrderId, json_: JsonFlag = False) -> None:
    """One order: lines, holders, totals, payment reference, status, refunds."""
    cli = state(ctx)
    found = cli.runtime.orders.show(cli.principal(), order)
    tickets = cli.runtime.tickets.of_orders([found.id]).get(found.id)
    event = cli.runtime.catalog.labels([found.event_id]).get(found.event_id)
    answers = cli.runtime.orders.answers(cli.principal(), found.id)
    emit({**order_json(found, tickets, answers), **event_label_json(event)}, as_json=json_,
         human=_print_one)


@app.command()
def cancel(ctx: typer.Context, order: OrderId,
           yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
           refund_used: Annotated[bool, typer.Option(
               "--refund-used", help="Refund tickets already used at the door too (the "
               "event's organizer or an admin).")] = False,
           json_: JsonFlag = False) -> None:
    """Cancel an order under the event's policy; the refund goes back the way it came.

    The buyer, the event's organizer or an admin may cancel; its tickets stop admitting
    at once. An order with a ticket used at the door is refunded only with --refund-used."""
    from tix.core.catalog.money import format_money

    cli = state(ctx)
    principal = cli.principal()
    # refuses (not found, not allowed, too late) before anything is asked
    quote = cli.runtime.orders.cancellation_quote(principal, order, refund_used=refund_used)
    total = quote.order.amount
    currency = quote.order.currency
    offer = (f"refunds {format_money(quote.refund, currency)} of "
             f"{format_money(total, currency)} ({quote.terms.describe()})")
    if not yes:
        confirm(f"Cancel order {quote.order.number}? It {offer}.",
                nothing_done=f"nothing cancelled: cancelling {quote.order.number} {offer}")
    cancelled = cli.runtime.orders.cancel(principal, order, refund_used=refund_used)
    data = {**order_json(cancelled), "refund_percent": quote.terms.percent,
            "refund_rule": quote.terms.describe()}
    emit(data, as_json=json_, human=lambda d: say(
        f"Cancelled {d['number']}; refunded {format_money(d['refunded'], currency)} of "
        f"{format_money(total, currency)}"
        + (f" ({quote.terms.describe()})." if d["refunded"] == quote.refund else ".")))


@app.command()
def pdf(ctx: typer.Context, order: OrderId,
        output: Annotated[Path, typer.Option("-o", "--output", help="The PDF file to write.")]
        ) -> None:
    """Save all of an order's valid tickets as one PDF, a page per ticket."""
    from tix.documents import order_pdf

    cli = state(ctx)
    save_file(output, order_pdf(cli.runtime, cli.principal(), order))


def _print_list(rows: list[dict[str, Any]]) -> None:
    from tix.cli.layout import Column, fitted_table
    from tix.core.catalog.money import format_money

    if not rows:
        say("No orders.")
        return
    # how each was paid is in order show: 80 columns leave room for the event instead
    fitted_table([Column("number"), Column("event", flexible=True), Column("status"),
                  Column("qty", justify="right"), Column("total", justify="right"),
                  Column("placed (UTC)")],
                 [[r["number"], f"{r['event_number'] or '?'} {r['event_name'] or ''}",
                   r["status"], str(r["lines"][0]["quantity"]),
                   format_money(r["total"], r["currency"]),
                   f"{r['created_at']:%Y-%m-%d %H:%M}"] for r in rows])


def _print_one(data: dict[str, Any]) -> None:
    from tix.cli.layout import clipped, width
    from tix.core.catalog.money import format_money

    line = data["lines"][0]
    typer.echo(f"{data['number']}  [{data['status']}]")
    event = f"event: {data['event_number'] or '?'} "
    typer.echo(event + clipped(data["event_name"] or "", width() - len(event)))
    typer.echo(f"{line['quantity']} x {format_money(line['unit_price'], data['currency'])} = "
               f"{format_money(data['total'], data['currency'])}, paid by {data['tender']} "
               f"({data['payment_reference'] or 'no payment'})")
    typer.echo(f"holders: {', '.join(line['holders'])}")
    if data.get("voucher"):
        typer.echo(f"code {data['voucher']}: "
                   f"{format_money(data['discount'], data['currency'])} off")
    if data["refunded"]:
        typer.echo(f"refunded: {format_money(data['refunded'], data['currency'])}")
    if data["failure_reason"]:
        typer.echo(f"failed: {data['failure_reason']}")
    for ticket in data["tickets"]:
        typer.echo(f"ticket {ticket['number']}  {ticket['holder']}  [{ticket['status']}]")
    for answer in data.get("answers", []):
        where = "order" if answer["ticket"] is None else f"ticket {answer['ticket']}"
        typer.echo(f"{where}: {answer['text']} {answer['answer']}")
