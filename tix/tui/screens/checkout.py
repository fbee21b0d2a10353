"""Pay for the hold: holder names, then cash (with change due), card or complimentary.

At the counter (clerks) the sale is the walk-in's: their email (optional: the receipt and
tickets go there, else nowhere) and name, and a line with the running total of the
clerk's open till.

The payment saga runs in a thread worker behind a progress indicator, so the screen (and
the hold's countdown) never freezes; its refusals are shown in the core's plain words.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Label,
    LoadingIndicator,
    RadioButton,
    RadioSet,
    Static,
)

from tix.core.catalog.money import format_money, to_minor
from tix.core.catalog.search import EventDetails, TicketTypeDetails
from tix.core.errors import Invalid, TixError
from tix.core.orders.answers import GivenAnswer
from tix.core.orders.model import Discount, Order, OrderLine, Tender, order_amount
from tix.core.orders.till import TillReport
from tix.core.principal import Role
from tix.core.vouchers.model import Voucher
from tix.tui.screens.base import TixScreen
from tix.tui.text import escape
from tix.tui.widgets import HoldCountdown
from tix.tui.widgets_questions import QuestionFields

TENDER_LABELS = {Tender.CASH: "Cash", Tender.CARD: "Card (Stripe)",
                 Tender.COMP: "Complimentary", Tender.FREE: "Free (nothing to pay)"}


class CheckoutScreen(TixScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "give_up", "Drop the hold"),
        Binding("ctrl+g", "pay", "Pay"),
    ]

    def __init__(self, details: EventDetails, ticket_type: TicketTypeDetails) -> None:
        super().__init__()
        self.details = details
        self.ticket_type = ticket_type
        hold = self.tix.hold
        assert hold is not None, "checkout follows a hold"
        self.hold = hold
        self.tenders: list[Tender] = []
        self.discount: Discount | None = None  # the code typed, once checked

    @property
    def lines(self) -> list[tuple[TicketTypeDetails, int]]:
        """The hold's lines, with their ticket types' details."""
        by_id = {t.id: t for t in self.details.ticket_types}
        return [(by_id[line.ticket_type_id], line.quantity) for line in self.hold.lines
                if line.ticket_type_id in by_id]

    @property
    def total(self) -> int:
        """What the hold costs, with the code typed (the sale prices it again)."""
        return order_amount([OrderLine(t.id, quantity, t.price) for t, quantity in self.lines],
                            None, self.discount)

    def summary(self) -> str:
        total = format_money(self.total, self.ticket_type.currency)
        bought = " + ".join(f"{quantity} x {escape(t.name)}" for t, quantity in self.lines)
        return f"[b]{escape(self.details.summary.name)}[/b]\n{bought} = [b]{total}[/b]"

    def compose(self) -> ComposeResult:
        currency = self.ticket_type.currency
        yield Header()
        yield HoldCountdown(id="hold")
        with VerticalScroll(id="checkout"):
            yield Static(self.summary(), id="checkout-summary")
            for seat in range(self.hold.quantity):
                yield Input(placeholder=f"holder of ticket {seat + 1} (default: the buyer)",
                            classes="holder", max_length=200)
            yield QuestionFields([(line.ticket_type_id, line.quantity)
                                  for line in self.hold.lines], id="questions")
            if self.at_the_counter:
                yield Static("", id="till-line")
                yield Input(placeholder="buyer's email (optional: receipt and tickets go "
                                        "there)", id="buyer-email", max_length=254)
                yield Input(placeholder="buyer's name (optional)", id="buyer-name",
                            max_length=200)
            yield Input(placeholder="voucher code (optional)", id="voucher", max_length=40)
            yield Static("", id="voucher-note")
            yield RadioSet(id="tender")
            with Horizontal(id="cash-row"):
                yield Label("Tendered")
                yield Input(placeholder=f"amount in {currency}", id="tendered")
                yield Static("", id="change")
            yield Input(placeholder="Stripe payment method, e.g. pm_card_visa",
                        id="payment-method")
            yield Button("Pay", variant="success", id="pay")
            yield LoadingIndicator(id="paying")
            yield Static("", id="checkout-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#paying").display = False
        self.query_one("#voucher-note").display = False  # until a code is typed
        if self.hold.voucher_id is not None:  # given on the event screen: the hold has it
            self.query_one("#voucher", Input).disabled = True
            self.load_held_code()
        self.query(".holder").first(Input).focus()
        self.load_tenders()
        if self.at_the_counter:
            self.load_till()

    @property
    def at_the_counter(self) -> bool:
        """Counter staff sell to walk-ins, into their till."""
        return self.principal.has_role(Role.CLERK)

    @work(thread=True, group="till")
    def load_till(self) -> None:
        try:
            report: TillReport | None = self.runtime.orders.tills.status(self.principal)
        except TixError:  # none open
            report = None
        self.app.call_from_thread(self.show_till, report)

    def show_till(self, report: TillReport | None) -> None:
        line = self.query_one("#till-line", Static)
        if report is None:
            line.update("No till open (tix till open)")
            return
        currency = report.till.currency
        line.update(f"Till at {escape(report.till.box_office)}: {report.sales} cash sale(s), "
                    f"{format_money(report.cash_in - report.refunds, currency)} taken, "
                    f"[b]{format_money(report.expected, currency)}[/b] in the drawer")

    @work(thread=True, group="tenders")
    def load_tenders(self) -> None:
        try:
            tenders = self.runtime.orders.tenders(self.principal, self.ticket_type.id)
        except TixError as error:
            self.app.call_from_thread(self.say, escape(error.message))
            return
        self.app.call_from_thread(self.show_tenders, tenders)

    def show_tenders(self, tenders: tuple[Tender, ...]) -> None:
        # free tickets: "Free" first, chosen — not a cash sale of nothing into the till
        self.tenders = sorted(tenders, key=lambda tender: tender is not Tender.FREE)
        choices = self.query_one("#tender", RadioSet)
        for index, tender in enumerate(self.tenders):
            choices.mount(RadioButton(TENDER_LABELS[tender], value=index == 0,
                                      id=f"tender-{tender.value}"))
        if not tenders:
            self.say("You cannot take payment here: card payments are not configured and "
                     "cash is for clerks. Ask a clerk.")
        self.show_tender_fields()

    def tender(self) -> Tender | None:
        """The chosen tender; the first offered until the radio buttons say otherwise."""
        pressed = self.query_one("#tender", RadioSet).pressed_index
        if 0 <= pressed < len(self.tenders):
            return self.tenders[pressed]
        return self.tenders[0] if self.tenders else None

    @on(RadioSet.Changed, "#tender")
    def show_tender_fields(self) -> None:
        tender = self.tender()
        self.query_one("#cash-row").display = tender is Tender.CASH
        self.query_one("#payment-method").display = tender is Tender.CARD

    @on(Input.Changed, "#voucher")
    def voucher_typed(self, changed: Input.Changed) -> None:
        if self.hold.voucher_id is None:  # else the hold's own code stands
            self.check_code(changed.value.strip())

    @work(thread=True, group="voucher")
    def load_held_code(self) -> None:
        held = self.runtime.vouchers.held(self.hold.voucher_id)
        if held is not None:
            self.app.call_from_thread(self.show_held_code, held.voucher)

    def show_held_code(self, voucher: Voucher) -> None:
        self.query_one("#voucher", Input).value = voucher.code
        self.show_discount(voucher.discount, f"code {escape(voucher.code)}, held with the "
                                             "tickets")

    @work(thread=True, exclusive=True, group="voucher")
    def check_code(self, code: str) -> None:
        """What the code takes off this hold, as the sale will (nothing is taken yet)."""
        if not code:
            self.app.call_from_thread(self.show_discount, None, "")
            return
        try:
            voucher = self.runtime.vouchers.check(code, [(line.ticket_type_id, line.quantity)
                                                         for line in self.hold.lines])
        except TixError as error:
            self.app.call_from_thread(self.show_discount, None, escape(error.message))
            return
        self.app.call_from_thread(self.show_discount, voucher.discount,
                                  f"code {escape(voucher.code)}")

    def show_discount(self, discount: Discount | None, note: str) -> None:
        self.discount = discount
        before = order_amount([OrderLine(t.id, q, t.price) for t, q in self.lines], None)
        if discount is not None:
            off = format_money(before - self.total, self.ticket_type.currency)
            note = f"{note}: [b]{off}[/b] off"
        shown = self.query_one("#voucher-note", Static)
        shown.update(note)
        shown.display = bool(note)
        self.query_one("#checkout-summary", Static).update(self.summary())
        if self.query_one("#tendered", Input).value:
            self.show_change()

    @on(Input.Changed, "#tendered")
    def show_change(self) -> None:
        currency = self.ticket_type.currency
        value = self.query_one("#tendered", Input).value
        try:
            given = to_minor(value or "0", currency, field="tendered")
        except Invalid:
            self.query_one("#change", Static).update("not an amount")
            return
        short = self.total - given
        self.query_one("#change", Static).update(
            f"[b]{format_money(-short, currency)}[/b] change due" if short <= 0
            else f"{format_money(short, currency)} still due")

    @on(Input.Submitted, ".holder, #voucher, #buyer-email, #buyer-name")
    def next_holder(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#tendered, #payment-method")
    @on(Button.Pressed, "#pay")
    def action_pay(self) -> None:
        tender = self.tender()
        if tender is None:
            return
        holders = [field.value for field in self.query(".holder").results(Input)]
        tendered = None
        if tender is Tender.CASH:
            try:
                tendered = to_minor(self.query_one("#tendered", Input).value or "0",
                                    self.ticket_type.currency, field="tendered")
            except Invalid as error:
                self.say(escape(error.message))
                return
        method = self.query_one("#payment-method", Input).value.strip() or None
        voucher = self.query_one("#voucher", Input).value.strip() or None
        walk_in = None
        if self.at_the_counter:
            email = self.query_one("#buyer-email", Input).value.strip()
            name = self.query_one("#buyer-name", Input).value.strip()
            if tender is Tender.CASH or email or name:  # else staff buying for themselves
                walk_in = (email or None, name)
        self.query_one("#paying").display = True
        self.query_one("#pay", Button).disabled = True
        self.say("Paying…")
        self.pay(tender, holders, tendered, method, self.query_one(QuestionFields).answers(),
                 voucher, walk_in)

    @work(thread=True, exclusive=True, group="pay")
    def pay(self, tender: Tender, holders: list[str], tendered: int | None,
            method: str | None, answers: list[GivenAnswer], voucher: str | None,
            walk_in: tuple[str | None, str] | None = None) -> None:
        try:
            # the walk-in's account (an email, or none that mail reaches), then the sale
            buyer = None if walk_in is None else self.runtime.accounts.guest_buyer(*walk_in)
            order = self.runtime.orders.checkout(self.principal, self.hold.id, tender=tender,
                                                 holders=holders, tendered=tendered,
                                                 payment_method=method, answers=answers,
                                                 voucher=voucher, buyer=buyer)
        except Invalid as error:  # the hold still stands: fix and pay again
            self.app.call_from_thread(self.refused, error.message, hold_stands=True)
            return
        except TixError as error:  # declined, expired, sold out: the hold is spent
            # (a refused code took nothing: the hold stands, for another code or none)
            self.app.call_from_thread(self.refused, error.message,
                                      hold_stands=_about_the_code(error))
            return
        self.app.call_from_thread(self.paid, order)

    def refused(self, message: str, *, hold_stands: bool) -> None:
        self.query_one("#paying").display = False
        self.query_one("#pay", Button).disabled = False
        if hold_stands:
            self.say(f"[b red]{escape(message)}[/]")
            return
        self.tix.drop_hold(release=False)
        self.app.pop_screen()
        self.app.notify(escape(message[:1].upper() + message[1:]), title="Not sold",
                        severity="error", timeout=10)

    def paid(self, order: Order) -> None:
        from tix.tui.screens.confirmation import ConfirmationScreen

        self.tix.hold_sold()
        self.app.switch_screen(ConfirmationScreen(order.number))

    def action_give_up(self) -> None:
        self.tix.drop_hold()
        self.app.pop_screen()

    def say(self, message: str) -> None:
        shown = self.query_one("#checkout-message", Static)
        shown.update(message)
        shown.scroll_visible()  # below the questions, it may be out of view


def _about_the_code(error: TixError) -> bool:
    """A refusal of the voucher code typed (unknown, used up, voided, expired, not for
    these tickets): the sale committed nothing, so the hold still stands."""
    return error.code.startswith("voucher_") or error.detail.get("what") == "code"
