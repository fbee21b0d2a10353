"""One event: its ticket types with live availability, a quantity, the total, and Hold;
a code ("c") opens the hidden types it unlocks (press, crew, presale) for this sale."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Input, Static

from tix.core.catalog.money import format_money
from tix.core.catalog.search import EventDetails, TicketTypeDetails
from tix.core.errors import TixError
from tix.core.orders.model import price
from tix.tui.screens.base import TixScreen
from tix.tui.text import escape
from tix.tui.widgets import HoldCountdown

if TYPE_CHECKING:
    from tix.core.vouchers.service import Unlocked

LIVE_EVERY = 2.0  # seconds between availability refreshes


class EventScreen(TixScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("plus,equals_sign,right", "more", "+1"),
        Binding("minus,left", "fewer", "-1"),
        Binding("a", "basket", "Basket"),
        Binding("h", "hold", "Hold"),
        Binding("c", "code", "Code"),
    ]

    def __init__(self, event_id: str) -> None:
        super().__init__()
        self.event_id = event_id
        self.details: EventDetails | None = None
        self.quantities: dict[str, int] = {}
        # Types put in the basket ("a"): held together with the highlighted one, each at
        # its quantity, as one hold and one order.
        self.basket: list[str] = []
        # A code given for this sale ("c"): the hidden types it opens are listed after
        # the others, and a hold with any of them takes the code's use.
        self.code: Unlocked | None = None
        self.sales_seen = self.tix.sales

    def compose(self) -> ComposeResult:
        yield Header()
        yield HoldCountdown(id="hold")
        yield Static("Loading…", id="event-title")
        yield DataTable(id="types", cursor_type="row")
        yield Input(placeholder="code, then Enter (empty: close)", id="event-code",
                    max_length=40)
        yield Static("", id="total")
        yield Static("", id="event-message")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#types", DataTable)
        table.add_column("Ticket type", key="name")
        table.add_column("Price", key="price")
        table.add_column("Left", key="left")
        table.add_column("Limit", key="limit")
        table.add_column("Qty", key="qty")
        table.add_column("Basket", key="basket", width=6)
        self.query_one("#event-code").display = False  # until "c"
        table.focus()
        self.load()
        self.set_interval(LIVE_EVERY, self.load)

    @work(thread=True, exclusive=True, group="event")
    def load(self) -> None:
        try:
            details = self.runtime.catalog.show(self.event_id)
        except TixError as error:
            self.app.call_from_thread(self.say, escape(error.message))
            return
        code = self.code
        if code is not None:  # the opened types' tickets left, read as live as the rest
            with suppress(TixError):  # used up meanwhile: the hold will say so
                code = self.runtime.vouchers.unlocked(self.event_id, code.voucher.code)
        self.app.call_from_thread(self.show, details, code)

    def show(self, details: EventDetails, code: Unlocked | None = None) -> None:
        first = self.details is None
        if code is not None and self.code is not None \
                and code.voucher.id == self.code.voucher.id:
            self.code = code
        opened = self.code.ticket_types if self.code else []
        ids = {t.id for t in opened}
        details = replace(details, ticket_types=[  # the code's types after the rest
            *(t for t in details.ticket_types if t.id not in ids), *opened])
        self.details = details
        table = self.query_one("#types", DataTable)
        event = details.summary
        local = event.starts_at.astimezone(ZoneInfo(event.timezone))
        self.query_one("#event-title", Static).update(
            f"[b]{escape(event.name)}[/b]\n{local:%A %d %B %Y, %H:%M} ({event.timezone}) · "
            f"{escape(event.venue)}, {escape(event.city)}"
            + ("  [b red]CANCELLED[/]" if event.status == "CANCELLED" else ""))
        for ticket_type in details.ticket_types:
            wanted = min(self.quantities.get(ticket_type.id, 1), self._most(ticket_type))
            self.quantities[ticket_type.id] = wanted
            name = ticket_type.name + (" (code)" if ticket_type.id in ids else "")
            cells: dict[str, str | Text] = {"name": Text(name),
                     "price": format_money(ticket_type.price, ticket_type.currency),
                     "left": str(ticket_type.available),
                     "limit": str(ticket_type.limit or "-"), "qty": str(wanted),
                     "basket": "yes" if ticket_type.id in self.basket else ""}
            if first or ticket_type.id not in table.rows:
                table.add_row(*cells.values(), key=ticket_type.id)
            else:
                for column, value in cells.items():
                    table.update_cell(ticket_type.id, column, value)
        self.show_total()

    def on_screen_resume(self) -> None:
        """Back from a sale, the next buyer starts at 1 of each, not the last one's count."""
        if self.tix.sales == self.sales_seen:
            return
        self.sales_seen = self.tix.sales
        self.quantities.clear()
        self.basket.clear()
        self.close_code()
        if self.details is not None:
            self.show(self.details)

    def selected(self) -> TicketTypeDetails | None:
        if self.details is None or not self.details.ticket_types:
            return None
        row = self.query_one("#types", DataTable).cursor_row
        return self.details.ticket_types[min(max(row, 0), len(self.details.ticket_types) - 1)]

    @staticmethod
    def _most(ticket_type: TicketTypeDetails) -> int:
        """The quantity picker's ceiling: what is left, within the per-person limit."""
        return max(0, min(ticket_type.available, ticket_type.limit or ticket_type.available))

    def to_hold(self) -> list[tuple[TicketTypeDetails, int]]:
        """What "h" holds: the basket's types and the highlighted one, each at its
        quantity (none of a type set to 0)."""
        selected = self.selected()
        if self.details is None or selected is None:
            return []
        wanted = [*self.basket, *([] if selected.id in self.basket else [selected.id])]
        by_id = {t.id: t for t in self.details.ticket_types}
        return [(by_id[type_id], self.quantities.get(type_id, 0)) for type_id in wanted
                if type_id in by_id and self.quantities.get(type_id, 0)]

    def show_total(self) -> None:
        ticket_type = self.selected()
        if ticket_type is None:
            return
        lines = self.to_hold() or [(ticket_type, 0)]
        total = sum(price(t.price, quantity) for t, quantity in lines)
        self.query_one("#total", Static).update(
            " + ".join(f"{quantity} x {escape(t.name)}" for t, quantity in lines)
            + f" = [b]{format_money(total, ticket_type.currency)}[/b]"
            "   (+/- to change, a: basket, h to hold)")

    @on(DataTable.RowHighlighted, "#types")
    def row_changed(self) -> None:
        self.show_total()

    def action_more(self) -> None:
        self._change(+1)

    def action_fewer(self) -> None:
        self._change(-1)

    def _change(self, step: int) -> None:
        ticket_type = self.selected()
        if ticket_type is None:
            return
        wanted = self.quantities.get(ticket_type.id, 1) + step
        most = self._most(ticket_type)
        if wanted > most:
            self.say(f"at most {most}: " + ("the per-person limit" if ticket_type.limit
                     and most == ticket_type.limit else "that is all that is left"))
        self.quantities[ticket_type.id] = min(max(wanted, 1 if most else 0), most)
        self.query_one("#types", DataTable).update_cell(
            ticket_type.id, "qty", str(self.quantities[ticket_type.id]))
        self.show_total()

    def action_basket(self) -> None:
        """Put the highlighted type in the basket, or take it out."""
        ticket_type = self.selected()
        if ticket_type is None:
            return
        if ticket_type.id in self.basket:
            self.basket.remove(ticket_type.id)
        else:
            self.basket.append(ticket_type.id)
        if self.details is not None:
            self.show(self.details)

    def action_hold(self) -> None:
        lines = self.to_hold()
        if not lines:
            self.say("nothing to hold: none left of this type")
            return
        self.say("Holding…")
        self.place_hold(lines)

    @work(thread=True, exclusive=True, group="hold")
    def place_hold(self, lines: list[tuple[TicketTypeDetails, int]]) -> None:
        try:
            hold = self.runtime.inventory.hold_basket(
                self.principal, [(ticket_type.id, quantity) for ticket_type, quantity in lines],
                voucher=self.code_for(lines))
        except TixError as error:
            self.app.call_from_thread(self.say, escape(error.message))
            self.load()
            return
        self.app.call_from_thread(self.held, hold, lines)

    def code_for(self, lines: list[tuple[TicketTypeDetails, int]]) -> str | None:
        """The code a hold takes, when it holds a type only the code opens (a discount
        code alone is given at checkout, as before)."""
        if self.code is None:
            return None
        opened = {t.id for t in self.code.ticket_types}
        return self.code.voucher.code if any(t.id in opened for t, _ in lines) else None

    # -- the code ------------------------------------------------------------------------

    def action_code(self) -> None:
        field = self.query_one("#event-code", Input)
        field.display = True
        field.focus()

    @on(Input.Submitted, "#event-code")
    def code_given(self, submitted: Input.Submitted) -> None:
        code = submitted.value.strip()
        if not code:
            self.close_code()
            return
        self.say("Checking the code…")
        self.apply_code(code)

    @work(thread=True, exclusive=True, group="code")
    def apply_code(self, code: str) -> None:
        try:
            unlocked = self.runtime.vouchers.unlocked(self.event_id, code)
        except TixError as error:
            self.app.call_from_thread(self.say, escape(error.message))
            return
        self.app.call_from_thread(self.code_applied, unlocked)

    def code_applied(self, unlocked: Unlocked) -> None:
        self.close_code()
        self.code = unlocked
        names = ", ".join(escape(t.name) for t in unlocked.ticket_types)
        self.say(f"code {escape(unlocked.voucher.code)} opens {names}" if names else
                 f"code {escape(unlocked.voucher.code)} opens no hidden tickets: give it "
                 "at checkout for its discount")
        if self.details is not None:
            self.show(self.details)

    def close_code(self) -> None:
        """Hide the code field; the types a code opened leave the list with it."""
        field = self.query_one("#event-code", Input)
        field.value = ""
        field.display = False
        if self.code is not None and self.code.ticket_types:
            table = self.query_one("#types", DataTable)
            opened = {t.id for t in self.code.ticket_types}
            for type_id in opened & {str(key.value) for key in table.rows}:
                table.remove_row(type_id)
            self.basket = [t for t in self.basket if t not in opened]
            if self.details is not None:
                self.details = replace(self.details, ticket_types=[
                    t for t in self.details.ticket_types if t.id not in opened])
        self.code = None
        self.query_one("#types", DataTable).focus()

    def held(self, hold: object, lines: list[tuple[TicketTypeDetails, int]]) -> None:
        from tix.core.inventory.model import Hold
        from tix.tui.screens.checkout import CheckoutScreen

        assert isinstance(hold, Hold) and self.details is not None
        ticket_type = lines[0][0]
        if self.tix.hold is not None:
            self.tix.drop_hold()  # one sale at a time: the earlier hold's seats go back
        self.tix.start_hold(hold, " + ".join(f"{quantity} x {t.name}"
                                             for t, quantity in lines))
        self.say("")
        self.app.push_screen(CheckoutScreen(self.details, ticket_type))

    def say(self, message: str) -> None:
        self.query_one("#event-message", Static).update(message)
