"""The box office's counter sale is the walk-in's (issue 20): the email typed gets the
receipt and the tickets, the clerk nothing; the checkout shows the running total of the
clerk's open till."""

from __future__ import annotations

from tests.catalog_support import an_event, organizer
from tests.support import deliver
from tests.tui.pilot import open_event, run, signed_in_app, text_of, until
from tix.core.orders.model import Tender
from tix.tui.screens.checkout import CheckoutScreen
from tix.tui.screens.confirmation import ConfirmationScreen


def test_a_counter_sale_goes_to_the_walk_in_and_into_the_till(sqlite_runtime, mailer):
    runtime = sqlite_runtime
    event_id = an_event(runtime, organizer(runtime))
    app = signed_in_app(runtime)
    clerk = runtime.accounts.login(email="clara@example.com",
                                   password="Correct-horse-9!").principal
    runtime.orders.tills.open(clerk, float_amount="100.00", box_office="North")
    standing = runtime.catalog.show(event_id).ticket_types[0].id
    runtime.orders.buy_basket(clerk, [(standing, 1)], tender=Tender.CASH,  # earlier on
                              buyer=runtime.accounts.guest_buyer(None, ""))

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_event(pilot, app, event_id)
            await pilot.press("h")  # 1 x Standing, 45.00 EUR
            await until(pilot, lambda: isinstance(app.screen, CheckoutScreen)
                        and app.screen.tenders, "the checkout")
            await until(pilot, lambda: "in the drawer" in text_of(app, "#till-line"),
                        "the till's running total")
            assert "Till at North: 1 cash sale(s), 45.00 EUR taken, 145.00 EUR in the " \
                   "drawer" in text_of(app, "#till-line")
            app.screen.query_one("#buyer-email").value = "wendy@example.com"
            app.screen.query_one("#buyer-name").value = "Wendy Walk-in"
            app.screen.query_one("#tendered").focus()
            await pilot.press(*"50", "enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen)
                        and app.screen.tickets, "the tickets", tries=200)
            assert [t.holder for t in app.screen.tickets] == ["Wendy Walk-in"]

    run(scenario)
    till = runtime.orders.tills.status(clerk)
    assert (till.sales, till.expected) == (2, 19000)
    deliver(runtime)
    assert any("Your tickets" in m.subject for m in mailer.to("wendy@example.com"))
    assert mailer.to("clara@example.com") == []


def test_a_clerk_without_a_till_is_told_so_at_checkout(sqlite_runtime):
    runtime = sqlite_runtime
    event_id = an_event(runtime, organizer(runtime))
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_event(pilot, app, event_id)
            await pilot.press("h")
            await until(pilot, lambda: isinstance(app.screen, CheckoutScreen)
                        and "No till open" in text_of(app, "#till-line"), "the till line")

    run(scenario)
