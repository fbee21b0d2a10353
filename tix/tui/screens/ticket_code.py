"""One ticket's QR code as large as the terminal allows, to be scanned from the screen.

At 80x24 a ticket's code (41 modules at error correction L) takes 21 of the 24 lines:
there is room for nothing above or below it, so what it says goes beside it. The screen
is black on white whatever the theme: the white around the code is its quiet zone.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Static

from tix.core.tickets.model import Ticket
from tix.tui.qr import half_block_lines, qr_matrix
from tix.tui.screens.base import TixScreen

QUIET = 4  # columns of white either side of the code (a module is a column wide)
CAPTION = 28  # columns for what the code is, beside it


class TicketCodeScreen(TixScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("right,n,space", "step(1)", "Next ticket"),
        Binding("left,p", "step(-1)", "Previous ticket"),
    ]

    def __init__(self, order_number: str, tickets: list[Ticket], index: int = 0) -> None:
        super().__init__()
        self.order_number = order_number
        self.tickets = tickets
        self.index = index
        self.modules = 0  # a side of the code shown (tests read it)

    @property
    def ticket(self) -> Ticket:
        return self.tickets[self.index]

    def compose(self) -> ComposeResult:
        with Horizontal(id="code-page"):
            yield Static("", id="code", markup=False)
            yield Static("", id="code-caption", markup=False)

    def on_mount(self) -> None:
        self.show_code()

    def on_resize(self) -> None:
        self.show_code()

    def action_step(self, step: int) -> None:
        self.index = (self.index + step) % len(self.tickets)
        self.show_code()

    def show_code(self) -> None:
        width, height = self.size
        if not width:
            return  # not laid out yet: on_resize comes
        matrix = qr_matrix(self.ticket.qr_payload,
                           most_modules=min(height * 2, width - CAPTION - 2 * QUIET))
        self.modules = len(matrix)
        code = self.query_one("#code", Static)
        code.styles.width = self.modules + 2 * QUIET
        code.styles.height = (self.modules + 1) // 2
        code.update(Text("\n".join(half_block_lines(matrix))))
        steps = "\n\n← → other tickets" if len(self.tickets) > 1 else ""
        self.query_one("#code-caption", Static).update(
            f"Order {self.order_number}\nTicket {self.index + 1} of {len(self.tickets)}\n\n"
            f"{self.ticket.number}\n{self.ticket.holder}{steps}\nEsc back")
