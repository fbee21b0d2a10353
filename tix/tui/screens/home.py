"""Where a signed-in user starts: who they are, and the screens their role opens."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Label

from tix.core.principal import Role
from tix.tui.screens.base import TixScreen

# (key, button id, label, roles that may open it)
MENU = [
    ("e", "events", "Events: find, hold, sell", set(Role)),
    ("o", "orders", "Orders: history, cancel", set(Role)),
    ("c", "checkin", "Check-in at the door", {Role.CLERK, Role.ORGANIZER, Role.ADMIN}),
    ("d", "dashboard", "Live sales", {Role.ORGANIZER, Role.ADMIN}),
]


def screen_named(name: str) -> TixScreen:
    """A new screen of the menu, by its name in MENU."""
    from tix.tui.screens.checkin import CheckInScreen
    from tix.tui.screens.dashboard import DashboardScreen
    from tix.tui.screens.events import EventsScreen
    from tix.tui.screens.orders import OrdersScreen

    screens: dict[str, type[TixScreen]] = {
        "events": EventsScreen, "orders": OrdersScreen, "checkin": CheckInScreen,
        "dashboard": DashboardScreen}
    return screens[name]()


class HomeScreen(TixScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "open('events')", "Events"),
        Binding("o", "open('orders')", "Orders"),
        Binding("c", "open('checkin')", "Check-in"),
        Binding("d", "open('dashboard')", "Sales"),
        Binding("ctrl+o", "sign_out", "Sign out"),
    ]

    def compose(self) -> ComposeResult:
        principal = self.principal
        yield Header()
        with Vertical(id="home"):
            yield Label(f"Signed in as {principal.name} <{principal.email}>", id="who",
                        markup=False)
            yield Label(f"Role: {principal.role.value}", id="role")
            for key, name, label, roles in MENU:
                if principal.role in roles:
                    yield Button(f"{label}  ({key})", id=name, classes="menu")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        principal = self.tix.principal
        if action == "open":  # only what the role may open is offered (none once signed out)
            return principal is not None and any(
                name == parameters[0] and principal.role in roles for _, name, _, roles in MENU)
        return True

    @on(Button.Pressed, ".menu")
    def pressed(self, event: Button.Pressed) -> None:
        self.action_open(event.button.id or "")

    def action_open(self, name: str) -> None:
        self.app.push_screen(screen_named(name))

    def action_sign_out(self) -> None:
        self.tix.sign_out()
