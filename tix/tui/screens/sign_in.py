"""Sign in with email and password (the CLI's stored login is tried first)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from tix.core.errors import TixError
from tix.tui.screens.home import team_acts
from tix.tui.text import escape

if TYPE_CHECKING:
    from tix.tui.app import TixApp


class SignInScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("escape", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="sign-in"):
            yield Label("Sign in to the box office", id="sign-in-title")
            yield Input(placeholder="email", id="email")
            yield Input(placeholder="password", password=True, id="password")
            yield Button("Sign in", variant="primary", id="submit")
            yield Static("", id="sign-in-error")
        yield Footer()

    @on(Input.Submitted, "#email")
    def next_field(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        email = self.query_one("#email", Input).value
        password = self.query_one("#password", Input).value
        self.query_one("#sign-in-error", Static).update("Signing in…")
        self.sign_in(email, password)

    @work(thread=True, exclusive=True, group="sign-in")
    def sign_in(self, email: str, password: str) -> None:
        app: TixApp = self.app  # type: ignore[assignment]
        try:
            login = app.runtime.accounts.login(email=email, password=password,
                                               host="box-office")
            acts = team_acts(app.runtime, login.principal)
        except TixError as error:
            app.call_from_thread(self.show_error, error.message)
            return
        app.call_from_thread(app.signed_in, login.principal, acts)

    def show_error(self, message: str) -> None:
        self.query_one("#sign-in-error", Static).update(f"[b red]{escape(message)}[/]")
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
