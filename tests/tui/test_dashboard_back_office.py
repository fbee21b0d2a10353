"""From the live sales dashboard the organizer exports the event's attendee list or its
orders to a CSV file (the default path, another, one that cannot be written), and writes
to every holder: first how many it would reach, then one mail per person."""

from __future__ import annotations

import csv

from textual.widgets import Input, TextArea

from tests.catalog_support import an_event, on_team, organizer
from tests.support import deliver, logged_in, user
from tests.tui.pilot import open_dashboard, run, signed_in_app, text_of, until
from tix.core.orders.model import Tender
from tix.core.principal import Buyer, Role
from tix.tui.screens.dashboard import DashboardScreen
from tix.tui.screens.export_file import ExportFile
from tix.tui.screens.holder_message import HolderMessageForm


def sold(runtime) -> str:
    """E1 of Olga: Clara sold Ann 2 Standing then 1, Bob 1 (three orders, two holders)."""
    event = an_event(runtime, organizer(runtime))
    standing = runtime.catalog.show(event).ticket_types[0]
    clara = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(runtime, event, "clara@example.com")
    for email, name, quantity in (("ann@example.com", "Ann Example", 2),
                                  ("ann@example.com", "Ann Example", 1),
                                  ("bob@example.com", "Bob Example", 1)):
        with runtime.uow(readonly=True) as uow:
            known = uow.users.by_email(email)
        buyer_id = known.id if known else user(runtime, email, name=name)
        runtime.orders.buy_basket(clara, [(standing.id, quantity)], tender=Tender.CASH,
                                  tendered=4500 * quantity,
                                  buyer=Buyer(buyer_id, email, name))
    return event


def olgas_app(runtime):
    return signed_in_app(runtime, "olga@example.com", Role.ORGANIZER, "Olga Organizer")


async def export(pilot, app, key: str, path: str | None = None) -> ExportFile:
    """Press `key` on the dashboard, type `path` (or keep the default), write."""
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, ExportFile), "the export asked")
    modal = app.screen
    if path is not None:
        modal.query_one("#export-path", Input).value = path
    await pilot.press("enter")
    await until(pilot, lambda: not modal.writing, "the export ended")
    return modal


def test_the_attendee_list_goes_to_the_default_file_and_the_orders_elsewhere(
        sqlite_runtime, tmp_path, monkeypatch):
    runtime = sqlite_runtime
    sold(runtime)
    monkeypatch.chdir(tmp_path)  # the default path is beside the box office
    app = olgas_app(runtime)
    said: dict[str, str] = {}

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_dashboard(pilot, app)
            modal = await export(pilot, app, "a")
            said["attendees"] = text_of(app, "#export-status")
            assert modal.written == 4
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "back")
            modal = await export(pilot, app, "o", str(tmp_path / "orders.csv"))
            said["orders"] = text_of(app, "#export-status")

    run(scenario)
    with (tmp_path / "E1-attendees.csv").open(newline="") as handle:
        attendees = list(csv.DictReader(handle))
    assert [(row["ticket"], row["holder"], row["buyer_email"], row["status"],
             row["checked_in_at"]) for row in attendees] == [
        ("E1-000001", "Ann Example", "ann@example.com", "VALID", ""),
        ("E1-000002", "Ann Example", "ann@example.com", "VALID", ""),
        ("E1-000003", "Ann Example", "ann@example.com", "VALID", ""),
        ("E1-000004", "Bob Example", "bob@example.com", "VALID", "")]
    with (tmp_path / "orders.csv").open(newline="") as handle:
        orders = list(csv.DictReader(handle))
    assert sorted((row["buyer_email"], row["quantity"], row["total"]) for row in orders) == [
        ("ann@example.com", "1", "45.00"), ("ann@example.com", "2", "90.00"),
        ("bob@example.com", "1", "45.00")]
    assert said["attendees"] == (f"Wrote 4 attendee(s) to {tmp_path / 'E1-attendees.csv'}. "
                                 "Escape closes.")
    assert said["orders"].startswith(f"Wrote 3 order(s) to {tmp_path / 'orders.csv'}.")


def test_a_path_that_cannot_be_written_is_said_in_one_line_and_leaves_no_file(
        sqlite_runtime, tmp_path):
    runtime = sqlite_runtime
    sold(runtime)
    app = olgas_app(runtime)
    target = tmp_path / "no such folder" / "a.csv"
    said: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_dashboard(pilot, app)
            modal = await export(pilot, app, "a", str(target))
            said.append(text_of(app, "#export-status"))
            assert modal.written is None

    run(scenario)
    assert said == [f"cannot write {target}: No such file or directory"]
    assert not target.parent.exists()  # nothing made, not even the folder
    assert not [p for p in tmp_path.rglob("*.csv*")]  # nor a partial file anywhere


def test_a_message_counts_its_people_then_sends_one_mail_each(sqlite_runtime, mailer):
    runtime = sqlite_runtime
    sold(runtime)
    deliver(runtime)  # the receipts first: the message's mails are told apart by subject
    app = olgas_app(runtime)
    said: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_dashboard(pilot, app)
            await pilot.press("m")
            await until(pilot, lambda: isinstance(app.screen, HolderMessageForm), "the form")
            form = app.screen
            form.query_one("#message-subject", Input).value = "Doors at 19:00"
            form.query_one("#message-body", TextArea).text = "Doors open at 19:00."
            await pilot.press("ctrl+s")
            await until(pilot, lambda: form.counted is not None, "the count")
            said.append(text_of(app, "#message-status"))
            assert not [m for m in mailer.sent if m.subject == "Doors at 19:00"]
            await pilot.press("ctrl+s")
            await until(pilot, lambda: form.sent is not None, "the mails queued")
            said.append(text_of(app, "#message-status"))

    run(scenario)
    deliver(runtime)
    assert said == ["It would reach 2 of 2 holder(s). Ctrl+S sends it; escape does not.",
                    "Queued 2 mail(s) to 2 holder(s): the daemon sends them. Escape closes."]
    assert sorted(m.to for m in mailer.sent if m.subject == "Doors at 19:00") == [
        "ann@example.com", "bob@example.com"]


def test_an_export_not_allowed_says_so_and_writes_nothing(sqlite_runtime, tmp_path):
    runtime = sqlite_runtime
    event = sold(runtime)
    app = signed_in_app(runtime)  # Clara, the event's clerk: its orders are not hers
    target = tmp_path / "orders.csv"
    said: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.principal is not None, "signed in")
            modal = ExportFile(event, 1, "orders")
            app.push_screen(modal)
            await until(pilot, lambda: app.screen is modal, "the export asked")
            modal.query_one("#export-path", Input).value = str(target)
            await pilot.press("enter")
            await until(pilot, lambda: not modal.writing, "the export ended")
            said.append(text_of(app, "#export-status"))

    run(scenario)
    assert said == ["an event's orders are for its organizer (or an admin)"]
    assert not target.exists()
