"""A message to every holder, on SQLite and PostgreSQL: cut short by a failure it is run
again and reaches each person once in all; two runs at once reach each person once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import logged_in
from tix.core.orders.model import Tender
from tix.core.principal import Role


@pytest.fixture
def five_holders(runtime):
    """Olga's event; five clerks each sold themselves a ticket. Returns Olga."""
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    standing = runtime.catalog.show(event_id).ticket_types[0].id
    for n in range(5):
        seller = logged_in(runtime, f"clerk{n}@example.com", role=Role.CLERK)
        on_every_team(runtime, seller)  # sells for the events there are
        runtime.orders.buy(seller, standing, 1 + n % 2, tender=Tender.CASH)
    return owner


def queued(runtime) -> list[str]:
    return sorted(n.recipient for n in runtime.notifications.list(limit=100)
                  if n.template == "holder_message")


def test_a_run_cut_short_is_finished_by_running_it_again(runtime, five_holders,
                                                         monkeypatch):
    import tix.core.notifications.holder_message as holder_message

    monkeypatch.setattr(holder_message, "BATCH", 2)  # a transaction per two people
    service = runtime.holder_messages
    real_queue, calls = runtime.notifications.queue, []

    def failing_on_the_fourth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("the machine went down")
        return real_queue(*args, **kwargs)

    monkeypatch.setattr(runtime.notifications, "queue", failing_on_the_fourth)
    with pytest.raises(RuntimeError):
        service.send(five_holders, "E1", subject="Doors", body="At seven.")
    assert len(queued(runtime)) == 2  # the first transaction's, the second's undone
    again = service.send(five_holders, "E1", subject="Doors", body="At seven.")
    assert (again.recipients, again.already, again.queued) == (5, 2, 3)
    assert queued(runtime) == [f"clerk{n}@example.com" for n in range(5)]


def test_two_runs_at_once_reach_each_person_once(runtime, five_holders):
    def run(_: int) -> int:
        return runtime.holder_messages.send(five_holders, "E1", subject="Doors",
                                            body="At seven.").queued

    with ThreadPoolExecutor(2) as pool:
        counts = list(pool.map(run, range(2)))
    assert sum(counts) == 5
    assert queued(runtime) == [f"clerk{n}@example.com" for n in range(5)]
