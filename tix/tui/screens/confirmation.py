"""A sale done: the order number, each ticket's QR code, and `f` to show them one at a
time full screen (large enough to scan at 80x24)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from tix.core.catalog.money import format_money
from tix.core.errors import TixError
from tix.core.orders.model import Order
from tix.core.tickets.model import Ticket
from tix.tui.qr import qr_text
from tix.tui.screens.base import TixScreen
from tix.tui.text import escape

TICKETS_WAIT = 10.0  # seconds to wait for the tickets before saying they will be mailed


class ConfirmationScreen(TixScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Next sale"),
        Binding("f,enter", "scan_codes", "Codes full screen"),
        Binding("s", "save_pdf", "Save PDF"),
        Binding("m", "resend", "Mail again"),
    ]

    def __init__(self, order_number: str) -> None:
        super().__init__()
        self.order_number = order_number
        self.tickets: list[Ticket] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"[b]Sold: order {self.order_number}[/b]", id="confirmation-title")
        yield Static("Making the tickets…", id="confirmation-message")
        yield VerticalScroll(id="tickets")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="tickets")
    def load(self) -> None:
        """A sale at the counter has its tickets when it returns; a card sale's are made
        from its payment, here if no daemon has made them yet, so the clerk is not kept
        waiting. An order still waiting for its payment gets them when it comes."""
        try:
            order = self.runtime.orders.show(self.principal, self.order_number)
            deadline = time.monotonic() + TICKETS_WAIT
            while (not (tickets := self.runtime.tickets.issue_now(self.principal, order.id))
                   and time.monotonic() < deadline):
                time.sleep(0.2)
        except TixError as error:
            self.app.call_from_thread(self.say, escape(error.message))
            return
        self.app.call_from_thread(self.show, order, tickets)

    def show(self, order: Order, tickets: list[Ticket]) -> None:
        self.tickets = tickets
        self.query_one("#confirmation-title", Static).update(
            f"[b]Sold: order {order.number}[/b] · {order.quantity} ticket(s) · "
            f"{format_money(order.amount, order.currency)} ({order.tender.value})"
            + (f" · change {format_money(order.tendered_amount - order.amount, order.currency)}"
               if order.tendered_amount is not None else ""))
        if not tickets:
            self.say("The tickets are being made; they will be mailed to the buyer.")
            return
        self.say("[b]f[/b] shows the codes full screen to scan, [b]s[/b] saves the PDF, "
                 "[b]m[/b] mails them again.")
        area = self.query_one("#tickets", VerticalScroll)
        for ticket in tickets:
            area.mount(Static(f"[b]{ticket.number}[/b]  {escape(ticket.holder)}",
                              classes="ticket"))
            area.mount(Static(qr_text(ticket.qr_payload), classes="qr", markup=False))

    def action_scan_codes(self) -> None:
        from tix.tui.screens.ticket_code import TicketCodeScreen

        if self.tickets:
            self.app.push_screen(TicketCodeScreen(self.order_number, self.tickets))

    def action_save_pdf(self) -> None:
        self.save_pdf()

    @property
    def pdf_path(self) -> Path:
        """Where `s` saves the PDF: the data dir, not wherever the app was started."""
        return self.runtime.settings.data_dir / "tickets" / f"{self.order_number}.pdf"

    @work(thread=True, group="pdf")
    def save_pdf(self) -> None:
        from tix.documents import order_pdf

        path = self.pdf_path
        try:
            pdf = order_pdf(self.runtime, self.principal, self.order_number)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pdf)
        except TixError as error:
            self.app.call_from_thread(self.say, escape(error.message))
            return
        except OSError as error:
            self.app.call_from_thread(self.say, escape(f"cannot write {path}: {error.strerror}"))
            return
        self.app.call_from_thread(self.say, escape(f"Saved {path.resolve()}"))

    def action_resend(self) -> None:
        self.resend()

    @work(thread=True, group="resend")
    def resend(self) -> None:
        try:
            count = self.runtime.tickets.resend(self.principal, self.order_number)
        except TixError as error:
            self.app.call_from_thread(self.say, escape(error.message))
            return
        self.app.call_from_thread(self.say, f"{count} ticket(s) will be mailed again.")

    def say(self, message: str) -> None:
        self.query_one("#confirmation-message", Static).update(message)
