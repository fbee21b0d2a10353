"""What each box-office screen looks like at 80x24 and 120x40 (pytest-textual-snapshot).

The world is the same every run: a fixed clock, seeded ids and order numbers, a fixed
ticket-signing key (so the QR codes are the same). After a deliberate change to a screen,
review the new pictures and accept them with `pytest tests/tui --snapshot-update`.
"""

from __future__ import annotations

import base64
import random
import uuid
from collections.abc import Callable

import pytest

from tests.catalog_support import an_event, on_team, organizer
from tests.support import deliver, logged_in
from tests.tui.pilot import signed_in_app, until
from tix.core.orders.model import Tender
from tix.core.principal import Role
from tix.tui.app import TixApp
from tix.tui.screens.checkin import CheckInScreen
from tix.tui.screens.checkout import CheckoutScreen
from tix.tui.screens.confirmation import ConfirmationScreen
from tix.tui.screens.dashboard import DashboardScreen
from tix.tui.screens.event import EventScreen
from tix.tui.screens.events import EventsScreen
from tix.tui.screens.home import HomeScreen
from tix.tui.screens.orders import OrdersScreen
from tix.tui.screens.sign_in import SignInScreen
from tix.tui.screens.ticket_code import TicketCodeScreen

SIZES = [(80, 24), (120, 40)]
SIGNING_KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture
def world(make_runtime, sqlite_template, tmp_path, monkeypatch):
    """A runtime with an organizer's two events and a clerk's sale, all reproducible."""
    import shutil

    seeded = random.Random(2026)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=seeded.getrandbits(128),
                                                         version=4))
    monkeypatch.setattr("tix.core.ids.secrets", random.Random(24))
    target = tmp_path / "tix.db"
    shutil.copy(sqlite_template, target)
    runtime = make_runtime(f"sqlite:///{target}", ticket_signing_key=SIGNING_KEY)
    olga = organizer(runtime)
    event_id = an_event(runtime, olga)
    an_event(runtime, olga, days=45, name="Jazz brunch", venue="Blue Note", category="music")
    clara = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(runtime, event_id, "clara@example.com")
    standing = runtime.catalog.show(event_id).ticket_types[0]
    order = runtime.orders.buy(clara, standing.id, 2, tender=Tender.CASH, tendered=10_000,
                               holders=["Ann Archer", "Bob Baker"])
    deliver(runtime)
    return runtime, event_id, order.number


async def steady(pilot) -> None:
    """Cursors that stay on: a blinking one is on or off by the clock when the picture is
    taken (test_events failed now and then, whatever was in the data dir)."""
    from textual.widgets import Input

    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def at_home(app: TixApp) -> Callable[..., object]:
    async def run_before(pilot) -> None:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await steady(pilot)
    return run_before


def opened(app: TixApp, screen: Callable[[], object], ready: Callable[[], object]
           ) -> Callable[..., object]:
    async def run_before(pilot) -> None:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        app.push_screen(screen())
        await until(pilot, ready, "the screen ready", tries=200)
        await pilot.pause(0.1)
        await steady(pilot)
    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_sign_in(world, snap_compare, size):
    runtime, _, _ = world
    app = TixApp(runtime, use_stored_login=False)

    async def run_before(pilot) -> None:
        await until(pilot, lambda: isinstance(app.screen, SignInScreen), "sign-in")
        await steady(pilot)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home(world, snap_compare, size):
    app = signed_in_app(world[0])
    assert snap_compare(app, terminal_size=size, run_before=at_home(app))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_events(world, snap_compare, size):
    app = signed_in_app(world[0])
    assert snap_compare(app, terminal_size=size, run_before=opened(
        app, EventsScreen, lambda: isinstance(app.screen, EventsScreen)
        and app.screen.searches_shown))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_event(world, snap_compare, size):
    runtime, event_id, _ = world
    app = signed_in_app(runtime)
    assert snap_compare(app, terminal_size=size, run_before=opened(
        app, lambda: EventScreen(event_id), lambda: isinstance(app.screen, EventScreen)
        and app.screen.details is not None))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_checkout(world, snap_compare, size):
    runtime, event_id, _ = world
    app = signed_in_app(runtime)

    async def run_before(pilot) -> None:
        await opened(app, lambda: EventScreen(event_id), lambda: isinstance(
            app.screen, EventScreen) and app.screen.details is not None)(pilot)
        await pilot.press("+", "h")
        await until(pilot, lambda: isinstance(app.screen, CheckoutScreen)
                    and app.screen.tenders, "the checkout")
        await pilot.press(*"Ann Archer")
        app.screen.query_one("#tendered").focus()
        await pilot.press(*"100")
        await pilot.pause(0.1)
        await steady(pilot)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_confirmation(world, snap_compare, size):
    runtime, _, order_number = world
    app = signed_in_app(runtime)
    assert snap_compare(app, terminal_size=size, run_before=opened(
        app, lambda: ConfirmationScreen(order_number),
        lambda: isinstance(app.screen, ConfirmationScreen) and app.screen.tickets))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_orders(world, snap_compare, size):
    app = signed_in_app(world[0])
    assert snap_compare(app, terminal_size=size, run_before=opened(
        app, OrdersScreen, lambda: isinstance(app.screen, OrdersScreen) and app.screen.orders))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_check_in(world, snap_compare, size):
    runtime, event_id, _ = world
    [ticket, _] = sorted(runtime.tickets.mine(
        runtime.accounts.login(email="clara@example.com",
                               password="Correct-horse-9!").principal), key=lambda t: t.seat)
    app = signed_in_app(runtime)

    async def run_before(pilot) -> None:
        await opened(app, lambda: CheckInScreen(event_id), lambda: isinstance(
            app.screen, CheckInScreen) and app.screen.event_id == event_id)(pilot)
        app.screen.query_one("#scan").value = ticket.qr_payload
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.scans == 1 and "1 in" in str(
            app.screen.query_one("#door-count").render()), "admitted and counted")
        await steady(pilot)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard(world, snap_compare, size):
    runtime, event_id, _ = world
    app = signed_in_app(runtime, "olga@example.com", Role.ORGANIZER)
    assert snap_compare(app, terminal_size=size, run_before=opened(
        app, lambda: DashboardScreen(event_id), lambda: isinstance(app.screen, DashboardScreen)
        and app.screen.refreshes))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ticket_code(world, snap_compare, size):
    runtime, _, order_number = world
    app = signed_in_app(runtime)
    clara = runtime.accounts.login(email="clara@example.com",
                                   password="Correct-horse-9!").principal
    tickets = sorted(runtime.tickets.mine(clara), key=lambda t: t.seat)
    assert snap_compare(app, terminal_size=size, run_before=opened(
        app, lambda: TicketCodeScreen(order_number, tickets),
        lambda: isinstance(app.screen, TicketCodeScreen) and app.screen.modules))
