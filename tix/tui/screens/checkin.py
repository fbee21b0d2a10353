"""The door: a scan field for a keyboard-wedge scanner (the code, then Enter), a verdict
readable from a step away, and how many are in.

The field keeps the focus, so the next scan needs no key press (choosing the event gives
it back too: a scan typed into the chooser is lost); each verdict replaces the last at
once. The door's event is remembered for the next time, in this run and the next.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Input, Select, Static

from tix.core.catalog.search import SearchQuery
from tix.core.errors import TixError
from tix.core.tickets.service import Admission, DoorCount
from tix.tui import preferences
from tix.tui.screens.base import TixScreen, event_choice
from tix.tui.text import escape
from tix.tui.widgets import big_word

DOOR_EVENT = "door_event"  # the preference: the event last chosen at this door


class CheckInScreen(TixScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        # priority: the scan field (which has the focus) takes ctrl+e for end-of-line
        Binding("ctrl+e", "focus_event", "Event", priority=True),
    ]

    def __init__(self, event_id: str | None = None) -> None:
        super().__init__()
        self.event_id = event_id
        self.scans = 0  # verdicts shown (tests and benches wait on it)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Select([], prompt="event at this door", id="door-event")
        yield Input(placeholder="scan a ticket (or type its code and press Enter)", id="scan")
        yield Static("Ready", id="verdict")
        yield Static("", id="door-count")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scan", Input).focus()
        self.watch(self.query_one("#door-event", Select), "expanded", self.chooser_toggled,
                   init=False)
        self.load_events()

    @work(thread=True, group="events")
    def load_events(self) -> None:
        """Upcoming events, soonest first (today's door is usually the first), and the one
        this door had last time."""
        try:
            page = self.runtime.catalog.search(SearchQuery(limit=50))
        except TixError as error:
            self.app.call_from_thread(self.verdict, escape(error.message), admitted=False)
            return
        options = [event_choice(e) for e in page.results]
        wanted = (self.event_id or self.tix.door_event_id
                  or preferences.load(self.runtime.settings.config_dir).get(DOOR_EVENT))
        self.app.call_from_thread(self.show_events, options, wanted)

    def show_events(self, options: list[tuple[Text, str]], wanted: str | None) -> None:
        door = self.query_one("#door-event", Select)
        door.set_options(options)
        if not any(value == wanted for _, value in options):
            wanted = options[0][1] if options else None
        if wanted is not None:
            door.value = wanted

    def chooser_toggled(self, expanded: bool) -> None:
        # the chooser takes the focus back when it closes, chosen or not: after it has
        # (hence after the refresh), the scanner's next code goes to the scan field
        if not expanded:
            self.call_after_refresh(self.query_one("#scan", Input).focus)

    @on(Select.Changed, "#door-event")
    def event_chosen(self, changed: Select.Changed) -> None:
        chosen = changed.value if isinstance(changed.value, str) else None
        if chosen != self.event_id:  # the last verdict was at another door
            self.query_one("#verdict", Static).update("Ready")
            self.query_one("#verdict", Static).remove_class("admitted", "refused")
            self.query_one("#door-count", Static).update("")
        self.event_id = chosen
        self.query_one("#scan", Input).focus()
        if chosen:
            self.tix.door_event_id = chosen
            self.remember_event(chosen)
            self.count()

    @work(thread=True, group="preferences")
    def remember_event(self, event_id: str) -> None:
        preferences.remember(self.runtime.settings.config_dir, DOOR_EVENT, event_id)

    @on(Input.Submitted, "#scan")
    def scanned(self, submitted: Input.Submitted) -> None:
        payload = submitted.value.strip()
        submitted.input.value = ""
        submitted.input.focus()
        if payload:
            self.check_in(payload)

    @work(thread=True, group="scan")
    def check_in(self, payload: str) -> None:
        try:
            admission = self.runtime.tickets.check_in(self.principal, payload, self.event_id)
        except TixError as error:
            self.app.call_from_thread(
                self.verdict, escape(error.message), admitted=False)
            return
        self.app.call_from_thread(self.admitted, admission)
        self.count()

    def admitted(self, admission: Admission) -> None:
        ticket = admission.ticket
        self.verdict(f"{escape(ticket.holder)} · {escape(admission.ticket_type)} · "
                     f"{ticket.number}",
                     admitted=True)

    def verdict(self, detail: str, *, admitted: bool) -> None:
        shown = self.query_one("#verdict", Static)
        shown.set_class(admitted, "admitted")
        shown.set_class(not admitted, "refused")
        word = "ADMITTED" if admitted else "REFUSED"
        # the caption repeats the word: for screen readers, and a glance at a small window
        shown.update(f"[b]{big_word(word)}[/b]\n{word}: {detail}")
        self.scans += 1

    @work(thread=True, exclusive=True, group="count")
    def count(self) -> None:
        if not self.event_id:
            return
        try:
            door = self.runtime.tickets.door(self.principal, self.event_id)
        except TixError as error:
            self.app.call_from_thread(self.verdict, escape(error.message), admitted=False)
            return
        self.app.call_from_thread(self.show_count, door)

    def show_count(self, door: DoorCount) -> None:
        self.query_one("#door-count", Static).update(
            f"{escape(door.event_name)}: [b]{door.admitted}[/b] in of {door.capacity}")

    def action_focus_event(self) -> None:
        self.query_one("#door-event", Select).focus()
