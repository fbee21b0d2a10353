"""Test mode on SQLite and PostgreSQL: the orders placed while an event is in it are
marked test and left out of its sales report; once it is off, orders count again."""

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import logged_in
from tix.core.orders.model import Tender
from tix.core.principal import Role


def test_orders_placed_in_test_mode_are_marked_and_left_out_of_the_sales_report(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, test_mode=True)
    standing, seated = runtime.catalog.show(event_id).ticket_types
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)
    trial = runtime.orders.buy_basket(clerk, [(standing.id, 2), (seated.id, 1)],
                                      tender=Tender.CASH)
    assert trial.test and runtime.orders.show(clerk, trial.number).test
    report = runtime.orders.sales(owner, event_id)
    assert [(line.sold, line.revenue) for line in report.lines] == [(0, 0), (0, 0)]
    assert report.revenue == 0 and sum(report.per_minute) == 0
    assert [line.available for line in report.lines] == [98, 19]  # the stock is real

    runtime.catalog.update(owner, event_id, {"test_mode": False})
    real = runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH)
    assert not real.test
    report = runtime.orders.sales(owner, event_id)
    assert [(line.sold, line.revenue) for line in report.lines] == [(1, 4500), (0, 0)]
    assert sum(report.per_minute) == 1
