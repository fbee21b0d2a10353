"""The box office's checkout takes a voucher code: a wrong one is explained and the hold
stands; a good one discounts the sale."""

from __future__ import annotations

from tests.catalog_support import an_event, organizer
from tests.tui.pilot import run, signed_in_app, text_of, until
from tix.core.vouchers.service import VoucherTerms
from tix.tui.screens.checkout import CheckoutScreen
from tix.tui.screens.confirmation import ConfirmationScreen
from tix.tui.screens.event import EventScreen
from tix.tui.screens.home import HomeScreen


def test_a_code_typed_at_checkout_discounts_the_sale(sqlite_runtime):
    runtime = sqlite_runtime
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    runtime.vouchers.create(owner, event_id, "EARLY", VoucherTerms(percent=20, max_uses=5))
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            app.push_screen(EventScreen(event_id))
            await until(pilot, lambda: isinstance(app.screen, EventScreen)
                        and app.screen.details is not None, "the event")
            await pilot.press("+", "h")  # 2 x Standing, 90.00 EUR
            await until(pilot, lambda: isinstance(app.screen, CheckoutScreen)
                        and app.screen.tenders, "the checkout")
            app.screen.query_one("#voucher").focus()
            await pilot.press(*"nope")
            app.screen.query_one("#tendered").focus()
            await pilot.press(*"100", "enter")
            await until(pilot, lambda: "code NOPE for E1 not found"
                        in text_of(app, "#checkout-message"), "the refusal")
            assert "code NOPE for E1 not found" in text_of(app, "#voucher-note")
            assert isinstance(app.screen, CheckoutScreen) and app.hold is not None
            app.screen.query_one("#voucher").value = "early"
            await until(pilot, lambda: "code EARLY: 18.00 EUR off"
                        in text_of(app, "#voucher-note"), "the discount shown")
            assert "2 x Standing = 72.00 EUR" in text_of(app, "#checkout-summary")
            assert "28.00 EUR change due" in text_of(app, "#change")
            app.screen.query_one("#tendered").focus()
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen)
                        and app.screen.tickets, "the tickets", tries=200)
            assert "72.00 EUR (cash)" in text_of(app, "#confirmation-title")
            assert "change 28.00 EUR" in text_of(app, "#confirmation-title")

    run(scenario)
