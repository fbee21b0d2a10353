"""Tickets: generated once per seat, signed so a scanner can tell forgeries, admitted once."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import PASSWORD, deliver, logged_in
from tix.core.errors import NotAllowed, NotFound, RuleViolation
from tix.core.orders.model import Tender
from tix.core.principal import Role
from tix.core.tickets.model import read_payload


def sold(runtime, quantity=2):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    order = runtime.orders.buy(clerk, standing.id, quantity, tender=Tender.CASH,
                               holders=["Ann A", "Bob B"][:quantity], tendered=90_00)
    deliver(runtime)
    return owner, event_id, clerk, order


def test_a_payment_makes_one_ticket_per_seat_numbered_per_event(runtime):
    _, event_id, clerk, order = sold(runtime)
    tickets = runtime.tickets.mine(clerk)
    number = runtime.catalog.show(event_id).summary.number
    assert sorted(t.number for t in tickets) == [f"E{number}-000001", f"E{number}-000002"]
    assert sorted(t.holder for t in tickets) == ["Ann A", "Bob B"]
    assert {t.order_id for t in tickets} == {order.id}
    assert all(read_payload(t.qr_payload, runtime.ticket_signer) for t in tickets)


def test_a_payment_delivered_twice_makes_no_duplicates(runtime):
    _, _, clerk, order = sold(runtime)
    from tix.core.orders.events import PaymentCompleted

    with runtime.uow() as uow:  # the same payment, announced again
        uow.publish(PaymentCompleted(order_id=order.id, order_number=order.number,
                                     user_id=order.user_id,
                                     ticket_type_id=order.lines[0].ticket_type_id,
                                     quantity=order.quantity, holders=order.holders))
        uow.commit()
    deliver(runtime)
    assert len(runtime.tickets.mine(clerk)) == 2


def test_forged_or_altered_payloads_never_verify(runtime):
    _, _, clerk, _ = sold(runtime, 1)
    [ticket] = runtime.tickets.mine(clerk)
    body, signature = ticket.qr_payload.rsplit(".", 1)
    other_event = body.rsplit(".", 1)[0] + ".999"
    for forged in (f"{other_event}.{signature}", body + "." + signature[::-1], "TIX1.x.1.y",
                   "hello", ticket.qr_payload + "A"):
        with pytest.raises(RuleViolation, match="forged"):
            runtime.tickets.check_in(clerk, forged)


def test_a_ticket_is_admitted_once_and_the_second_scan_says_when_and_by_whom(runtime):
    _, event_id, clerk, _ = sold(runtime, 1)
    [ticket] = runtime.tickets.mine(clerk)
    admitted = runtime.tickets.check_in(clerk, ticket.qr_payload, event_id)
    assert admitted.ticket.holder == "Ann A" and admitted.ticket_type == "Standing"
    with pytest.raises(RuleViolation, match=r"already checked in at \d\d:\d\d UTC by Clara Clerk"):
        runtime.tickets.check_in(clerk, ticket.qr_payload)


def test_wrong_event_voided_and_unauthorised_scans_are_refused(runtime):
    owner, _, clerk, order = sold(runtime)
    tickets = runtime.tickets.mine(clerk)
    other_event = an_event(runtime, owner, name="Other night")
    with pytest.raises(RuleViolation, match="this ticket is for Nils Frahm live"):
        runtime.tickets.check_in(clerk, tickets[0].qr_payload, other_event)
    with pytest.raises(NotAllowed):
        runtime.tickets.check_in(logged_in(runtime), tickets[0].qr_payload)
    runtime.orders.cancel(clerk, order.number)
    deliver(runtime)
    with pytest.raises(RuleViolation, match="voided"):
        runtime.tickets.check_in(clerk, tickets[1].qr_payload)


def test_two_clerks_scanning_the_same_ticket_at_once_admit_it_once(runtime, make_runtime,
                                                                    database):
    _, _, clerk, _ = sold(runtime, 1)
    [ticket] = runtime.tickets.mine(clerk)
    second = logged_in(runtime, "carl@example.com", role=Role.CLERK)
    doors = [make_runtime(database) for _ in range(2)]

    on_every_team(runtime, second)
    def scan(n: int) -> str:
        try:
            doors[n % 2].tickets.check_in([clerk, second][n % 2], ticket.qr_payload)
            return "admitted"
        except RuleViolation:
            return "refused"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(scan, range(8)))
    assert outcomes.count("admitted") == 1 and outcomes.count("refused") == 7


def test_people_see_only_their_own_tickets(runtime):
    _, _, clerk, _ = sold(runtime, 1)
    [ticket] = runtime.tickets.mine(clerk)
    with pytest.raises(NotFound):
        runtime.tickets.show(logged_in(runtime), ticket.number)
    assert runtime.tickets.show(clerk, ticket.number).id == ticket.id


def test_the_door_from_the_command_line(runtime):
    from tests.cli.conftest import Tix

    tix = Tix(runtime)
    sold(runtime, 1)
    tix.login("clara@example.com", PASSWORD)
    [listed] = tix("ticket", "list", "--json").json()
    assert set(listed) >= {"id", "number", "status", "holder", "event_id", "qr_payload"}
    shown = tix("ticket", "show", listed["number"])
    assert shown.exit_code == 0 and listed["number"] in shown.stdout
    admitted = tix("checkin", listed["qr_payload"], "--json")
    assert admitted.exit_code == 0 and admitted.json()["admitted"] is True
    again = tix("checkin", listed["qr_payload"])
    assert again.exit_code == 5 and "already checked in" in again.stderr
    assert tix("checkin", "TIX1.nope").exit_code == 5
    key = tix("admin", "signing-key")
    assert key.stdout.startswith("-----BEGIN PUBLIC KEY-----")


def test_check_ins_are_limited_per_clerk_per_second_forgeries_included(runtime, clock):
    from datetime import timedelta

    _, _, clerk, _ = sold(runtime, 2)
    first, second = runtime.tickets.mine(clerk)
    door = logged_in(runtime, "dora@example.com", role=Role.CLERK)
    on_every_team(runtime, door)
    for _ in range(runtime.settings.checkins_per_second - 1):
        with pytest.raises(RuleViolation, match="forged"):
            runtime.tickets.check_in(door, "TIX1.guess.1.x")
    runtime.tickets.check_in(door, first.qr_payload)  # the last scan this second
    with pytest.raises(RuleViolation, match="too many scans; try again in 1 s") as refused:
        runtime.tickets.check_in(door, second.qr_payload)
    assert refused.value.code == "rate_limited"
    other = logged_in(runtime, "otto@example.com", role=Role.CLERK)
    on_every_team(runtime, other)
    runtime.tickets.check_in(other, second.qr_payload)  # per clerk
    clock.advance(timedelta(seconds=1))
    with pytest.raises(RuleViolation, match="already checked in"):
        runtime.tickets.check_in(door, second.qr_payload)


def test_counter_sales_at_once_number_their_tickets_in_one_series(runtime):
    """Clerks selling two types of one event at the same moment: every ticket exists when
    its sale returns, numbered 1..n without a gap or a repeat."""
    event_id = an_event(runtime)
    types = [t.id for t in runtime.catalog.show(event_id).ticket_types]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")

    on_every_team(runtime, clerk)
    def sell(n: int) -> str:
        order = runtime.orders.buy(clerk, types[n % 2], 2, tender=Tender.CASH,
                                   tendered=20_000)
        return order.id

    with ThreadPoolExecutor(8) as pool:
        order_ids = list(pool.map(sell, range(16)))
    issued = runtime.tickets.of_orders(order_ids)
    assert sorted(len(issued[o]) for o in order_ids) == [2] * 16
    numbers = sorted(int(t.number.rsplit("-", 1)[1]) for o in order_ids for t in issued[o])
    assert numbers == list(range(1, 33))
    deliver(runtime)  # the daemon's PaymentCompleted handler finds every seat issued
    assert sum(len(v) for v in runtime.tickets.of_orders(order_ids).values()) == 32
