"""The door: a scan field for a keyboard-wedge scanner (the code, then Enter), a verdict
readable from a step away, and how many are in, on each check-in list (counted again
every few seconds: the other doors' scans show up).

The field keeps the focus, so the next scan needs no key press (choosing the event or the
list gives it back too: a scan typed into a chooser is lost); each verdict replaces the
last at once. The door's event is remembered for the next time, in this run and the next.
The same field takes what the door's other moves need: ctrl+x turns scans into exits,
ctrl+u asks the reason for undoing the last admission, ctrl+f a holder's name (or a
ticket's number) to look for when a phone is dead; a found ticket is admitted by typing
its line's number.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Select, Static

from tix.core.catalog.search import SearchQuery
from tix.core.errors import TixError
from tix.core.principal import Role
from tix.core.tickets.checkin import Admission, DoorCount, FoundTicket
from tix.core.tickets.door import MAIN_LIST, ScanKind
from tix.tui import preferences
from tix.tui.screens.base import TixScreen, event_choice
from tix.tui.text import escape
from tix.tui.widgets import big_word

DOOR_EVENT = "door_event"  # the preference: the event last chosen at this door
PLACEHOLDER = "scan a ticket (or type its code and press Enter)"
COUNT_EVERY = 3.0  # seconds between two counts of the door (every list)
FOUND_SHOWN = 6  # lines of a lookup's answer (typed 1-6 to admit)
WORDS = {ScanKind.ADMIT: "ADMITTED", ScanKind.EXIT: "OUT", ScanKind.UNDO: "UNDONE"}


class CheckInScreen(TixScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back"),
        # priority: the scan field (which has the focus) takes ctrl+e for end-of-line
        Binding("ctrl+e", "focus_event", "Event", priority=True),
        Binding("ctrl+l", "focus_list", "List", priority=True),
        Binding("ctrl+x", "toggle_exit", "Exits", priority=True),
        Binding("ctrl+u", "undo_last", "Undo", priority=True),
        Binding("ctrl+f", "find", "Find", priority=True),
    ]

    def __init__(self, event_id: str | None = None) -> None:
        super().__init__()
        self.event_id = event_id
        self.list_name = MAIN_LIST
        self.scans = 0  # verdicts shown (tests and benches wait on it)
        self.exit_mode = False
        self.last_admitted: str | None = None  # the number of this screen's last admission
        self.mode = "scan"  # or "undo" (the field takes a reason), "find" (a name)
        self.found: list[FoundTicket] = []  # what the last lookup showed, by line

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="door-choosers"):
            yield Select([], prompt="event at this door", id="door-event")
            yield Select([(MAIN_LIST, MAIN_LIST)], value=MAIN_LIST, allow_blank=False,
                         id="door-list")
        yield Input(placeholder=PLACEHOLDER, id="scan")
        yield Static("Ready", id="verdict")
        yield Static("", id="door-count")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scan", Input).focus()
        for chooser in ("#door-event", "#door-list"):
            self.watch(self.query_one(chooser, Select), "expanded", self.chooser_toggled,
                       init=False)
        self.load_events()
        self.set_interval(COUNT_EVERY, self.count)  # the other doors' scans show up too

    @work(thread=True, group="events")
    def load_events(self) -> None:
        """Upcoming events, soonest first (today's door is usually the first), and the one
        this door had last time."""
        try:
            principal = self.tix.principal
            # a clerk, or anyone on a door team, works the door of their teams' events
            # only: those alone are listed
            mine = (principal.user_id if principal and principal.role
                    not in (Role.ORGANIZER, Role.ADMIN) else None)
            page = self.runtime.catalog.search(SearchQuery(limit=50, scanner_id=mine))
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
            self.last_admitted, self.found = None, []
        self.event_id = chosen
        self.query_one("#scan", Input).focus()
        if chosen:
            self.tix.door_event_id = chosen
            self.remember_event(chosen)
            self.load_lists(chosen)
            self.count()

    @work(thread=True, exclusive=True, group="lists")
    def load_lists(self, event_id: str) -> None:
        try:
            names = [x.name for x in self.runtime.tickets.lists(self.principal, event_id)]
        except TixError:
            names = [MAIN_LIST]
        self.app.call_from_thread(self.show_lists, names)

    def show_lists(self, names: list[str]) -> None:
        chooser = self.query_one("#door-list", Select)
        chooser.set_options([(Text(name), name) for name in names])
        chooser.value = self.list_name if self.list_name in names else MAIN_LIST

    @on(Select.Changed, "#door-list")
    def list_chosen(self, changed: Select.Changed) -> None:
        self.list_name = changed.value if isinstance(changed.value, str) else MAIN_LIST
        self.query_one("#scan", Input).focus()
        self.show_mode()

    @work(thread=True, group="preferences")
    def remember_event(self, event_id: str) -> None:
        preferences.remember(self.runtime.settings.config_dir, DOOR_EVENT, event_id)

    def action_toggle_exit(self) -> None:
        self.exit_mode = not self.exit_mode
        self.mode = "scan"
        self.show_mode()

    def action_undo_last(self) -> None:
        if self.last_admitted is None:
            self.notify("No admission on this screen to undo.", severity="warning")
            return
        self.mode = "undo"
        self.show_mode()

    def action_find(self) -> None:
        self.mode = "find"
        self.show_mode()

    def action_cancel(self) -> None:
        if self.mode != "scan" or self.found:
            self.mode, self.found = "scan", []
            self.show_mode()
        else:
            self.app.pop_screen()

    def show_mode(self) -> None:
        field = self.query_one("#scan", Input)
        field.value = ""
        field.focus()
        on_list = "" if self.list_name == MAIN_LIST else f" at {self.list_name}"
        if self.mode == "undo":
            field.placeholder = (f"why undo {self.last_admitted}? type a reason, Enter "
                                 "(Esc: cancel)")
        elif self.mode == "find":
            field.placeholder = "find: a holder's name or a ticket number, Enter (Esc: cancel)"
        elif self.found:
            field.placeholder = (f"type 1-{len(self.found)} to admit{on_list}, or scan "
                                 "(Esc: clear)")
        elif self.exit_mode:
            field.placeholder = f"EXITS{on_list}: scan a ticket going out (ctrl+x: entries)"
        else:
            field.placeholder = PLACEHOLDER if not on_list else f"scan{on_list} (" \
                "or type the code, Enter)"

    @on(Input.Submitted, "#scan")
    def scanned(self, submitted: Input.Submitted) -> None:
        typed = submitted.value.strip()
        submitted.input.value = ""
        submitted.input.focus()
        mode, self.mode = self.mode, "scan"
        if mode == "undo":
            if not typed:  # a reason is needed: an empty Enter asks again
                self.mode = "undo"
                return
            assert self.last_admitted is not None
            self.undo(self.last_admitted, typed)
            self.show_mode()
        elif mode == "find":
            if typed:
                self.find(typed)
            self.show_mode()
        elif self.found and typed.isdigit() and 1 <= int(typed) <= len(self.found):
            number = self.found[int(typed) - 1].ticket.number
            self.found = []
            self.show_mode()
            self.check_in(number, by_number=True)
        elif typed:
            self.found = []
            self.show_mode()
            self.check_in(typed)

    @work(thread=True, group="scan")
    def check_in(self, payload: str, *, by_number: bool = False) -> None:
        tickets = self.runtime.tickets
        kind = ScanKind.EXIT if self.exit_mode else ScanKind.ADMIT
        scan = tickets.check_in_number if by_number else tickets.check_in
        try:
            admission = scan(self.principal, payload, self.event_id,
                             list_name=self.list_name, kind=kind)
        except TixError as error:
            self.app.call_from_thread(
                self.verdict, escape(error.message), admitted=False)
            return
        self.app.call_from_thread(self.admitted, admission)
        self.count()

    @work(thread=True, group="scan")
    def undo(self, number: str, reason: str) -> None:
        try:
            admission = self.runtime.tickets.undo(self.principal, number, reason)
        except TixError as error:
            self.app.call_from_thread(self.verdict, escape(error.message), admitted=False)
            return
        self.app.call_from_thread(self.admitted, admission)
        self.count()

    @work(thread=True, exclusive=True, group="find")
    def find(self, query: str) -> None:
        if not self.event_id:
            return
        try:
            found = self.runtime.tickets.find(self.principal, self.event_id, query)
        except TixError as error:
            self.app.call_from_thread(self.verdict, escape(error.message), admitted=False)
            return
        self.app.call_from_thread(self.show_found, query, found)

    def show_found(self, query: str, found: list[FoundTicket]) -> None:
        shown = self.query_one("#verdict", Static)
        shown.remove_class("admitted", "refused")
        self.found = found[:FOUND_SHOWN]
        if not found:
            shown.update(f"No ticket of this event matches “{escape(query)}”.")
        else:
            lines = [f"{n}  {f.ticket.number}  {escape(f.ticket.holder)} · "
                     f"{escape(f.ticket_type)} · [b]{escape(f.state)}[/b]"
                     for n, f in enumerate(self.found, 1)]
            more = len(found) - len(self.found)
            shown.update("\n".join(lines + ([f"… {more} more: say more of the name"]
                                            if more else [])))
        self.show_mode()

    def admitted(self, admission: Admission) -> None:
        ticket = admission.ticket
        self.last_admitted = ticket.number if admission.kind is ScanKind.ADMIT else None
        on_list = "" if admission.list_name == MAIN_LIST else \
            f" · {escape(admission.list_name)}"
        self.verdict(f"{escape(ticket.holder)} · {escape(admission.ticket_type)} · "
                     f"{ticket.number}{on_list}",
                     admitted=True, word=WORDS[admission.kind])

    def verdict(self, detail: str, *, admitted: bool, word: str = "") -> None:
        shown = self.query_one("#verdict", Static)
        shown.set_class(admitted, "admitted")
        shown.set_class(not admitted, "refused")
        word = word or ("ADMITTED" if admitted else "REFUSED")
        big = big_word(word) if all(c in "ADEFIMRSTU" for c in word) else word
        # the caption repeats the word: for screen readers, and a glance at a small window
        shown.update(f"[b]{big}[/b]\n{word}: {detail}")
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
        lists = " · ".join(
            f"{'[reverse]' if c.name == self.list_name else ''}{escape(c.name)} "
            f"{c.admitted} in, {c.inside} inside of {c.of}"
            f"{'[/reverse]' if c.name == self.list_name else ''}" for c in door.lists)
        self.query_one("#door-count", Static).update(
            f"{escape(door.event_name)}: [b]{door.admitted}[/b] in of {door.capacity}, "
            f"{door.inside} inside\n{lists}")

    def action_focus_event(self) -> None:
        self.query_one("#door-event", Select).focus()

    def action_focus_list(self) -> None:
        self.query_one("#door-list", Select).focus()
