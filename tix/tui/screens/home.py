"""Where a signed-in user starts: who they are, and what their role lets them do."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label

if TYPE_CHECKING:
    from tix.tui.app import TixApp


class HomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        ("ctrl+o", "sign_out", "Sign out"),
    ]

    def compose(self) -> ComposeResult:
        app: TixApp = self.app  # type: ignore[assignment]
        principal = app.principal
        yield Header()
        with Vertical(id="home"):
            if principal is not None:
                yield Label(f"Signed in as {principal.name} <{principal.email}>",
                            id="who")
                yield Label(f"Role: {principal.role.value}", id="role")
        yield Footer()

    def action_sign_out(self) -> None:
        app: TixApp = self.app  # type: ignore[assignment]
        app.sign_out()
