"""The box office's checkout takes a voucher code: a wrong one is explained and the hold
stands; a good one discounts the sale."""

from __future__ import annotations

from tests.catalog_support import an_event, organizer
from tests.tui.pilot import open_event, run, signed_in_app, text_of, until
from tix.core.vouchers.service import VoucherTerms
from tix.tui.screens.checkout import CheckoutScreen
from tix.tui.screens.confirmation import ConfirmationScreen
from tix.tui.screens.event import EventScreen


def test_a_code_typed_at_checkout_discounts_the_sale(sqlite_runtime):
    runtime = sqlite_runtime
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    runtime.vouchers.create(owner, event_id, "EARLY", VoucherTerms(percent=20, max_uses=5))
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_event(pilot, app, event_id)
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


def test_a_code_given_on_the_event_screen_opens_a_hidden_type_for_the_sale(sqlite_runtime):
    runtime = sqlite_runtime
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, ticket_types=[
        {"name": "Standing", "price": "45.00", "quantity": 10},
        {"name": "Crew", "price": "10.00", "quantity": 4, "hidden": True}])
    shown = {t.id for t in runtime.catalog.show(event_id).ticket_types}
    crew = next(ref for type_id, ref in runtime.vouchers.type_refs(owner, event_id).items()
                if type_id not in shown)
    # half off the type it names, which it opens: one use
    runtime.vouchers.create(owner, event_id, "CREW", VoucherTerms(percent=50, types=(crew,)))
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_event(pilot, app, event_id)
            screen = app.screen
            assert [t.name for t in screen.details.ticket_types] == ["Standing"]
            await pilot.press("c", *"nope", "enter")
            await until(pilot, lambda: "code NOPE for E1 not found"
                        in text_of(app, "#event-message"), "the refusal")
            assert screen.query_one("#event-code").display  # open, the code kept to fix
            await pilot.press("ctrl+u", *"crew", "enter")
            await until(pilot, lambda: "code CREW opens Crew" in text_of(app, "#event-message"),
                        "the opened type")
            assert [t.name for t in screen.details.ticket_types] == ["Standing", "Crew"]
            assert not screen.query_one("#event-code").display  # closed once applied
            await pilot.press("down", "h")  # 1 x Crew, held with the code
            await until(pilot, lambda: isinstance(app.screen, CheckoutScreen)
                        and app.screen.tenders, "the checkout")
            await until(pilot, lambda: "code CREW, held with the tickets: 5.00 EUR off"
                        in text_of(app, "#voucher-note"), "the held code")
            assert "1 x Crew = 5.00 EUR" in text_of(app, "#checkout-summary")
            assert app.screen.query_one("#voucher").disabled
            app.screen.query_one("#tendered").focus()
            await pilot.press(*"5", "enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen)
                        and app.screen.tickets, "the tickets", tries=200)
            assert "5.00 EUR (cash)" in text_of(app, "#confirmation-title")
            await pilot.press("escape")  # back to the event for the next buyer
            await until(pilot, lambda: isinstance(app.screen, EventScreen), "the event again")
            await until(pilot, lambda: [t.name for t in app.screen.details.ticket_types]
                        == ["Standing"], "the code gone with the sale")

    run(scenario)

