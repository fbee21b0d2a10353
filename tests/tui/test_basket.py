"""The box office's basket: several ticket types of one event, one hold, one sale."""

from __future__ import annotations

from tests.catalog_support import an_event, organizer
from tests.tui.pilot import hold_and_check_out, open_first_event, run, signed_in_app, text_of, until
from tix.tui.screens.confirmation import ConfirmationScreen


def test_a_basket_of_two_types_is_held_and_sold_as_one_order(sqlite_runtime):
    runtime = sqlite_runtime
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, name="Nils Frahm live")
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_first_event(pilot, app)
            await pilot.press("+", "a")  # 2 x Standing into the basket
            await pilot.press("down")  # and 1 x Seated, highlighted
            assert "2 x Standing + 1 x Seated = 155.50 EUR" in text_of(app, "#total")
            await hold_and_check_out(pilot, app)
            assert "2 x Standing + 1 x Seated" in text_of(app, "#hold")
            assert "2 x Standing + 1 x Seated = 155.50 EUR" in text_of(
                app, "#checkout-summary")
            assert len(app.screen.query(".holder")) == 3
            app.screen.query_one("#tendered").focus()
            await pilot.press(*"160", "enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen)
                        and app.screen.tickets, "the tickets", tries=200)
            assert len(app.screen.tickets) == 3

    run(scenario)
    [order] = runtime.orders.list(owner)
    types = {t.name: t.id for t in runtime.catalog.show(event_id).ticket_types}
    assert order.quantities == {types["Standing"]: 2, types["Seated"]: 1}
    assert order.amount == 15550
