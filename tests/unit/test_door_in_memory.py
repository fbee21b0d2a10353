"""Checking tickets in on the in-memory unit of work: once each, and every refusal why."""

from __future__ import annotations

import pytest

from tests.unit.memory_core import MemoryCore
from tix.core.catalog.model import TeamRole
from tix.core.errors import EntryRefused, NotAllowed
from tix.core.orders.model import Tender
from tix.core.principal import Role
from tix.core.tickets.model import TicketStatus


@pytest.fixture
def core() -> MemoryCore:
    return MemoryCore()


@pytest.fixture
def sale(core):
    """Two tickets sold at the counter, and the clerk who sold them (who scans too)."""
    seated = core.ticket_type(core.event(), "Seated")
    clerk = core.clerk(seated)
    order = core.orders.buy(clerk, seated, 2,
                            tender=Tender.CASH, holders=["Ada Lovelace", "Alan Turing"])
    return clerk, order, core.tickets_of(order.id)


def test_a_ticket_admits_once_and_then_says_when_and_by_whom(core, sale):
    clerk, _, (first, second) = sale
    admitted = core.tickets.check_in(clerk, first.qr_payload)
    assert (admitted.ticket.number, admitted.event_name, admitted.ticket_type) \
        == ("E1-000001", "Nils Frahm live", "Seated")
    assert [t.status for t in core.tickets_of(first.order_id)] \
        == [TicketStatus.USED, TicketStatus.VALID]

    with pytest.raises(EntryRefused, match="already checked in at 12:00 UTC by Clara Clerk") \
            as refused:
        core.tickets.check_in(clerk, first.qr_payload)
    assert refused.value.code == "already_in"
    core.tickets.check_in(clerk, second.qr_payload)
    assert len(core.store.audit("ticket.checked_in")) == 2


def test_a_code_changed_after_signing_is_refused_as_forged(core, sale):
    clerk, _, (ticket, _) = sale
    version, ticket_hex, event_number, signature = ticket.qr_payload.split(".")
    forged = ".".join([version, ticket_hex, str(int(event_number) + 1), signature])
    with pytest.raises(EntryRefused, match="forged") as refused:
        core.tickets.check_in(clerk, forged)
    assert refused.value.code == "forged"
    assert core.tickets_of(ticket.order_id)[0].status is TicketStatus.VALID


def test_a_cancelled_orders_tickets_admit_nobody(core, sale):
    clerk, order, (ticket, _) = sale
    core.orders.cancel(clerk, order.number)
    with pytest.raises(EntryRefused, match="voided") as refused:
        core.tickets.check_in(clerk, ticket.qr_payload)
    assert refused.value.code == "voided"
    assert core.tickets_of(order.id)[0].status is TicketStatus.VOIDED


def test_a_customer_does_not_scan(core, sale):
    _, _, (ticket, _) = sale
    with pytest.raises(NotAllowed):
        core.tickets.check_in(core.person(), ticket.qr_payload)
    assert core.tickets_of(ticket.order_id)[0].status is TicketStatus.VALID


def test_the_door_of_an_event_is_its_teams_whatever_their_global_role(core, sale):
    """A customer on the event's door scans it; a clerk or door person of another event's
    team does not, and shown at their own door the ticket is the wrong event's."""
    _, _, (ticket, _) = sale
    event_id = ticket.event_id
    door = core.on_team(event_id, core.person(name="Dan Door"), TeamRole.DOOR)
    elsewhere = core.event(name="Another night")
    strangers = [core.clerk(elsewhere, "Carl Clerk"),
                 core.on_team(elsewhere, core.person(name="Dina Door"), TeamRole.DOOR),
                 core.person(Role.CLERK, "Nora Noteam")]
    for stranger in strangers:
        with pytest.raises(NotAllowed, match="the event's team"):
            core.tickets.check_in(stranger, ticket.qr_payload)
    with pytest.raises(EntryRefused, match="this ticket is for Nils Frahm live") as wrong:
        core.tickets.check_in(strangers[1], ticket.qr_payload, elsewhere)
    assert wrong.value.code == "wrong_event"
    assert core.tickets_of(ticket.order_id)[0].status is TicketStatus.VALID
    assert core.tickets.check_in(door, ticket.qr_payload).ticket.status is TicketStatus.USED
    assert core.tickets.door(door, event_id).admitted == 1
