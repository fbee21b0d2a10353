"""Where a signed-in user starts: who they are, and the screens their role opens."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Label

from tix.core.catalog.model import Act
from tix.core.catalog.search import SearchQuery
from tix.core.principal import Principal, Role
from tix.tui.screens.base import TixScreen

if TYPE_CHECKING:
    from tix.bootstrap import Runtime

# (key, button id, label, roles that may open it, what a team role must grant to open it
# whatever the global role: a customer on an event's door gets the door)
MENU: list[tuple[str, str, str, set[Role], Act | None]] = [
    ("e", "events", "Events: find, hold, sell", set(Role), None),
    ("o", "orders", "Orders: history, cancel", set(Role), None),
    ("c", "checkin", "Check-in at the door", {Role.CLERK, Role.ORGANIZER, Role.ADMIN},
     Act.SCAN),
    ("d", "dashboard", "Live sales", {Role.ORGANIZER, Role.ADMIN}, Act.MANAGE),
]


def team_acts(runtime: Runtime, principal: Principal) -> frozenset[Act]:
    """(A read, for a worker.) What the person's teams let them do on some upcoming event:
    scan its tickets, run it (a co-organizer)."""
    if principal.role is Role.ADMIN:
        return frozenset(Act)
    mine = principal.user_id
    queries = {Act.SCAN: SearchQuery(limit=1, scanner_id=mine),
               Act.MANAGE: SearchQuery(limit=1, manager_id=mine)}
    return frozenset(act for act, query in queries.items()
                     if runtime.catalog.search(query).results)


def offered(principal: Principal | None, acts: frozenset[Act]) -> list[tuple[str, str, str]]:
    """(key, name, label) of the screens this person opens: by role or by team."""
    if principal is None:
        return []
    return [(key, name, label) for key, name, label, roles, act in MENU
            if principal.role in roles or (act is not None and act in acts)]


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
            for key, name, label in offered(principal, self.tix.team_acts):
                yield Button(f"{label}  ({key})", id=name, classes="menu")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":  # only what the role (or a team) opens is offered (none once
            # signed out)
            return any(name == parameters[0]
                       for _, name, _ in offered(self.tix.principal, self.tix.team_acts))
        return True

    @on(Button.Pressed, ".menu")
    def pressed(self, event: Button.Pressed) -> None:
        self.action_open(event.button.id or "")

    def action_open(self, name: str) -> None:
        self.app.push_screen(screen_named(name))

    def action_sign_out(self) -> None:
        self.tix.sign_out()
