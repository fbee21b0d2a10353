"""The online door on the in-memory unit of work: lists, exits and re-entry, undo, the
scan log (refusals too) and uploads from offline doors, merged in any order."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from tests.unit.memory_core import MemoryCore
from tix.core.errors import EntryRefused, Invalid, NotAllowed
from tix.core.ids import new_id
from tix.core.orders.model import Tender
from tix.core.principal import Role
from tix.core.tickets.door import Scan, ScanKind
from tix.core.tickets.model import TicketStatus


@pytest.fixture
def core() -> MemoryCore:
    return MemoryCore()


@pytest.fixture
def door(core):
    return a_night(core)


def a_night(core):
    """Olga's event with a VIP list for Seated (re-entry); Clara sold two Standing and one
    Seated ticket."""
    olga = core.person(Role.ORGANIZER, "Olga Organizer")
    event_id = core.event(olga)
    clerk = core.clerk(event_id)
    standing = core.orders.buy(clerk, core.ticket_type(event_id, "Standing"), 2,
                               tender=Tender.CASH, holders=["Ann Müller", "Bob Stone"])
    seated = core.orders.buy(clerk, core.ticket_type(event_id, "Seated"), 1,
                             tender=Tender.CASH, holders=["Zoë Ünal"])
    seated_id = core.ticket_type(event_id, "Seated")
    core.tickets.add_list(olga, event_id, "VIP", [seated_id], reentry=True)
    return olga, clerk, event_id, [*core.tickets_of(standing.id), *core.tickets_of(seated.id)]


def test_every_scan_is_logged_refusals_too_and_the_status_follows(core, door):
    _, clerk, event_id, (ann, _, zoe) = door
    core.tickets.check_in(clerk, ann.qr_payload)
    with pytest.raises(EntryRefused, match="already checked in at 12:00 UTC by Clara Clerk"):
        core.tickets.check_in(clerk, ann.qr_payload)
    with pytest.raises(EntryRefused, match="VIP door admits Seated only") as wrong:
        core.tickets.check_in(clerk, ann.qr_payload, list_name="VIP")
    assert wrong.value.code == "wrong_list"
    core.tickets.check_in(clerk, zoe.qr_payload, list_name="vip")  # any case
    core.tickets.check_in(clerk, zoe.qr_payload, list_name="VIP", kind=ScanKind.EXIT)
    assert core.tickets_of(zoe.order_id)[0].status is TicketStatus.USED
    core.tickets.check_in(clerk, zoe.qr_payload, list_name="VIP")
    log = core.tickets.scans_since(clerk, event_id).scans
    assert [(s.kind, s.code, s.device) for s in log] == [
        (ScanKind.ADMIT, "", "server"), (ScanKind.REFUSE, "already_in", "server"),
        (ScanKind.REFUSE, "wrong_list", "server"), (ScanKind.ADMIT, "", "server"),
        (ScanKind.EXIT, "", "server"), (ScanKind.ADMIT, "", "server")]
    zoes = [s.at for s in log if s.ticket_id == zoe.id]
    assert zoes == sorted(set(zoes))  # a clock standing still: a ticket's scans in order
    counts = {c.name: (c.admitted, c.inside, c.of) for c in core.tickets.door(
        clerk, event_id).lists}
    assert counts == {"main": (1, 1, 3), "VIP": (1, 1, 1)}


def test_an_undo_needs_a_reason_and_makes_the_ticket_valid_again(core, door):
    _, clerk, _, (ann, _, _) = door
    core.tickets.check_in(clerk, ann.qr_payload)
    with pytest.raises(Invalid, match="reason"):
        core.tickets.undo(clerk, ann.number, "  ")
    undone = core.tickets.undo(clerk, ann.qr_payload, "scanned the wrong phone")
    assert (undone.kind, undone.ticket.status, undone.ticket.checked_in_at) \
        == (ScanKind.UNDO, TicketStatus.VALID, None)
    with pytest.raises(EntryRefused) as nothing:
        core.tickets.undo(clerk, ann.number, "again")
    assert nothing.value.code == "nothing_to_undo"
    [entry] = core.store.audit("ticket.checkin_undone")
    assert entry.details["reason"] == "scanned the wrong phone"
    core.tickets.check_in(clerk, ann.qr_payload)  # in again, once


def test_lists_are_the_organizers_and_main_always_stays(core, door):
    olga, clerk, event_id, _ = door
    with pytest.raises(NotAllowed):
        core.tickets.add_list(clerk, event_id, "Side", [])
    assert [x.name for x in core.tickets.lists(clerk, event_id)] == ["main", "VIP"]
    core.tickets.remove_list(olga, event_id, "vip")
    assert [x.name for x in core.tickets.lists(clerk, event_id)] == ["main"]


def test_five_doors_uploading_in_any_order_give_one_state():
    outcomes = set()
    for seed in range(5):
        core = MemoryCore()
        _, clerk, event_id, (ann, bob, zoe) = a_night(core)
        start = core.clock.now()
        scans = [Scan(id=f"{device}-{ticket.seat}-{ticket.ticket_type_id[:4]}",
                      event_id=event_id, ticket_id=ticket.id, kind=ScanKind.ADMIT,
                      at=start + timedelta(minutes=n), device=device, by=device)
                 for n, device in enumerate(["gate-a", "gate-b", "gate-c", "gate-d", "gate-e"])
                 for ticket in (ann, bob, zoe)]  # every door lets every ticket in
        scans.append(Scan(id="bob-out", event_id=event_id, ticket_id=bob.id,
                          kind=ScanKind.EXIT, at=start + timedelta(minutes=4, seconds=30),
                          device="gate-c"))
        random.Random(seed).shuffle(scans)
        batches = [scans[i::3] for i in range(3)]
        for batch in batches + batches[:1]:  # one batch sent twice
            core.tickets.record_scans(clerk, batch)
        states = tuple((t.number, t.status, t.checked_in_at, t.checked_in_by)
                       for t in core.tickets_of(ann.order_id) + core.tickets_of(zoe.order_id))
        counts = tuple((c.name, c.admitted, c.inside)
                       for c in core.tickets.door(clerk, event_id).lists)
        outcomes.add((states, counts))
    [(states, counts)] = outcomes
    assert [by for *_, by in states] == ["gate-a"] * 3  # the first admission stands
    assert counts == (("main", 3, 2), ("VIP", 0, 0))  # bob went out at gate-c, last


def test_an_upload_of_a_ticket_of_another_event_is_refused_whole(core, door):
    _, clerk, event_id, (ann, _, _) = door
    wrong = Scan(id=new_id(), event_id=event_id, ticket_id=new_id(), kind=ScanKind.ADMIT,
                 at=core.clock.now(), device="gate-a")
    right = Scan(id=new_id(), event_id=event_id, ticket_id=ann.id, kind=ScanKind.ADMIT,
                 at=core.clock.now(), device="gate-a")
    with pytest.raises(Invalid, match="no ticket"):
        core.tickets.record_scans(clerk, [right, wrong])
    assert core.tickets.scans_since(clerk, event_id).scans == []
