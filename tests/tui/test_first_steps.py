"""What a new user of the box office trips over (issue 17): the quantity after a sale,
the door's event and the scanner's focus, where the PDF goes, long names, the palette."""

from __future__ import annotations

import json

from tests.catalog_support import an_event, organizer
from tests.tui.pilot import hold_and_check_out, open_event, run, signed_in_app, text_of, until
from tests.tui.test_box_office import a_ticket_sold
from tests.tui.test_ticket_codes import two_tickets_sold
from tix.core.principal import Role
from tix.tui.app import TixApp
from tix.tui.screens.checkin import CheckInScreen
from tix.tui.screens.checkout import CheckoutScreen
from tix.tui.screens.confirmation import ConfirmationScreen
from tix.tui.screens.dashboard import DashboardScreen
from tix.tui.screens.event import EventScreen
from tix.tui.screens.events import EventsScreen
from tix.tui.screens.home import HomeScreen


def test_the_quantity_starts_at_one_again_after_a_sale(sqlite_runtime):
    event_id = an_event(sqlite_runtime, organizer(sqlite_runtime))
    app = signed_in_app(sqlite_runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_event(pilot, app, event_id)
            await pilot.press("+", "+")
            assert "3 x Standing" in text_of(app, "#total")
            await hold_and_check_out(pilot, app)
            app.screen.query_one("#tendered").focus()
            await pilot.press(*"135", "enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen),
                        "sold", tries=200)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, EventScreen), "the next sale")
            assert "1 x Standing = 45.00 EUR" in text_of(app, "#total")
            assert app.screen.query_one("#types").get_cell(
                app.screen.details.ticket_types[0].id, "qty") == "1"

    run(scenario)


def test_a_hold_given_up_keeps_the_quantity_for_another_try(sqlite_runtime):
    event_id = an_event(sqlite_runtime, organizer(sqlite_runtime))
    app = signed_in_app(sqlite_runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_event(pilot, app, event_id)
            await pilot.press("+", "h")
            await until(pilot, lambda: isinstance(app.screen, CheckoutScreen), "checkout")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, EventScreen), "back")
            assert "2 x Standing" in text_of(app, "#total")

    run(scenario)


def door_with_two_events(runtime):
    """(the app of a clerk, the soonest event, the later one, a ticket to the soonest)."""
    olga = organizer(runtime)
    first, _, ticket = a_ticket_sold(runtime, an_event(runtime, olga), "Ann A")
    later = an_event(runtime, olga, days=45, name="Jazz brunch")
    return signed_in_app(runtime), first, later, ticket


async def choose_event(pilot, app: TixApp, steps: str) -> None:
    """Through the chooser as a clerk would: ctrl+e, enter opens it, arrows, enter."""
    await pilot.press("ctrl+e", "enter", *[steps] if steps else [], "enter")


def test_choosing_the_door_event_gives_the_scan_field_the_focus(sqlite_runtime):
    app, first, later, _ = door_with_two_events(sqlite_runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen)
                        and app.screen.event_id == first, "the door")
            await choose_event(pilot, app, "down")
            await until(pilot, lambda: app.screen.event_id == later, "the other event")
            await until(pilot, lambda: app.focused is app.screen.query_one("#scan"),
                        "the scan field focused")
            await choose_event(pilot, app, "")  # the same one again: no change, same focus
            await until(pilot, lambda: app.focused is app.screen.query_one("#scan"),
                        "the scan field focused again")
            await pilot.press("ctrl+e", "enter", "escape")  # opened, then closed unchosen
            await until(pilot, lambda: app.focused is app.screen.query_one("#scan"),
                        "the scan field focused after escape")
            await pilot.press(*"TIX1.forged.1.x", "enter")  # what a scanner types
            await until(pilot, lambda: app.screen.scans == 1, "the verdict")
            assert "forged" in text_of(app, "#verdict")

    run(scenario)


def test_the_last_verdict_goes_when_the_event_changes(sqlite_runtime):
    app, first, later, ticket = door_with_two_events(sqlite_runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen)
                        and app.screen.event_id == first, "the door")
            app.screen.query_one("#scan").value = ticket.qr_payload
            await pilot.press("enter")
            await until(pilot, lambda: app.screen.scans == 1 and "1 in of" in text_of(
                app, "#door-count"), "admitted and counted")
            assert "ADMITTED" in text_of(app, "#verdict")
            await choose_event(pilot, app, "down")
            await until(pilot, lambda: app.screen.event_id == later, "the other event")
            verdict = app.screen.query_one("#verdict")
            assert text_of(app, "#verdict") == "Ready"
            assert not verdict.has_class("admitted") and not verdict.has_class("refused")
            await until(pilot, lambda: "Jazz brunch: 0 in" in text_of(app, "#door-count"),
                        "the other door's count")

    run(scenario)


def test_the_door_event_is_remembered_in_this_run_and_the_next(sqlite_runtime):
    runtime = sqlite_runtime
    app, first, later, _ = door_with_two_events(runtime)

    async def choose_the_later_one() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen)
                        and app.screen.event_id == first, "the door")
            await choose_event(pilot, app, "down")
            await until(pilot, lambda: app.screen.event_id == later, "the other event")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen)
                        and app.screen.event_id is not None, "the door again")
            assert app.screen.event_id == later  # this run
            await pilot.pause(0.2)

    run(choose_the_later_one)
    stored = json.loads((runtime.settings.config_dir / "box-office.json").read_text())
    assert stored == {"door_event": later}
    next_run = TixApp(runtime)

    async def open_the_door_again() -> None:
        async with next_run.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(next_run.screen, HomeScreen), "home")
            await pilot.press("c")
            await until(pilot, lambda: isinstance(next_run.screen, CheckInScreen)
                        and next_run.screen.event_id is not None, "the door")
            assert next_run.screen.event_id == later  # the next run

    run(open_the_door_again)


def test_a_remembered_event_no_longer_on_sale_falls_back_to_the_soonest(sqlite_runtime):
    runtime = sqlite_runtime
    app, first, _, _ = door_with_two_events(runtime)
    runtime.settings.config_dir.mkdir(parents=True, exist_ok=True)
    (runtime.settings.config_dir / "box-office.json").write_text(
        '{"door_event": "00000000-0000-4000-8000-000000000000"}')

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen)
                        and app.screen.event_id is not None, "the door")
            assert app.screen.event_id == first

    run(scenario)


def test_s_saves_the_pdf_in_the_data_dir_and_says_the_full_path(sqlite_runtime, tmp_path,
                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    app, order_number, _ = two_tickets_sold(sqlite_runtime)
    saved = sqlite_runtime.settings.data_dir / "tickets" / f"{order_number}.pdf"

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            app.push_screen(ConfirmationScreen(order_number))
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen)
                        and app.screen.tickets, "the tickets", tries=200)
            await pilot.press("s")
            await until(pilot, lambda: "Saved" in text_of(app, "#confirmation-message"),
                        "saved", tries=200)
            said = text_of(app, "#confirmation-message")
            assert said == f"Saved {saved.resolve()}"

    run(scenario)
    assert saved.read_bytes().startswith(b"%PDF")
    assert not (tmp_path / f"{order_number}.pdf").exists()  # not where the app was started


LONG_NAME = "The Complete Well-Tempered Clavier, Books One and Two"  # 53 characters
LONG_VENUE = "Konzerthaus Berlin"


def test_long_names_are_whole_at_120_columns_and_cut_at_80(sqlite_runtime):
    olga = organizer(sqlite_runtime)
    event_id = an_event(sqlite_runtime, olga, name=LONG_NAME, venue=LONG_VENUE,
                        ticket_types=[{"name": "Parterre, rows 1 to 12, seated",
                                       "price": "45.00", "quantity": 100}])
    app = signed_in_app(sqlite_runtime, "olga@example.com", Role.ORGANIZER)

    def first_row() -> str:
        return " ".join(str(cell) for cell in app.screen.query_one("#events").get_row_at(0))

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, EventsScreen)
                        and app.screen.searches_shown, "the events listed")
            assert LONG_NAME in first_row() and LONG_VENUE in first_row()
            await pilot.resize_terminal(80, 24)
            await until(pilot, lambda: "…" in first_row(), "cut to fit 80 columns")
            await pilot.resize_terminal(120, 40)
            await until(pilot, lambda: LONG_NAME in first_row(), "whole again")
            app.pop_screen()
            app.push_screen(DashboardScreen(event_id))
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen)
                        and app.screen.refreshes, "the sales")
            assert "Parterre, rows 1 to 12, seated" in text_of(app, "#sales-lines")

    run(scenario)


def test_the_command_palette_offers_the_screens_of_the_role(sqlite_runtime):
    app = signed_in_app(sqlite_runtime)  # a clerk: no live sales

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert {"Events: find, hold, sell", "Orders: history, cancel",
                    "Check-in at the door", "Sign out"} <= set(titles)
            assert "Live sales" not in titles
            await pilot.press("ctrl+p")
            await pilot.press(*"check-in")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen), "the door")
            await pilot.press("ctrl+p", *"sign out")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await until(pilot, lambda: app.principal is None, "signed out")

    run(scenario)
