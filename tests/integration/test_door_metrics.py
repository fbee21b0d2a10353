"""/metrics counts the door per event and check-in list: admitted, and inside now."""

from __future__ import annotations

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import logged_in
from tix.adapters.db.metrics import collect, render
from tix.core.orders.model import Tender
from tix.core.principal import Role
from tix.core.tickets.door import ScanKind


def test_the_door_counts_per_list_admitted_and_inside(runtime):
    olga = organizer(runtime)
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    details = runtime.catalog.show(an_event(runtime, olga))
    standing, seated = details.ticket_types
    runtime.tickets.add_list(olga, "E1", 'VIP "lounge"', [seated.ref], reentry=True)
    tickets = []
    on_every_team(runtime, clerk)
    for ticket_type, n in ((standing, 3), (seated, 1)):
        order = runtime.orders.buy(clerk, ticket_type.id, n, tender=Tender.CASH,
                                   tendered=50000)
        tickets += runtime.tickets.issue_now(clerk, order.number)
    *standing_tickets, vip = tickets
    for ticket in standing_tickets:
        runtime.tickets.check_in(clerk, ticket.qr_payload)
    runtime.tickets.check_in(clerk, standing_tickets[0].qr_payload, kind=ScanKind.EXIT)
    runtime.tickets.check_in(clerk, vip.qr_payload, list_name='VIP "lounge"')

    text = render(collect(runtime.engine, runtime.clock.now()))
    assert 'tix_door_admitted{event="E1",list="main"} 3\n' in text
    assert 'tix_door_inside{event="E1",list="main"} 2\n' in text
    assert 'tix_door_inside{event="E1",list="VIP \\"lounge\\""} 1\n' in text
    assert "# TYPE tix_door_inside gauge" in text
    door = runtime.tickets.door(clerk, "E1")
    assert (door.admitted, door.inside) == (4, 3)
    assert [(c.name, c.admitted, c.inside, c.of) for c in door.lists] == [
        ("main", 3, 2, 4), ('VIP "lounge"', 1, 1, 1)]
