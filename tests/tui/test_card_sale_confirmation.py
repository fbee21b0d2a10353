"""A card sale at the box office shows its tickets without a daemon running: the Sold
screen issues them (the box office no longer delivers the daemon's messages itself), and
the daemon, when it comes, announces and mails them once."""

from __future__ import annotations

from tests.catalog_support import an_event, organizer
from tests.support import deliver
from tests.tui.pilot import hold_and_check_out, open_event, run, signed_in_app, until
from tix.core.principal import Role
from tix.tui.screens.confirmation import ConfirmationScreen


def test_a_card_sale_shows_its_tickets_and_the_daemon_mails_them_once(make_runtime, database,
                                                                      stripe_base):
    runtime = make_runtime(database, stripe_api_key="sk_test_tix", stripe_api_base=stripe_base)
    event_id = an_event(runtime, organizer(runtime))
    app = signed_in_app(runtime, "cleo@example.com", Role.CUSTOMER, "Cleo Customer")

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_event(pilot, app, event_id)
            await hold_and_check_out(pilot, app)
            app.screen.query_one("#payment-method").focus()
            await pilot.press(*"pm_card_visa", "enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen)
                        and app.screen.tickets, "the tickets", tries=200)
            assert [t.holder for t in app.screen.tickets] == ["Cleo Customer"]
            assert app.screen.tickets[0].number.startswith("E")

    run(scenario)
    deliver(runtime)
    deliver(runtime)  # a second pass finds nothing more to announce
    mailed = [n for n in runtime.notifications.list() if n.template == "tickets"]
    assert [n.recipient for n in mailed] == ["cleo@example.com"]
