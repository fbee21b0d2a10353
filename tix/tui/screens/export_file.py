"""An event's attendee list or orders written to a CSV file from the sales dashboard: the
path asked (a default beside the box office), the rows counted as they stream in, where it
wrote and how many said at the end — the file appears whole or not at all
(tix/export_files.py, as for the CLI's `tix event attendees -o`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, ProgressBar, Static

from tix.core.errors import TixError
from tix.tui.screens.base import TixModal
from tix.tui.text import escape

if TYPE_CHECKING:
    from tix.core.exports import Export

T = TypeVar("T")
WHAT = {"attendees": "attendee(s)", "orders": "order(s)"}


class ExportFile(TixModal):
    """Dismissed (escape) with the rows written, or None if nothing was."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, event_id: str, event_number: int, what: str) -> None:
        super().__init__()
        self.event_id, self.what = event_id, what
        self.default = f"./E{event_number}-{what}.csv"
        self.written: int | None = None  # rows, once the file is there
        self.writing = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export-file"):
            yield Label(f"[b]Export the {self.what} as CSV[/b]")
            yield Input(value=self.default, placeholder="file", id="export-path")
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Static("Enter writes the file.", id="export-status")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def submitted(self, event: Input.Submitted) -> None:
        if not self.writing and event.value.strip():
            self.writing = True
            self.say("Writing…")
            self.write(Path(event.value.strip()).expanduser())

    @work(thread=True, exclusive=True, group="export")
    def write(self, target: Path) -> None:
        from tix.export_tables import ORDER_COLUMNS, attendee_table, order_row
        from tix.json_shapes import attendee_json, exported_order_json

        runtime, principal = self.tix.runtime, self.tix.principal
        assert principal is not None, "the dashboard is past sign-in"
        try:
            if self.what == "attendees":
                listing = runtime.tickets.attendee_lists.attendees(
                    principal, self.event_id, purpose="csv")
                header, attendee_row = attendee_table(listing)
                count = self.written_to(target, listing, header, attendee_row, attendee_json)
            else:
                orders = runtime.orders.exports.of_event(principal, self.event_id,
                                                         purpose="csv")
                count = self.written_to(target, orders, ORDER_COLUMNS, order_row,
                                        exported_order_json)
        except TixError as error:
            self.app.call_from_thread(self.failed, error.message)
            return
        self.app.call_from_thread(self.done, count, target.resolve())

    def written_to(self, target: Path, export: Export[T], header: list[str],
                   csv_row: Callable[[T], list[Any]],
                   json_row: Callable[[T], dict[str, Any]]) -> int:
        """(In the worker.) The rows written, the bar following them."""
        from tix.export_files import write_rows

        self.app.call_from_thread(self.started, export.total)
        return write_rows(export.rows, fmt="csv", output=target, total=export.total,
                          header=header, csv_row=csv_row, json_row=json_row, label="",
                          progress=self.progress_from_thread)

    def progress_from_thread(self, rows: int) -> None:
        self.app.call_from_thread(self.query_one("#export-progress", ProgressBar).update,
                                  progress=rows)

    def started(self, total: int) -> None:
        self.query_one("#export-progress", ProgressBar).update(total=total or None)

    def done(self, count: int, where: Path) -> None:
        self.written, self.writing = count, False
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=max(count, 1), progress=max(count, 1))
        self.say(f"Wrote {count} {WHAT[self.what]} to {escape(str(where))}. "
                 "Escape closes.")

    def failed(self, message: str) -> None:
        self.writing = False
        self.say(f"[b red]{escape(message)}[/]")

    def say(self, message: str) -> None:
        self.query_one("#export-status", Static).update(message)

    def action_close(self) -> None:
        self.dismiss(self.written)
