"""The door with no network: `tix box-office --offline e12.door`. No database, no sign
in: the door pack and the door key are the device's credentials. Scans are checked
against the pack and written to this device's scan log before the verdict shows; the
count is what this device knows (its own scans, and what syncs merged in).

Its own small app: the box office proper needs the database from its first screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from tix.core.errors import TixError
from tix.core.tickets.door import ScanKind
from tix.tui.text import escape
from tix.tui.widgets import big_word

if TYPE_CHECKING:
    from tix.door_device import DeviceDoor


PLACEHOLDER = "scan a ticket (or type its code and press Enter)"


class OfflineCheckInScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+x", "toggle_exit", "Exit mode", priority=True),
        Binding("ctrl+u", "undo_last", "Undo last", priority=True),
        Binding("escape", "cancel_undo", "Cancel", show=False),
    ]

    def __init__(self, door: DeviceDoor) -> None:
        super().__init__()
        self.door = door
        self.exit_mode = False
        self.last_admitted: str | None = None  # the number ctrl+u takes back
        self.undoing: str | None = None  # asking why: the next Enter is the reason
        self.scans = 0  # verdicts shown (tests wait on it)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._banner(), id="offline-banner")
        yield Input(placeholder=PLACEHOLDER, id="scan")
        yield Static("Ready", id="verdict")
        yield Static("", id="door-count")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scan", Input).focus()
        self.show_count()

    def _banner(self) -> str:
        pack = self.door.pack
        mode = " · [b]EXITS[/b]" if self.exit_mode else ""
        listed = self.door.door.checkin_list.name
        return (f"OFFLINE · {escape(pack.event_name)} · list {escape(listed)}"
                f" · {escape(self.door.device)} · pack {pack.made_at:%d %b %H:%M} UTC{mode}")

    def action_toggle_exit(self) -> None:
        self.exit_mode = not self.exit_mode
        self.query_one("#offline-banner", Static).update(self._banner())
        self.query_one("#scan", Input).focus()

    def action_undo_last(self) -> None:
        if self.last_admitted is None:
            self.notify("No admission on this screen to undo.", severity="warning")
            return
        self.undoing = self.last_admitted
        field = self.query_one("#scan", Input)
        field.value = ""
        field.placeholder = f"why undo {self.undoing}? type a reason, Enter (Esc: cancel)"
        field.focus()

    def action_cancel_undo(self) -> None:
        self.undoing = None
        self.query_one("#scan", Input).placeholder = PLACEHOLDER

    @on(Input.Submitted, "#scan")
    def scanned(self, submitted: Input.Submitted) -> None:
        payload = submitted.value.strip()
        submitted.input.value = ""
        submitted.input.focus()
        if self.undoing is not None:
            if payload:  # a reason is needed: an empty Enter asks again
                number, self.undoing = self.undoing, None
                submitted.input.placeholder = PLACEHOLDER
                self.check_in(number, ScanKind.UNDO, payload)
            return
        if payload:
            self.check_in(payload, ScanKind.EXIT if self.exit_mode else ScanKind.ADMIT)

    @work(thread=True, group="scan")
    def check_in(self, payload: str, kind: ScanKind, reason: str = "") -> None:
        try:
            verdict = self.door.scan(payload, kind=kind, reason=reason)
        except TixError as error:  # the log could not be written: say so, admit nobody
            self.app.call_from_thread(self.verdict, escape(error.message), admitted=False)
            return
        if verdict.refusal is not None or verdict.ticket is None:
            message = verdict.refusal.message if verdict.refusal else "refused"
            self.app.call_from_thread(self.verdict, escape(message), admitted=False)
        else:
            ticket = verdict.ticket
            detail = (f"{escape(self.door.holder(ticket))} · "
                      f"{escape(self.door.pack.ticket_types.get(ticket.ticket_type_id, ''))}"
                      f" · {ticket.number}")
            word = {ScanKind.ADMIT: "ADMITTED", ScanKind.EXIT: "OUT"}.get(kind, "UNDONE")
            self.app.call_from_thread(self.shown, ticket.number, kind)
            self.app.call_from_thread(self.verdict, detail, admitted=True, word=word)
        self.app.call_from_thread(self.show_count)

    def shown(self, number: str, kind: ScanKind) -> None:
        self.last_admitted = number if kind is ScanKind.ADMIT else None

    def verdict(self, detail: str, *, admitted: bool, word: str = "") -> None:
        shown = self.query_one("#verdict", Static)
        shown.set_class(admitted, "admitted")
        shown.set_class(not admitted, "refused")
        word = word or ("ADMITTED" if admitted else "REFUSED")
        big = big_word(word) if all(c in "ADEFIMRSTU" for c in word) else word
        shown.update(f"[b]{big}[/b]\n{word}: {detail}")
        self.scans += 1

    def show_count(self) -> None:
        merged = self.door.merged()
        self.query_one("#door-count", Static).update(
            f"{escape(self.door.pack.event_name)}: [b]{merged.inside}[/b] inside, "
            f"{merged.admitted} admitted of {len(self.door.pack.tickets)} (this device "
            f"knows) · {len(merged.conflicts)} conflict(s)")


class OfflineDoorApp(App[None]):
    CSS_PATH = [Path(__file__).parent.parent / "app.tcss",
                Path(__file__).parent / "screens.tcss"]
    TITLE = "tix box office · offline door"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, door: DeviceDoor) -> None:
        super().__init__()
        self.door = door

    def on_mount(self) -> None:
        self.push_screen(OfflineCheckInScreen(self.door))
