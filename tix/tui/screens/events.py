"""Find an event: a search box that suggests names as you type, filters, sortable results."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime
from datetime import time as midnight_time
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.suggester import Suggester
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from tix.core.catalog.model import Category
from tix.core.catalog.money import format_money
from tix.core.catalog.search import EventSummary, SearchQuery, SortOrder
from tix.core.catalog.service import CatalogService
from tix.core.errors import TixError
from tix.core.principal import Role
from tix.tui.screens.base import TixScreen
from tix.tui.text import escape
from tix.tui.widgets import HoldCountdown

SORTS = [SortOrder.DATE, SortOrder.PRICE, SortOrder.POPULARITY]
COLUMNS = ("Event", "Starts (local)", "Venue", "Price", "Left")


class EventNames(Suggester):
    """Completes the search box with the first event name the catalog suggests."""

    def __init__(self, catalog: CatalogService) -> None:
        super().__init__(use_cache=True, case_sensitive=False)
        self._catalog = catalog

    async def get_suggestion(self, value: str) -> str | None:
        if len(value.strip()) < 2:
            return None
        try:
            found = await asyncio.to_thread(self._catalog.suggest, value)
        except TixError:
            return None
        return next((s.name for s in found if s.name.lower().startswith(value.lower())),
                    None)


def price_range(event: EventSummary) -> str:
    """45.00-65.50 EUR, or 45.00 EUR when every type costs the same."""
    top = format_money(event.max_price, event.currency)
    if event.max_price == event.min_price:
        return top
    return f"{format_money(event.min_price, event.currency).removesuffix(event.currency)}"\
        .rstrip() + f"-{top}"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


class EventsScreen(TixScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+s", "next_sort", "Sort"),
        Binding("ctrl+f", "focus_search", "Search"),
        Binding("ctrl+t", "focus_results", "Results"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort = SortOrder.DATE
        self.results: list[EventSummary] = []
        self.searches_shown = 0  # how many searches reached the table (tests and benches)
        self.latencies: list[float] = []  # seconds from a change of the filters to its results

    def compose(self) -> ComposeResult:
        yield Header()
        yield HoldCountdown(id="hold")
        yield Input(placeholder="search events (name, venue, city…)", id="search",
                    suggester=EventNames(self.runtime.catalog))
        with Horizontal(id="filters"):
            yield Select([(c.value, c.value) for c in Category], prompt="any category",
                         id="category")
            yield Input(placeholder="city", id="city")
            yield Input(placeholder="from YYYY-MM-DD", id="from")
        yield Static("", id="events-status")
        yield DataTable(id="events", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def text_widths(self) -> tuple[int, int]:
        """(name, venue) widths: whole when they fit beside the dates, prices and counts
        (never cut), else the room left shared 3:2. Before its first layout the table
        is taken to be as wide as the app less the screen's gutter."""
        names = max((len(e.name) for e in self.results), default=0)
        venues = max((len(e.venue) for e in self.results), default=0)
        fixed = (len("24 Dec 26 12:00") + max(len(price_range(e)) for e in self.results)
                 + max(4, *(len(str(e.available)) for e in self.results)))
        width = self.query_one("#events", DataTable).size.width or self.app.size.width - 2
        room = width - fixed - 2 * 5 - 2  # the cells' padding, the scroll bar
        if names + venues <= room:
            return names, venues
        name_room = max(14, room * 3 // 5)
        venue_room = max(9, room - name_room)
        if venues < venue_room:  # a short venue leaves its room to the names
            name_room = max(name_room, room - venues)
        return min(names, name_room), min(venues, venue_room)

    def on_mount(self) -> None:
        self.query_one("#events", DataTable).add_columns(*COLUMNS)
        self.query_one("#search", Input).focus()
        self.search(time.perf_counter())

    @on(Input.Changed)
    @on(Select.Changed)
    def filters_changed(self) -> None:
        self.search(time.perf_counter())

    @on(Input.Submitted, "#search")
    def submitted(self) -> None:
        self.action_focus_results()

    def search_query(self) -> SearchQuery | str:
        """The search as the filters stand, or what is wrong with them."""
        starts_from = None
        typed = self.query_one("#from", Input).value.strip()
        if typed:
            try:
                starts_from = datetime.combine(date.fromisoformat(typed), midnight_time(0),
                                               tzinfo=UTC)
            except ValueError:
                return f"from: {typed!r} is not a date (YYYY-MM-DD)"
        category = self.query_one("#category", Select).value
        return SearchQuery(
            seller_id=self.selling_for(),
            text=self.query_one("#search", Input).value[:200],
            category=Category(category) if isinstance(category, str) else None,
            city=self.query_one("#city", Input).value.strip() or None,
            starts_from=starts_from, sort=self.sort, limit=50)

    def selling_for(self) -> str | None:
        """A clerk sells only for the events whose team has them: those alone are listed."""
        principal = self.tix.principal
        if principal is not None and principal.role is Role.CLERK:
            return principal.user_id
        return None

    @work(thread=True, exclusive=True, group="search")
    def search(self, changed_at: float) -> None:
        query = self.app.call_from_thread(self.search_query)
        if not isinstance(query, SearchQuery):
            self.app.call_from_thread(self.show_status, escape(str(query)))
            return
        try:
            page = self.runtime.catalog.search(query)
        except TixError as error:
            self.app.call_from_thread(self.show_status, escape(error.message))
            return
        self.app.call_from_thread(self.show_results, page.results, changed_at)

    def show_status(self, message: str) -> None:
        self.query_one("#events-status", Static).update(message)

    def show_results(self, results: list[EventSummary], changed_at: float) -> None:
        self.results = results
        self.fill_table()
        self.show_status(f"{len(results)} event(s), by {self.sort.value}"
                         + ("" if results else ": try fewer words or filters"))
        self.searches_shown += 1
        self.latencies.append(time.perf_counter() - changed_at)

    def fill_table(self) -> None:
        table = self.query_one("#events", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)  # columns only ever widen: start them afresh
        table.add_columns(*COLUMNS)
        if not self.results:
            return
        name_width, venue_width = self.text_widths()
        for event in self.results:
            local = event.starts_at.astimezone(ZoneInfo(event.timezone))
            table.add_row(Text(_fit(event.name, name_width)), f"{local:%d %b %y %H:%M}",
                          Text(_fit(event.venue, venue_width)), price_range(event),
                          str(event.available), key=event.id)
        table.move_cursor(row=cursor)

    def on_resize(self) -> None:
        # wider: names cut for a narrower terminal are whole again (once laid out anew)
        self.call_after_refresh(self.fill_table)

    @on(DataTable.RowSelected, "#events")
    def open_event(self, selected: DataTable.RowSelected) -> None:
        from tix.tui.screens.event import EventScreen

        if selected.row_key.value:
            self.app.push_screen(EventScreen(selected.row_key.value))

    @on(DataTable.HeaderSelected, "#events")
    def sort_by_column(self, header: DataTable.HeaderSelected) -> None:
        by_column = {1: SortOrder.DATE, 3: SortOrder.PRICE}  # popularity: ctrl+s
        if header.column_index in by_column:
            self.sort = by_column[header.column_index]
            self.search(time.perf_counter())

    def action_next_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.search(time.perf_counter())

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_results(self) -> None:
        self.query_one("#events", DataTable).focus()
