"""tix order …: your orders; an organizer's, of their events; a clerk's, that they sold."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tix.cli.ids import OrderId, TicketId
from tix.cli.output import JsonFlag, confirm, emit, save_file, say
from tix.cli.state import state
from tix.json_shapes import event_label_json, order_json, refund_json

app = typer.Typer(help="Orders: history, details, cancellation, refunds.",
                  no_args_is_help=True)


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
    refunds = cli.runtime.orders.refunds_of(cli.principal(), found.id)
    emit({**order_json(found, tickets, answers), **event_label_json(event),
          "refunds": [refund_json(r) for r in refunds]}, as_json=json_, human=_print_one)


@app.command()
def cancel(ctx: typer.Context, order: OrderId,
           yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
           refund_used: Annotated[bool, typer.Option(
               "--refund-used", help="Refund tickets already used at the door too (the "
               "event's organizer or an admin).")] = False,
           reason: Annotated[str | None, typer.Option(
               help="Why (the event's organizer or an admin): said in the buyer's mail.")
                             ] = None,
           json_: JsonFlag = False) -> None:
    """Cancel an order; the refund goes back the way it came, its tickets stop admitting.

    The buyer cancels under the event's policy. The event's organizer or an admin cancels
    whatever the policy says, refunding all that is left of the payment, with a --reason
    for the buyer's mail. An order with a ticket used at the door is refunded only with
    --refund-used."""
    from tix.core.catalog.money import format_money

    cli = state(ctx)
    principal = cli.principal()
    # refuses (not found, not allowed, too late) before anything is asked
    quote = cli.runtime.orders.cancellation_quote(principal, order, refund_used=refund_used)
    total = quote.order.amount
    currency = quote.order.currency
    number = quote.order.number
    if total:
        offer = (f"refunds {format_money(quote.refund, currency)} of "
                 f"{format_money(total, currency)} ({quote.describe()})")
        question, unasked = f"It {offer}.", f"cancelling {number} {offer}"
    else:  # not "refunds 0.00 EUR of 0.00 EUR"
        question = "It was free: there is nothing to refund."
        unasked = f"{number} was free: cancelling it refunds nothing"
    if not yes:
        confirm(f"Cancel order {number}? {question}",
                nothing_done=f"nothing cancelled: {unasked}")
    cancelled = cli.runtime.orders.cancel(principal, order, refund_used=refund_used,
                                          reason=reason)
    data = {**order_json(cancelled), "refund_percent": quote.percent,
            "refund_rule": quote.describe()}
    emit(data, as_json=json_, human=lambda d: say(
        f"Cancelled {d['number']}; it was free: nothing to refund." if not total else
        f"Cancelled {d['number']}; refunded {format_money(d['refunded'], currency)} of "
        f"{format_money(total, currency)}"
        + (f" ({quote.describe()})." if d["refunded"] == quote.refund else ".")))


@app.command()
def refund(ctx: typer.Context, order: OrderId,
           ticket: Annotated[str | None, typer.Option(
               metavar="TICKET", help="Refund this ticket (E12-000123): its price after "
               "any discount; it stops admitting and its seat goes back on sale.")] = None,
           amount: Annotated[str | None, typer.Option(
               help="Refund this amount, in major units (12.50), up to what is left.")
                             ] = None,
           reason: Annotated[str | None, typer.Option(
               help="Why: recorded, and said in the buyer's mail.")] = None,
           key: Annotated[str | None, typer.Option(
               help="A key of yours for this refund: asked again with it (say after a "
                    "lost answer, exit 6), the refund is finished, never made twice. A "
                    "ticket's refund is keyed by the ticket anyway.")] = None,
           json_: JsonFlag = False) -> None:
    """Refund one ticket or an amount of an order (the event's organizer or an admin).

    The money goes back through the payment service that took it; an order's refunds
    never add up to more than was paid (exit 5 names what is left). The order stays
    completed; to refund all of it, cancel it (tix order cancel)."""
    from tix.core.catalog.money import format_money, to_minor
    from tix.core.errors import Invalid, RuleViolation
    cli = state(ctx)
    principal = cli.principal()
    if (ticket is None) == (amount is None):
        raise Invalid("give --ticket or --amount (one of them); to refund all that is "
                      "left, tix order cancel")
    found = cli.runtime.orders.show(principal, order)  # its currency reads the amount
    minor = None if amount is None else to_minor(amount, found.currency, field="--amount")
    try:
        done = cli.runtime.orders.refund(principal, found.id, amount=minor, ticket=ticket,
                                         reason=reason, key=key)
    except RuleViolation as refused:
        if json_:  # a script reads what is left; stderr still says why
            emit({"refunded": False, "code": refused.code, "reason": refused.message,
                  **refused.detail}, as_json=True)
        raise
    after = cli.runtime.orders.show(principal, found.id)
    data = {**refund_json(done), "order": after.number, "currency": after.currency,
            "refunded_total": after.refunded_amount,
            "left": after.amount - after.refunded_amount}
    emit(data, as_json=json_, human=lambda d: say(
        f"Refunded {format_money(d['amount'], d['currency'])} of {d['order']}"
        + (f" (ticket {d['ticket']}, voided)" if d["ticket"] else "")
        + f"; {format_money(d['left'], d['currency'])} left to refund."))


@app.command()
def transfer(ctx: typer.Context, ticket: TicketId,
             holder: Annotated[str, typer.Option(help="The new holder's name.",
                                                 show_default=False)],
             email: Annotated[str | None, typer.Option(
                 "--email", metavar="EMAIL",
                 help="Give the ticket to this address: a new ticket (new number and "
                      "code) is mailed there and the old one voided.")] = None,
             json_: JsonFlag = False) -> None:
    """A ticket of an order to another holder (its buyer, the event's organizer or an
    admin): without --email only the name changes (its code stays, as `tix ticket
    rename`); with --email as `tix ticket transfer --to`."""
    from tix.cli.ticket import renamed, transferred

    if email is None:
        renamed(ctx, ticket, holder, as_json=json_)
    else:
        transferred(ctx, ticket, email, holder, as_json=json_)


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
    for refunded in data.get("refunds", []):
        what = f"ticket {refunded['ticket']}" if refunded["ticket"] else "an amount"
        pending = "" if refunded["status"] == "DONE" else "  [under way]"
        typer.echo(f"  {refunded['created_at']:%Y-%m-%d %H:%M} UTC  "
                   f"{format_money(refunded['amount'], data['currency'])}  {what}  "
                   f"by {refunded['by']}: {refunded['reason']}{pending}")
    if data["failure_reason"]:
        typer.echo(f"failed: {data['failure_reason']}")
    for ticket in data["tickets"]:
        typer.echo(f"ticket {ticket['number']}  {ticket['holder']}  [{ticket['status']}]")
    for answer in data.get("answers", []):
        where = "order" if answer["ticket"] is None else f"ticket {answer['ticket']}"
        typer.echo(f"{where}: {answer['text']} {answer['answer']}")
