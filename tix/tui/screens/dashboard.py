"""Launch night for an organizer: per ticket type sold / held / left, sales per minute,
revenue — refreshed every couple of seconds, whoever sells (other box offices, the CLI)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Select, Sparkline, Static

from tix.core.catalog.money import format_money
from tix.core.catalog.search import EventSummary, SearchQuery
from tix.core.errors import TixError
from tix.core.orders.sales_report import SalesLine, SalesReport
from tix.core.principal import Role
from tix.tui.screens.base import TixScreen, event_choice
from tix.tui.text import escape

REFRESH_EVERY = 2.0  # seconds
BAR = 40  # characters of a full bar


def bar(line: SalesLine, width: int = BAR) -> str:
    """Sold, held and left as one bar: █ sold, ▒ held, ░ left."""
    total = max(line.quantity, 1)
    sold = round(width * line.sold / total)
    held = min(width - sold, round(width * line.held / total))
    return ("[green]" + "█" * sold + "[/][yellow]" + "▒" * held + "[/][dim]"
            + "░" * (width - sold - held) + "[/]")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


class DashboardScreen(TixScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "refresh_sales", "Refresh now"),
        Binding("a", "export('attendees')", "Attendees CSV"),
        Binding("o", "export('orders')", "Orders CSV"),
        Binding("m", "message", "Message"),
    ]

    def __init__(self, event_id: str | None = None) -> None:
        super().__init__()
        self.event_id = event_id
        self.refreshes = 0  # reports shown (tests wait on it)
        self.events: dict[str, EventSummary] = {}  # those in the chooser, by id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Select([], prompt="event", id="dashboard-event")
        yield Static("", id="sales-lines")
        yield Static("Sales per minute, last 30 minutes", id="sparkline-label")
        yield Sparkline([0], id="per-minute")
        yield Static("", id="revenue")
        yield Footer()

    def on_mount(self) -> None:
        self.load_events()
        self.set_interval(REFRESH_EVERY, self.refresh_sales)

    @work(thread=True, group="events")
    def load_events(self) -> None:
        # theirs and those they co-organize (an admin: every event)
        mine = None if self.principal.role is Role.ADMIN else self.principal.user_id
        try:
            page = self.runtime.catalog.search(SearchQuery(manager_id=mine, limit=50))
        except TixError as error:
            self.app.call_from_thread(self.say, escape(error.message))
            return
        options = [event_choice(e) for e in page.results]
        self.app.call_from_thread(self.show_events, options,
                                  {e.id: e for e in page.results})

    def show_events(self, options: list[tuple[Text, str]],
                    events: dict[str, EventSummary]) -> None:
        self.events = events
        chooser = self.query_one("#dashboard-event", Select)
        chooser.set_options(options)
        if not options:
            self.say("No upcoming events of yours.")
            return
        wanted = self.event_id if any(v == self.event_id for _, v in options) else None
        chooser.value = wanted or options[0][1]

    @on(Select.Changed, "#dashboard-event")
    def chosen(self, changed: Select.Changed) -> None:
        self.event_id = changed.value if isinstance(changed.value, str) else None
        self.refresh_bindings()  # the export and message keys follow the choice
        self.refresh_sales()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("export", "message"):  # about the event chosen: none yet, none
            return self.event_id in self.events
        return True

    def action_export(self, what: str) -> None:
        from tix.tui.screens.export_file import ExportFile

        if self.event_id in self.events:
            self.app.push_screen(ExportFile(self.event_id, self.events[self.event_id].number,
                                            what))

    def action_message(self) -> None:
        from tix.tui.screens.holder_message import HolderMessageForm

        if self.event_id in self.events:
            self.app.push_screen(HolderMessageForm(self.event_id,
                                                   self.events[self.event_id].name))

    def action_refresh_sales(self) -> None:
        self.refresh_sales()

    @work(thread=True, exclusive=True, group="sales")
    def refresh_sales(self) -> None:
        if not self.event_id:
            return
        try:
            report = self.runtime.orders.sales(self.principal, self.event_id)
        except TixError as error:
            self.app.call_from_thread(self.say, escape(error.message))
            return
        self.app.call_from_thread(self.show, report)

    def show(self, report: SalesReport) -> None:
        # names whole when the terminal has the room (the padding, bar and counts: 61)
        width = min(max((len(line.name) for line in report.lines), default=0),
                    max(16, self.app.size.width - 61))
        width = max(width, len("Ticket type"))
        rows = [f"{'Ticket type':<{width}} {'':<{BAR}}  sold  held  left"]
        for line in report.lines:
            name = escape(f"{_fit(line.name, width):<{width}}")
            rows.append(f"{name} {bar(line)}  {line.sold:>4}  {line.held:>4}  "
                        f"{line.available:>4}")
        rows.append("[green]█[/] sold  [yellow]▒[/] held  [dim]░[/] left")
        self.say("\n".join(rows))
        self.query_one("#per-minute", Sparkline).data = report.per_minute
        self.query_one("#sparkline-label", Static).update(
            f"Sales per minute, last 30 minutes (now {report.per_minute[-1]}/min, peak "
            f"{max(report.per_minute)}/min)")
        self.query_one("#revenue", Static).update(
            f"Revenue: [b]{format_money(report.revenue, report.currency)}[/b]")
        self.refreshes += 1

    def say(self, message: str) -> None:
        self.query_one("#sales-lines", Static).update(message)
