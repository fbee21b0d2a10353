"""A ticket's QR code scans from the box office's screen at 80x24: the screen is rebuilt
as an image from the cells the app drew, and a QR reader (zbar) must read the payload."""

from __future__ import annotations

from tests.catalog_support import an_event, on_team, organizer
from tests.tui.pilot import run, signed_in_app, until
from tests.tui.screen_image import decoded_qr_codes
from tests.tui.test_box_office import a_ticket_sold
from tix.core.orders.model import Tender
from tix.tui.screens.confirmation import ConfirmationScreen
from tix.tui.screens.home import HomeScreen
from tix.tui.screens.ticket_code import TicketCodeScreen


def two_tickets_sold(runtime):
    """(the clerk's app, the order number, its two tickets) of a cash sale."""
    from tests.support import deliver, logged_in
    from tix.core.principal import Role

    event_id = an_event(runtime, organizer(runtime))
    clara = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(runtime, event_id, "clara@example.com")
    standing = runtime.catalog.show(event_id).ticket_types[0]
    order = runtime.orders.buy(clara, standing.id, 2, tender=Tender.CASH, tendered=9000,
                               holders=["Ann Archer", "Bob Baker"])
    deliver(runtime)
    tickets = sorted(runtime.tickets.mine(clara), key=lambda t: t.seat)
    return signed_in_app(runtime), order.number, tickets


def test_each_ticket_code_scans_from_the_screen_at_80x24(sqlite_runtime):
    app, order_number, tickets = two_tickets_sold(sqlite_runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            app.push_screen(ConfirmationScreen(order_number))
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen)
                        and app.screen.tickets, "the tickets", tries=200)
            await pilot.press("f")
            await until(pilot, lambda: isinstance(app.screen, TicketCodeScreen)
                        and app.screen.modules, "the first code full screen")
            await pilot.pause(0.1)
            assert decoded_qr_codes(app) == [tickets[0].qr_payload]
            await pilot.press("right")
            await pilot.pause(0.1)
            assert decoded_qr_codes(app) == [tickets[1].qr_payload]
            await pilot.press("right")  # round to the first again
            await pilot.pause(0.1)
            assert decoded_qr_codes(app) == [tickets[0].qr_payload]
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen), "back")

    run(scenario)


def test_a_larger_terminal_shows_the_code_with_more_error_correction(sqlite_runtime):
    _, _, ticket = a_ticket_sold(sqlite_runtime, an_event(
        sqlite_runtime, organizer(sqlite_runtime)), "Ann Archer")
    app = signed_in_app(sqlite_runtime, "sam@example.com")

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            app.push_screen(TicketCodeScreen("TIX-TEST", [ticket]))
            # the code is drawn again as the screen takes its full size: under load the
            # first drawing, for a smaller screen, can still be there a moment later
            await until(pilot, lambda: isinstance(app.screen, TicketCodeScreen)
                        and app.screen.modules == 49,  # error correction M, as on the PDF
                        "the code with error correction M")
            await pilot.pause(0.1)
            assert decoded_qr_codes(app) == [ticket.qr_payload]

    run(scenario)


def test_the_sold_screen_at_80x24_cannot_be_scanned_inline_so_says_f(sqlite_runtime):
    """The inline codes are taller than the screen: the hint to go full screen is shown."""
    app, order_number, _ = two_tickets_sold(sqlite_runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            app.push_screen(ConfirmationScreen(order_number))
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen)
                        and app.screen.tickets, "the tickets", tries=200)
            assert "f shows the codes full screen" in str(
                app.screen.query_one("#confirmation-message").render())

    run(scenario)

