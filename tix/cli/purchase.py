"""tix hold: set tickets aside for a few minutes while you pay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from tix.cli.answers import AnswerOption, AnswersFileOption, collect
from tix.cli.ids import HoldId
from tix.cli.output import JsonFlag, emit, say
from tix.cli.state import state
from tix.json_shapes import hold_json, order_json

TypeArgument = Annotated[str | None, typer.Argument(
    help="Ticket type: its reference (E12-T2, see tix event show) or id.", show_default=False)]
QuantityOption = Annotated[int, typer.Option(help="How many tickets of TICKET_TYPE.")]
ItemOption = Annotated[list[str] | None, typer.Option(
    "--item", help="TYPE:QUANTITY, e.g. E12-T1:2; repeat for a basket of several types of "
                   "one event (with or instead of TICKET_TYPE).", show_default=False)]
VoucherOption = Annotated[str | None, typer.Option(
    "--voucher", metavar="CODE", help="A code the organizer gave you: its discount, or the "
                                      "hidden ticket types it unlocks (any case).",
    show_default=False)]


def hold(
    ctx: typer.Context,
    ticket_type: TypeArgument = None,
    quantity: QuantityOption = 1,
    item: ItemOption = None,
    voucher: VoucherOption = None,
    json_: JsonFlag = False,
) -> None:
    """Hold tickets for 10 minutes (the sale window, stock and per-person limit permitting):
    of one type, or a basket (--item, repeated): all of it or none. A --voucher code is
    used by the hold (given back if it is released or runs out)."""
    cli = state(ctx)
    placed = cli.runtime.inventory.hold_basket(cli.principal(),
                                               _items(ticket_type, quantity, item),
                                               voucher=voucher)
    emit(hold_json(placed), as_json=json_, human=_print_hold)


def _items(ticket_type: str | None, quantity: int, items: list[str] | None
           ) -> list[tuple[str, int]]:
    """The lines asked for: TICKET_TYPE with --quantity, then each --item TYPE:QUANTITY."""
    from tix.core.errors import Invalid

    lines = [(ticket_type, quantity)] if ticket_type is not None else []
    for given in items or []:
        reference, _, count = given.rpartition(":")
        if not reference.strip() or not count.strip().isdigit():
            raise Invalid(f"--item: {given!r} is not TYPE:QUANTITY (e.g. E12-T1:2)")
        lines.append((reference.strip(), int(count)))
    if not lines:
        raise Invalid("name a ticket type (TICKET_TYPE) or --item TYPE:QUANTITY")
    return lines


def _print_hold(data: dict[str, Any]) -> None:
    typer.echo(data["id"])  # stdout: the id, for scripts
    say(f"Holding {data['quantity']} ticket(s) until {data['expires_at']:%H:%M:%S} UTC.")


PayOption = Annotated[str, typer.Option(
    "--pay", help="cash (clerks), comp (the event's organizer), card (Stripe) or free "
                  "(nothing to pay: free tickets, or a code that takes the whole price off).")]
HolderOption = Annotated[list[str] | None, typer.Option(
    "--holder", help="A ticket holder's name; repeat for each ticket (default: yours).")]
TenderedOption = Annotated[str | None, typer.Option(
    "--tendered", help="Cash: the amount handed over, in major units (change is shown).")]
MethodOption = Annotated[str | None, typer.Option(
    "--payment-method", help="Card: Stripe's payment method id (e.g. pm_card_visa).")]
EmailOption = Annotated[str | None, typer.Option(
    "--email", metavar="EMAIL", help="Counter staff: the walk-in buyer's address; the receipt "
                                     "and the tickets are mailed there. Without it a cash "
                                     "sale mails nobody (print the tickets: tix ticket pdf).",
    show_default=False)]
BuyerNameOption = Annotated[str | None, typer.Option(
    "--buyer-name", metavar="NAME", help="Counter staff: the walk-in buyer's name (the "
                                         "holder of tickets given no --holder; else blank).",
    show_default=False)]


def buy(
    ctx: typer.Context,
    ticket_type: TypeArgument = None,
    quantity: QuantityOption = 1,
    item: ItemOption = None,
    holder: HolderOption = None,
    pay: PayOption = "card",
    tendered: TenderedOption = None,
    payment_method: MethodOption = None,
    answer: AnswerOption = None,
    answers_file: AnswersFileOption = None,
    voucher: VoucherOption = None,
    email: EmailOption = None,
    buyer_name: BuyerNameOption = None,
    json_: JsonFlag = False,
) -> None:
    """Hold, order and pay in one step: tickets of one type, or a basket (--item).
    The event's questions are answered with --answer or --answers-file (on a terminal,
    those missing are asked); a required one unanswered refuses the sale (exit 2).

    At the counter (clerks), a cash sale is the walk-in's, not yours: --email and
    --buyer-name say who they are; with no email nothing is mailed to anyone. A customer
    buys for themselves (--email: exit 3). Once you have opened a till (tix till open),
    cash sales go into your open till, and are refused with none open (exit 5)."""
    cli = state(ctx)
    principal = cli.principal()
    items = _items(ticket_type, quantity, item)
    tender, cash = _tender(cli, pay, tendered, items[0][0])
    buyer = _walk_in(cli, principal, tender, email, buyer_name)
    answers = collect(cli, items, answer, answers_file, as_json=json_)
    order = _with_pay_link(cli, lambda: cli.runtime.orders.buy_basket(
        principal, items, tender=tender, holders=holder or [], tendered=cash,
        payment_method=payment_method, answers=answers, voucher=voucher, buyer=buyer))
    _emit_sold(cli, order, json_, buyer)


def checkout(
    ctx: typer.Context,
    hold_id: HoldId,
    holder: HolderOption = None,
    pay: PayOption = "card",
    tendered: TenderedOption = None,
    payment_method: MethodOption = None,
    answer: AnswerOption = None,
    answers_file: AnswersFileOption = None,
    voucher: VoucherOption = None,
    email: EmailOption = None,
    buyer_name: BuyerNameOption = None,
    json_: JsonFlag = False,
) -> None:
    """Pay for a hold you placed. The event's questions are answered as with tix buy
    (--answer, --answers-file, asked on a terminal); --email and --buyer-name as with
    tix buy (counter staff only)."""
    cli = state(ctx)
    principal = cli.principal()
    hold = cli.runtime.inventory.get_hold(principal, hold_id)
    tender, cash = _tender(cli, pay, tendered, hold.lines[0].ticket_type_id)
    buyer = _walk_in(cli, principal, tender, email, buyer_name)
    answers = collect(cli, [(line.ticket_type_id, line.quantity) for line in hold.lines],
                      answer, answers_file, as_json=json_)
    order = _with_pay_link(cli, lambda: cli.runtime.orders.checkout(
        principal, hold_id, tender=tender, holders=holder or [], tendered=cash,
        payment_method=payment_method, answers=answers, voucher=voucher, buyer=buyer))
    _emit_sold(cli, order, json_, buyer)


def _walk_in(cli: Any, principal: Any, tender: Any, email: str | None,
             buyer_name: str | None) -> Any:
    """Whom a sale is for when counter staff make it: the walk-in (by the email given, or
    a nameless account no mail reaches) for cash, or whenever --email or --buyer-name is
    given; None — the caller — otherwise. Others sell only to themselves."""
    from tix.core.errors import NotAllowed
    from tix.core.orders.model import Tender
    from tix.core.principal import Role

    named = email is not None or buyer_name is not None
    if not principal.has_role(Role.CLERK):
        if named:
            raise NotAllowed("only counter staff (clerks) sell for someone else: leave out "
                             "--email and --buyer-name to buy for yourself")
        return None
    if not named and tender is not Tender.CASH:
        return None  # staff buying for themselves
    return cli.runtime.accounts.guest_buyer(email, buyer_name or "")


def _with_pay_link(cli: Any, sell: Callable[[], Any]) -> Any:
    """A card whose bank asks for 3-D Secure is finished in a browser: the refusal names
    the shop's page that does it (tix serve's /pay/<order id>)."""
    from tix.core.errors import RuleViolation

    try:
        return sell()
    except RuleViolation as error:
        if error.code != "requires_action":
            raise
        link = f"{cli.settings.public_url.rstrip('/')}/pay/{error.detail['order_id']}"
        raise error.reworded(f"{error.message}: {link}") from None


def _emit_sold(cli: Any, order: Any, as_json: bool, buyer: Any = None) -> None:
    """The order with its tickets: a sale at the counter has them already."""
    from tix.core.principal import is_undeliverable

    tickets = order.issued or cli.runtime.tickets.of_orders([order.id]).get(order.id)
    answers = cli.runtime.orders.answers(cli.principal(), order.id)
    emit(order_json(order, tickets, answers), as_json=as_json, human=_print_order)
    if buyer is not None and not is_undeliverable(buyer.email):
        say(f"The receipt and the tickets are mailed to {buyer.email}.")
    elif buyer is not None:
        say(f"No email given: nothing is mailed. Print the tickets: tix order pdf "
            f"{order.number} -o FILE.pdf")


def _tender(cli: Any, pay: str, tendered: str | None, ticket_type_id: str
            ) -> tuple[Any, int | None]:
    from tix.core.catalog.money import to_minor
    from tix.core.catalog.references import find_ticket_type
    from tix.core.errors import Invalid, NotFound
    from tix.core.orders.model import Tender

    try:
        tender = Tender(pay.lower())
    except ValueError:
        raise Invalid(f"--pay: {pay!r} is not cash, comp, card or free") from None
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
    quantity = sum(line["quantity"] for line in data["lines"])
    holders = [name for line in data["lines"] for name in line["holders"]]
    say(f"{data['status'].title()}: {quantity} ticket(s), "
        f"{format_money(data['total'], data['currency'])} ({data['tender']}); "
        f"holders: {', '.join(holders)}")
    if data.get("voucher"):
        say(f"Code {data['voucher']}: {format_money(data['discount'], data['currency'])} "
            "off")
    if data["change"]:
        say(f"Change due: {format_money(data['change'], data['currency'])}")
    if data["test"]:
        say("A test order (the event is in test mode): kept out of the sales reports.")


def register(app: typer.Typer) -> None:
    app.command("hold")(hold)
    app.command("buy")(buy)
    app.command("checkout")(checkout)
