"""Migration 0021: tickets checked in before the server kept a scan log get their
admission as a scan of the main list, and are inside; the door goes on from there."""

from __future__ import annotations

from tests.catalog_support import an_event, on_every_team
from tests.integration.old_databases import downgrade_to
from tests.support import logged_in
from tix.adapters.db.migrate import head_revision, upgrade
from tix.core.orders.model import Tender
from tix.core.principal import Role
from tix.core.tickets.door import ScanKind


def test_tickets_admitted_before_0021_are_inside_on_main_with_their_admission(runtime):
    standing = runtime.catalog.show(an_event(runtime)).ticket_types[0].id
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    order = runtime.orders.buy(clerk, standing, 3, tender=Tender.CASH, tendered=20_000)
    first, second, third = runtime.tickets.issue_now(clerk, order.number)
    for ticket in (first, second):
        runtime.tickets.check_in(clerk, ticket.qr_payload)
    downgrade_to(runtime.engine, "0020")  # back to before the scan log existed
    assert upgrade(runtime.engine) == head_revision()
    on_every_team(runtime, clerk)  # the teams came with 0028, after the downgrade

    scans = runtime.tickets.scans_since(clerk, "E1").scans
    assert sorted((s.id, s.kind, s.list_name, s.by) for s in scans) == sorted(
        (t.id, ScanKind.ADMIT, "main", clerk.user_id) for t in (first, second))
    door = runtime.tickets.door(clerk, "E1")
    assert [(c.name, c.admitted, c.inside, c.of) for c in door.lists] == [("main", 2, 2, 3)]
    refused = runtime.tickets.find(clerk, "E1", first.number)
    assert [f.state for f in refused] == ["inside (main)"]
    runtime.tickets.check_in(clerk, first.qr_payload, kind=ScanKind.EXIT)
    runtime.tickets.check_in(clerk, third.qr_payload)
    door = runtime.tickets.door(clerk, "E1")
    assert [(c.admitted, c.inside) for c in door.lists] == [(3, 2)]
