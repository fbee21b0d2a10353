"""Orders: the history, one order's details, cancelling with the refund shown first, and
(the event's organizer, an admin) refunding one ticket or an amount."""

from __future__ import annotations

import re
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static

from tix.core.catalog.money import format_money, to_minor
from tix.core.errors import TixError
from tix.core.orders.model import Order
from tix.tui.screens.base import TixModal, TixScreen
from tix.tui.text import escape


class ConfirmCancel(TixModal):
    """Yes or no, having seen what would come back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes, cancel"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, order: Order, refund: int, rule: str) -> None:
        super().__init__()
        self.order, self.refund, self.rule = order, refund, rule

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-cancel"):
            yield Label(f"[b]Cancel order {self.order.number}?[/b]")
            yield Static(f"Refund: [b]{format_money(self.refund, self.order.currency)}[/b] of "
                        f"{format_money(self.order.amount, self.order.currency)} "
                        f"({escape(self.rule)}), back the way it was paid "
                        f"({self.order.tender.value}). Its tickets stop working."
                        if self.order.amount else "It was free: there is nothing to refund. "
                        "Its tickets stop working.", id="refund")
            with Horizontal():
                yield Button("Yes, cancel (y)", variant="error", id="yes")
                yield Button("No (n)", id="no")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class AskRefund(TixModal):
    """What to refund of an order: a ticket's number (its price; it is voided) or an
    amount. Dismissed with the text typed, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Back")]

    def __init__(self, order: Order) -> None:
        super().__init__()
        self.order = order

    def compose(self) -> ComposeResult:
        left = self.order.amount - self.order.refunded_amount
        with Vertical(id="ask-refund"):
            yield Label(f"[b]Refund part of order {self.order.number}[/b]")
            yield Static(f"Left to refund: {format_money(left, self.order.currency)}. "
                         "Type an amount (12.50) or a ticket's number (E12-000123: "
                         "its price, and it stops working).", id="refund-left")
            yield Input(placeholder="amount or ticket number", id="refund-what")

    def on_mount(self) -> None:
        self.query_one("#refund-what", Input).focus()

    @on(Input.Submitted, "#refund-what")
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


def refund_of(text: str, currency: str) -> tuple[int | None, str | None]:
    """(amount in minor units, ticket number) of what was typed: one of them."""
    if re.fullmatch(r"[Ee]\d+-\d+", text):
        return None, text.upper()
    return to_minor(text, currency, field="amount"), None


class OrdersScreen(TixScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("x", "cancel_order", "Cancel order"),
        Binding("f", "refund_order", "Refund part"),
        Binding("r", "reload", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.orders: dict[str, Order] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="orders", cursor_type="row", zebra_stripes=True)
        yield Static("", id="order-details")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#orders", DataTable).add_columns(
            "Order", "Status", "Qty", "Total", "Paid by", "Placed (UTC)")
        self.query_one("#orders", DataTable).focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="orders")
    def load(self) -> None:
        try:
            orders = self.runtime.orders.list(self.principal, 200)
        except TixError as error:
            self.app.call_from_thread(self.say, escape(error.message))
            return
        self.app.call_from_thread(self.show, orders)

    def show(self, orders: list[Order]) -> None:
        self.orders = {o.number: o for o in orders}
        table = self.query_one("#orders", DataTable)
        table.clear()
        for order in orders:
            table.add_row(order.number, order.status.value, str(order.quantity),
                          format_money(order.amount, order.currency), order.tender.value,
                          f"{order.created_at:%Y-%m-%d %H:%M}", key=order.number)
        self.say("" if orders else "No orders yet.")
        if orders:
            self.details(orders[0])

    def current(self) -> Order | None:
        table = self.query_one("#orders", DataTable)
        if not self.orders or table.cursor_row < 0:
            return None
        number = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.orders.get(number or "")

    @on(DataTable.RowHighlighted, "#orders")
    def highlighted(self) -> None:
        order = self.current()
        if order is not None:
            self.details(order)

    def details(self, order: Order) -> None:
        bought = " + ".join(f"{line.quantity} x {format_money(line.unit_price, order.currency)}"
                            for line in order.lines)
        lines = [f"[b]{order.number}[/b] · {order.status.value} · {bought}",
                 f"Holders: {escape(', '.join(order.holders))}",
                 f"Payment: {order.tender.value} {order.payment_reference or ''}".rstrip()]
        if order.refunded_amount:
            lines.append(f"Refunded: {format_money(order.refunded_amount, order.currency)}")
        if order.failure_reason:
            lines.append(f"Why it failed: {escape(order.failure_reason)}")
        self.say("\n".join(lines))

    def action_cancel_order(self) -> None:
        order = self.current()
        if order is not None:
            self.price_cancellation(order)

    @work(thread=True, exclusive=True, group="cancel")
    def price_cancellation(self, order: Order) -> None:
        try:
            quote = self.runtime.orders.cancellation_quote(self.principal, order.number)
        except TixError as error:
            self.app.call_from_thread(self.say, f"[b red]{escape(error.message)}[/]")
            return
        self.app.call_from_thread(self.confirm, order, quote.refund, quote.describe())

    def confirm(self, order: Order, refund: int, rule: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.cancel(order)

        self.app.push_screen(ConfirmCancel(order, refund, rule), answered)

    @work(thread=True, exclusive=True, group="cancel")
    def cancel(self, order: Order) -> None:
        try:
            done = self.runtime.orders.cancel(self.principal, order.number)
        except TixError as error:
            self.app.call_from_thread(self.say, f"[b red]{escape(error.message)}[/]")
            return
        said = (f"refunded {format_money(done.refunded_amount, done.currency)}"
                if done.amount else "it was free, nothing to refund")
        self.app.call_from_thread(self.app.notify, f"Cancelled {done.number}: {said}.")
        self.load()

    def action_refund_order(self) -> None:
        order = self.current()
        if order is None:
            return

        def answered(text: str | None) -> None:
            if text:
                self.refund(order, text)

        self.app.push_screen(AskRefund(order), answered)

    @work(thread=True, exclusive=True, group="refund")
    def refund(self, order: Order, text: str) -> None:
        try:
            amount, ticket = refund_of(text, order.currency)
            done = self.runtime.orders.refund(self.principal, order.number, amount=amount,
                                              ticket=ticket,
                                              reason="refunded at the box office")
        except TixError as error:
            self.app.call_from_thread(self.say, f"[b red]{escape(error.message)}[/]")
            return
        what = f" (ticket {done.ticket_number}, voided)" if done.ticket_number else ""
        self.app.call_from_thread(self.app.notify, f"Refunded "
                                  f"{format_money(done.amount, order.currency)} of "
                                  f"{order.number}{what}.")
        self.load()

    def say(self, message: str) -> None:
        self.query_one("#order-details", Static).update(message)
