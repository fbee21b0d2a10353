"""The box office lists a clerk only the events whose team has them (they sell nothing
else); an organizer or a customer browses every event on sale."""

from __future__ import annotations

from tests.catalog_support import an_event, on_team, organizer
from tests.tui.pilot import run, signed_in_app, until
from tix.core.principal import Role
from tix.tui.screens.events import EventsScreen
from tix.tui.screens.home import HomeScreen


async def listed(app) -> list[str]:
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen)
                    and app.screen.searches_shown, "the events listed")
        return sorted(e.name for e in app.screen.results)


def test_a_clerk_sees_only_their_teams_events(sqlite_runtime):
    runtime = sqlite_runtime
    olga = organizer(runtime)
    mine = an_event(runtime, olga, name="Nils Frahm live")
    an_event(runtime, olga, name="Jazz brunch", days=45)
    an_event(runtime, organizer(runtime, "oscar@example.com"), name="Other night")
    names: dict[str, list[str]] = {}

    async def scenario() -> None:
        names["clerk"] = await listed(signed_in_app(runtime, teams=[mine]))
        names["no team"] = await listed(signed_in_app(runtime, "carl@example.com",
                                                      name="Carl Clerk", teams=[]))
        names["organizer"] = await listed(signed_in_app(runtime, "oscar@example.com",
                                                        Role.ORGANIZER))

    run(scenario)
    assert names == {"clerk": ["Nils Frahm live"], "no team": [],
                     "organizer": ["Jazz brunch", "Nils Frahm live", "Other night"]}


def test_a_clerks_door_offers_only_their_teams_events(sqlite_runtime):
    from textual.widgets import Select

    from tix.tui.screens.checkin import CheckInScreen

    runtime = sqlite_runtime
    olga = organizer(runtime)
    mine = an_event(runtime, olga, name="Nils Frahm live", days=40)
    an_event(runtime, olga, name="Jazz brunch", days=20)  # sooner: listed first to anyone
    app = signed_in_app(runtime, teams=[mine])
    offered: list[object] = []

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen)
                        and app.screen.event_id is not None, "the door")
            offered.extend(value for _, value in app.screen.query_one(
                "#door-event", Select)._options if isinstance(value, str))
            offered.append(app.screen.event_id)

    run(scenario)
    assert offered == [mine, mine]


def menu_of(app) -> list[str]:
    return [button.id or "" for button in app.screen.query(".menu")]


def test_a_customer_on_a_door_team_gets_the_door_of_those_events_alone(sqlite_runtime):
    from textual.widgets import Select

    from tests.support import user
    from tix.tui.screens.checkin import CheckInScreen

    runtime = sqlite_runtime
    olga = organizer(runtime)
    door = an_event(runtime, olga, name="Nils Frahm live", days=40)
    an_event(runtime, olga, name="Jazz brunch", days=20)  # sooner: listed first to anyone
    user(runtime, "dora@example.com", name="Dora Door")
    on_team(runtime, door, "dora@example.com", role="door")
    seen: dict[str, object] = {}

    async def scenario() -> None:
        plain = signed_in_app(runtime, "ann@example.com", Role.CUSTOMER)
        async with plain.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(plain.screen, HomeScreen), "home")
            seen["customer"] = menu_of(plain)
            # let the header's title land before the app closes: left pending, Textual's
            # callback finds the header half torn down (NoMatches: HeaderTitle)
            await pilot.pause()
        app = signed_in_app(runtime, "dora@example.com", Role.CUSTOMER, "Dora Door")
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            seen["door"] = menu_of(app)
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen)
                        and app.screen.event_id is not None, "the door")
            seen["offered"] = [value for _, value in app.screen.query_one(
                "#door-event", Select)._options if isinstance(value, str)]

    run(scenario)
    assert seen == {"customer": ["events", "orders"],
                    "door": ["events", "orders", "checkin"], "offered": [door]}


def test_a_co_organizer_sees_the_sales_and_orders_of_the_events_they_run(sqlite_runtime):
    from textual.widgets import Select

    from tests.catalog_support import on_every_team
    from tests.support import logged_in, user
    from tests.tui.pilot import open_dashboard
    from tix.core.orders.model import Tender
    from tix.tui.screens.orders import OrdersScreen

    runtime = sqlite_runtime
    olga, oscar = organizer(runtime), organizer(runtime, "oscar@example.com")
    theirs = an_event(runtime, olga, name="Nils Frahm live", days=40)
    other = an_event(runtime, oscar, name="Other night", days=20)
    clara = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clara)
    sold = {event: runtime.orders.buy(
        clara, runtime.catalog.show(event).ticket_types[0].id, 1, tender=Tender.CASH,
        tendered=4500).number for event in (theirs, other)}
    user(runtime, "cora@example.com", name="Cora Co")  # a customer, co-organizer of one
    on_team(runtime, theirs, "cora@example.com", role="co-organizer")
    app = signed_in_app(runtime, "cora@example.com", Role.CUSTOMER, "Cora Co")
    seen: dict[str, object] = {}

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            seen["menu"] = menu_of(app)
            await open_dashboard(pilot, app)
            seen["dashboard"] = [value for _, value in app.screen.query_one(
                "#dashboard-event", Select)._options if isinstance(value, str)]
            await pilot.press("escape")
            await pilot.press("o")
            await until(pilot, lambda: isinstance(app.screen, OrdersScreen)
                        and app.screen.orders, "the orders")
            seen["orders"] = sorted(app.screen.orders)

    run(scenario)
    assert seen == {"menu": ["events", "orders", "checkin", "dashboard"],
                    "dashboard": [theirs], "orders": [sold[theirs]]}
