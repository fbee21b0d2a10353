"""The box office's door at 80x24 (issue 21): the list of this door, counts per list,
undoing the last admission with a reason, and finding a ticket by its holder's name."""

from __future__ import annotations

from tests.catalog_support import an_event, on_team, organizer
from tests.support import deliver, logged_in
from tests.tui.pilot import run, signed_in_app, text_of, until
from tix.core.orders.model import Tender
from tix.core.principal import Role
from tix.core.tickets.model import TicketStatus
from tix.tui.screens.checkin import CheckInScreen
from tix.tui.screens.home import HomeScreen


def test_a_vip_door_undo_with_a_reason_and_a_ticket_found_by_name(sqlite_runtime):
    runtime = sqlite_runtime
    olga = organizer(runtime)
    event_id = an_event(runtime, olga)
    standing, seated = runtime.catalog.show(event_id).ticket_types
    runtime.tickets.add_list(olga, "E1", "VIP", [seated.ref])
    clara = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(runtime, event_id, "clara@example.com")
    runtime.orders.buy(clara, standing.id, 2, tender=Tender.CASH, tendered=9000,
                       holders=["Ann Müller", "Bob Stone"])
    runtime.orders.buy(clara, seated.id, 1, tender=Tender.CASH, tendered=9000,
                       holders=["Zoë Ünal"])
    deliver(runtime)
    by_holder = {t.holder: t for t in runtime.tickets.mine(clara)}
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen)
                        and app.screen.event_id == event_id, "the door of the event")
            screen = app.screen
            await until(pilot, lambda: "VIP 0 in, 0 inside of 1" in text_of(
                app, "#door-count"), "the counts per list")
            assert "main 0 in, 0 inside of 3" in text_of(app, "#door-count")
            screen.query_one("#door-list").value = "VIP"
            await until(pilot, lambda: screen.list_name == "VIP", "the VIP door")
            assert app.focused is screen.query_one("#scan")
            screen.query_one("#scan").value = by_holder["Ann Müller"].qr_payload
            await pilot.press("enter")
            await until(pilot, lambda: screen.scans == 1, "the first verdict")
            assert "VIP door admits Seated only" in text_of(app, "#verdict")
            screen.query_one("#scan").value = by_holder["Zoë Ünal"].qr_payload
            await pilot.press("enter")
            await until(pilot, lambda: screen.scans == 2, "the second verdict")
            assert "ADMITTED: Zoë Ünal · Seated · E1-000003 · VIP" in text_of(app, "#verdict")
            await until(pilot, lambda: "VIP 1 in, 1 inside of 1" in text_of(
                app, "#door-count"), "counted on VIP")

            await pilot.press("ctrl+u")  # the reason goes into the same field
            assert "why undo E1-000003?" in screen.query_one("#scan").placeholder
            await pilot.press("enter")  # no reason: it asks again
            assert screen.mode == "undo"
            await pilot.press(*"wrong phone", "enter")
            await until(pilot, lambda: screen.scans == 3, "the undo")
            assert "UNDONE: Zoë Ünal" in text_of(app, "#verdict")
            await until(pilot, lambda: "VIP 0 in, 0 inside of 1" in text_of(
                app, "#door-count"), "taken back")
            assert screen.query_one("#scan").placeholder.startswith("scan at VIP")

            screen.query_one("#door-list").value = "main"
            await until(pilot, lambda: screen.list_name == "main", "the main door")
            await pilot.press("ctrl+f", *"muller", "enter")
            await until(pilot, lambda: screen.found, "found")
            assert "1  E1-000001  Ann Müller · Standing · not in" in text_of(app, "#verdict")
            await pilot.press("1", "enter")
            await until(pilot, lambda: screen.scans == 4, "admitted by number")
            assert "ADMITTED: Ann Müller" in text_of(app, "#verdict")
            await until(pilot, lambda: "1 in of 120, 1 inside" in text_of(
                app, "#door-count"), "counted")
    run(scenario)
    assert runtime.tickets.show(clara, by_holder["Zoë Ünal"].id).status is TicketStatus.VALID
    assert runtime.tickets.show(clara, by_holder["Ann Müller"].id).status is TicketStatus.USED


def test_another_doors_scans_show_up_in_the_count(sqlite_runtime):
    runtime = sqlite_runtime
    event_id = an_event(runtime, organizer(runtime))
    standing = runtime.catalog.show(event_id).ticket_types[0]
    clara = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(runtime, event_id, "clara@example.com")
    runtime.orders.buy(clara, standing.id, 1, tender=Tender.CASH, tendered=9000,
                       holders=["Ann Müller"])
    deliver(runtime)
    [ticket] = runtime.tickets.mine(clara)
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("c")
            await until(pilot, lambda: "0 in of 120" in text_of(app, "#door-count"),
                        "the door's count")
            runtime.tickets.check_in(clara, ticket.qr_payload, device="gate-b")  # elsewhere
            await until(pilot, lambda: "1 in of 120, 1 inside" in text_of(
                app, "#door-count"), "counted again", tries=120)
    run(scenario)
