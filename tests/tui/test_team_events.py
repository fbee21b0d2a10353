"""The box office lists a clerk only the events whose team has them (they sell nothing
else); an organizer or a customer browses every event on sale."""

from __future__ import annotations

from tests.catalog_support import an_event, organizer
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
