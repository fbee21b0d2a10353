"""The till in storage, on SQLite and PostgreSQL: one open per clerk even when two opens
race, a sale goes into the open till of its currency, a close waits for a sale under
way, an admin closes another clerk's till and an organizer cannot."""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import logged_in
from tix.core.errors import NotAllowed, RuleViolation
from tix.core.orders.model import Tender
from tix.core.orders.till import TillReport
from tix.core.principal import Role


def test_a_clerk_has_one_open_till_even_when_two_open_at_once(runtime):
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)

    def try_open(_: int) -> str:
        try:
            runtime.orders.tills.open(clerk, float_amount="10.00")
        except RuleViolation as refused:
            return refused.code
        return "ok"

    with ThreadPoolExecutor(4) as pool:
        outcomes = sorted(pool.map(try_open, range(4)))
    assert outcomes == ["ok"] + ["till_open"] * 3
    assert runtime.orders.tills.status(clerk).till.float_amount == 1000


def test_a_cash_sale_goes_into_the_open_till_of_its_currency(runtime):
    owner = organizer(runtime)
    euros = runtime.catalog.show(an_event(runtime, owner)).ticket_types[0].id
    pounds = runtime.catalog.show(an_event(runtime, owner, currency="GBP")).ticket_types[0].id
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)  # sells for the events there are
    walk_in = runtime.accounts.guest_buyer(None, "")
    before = runtime.orders.buy_basket(clerk, [(euros, 1)], tender=Tender.CASH,
                                       buyer=walk_in)
    assert before.till_id is None  # a clerk who never opened a till sells as before
    till = runtime.orders.tills.open(clerk, float_amount="20.00").till
    sold = runtime.orders.buy_basket(clerk, [(euros, 2)], tender=Tender.CASH, buyer=walk_in)
    assert runtime.orders.show(clerk, sold.number).till_id == till.id
    with pytest.raises(RuleViolation, match="your till counts EUR"):
        runtime.orders.buy_basket(clerk, [(pounds, 1)], tender=Tender.CASH, buyer=walk_in)
    report = runtime.orders.tills.close(clerk, counted="110.00")
    assert (report.sales, report.cash_in, report.expected) == (1, 9000, 11000)
    assert report.till.difference == 0
    with pytest.raises(RuleViolation, match="open the till first"):
        runtime.orders.buy_basket(clerk, [(euros, 1)], tender=Tender.CASH, buyer=walk_in)


def test_a_close_during_a_sale_leaves_no_cash_uncounted(runtime, database):
    """The sale goes into its till with its commit (the till locked then). A close that
    comes while the sale's work is under way: on PostgreSQL it is done first and the sale,
    finding the till closed, is refused with nothing sold; on SQLite (one writer at a
    time) it waits for the sale and counts it. Never a sale in a closed till uncounted."""
    standing = runtime.catalog.show(an_event(runtime)).ticket_types[0].id
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)  # sells for the events there are
    runtime.orders.tills.open(clerk)
    walk_in = runtime.accounts.guest_buyer(None, "")
    pool = ThreadPoolExecutor(1)
    closing: list[Future[TillReport]] = []
    issue = runtime.orders.issue_tickets

    def issue_while_a_close_comes(uow, paid, types) -> None:  # inside the sale's work
        issue(uow, paid, types)
        closing.append(pool.submit(runtime.orders.tills.close, clerk, counted="0.00"))
        time.sleep(0.5)  # the close goes as far as it can meanwhile

    runtime.orders.issue_tickets = issue_while_a_close_comes
    try:
        runtime.orders.buy_basket(clerk, [(standing, 1)], tender=Tender.CASH, buyer=walk_in)
        sold = 1
    except RuleViolation as refused:
        assert "your till is closed" in refused.message
        sold = 0
    report = closing[0].result(timeout=10)
    pool.shutdown()
    assert sold == (1 if database.startswith("sqlite") else 0)
    assert (report.sales, report.expected) == (sold, 4500 * sold)
    with runtime.uow(readonly=True) as uow:
        assert uow.stock.levels([standing])[standing].available == 100 - sold


def test_an_admin_closes_another_clerks_till_and_an_organizer_cannot(runtime):
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    till = runtime.orders.tills.open(clerk, float_amount="5.00").till
    with pytest.raises(NotAllowed, match="another clerk's till"):
        runtime.orders.tills.close(organizer(runtime), counted="5", till_id=till.id)
    admin = logged_in(runtime, "ada@example.com", role=Role.ADMIN)
    report = runtime.orders.tills.close(admin, counted="4.50", till_id=till.id)
    assert report.till.difference == -50
    closed = [e for e in runtime.audit.newest() if e.action == "till.closed"]
    assert closed[0].details["clerk_id"] == clerk.user_id
    assert closed[0].actor == "ada@example.com"
