"""A message to every holder of an event, from the sales dashboard: a subject and a body,
then how many people it would reach (the core's dry run), then sent on confirmation —
into the mail log, once per person (tix/core/notifications/holder_message.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static, TextArea

from tix.core.errors import TixError
from tix.tui.screens.base import TixModal
from tix.tui.text import escape

if TYPE_CHECKING:
    from tix.core.notifications.holder_message import HolderMessage


class HolderMessageForm(TixModal):
    """ctrl+s counts who it would reach, then ctrl+s again sends. Dismissed with the
    mails queued, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "next", "Count, then send", priority=True),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, event_id: str, event_name: str) -> None:
        super().__init__()
        self.event_id, self.event_name = event_id, event_name
        self.counted: HolderMessage | None = None  # the dry run of what is typed now
        self.sent: HolderMessage | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="holder-message"):
            yield Label(f"[b]Message every holder of {escape(self.event_name)}[/b]")
            yield Input(placeholder="subject", id="message-subject")
            yield TextArea(id="message-body")
            yield Static("Ctrl+S counts who it would reach.", id="message-status")

    def on_mount(self) -> None:
        self.query_one("#message-subject", Input).focus()

    @on(Input.Changed)
    @on(TextArea.Changed)
    def edited(self) -> None:
        if self.counted is not None and self.sent is None:  # counted another text
            self.counted = None
            self.say("Changed: Ctrl+S counts again.")

    @on(Input.Submitted, "#message-subject")
    def to_body(self) -> None:
        self.query_one("#message-body", TextArea).focus()

    def action_next(self) -> None:
        if self.busy or self.sent is not None:
            return
        self.busy = True
        subject = self.query_one("#message-subject", Input).value
        body = self.query_one("#message-body", TextArea).text
        dry_run = self.counted is None
        self.say("Counting…" if dry_run else "Sending…")
        self.run_message(subject, body, dry_run=dry_run)

    @work(thread=True, exclusive=True, group="message")
    def run_message(self, subject: str, body: str, *, dry_run: bool) -> None:
        principal = self.tix.principal
        assert principal is not None, "the dashboard is past sign-in"
        try:
            result = self.tix.runtime.holder_messages.send(
                principal, self.event_id, subject=subject, body=body, dry_run=dry_run)
        except TixError as error:
            self.app.call_from_thread(self.failed, error.message)
            return
        self.app.call_from_thread(self.answered, result)

    def answered(self, result: HolderMessage) -> None:
        self.busy = False
        earlier = f" ({result.already} had it already)" if result.already else ""
        if result.dry_run:
            self.counted = result
            self.say(f"It would reach [b]{result.recipients - result.already}[/b] of "
                     f"{result.recipients} holder(s){earlier}. Ctrl+S sends it; "
                     "escape does not.")
        else:
            self.sent = result
            self.say(f"Queued {result.queued} mail(s) to {result.recipients} holder(s)"
                     f"{earlier}: the daemon sends them. Escape closes.")

    def failed(self, message: str) -> None:
        self.busy = False
        self.say(f"[b red]{escape(message)}[/]")

    def say(self, message: str) -> None:
        self.query_one("#message-status", Static).update(message)

    def action_close(self) -> None:
        self.dismiss(self.sent.queued if self.sent is not None else None)
