"""The box office's flows, driven with the keyboard through Textual's pilot."""

from __future__ import annotations

from datetime import timedelta

from tests.catalog_support import an_event, on_team, organizer
from tests.support import deliver, logged_in
from tests.tui.pilot import hold_and_check_out, open_event, run, signed_in_app, text_of, until
from tix.core.orders.model import OrderStatus, Tender
from tix.core.principal import Role
from tix.core.tickets.model import TicketStatus
from tix.tui.screens.checkin import CheckInScreen
from tix.tui.screens.checkout import CheckoutScreen
from tix.tui.screens.confirmation import ConfirmationScreen
from tix.tui.screens.dashboard import DashboardScreen
from tix.tui.screens.event import EventScreen
from tix.tui.screens.events import EventsScreen
from tix.tui.screens.home import HomeScreen
from tix.tui.screens.orders import ConfirmCancel, OrdersScreen


def test_search_hold_cash_checkout_and_the_tickets_shown(sqlite_runtime):
    runtime = sqlite_runtime
    an_event(runtime, organizer(runtime), name="Nils Frahm live")
    an_event(runtime, organizer(runtime, "oscar@example.com"), name="Other night")
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, EventsScreen)
                        and app.screen.searches_shown, "the events listed")
            await pilot.press(*"Frahm")
            await until(pilot, lambda: [e.name for e in app.screen.results]
                        == ["Nils Frahm live"], "the search narrowed")
            await pilot.press("ctrl+t", "enter")  # to the results, open the first
            await until(pilot, lambda: isinstance(app.screen, EventScreen)
                        and app.screen.details is not None, "the event")
            await pilot.press("+")  # 2 x Standing (the first type, 45.00 EUR)
            assert "2 x Standing = 90.00 EUR" in text_of(app, "#total")
            await hold_and_check_out(pilot, app)
            assert "Hold: 10:00 left · 2 x Standing" in text_of(app, "#hold")
            await pilot.press(*"Ann A", "enter", *"Bob B", "enter")
            app.screen.query_one("#tendered").focus()
            await pilot.press(*"100")
            await until(pilot, lambda: "10.00 EUR change due" in text_of(app, "#change"),
                        "the change due")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen)
                        and app.screen.tickets, "the tickets", tries=200)
            assert [t.holder for t in app.screen.tickets] == ["Ann A", "Bob B"]
            assert len(app.screen.query(".qr")) == 2
            assert "change 10.00 EUR" in text_of(app, "#confirmation-title")
            assert app.hold is None

    run(scenario)


def test_a_hold_that_runs_out_says_so_and_gives_the_tickets_back(sqlite_runtime, clock):
    runtime = sqlite_runtime
    event_id = an_event(runtime, organizer(runtime))
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_event(pilot, app, event_id)
            await pilot.press("h")
            await until(pilot, lambda: isinstance(app.screen, CheckoutScreen), "the checkout")
            clock.advance(timedelta(minutes=9, seconds=30))
            await until(pilot, lambda: app.screen.query_one("#hold").has_class("warning"),
                        "the last-minute warning", tries=60)
            assert "0:30 left" in text_of(app, "#hold")
            clock.advance(timedelta(seconds=31))
            await until(pilot, lambda: isinstance(app.screen, EventScreen), "back to the event",
                        tries=60)
            assert app.hold is None
            await until(pilot, lambda: any(n.title == "Hold expired"
                                           for n in app._notifications), "the notice")
            await until(pilot, lambda: runtime.catalog.show(event_id).ticket_types[0]
                        .available == 100, "the tickets back on sale")

    run(scenario)


def test_a_declined_card_is_explained_and_the_tickets_go_back(make_runtime, database,
                                                              stripe_base):
    runtime = make_runtime(database, stripe_api_key="sk_test_tix", stripe_api_base=stripe_base)
    event_id = an_event(runtime, organizer(runtime))
    app = signed_in_app(runtime, "cleo@example.com", Role.CUSTOMER, "Cleo Customer")

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_event(pilot, app, event_id)
            await hold_and_check_out(pilot, app)
            assert [t.value for t in app.screen.tenders] == ["card"]  # a customer pays by card
            app.screen.query_one("#payment-method").focus()
            await pilot.press(*"pm_card_chargeCustomerFail", "enter")
            await until(pilot, lambda: isinstance(app.screen, EventScreen), "back to the event",
                        tries=200)
            await until(pilot, lambda: any(n.title == "Not sold" and "Card declined" in n.message
                                           for n in app._notifications), "the reason")
            assert app.hold is None
            await until(pilot, lambda: runtime.catalog.show(event_id).ticket_types[0]
                        .available == 100, "the tickets back on sale")

    run(scenario)


def a_ticket_sold(runtime, event_id, holder):
    """(the event, the clerk who sold it, its one ticket): sold at the counter to `holder`,
    generated by the daemon."""
    seller = logged_in(runtime, "sam@example.com", role=Role.CLERK, name="Sam Seller")
    on_team(runtime, event_id, "sam@example.com")
    standing = runtime.catalog.show(event_id).ticket_types[0]
    runtime.orders.buy(seller, standing.id, 1, tender=Tender.CASH, tendered=4500,
                       holders=[holder])
    deliver(runtime)
    [ticket] = runtime.tickets.mine(seller)
    return event_id, seller, ticket


def test_check_in_admits_then_refuses_and_keeps_the_field_focused(sqlite_runtime):
    runtime = sqlite_runtime
    event_id, seller, ticket = a_ticket_sold(runtime, an_event(runtime, organizer(runtime)),
                                             "Ann A")
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen)
                        and app.screen.event_id == event_id, "the door of the event")
            scan = app.screen.query_one("#scan")
            scan.value = ticket.qr_payload  # what a keyboard-wedge scanner types, then Enter
            await pilot.press("enter")
            await until(pilot, lambda: app.screen.scans == 1, "the first verdict")
            verdict = app.screen.query_one("#verdict")
            assert verdict.has_class("admitted") and "ADMITTED" in text_of(app, "#verdict")
            assert "Ann A · Standing" in text_of(app, "#verdict")
            await until(pilot, lambda: "1 in of 120" in text_of(app, "#door-count"),
                        "the count")
            assert app.focused is app.screen.query_one("#scan")
            assert app.screen.query_one("#scan").value == ""
            scan.value = ticket.qr_payload
            await pilot.press("enter")
            await until(pilot, lambda: app.screen.scans == 2, "the second verdict")
            assert verdict.has_class("refused") and "REFUSED" in text_of(app, "#verdict")
            assert "already checked in at" in text_of(app, "#verdict")
            await pilot.press(*"TIX1.forged.1.x", "enter")  # typed key by key this time
            await until(pilot, lambda: app.screen.scans == 3, "the third verdict")
            assert "forged" in text_of(app, "#verdict")
    run(scenario)
    assert runtime.tickets.show(seller, ticket.id).status is TicketStatus.USED


def test_the_dashboard_follows_a_sale_made_from_the_command_line(sqlite_runtime):
    from tests.cli.conftest import Tix
    from tests.support import PASSWORD

    runtime = sqlite_runtime
    olga = organizer(runtime)
    event_id = an_event(runtime, olga)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    app = signed_in_app(runtime, "olga@example.com", Role.ORGANIZER)
    logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(runtime, event_id, "clara@example.com")

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen)
                        and app.screen.refreshes, "the sales")
            assert "Revenue: 0.00 EUR" in text_of(app, "#revenue")
            tix = Tix(runtime)  # another terminal: a clerk sells 3 Standing for cash
            tix.login("clara@example.com", PASSWORD)
            sold = tix("buy", standing.id, "--quantity", "3", "--pay", "cash",
                       "--tendered", "135")
            assert sold.exit_code == 0, sold.stderr
            seen = app.screen.refreshes
            await until(pilot, lambda: app.screen.refreshes > seen
                        and "135.00 EUR" in text_of(app, "#revenue"), "the sale", tries=100)
            lines = text_of(app, "#sales-lines")
            assert "Standing" in lines and "   3     0    97" in lines
            assert app.screen.query_one("#per-minute").data[-1] == 3

    run(scenario)


def clerk_on(runtime, event_id: str):
    """Clara, a clerk on the event's team."""
    clara = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(runtime, event_id, "clara@example.com")
    return clara


async def asked_to_cancel(pilot, app) -> None:
    """From the home screen to the cancel question of the first order."""
    await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
    await pilot.press("o")
    await until(pilot, lambda: isinstance(app.screen, OrdersScreen)
                and app.screen.orders, "the orders")
    await pilot.press("x")
    await until(pilot, lambda: isinstance(app.screen, ConfirmCancel), "the question")


def test_an_order_is_cancelled_after_seeing_the_refund(sqlite_runtime):
    runtime = sqlite_runtime
    event_id = an_event(runtime, organizer(runtime), days=10, cancellation_policy=[
        {"before_hours": 720, "percent": 100}, {"before_hours": 24, "percent": 50}])
    clara = clerk_on(runtime, event_id)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    order = runtime.orders.buy(clara, standing.id, 2, tender=Tender.CASH, tendered=9000)
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await asked_to_cancel(pilot, app)
            assert "Refund: 45.00 EUR of 90.00 EUR" in text_of(app, "#refund")  # 10 days: 50%
            assert "(50 %: less than 30 days before the start)" in text_of(app, "#refund")
            await pilot.press("y")
            await until(pilot, lambda: isinstance(app.screen, OrdersScreen)
                        and app.screen.orders[order.number].status
                        is OrderStatus.CANCELLED, "the cancellation")

    run(scenario)
    assert runtime.orders.show(clara, order.number).refunded_amount == 4500


def test_cancelling_a_free_order_says_there_is_nothing_to_refund(sqlite_runtime):
    runtime = sqlite_runtime
    event_id = an_event(runtime, organizer(runtime), days=10, ticket_types=[
        {"name": "Open day", "price": "0.00", "quantity": 10}])
    free = runtime.catalog.show(event_id).ticket_types[0]
    runtime.orders.buy(clerk_on(runtime, event_id), free.id, 1, tender=Tender.FREE)
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await asked_to_cancel(pilot, app)
            said = text_of(app, "#refund")
            assert "It was free: there is nothing to refund." in said and "0.00" not in said
            await pilot.press("y")
            await until(pilot, lambda: any("it was free, nothing to refund" in str(n.message)
                                           for n in app._notifications), "the notice")

    run(scenario)


def test_names_with_brackets_are_shown_as_typed_never_as_styles(sqlite_runtime):
    """Event names and holders are user text: "[b]" and a stray "[/" must show literally."""
    runtime = sqlite_runtime
    event_id, _, ticket = a_ticket_sold(
        runtime, an_event(runtime, organizer(runtime), name="Jazz [live] [/b]"), "[red]Zed[/")
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, EventsScreen)
                        and app.screen.searches_shown, "the events listed")
            assert "Jazz [live] [/b]" in str(app.screen.query_one("#events")
                                             .get_row_at(0)[0])
            app.push_screen(EventScreen(event_id))
            await until(pilot, lambda: isinstance(app.screen, EventScreen)
                        and app.screen.details is not None, "the event")
            assert "Jazz [live] [/b]" in text_of(app, "#event-title")
            app.pop_screen()
            app.pop_screen()
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen)
                        and app.screen.event_id == event_id, "the door")
            app.screen.query_one("#scan").value = ticket.qr_payload
            await pilot.press("enter")
            await until(pilot, lambda: app.screen.scans == 1, "the verdict")
            assert "[red]Zed[/ · Standing" in text_of(app, "#verdict")

    run(scenario)


def test_a_free_ticket_is_sold_at_the_counter_as_free(sqlite_runtime):
    """A free type's checkout offers "Free" first (chosen): no cash sale of nothing."""
    runtime = sqlite_runtime
    event_id = an_event(runtime, organizer(runtime), ticket_types=[
        {"name": "Open day", "price": "0.00", "quantity": 10}])
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_event(pilot, app, event_id)
            await hold_and_check_out(pilot, app)
            assert app.screen.tenders[0] is Tender.FREE and app.screen.tender() is Tender.FREE
            assert "Free (nothing to pay)" in str(
                app.screen.query_one("#tender-free").label)
            assert not app.screen.query_one("#cash-row").display  # nothing tendered
            await pilot.press("ctrl+g")
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen)
                        and app.screen.tickets, "the ticket", tries=200)
            assert "(free)" in text_of(app, "#confirmation-title")

    run(scenario)
