"""The event's organizer refunds part of an order from the box office's orders screen: an
amount, then one ticket by its number; a refusal (more than is left) says what is left."""

from __future__ import annotations

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import logged_in
from tests.tui.pilot import run, signed_in_app, text_of, until
from tix.core.orders.model import Tender
from tix.core.principal import Role
from tix.core.tickets.model import TicketStatus
from tix.tui.screens.home import HomeScreen
from tix.tui.screens.orders import AskRefund, OrdersScreen


def test_the_organizer_refunds_an_amount_then_a_ticket(sqlite_runtime):
    runtime = sqlite_runtime
    olga = organizer(runtime)
    standing = runtime.catalog.show(an_event(runtime, olga)).ticket_types[0]
    clara = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clara)  # sells for the events there are
    order = runtime.orders.buy(clara, standing.id, 2, tender=Tender.CASH, tendered=9000)
    first = runtime.tickets.of_orders([order.id])[order.id][0]
    app = signed_in_app(runtime, "olga@example.com", Role.ORGANIZER, "Olga Organizer")

    async def refund(pilot, typed: str) -> None:
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, AskRefund), "the question")
        for key in typed:
            await pilot.press(key)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, OrdersScreen), "the orders")

    def refunded() -> int:
        return runtime.orders.show(olga, order.number).refunded_amount

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("o")
            await until(pilot, lambda: isinstance(app.screen, OrdersScreen)
                        and app.screen.orders, "the orders")
            await refund(pilot, "12.50")
            await until(pilot, lambda: refunded() == 1250, "the amount refunded")
            await until(pilot, lambda: "Refunded: 12.50 EUR" in text_of(app, "#order-details"),
                        "the refund shown")
            await refund(pilot, "80")
            await until(pilot, lambda: "more than is left to refund: 77.50 EUR"
                        in text_of(app, "#order-details"), "the refusal")
            await refund(pilot, first.number.lower())
            await until(pilot, lambda: refunded() == 1250 + 4500, "the ticket refunded")

    run(scenario)
    [voided, valid] = runtime.tickets.of_orders([order.id])[order.id]
    assert (voided.status, valid.status) == (TicketStatus.VOIDED, TicketStatus.VALID)
