"""`tix box-office`: the full-screen app for the door and the launch night.

Screens call the same core services as the CLI, from thread workers, and post results
back to the UI thread; no business rule lives in a screen. The app owns what outlives a
screen: who is signed in, and the hold being sold (its countdown shows on every screen).
"""

from __future__ import annotations

import contextlib
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType

from tix import credentials
from tix.core.errors import TixError
from tix.tui.screens.home import HomeScreen, team_acts
from tix.tui.screens.sign_in import SignInScreen

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.screen import Screen

    from tix.bootstrap import Runtime
    from tix.core.catalog.model import Act
    from tix.core.inventory.model import Hold
    from tix.core.principal import Principal


class TixApp(App[None]):
    # absolute: subclasses (benches, embedders) may live anywhere
    CSS_PATH = [Path(__file__).parent / "app.tcss",
                Path(__file__).parent / "screens" / "screens.tcss"]
    TITLE = "tix box office"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, runtime: Runtime, *, use_stored_login: bool = True) -> None:
        super().__init__()
        self.runtime = runtime
        self.principal: Principal | None = None
        self.team_acts: frozenset[Act] = frozenset()  # what the teams they are on grant
        self.hold: Hold | None = None
        self.hold_label = ""  # what is held, e.g. "2 x Standing + 1 x Seated"
        self.sales = 0  # sales made in this run: a screen can tell one happened meanwhile
        self.door_event_id: str | None = None  # check-in's event, for its next opening
        self._use_stored_login = use_stored_login

    def on_mount(self) -> None:
        if self._use_stored_login:
            self.resume_stored_login()
        else:
            self.push_screen(SignInScreen())

    @work(thread=True, exclusive=True, group="sign-in")
    def resume_stored_login(self) -> None:
        """Start signed in with the CLI's stored login, if it is still valid."""
        try:
            stored = credentials.load(self.runtime.settings.credentials_path)
            principal = self.runtime.accounts.authenticate(stored.token)
            acts = team_acts(self.runtime, principal)
        except TixError:  # no stored login, or it ended
            self.call_from_thread(self.push_screen, SignInScreen())
            return
        self.call_from_thread(self.signed_in, principal, acts)

    def signed_in(self, principal: Principal, acts: frozenset[Act] = frozenset()) -> None:
        """`acts`: what their teams grant them (home.team_acts, read in the worker)."""
        self.principal, self.team_acts = principal, acts
        if self.screen_stack and isinstance(self.screen, SignInScreen):
            self.switch_screen(HomeScreen())
        else:
            self.push_screen(HomeScreen())
        self.sub_title = f"{principal.name} · {principal.role.value}"

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p) offers the screens the role opens, and sign out."""
        from tix.tui.screens.home import offered

        if self.principal is not None:
            for key, name, label in offered(self.principal, self.team_acts):
                yield SystemCommand(label, f"Open it (key {key} on the home screen)",
                                    partial(self.open_screen, name))
            yield SystemCommand("Sign out", "Sign out of the box office (drops any hold)",
                                self.sign_out)
        yield from super().get_system_commands(screen)

    def open_screen(self, name: str) -> None:
        from tix.tui.screens.home import screen_named

        if self.principal is not None:  # signed out since the palette opened: nothing
            self.push_screen(screen_named(name))

    def sign_out(self) -> None:
        self.drop_hold()
        self.principal, self.team_acts = None, frozenset()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(SignInScreen())
        self.sub_title = ""

    # -- the hold being sold -------------------------------------------------------------

    def start_hold(self, hold: Hold, label: str) -> None:
        self.hold, self.hold_label = hold, label

    def hold_sold(self) -> None:
        """The hold was paid for: its tickets are the buyer's now."""
        self.drop_hold(release=False)
        self.sales += 1

    def drop_hold(self, *, release: bool = True) -> None:
        """Forget the hold; unless it was paid for, its tickets go back on sale at once."""
        hold, self.hold = self.hold, None
        if hold is not None and release:
            self.release_hold(hold.id)

    @work(thread=True, group="holds")
    def release_hold(self, hold_id: str) -> None:
        # if this fails, the daemon's sweep returns them when the hold's time is up
        with contextlib.suppress(TixError):
            self.runtime.inventory.release_hold(hold_id)

    def hold_expired(self) -> None:
        if self.hold is None:
            return
        self.drop_hold()
        self.notify(f"The hold's {self.runtime.settings.hold_minutes} minutes are up: its "
                    "tickets went back on sale. "
                    "Hold again to sell them.", title="Hold expired", severity="warning",
                    timeout=10)
        from tix.tui.screens.checkout import CheckoutScreen

        if isinstance(self.screen, CheckoutScreen):
            self.pop_screen()
