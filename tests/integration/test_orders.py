"""Orders with offline tenders: the saga, its recovery, cancellations and who sees what."""

import threading
from datetime import timedelta

import pytest

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import deliver, logged_in
from tix.core.errors import Invalid, NotAllowed, NotFound, RuleViolation, Unavailable
from tix.core.inventory.model import HoldStatus
from tix.core.orders.model import OrderStatus, Tender
from tix.core.principal import Role


class Crash(BaseException):
    """The process dies here: nothing after it runs."""


def setup(runtime, days=30):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, days=days)
    standing = runtime.catalog.show(event_id).ticket_types[0]  # 45.00 EUR, limit 4
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    return owner, event_id, standing, clerk


def left(runtime, ticket_type_id):
    with runtime.uow(readonly=True) as uow:
        return uow.stock.levels([ticket_type_id])[ticket_type_id].available


def messages(runtime, name):
    """Messages still waiting in the outbox."""
    return [e.open() for e in runtime.outbox.claim("t", limit=100) if e.name == name]


def published(runtime, name) -> int:
    """Messages ever written to the outbox, delivered or not."""
    from sqlalchemy import text

    with runtime.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM outbox WHERE name = :n"),
                            {"n": name}).scalar_one()


def test_a_clerk_sells_for_cash_and_the_payment_is_announced_once(runtime):
    _, _, standing, clerk = setup(runtime)
    order = runtime.orders.buy(clerk, standing.id, 2, tender=Tender.CASH,
                               holders=["Ann A", "Bob B"], tendered=10000)
    assert (order.status, order.amount, order.tendered_amount) == (
        OrderStatus.COMPLETED, 9000, 10000)
    assert order.number.startswith("TIX-") and order.payment_reference.startswith("cash-")
    assert left(runtime, standing.id) == 98
    [paid] = messages(runtime, "PaymentCompleted")
    assert (paid.quantity, paid.holders, paid.amount) == (2, ["Ann A", "Bob B"], 9000)
    assert runtime.orders.show(clerk, order.number).holders == ["Ann A", "Bob B"]


def test_cash_must_cover_the_total_and_is_for_clerks(runtime):
    _, _, standing, clerk = setup(runtime)
    with pytest.raises(Invalid, match=r"cash: 45\.00 EUR due, 40\.00 EUR tendered"):
        runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, tendered=4000)
    customer = logged_in(runtime)
    with pytest.raises(NotAllowed, match="by a clerk on the event's team"):
        runtime.orders.buy(customer, standing.id, 1, tender=Tender.CASH, tendered=4500)
    assert left(runtime, standing.id) == 100  # both holds were released or never taken
    with pytest.raises(Unavailable, match="card payments are not configured"):
        runtime.orders.buy(customer, standing.id, 1, tender=Tender.CARD)


def test_comp_tickets_come_from_the_events_organizer_only(runtime):
    owner, _, standing, _clerk = setup(runtime)
    comp = runtime.orders.buy(owner, standing.id, 2, tender=Tender.COMP)
    assert comp.amount == 0 and comp.status is OrderStatus.COMPLETED
    with pytest.raises(NotAllowed, match="organizer"):
        runtime.orders.buy(organizer(runtime, "rival@example.com"), standing.id, 1,
                           tender=Tender.COMP)


def test_the_per_person_limit_counts_tickets_already_bought(runtime):
    owner, _, standing, _ = setup(runtime)  # the organizer, giving themself comps
    runtime.orders.buy(owner, standing.id, 3, tender=Tender.COMP)
    with pytest.raises(RuleViolation, match="you have 3"):
        runtime.orders.buy(owner, standing.id, 2, tender=Tender.COMP)
    with pytest.raises(RuleViolation, match="you have 3"):  # holds count the same way
        runtime.inventory.place_hold(owner, standing.id, 2)


def test_a_sale_at_the_counter_hands_over_its_tickets_numbered_as_stored(runtime):
    """The order a counter sale returns carries the tickets its commit issued, with the
    numbers the event's counter gave them: the caller shows them without reading back."""
    _, _, standing, clerk = setup(runtime)
    first = runtime.orders.buy(clerk, standing.id, 2, tender=Tender.CASH, tendered=9000,
                               holders=["Ann Archer", "Ben Bow"])
    second = runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, tendered=4500)
    stored = runtime.tickets.of_orders([first.id, second.id])
    for order in (first, second):
        assert [(t.id, t.number, t.seat, t.holder) for t in order.issued] == [
            (t.id, t.number, t.seat, t.holder) for t in stored[order.id]]
    assert len({t.number for t in first.issued + second.issued}) == 3
    assert runtime.orders.show(clerk, first.id).issued == []  # read back: not stored with it


def test_at_the_counter_the_limit_is_per_sale(runtime):
    """A clerk sells to a new person each time: their own sales do not add up."""
    _, _, standing, clerk = setup(runtime)  # Standing: at most 4 per person
    for _ in range(3):
        runtime.orders.buy(clerk, standing.id, 3, tender=Tender.CASH, tendered=13500)
    with pytest.raises(RuleViolation, match="at most 4"):
        runtime.orders.buy(clerk, standing.id, 5, tender=Tender.CASH, tendered=22500)


def test_an_expired_hold_cannot_be_checked_out(runtime):
    _, _, standing, clerk = setup(runtime)
    hold = runtime.inventory.place_hold(clerk, standing.id, 1)
    runtime.clock.advance(timedelta(minutes=10))
    with pytest.raises(RuleViolation, match="expired"):
        runtime.orders.checkout(clerk, hold.id, tender=Tender.CASH, tendered=4500)
    with pytest.raises(NotFound):
        runtime.orders.checkout(logged_in(runtime), hold.id, tender=Tender.CASH)


def test_a_cash_checkout_is_one_step_that_a_crash_inside_leaves_undone(runtime):
    """Cash has no step outside tix, so no saga: the hold becomes a completed order in one
    transaction, and a crash inside it leaves the hold as it was, ready to be paid again.
    (Card checkouts are a saga; their crashes between steps: tests/integration/test_stripe.py.)"""
    _, _, standing, clerk = setup(runtime)
    hold = runtime.inventory.place_hold(clerk, standing.id, 2)
    cash = runtime.orders._gateways[Tender.CASH]

    class DiesTakingTheMoney:
        def charge(self, order, *, idempotency_key):
            raise Crash

    runtime.orders._gateways[Tender.CASH] = DiesTakingTheMoney()
    with pytest.raises(Crash):
        runtime.orders.checkout(clerk, hold.id, tender=Tender.CASH, tendered=9000)
    assert runtime.orders.list(clerk) == [] and published(runtime, "PaymentCompleted") == 0
    assert runtime.inventory.get_hold(clerk, hold.id).status is HoldStatus.ACTIVE
    assert left(runtime, standing.id) == 98  # still held for this clerk
    runtime.orders._gateways[Tender.CASH] = cash
    order = runtime.orders.checkout(clerk, hold.id, tender=Tender.CASH, tendered=9000)
    assert order.status is OrderStatus.COMPLETED and published(runtime, "PaymentCompleted") == 1
    assert left(runtime, standing.id) == 98


def test_a_crash_after_confirming_changes_nothing(runtime):
    _, _, standing, clerk = setup(runtime)
    def die_after_confirming(step, order):
        if step == "confirm":
            raise Crash

    runtime.orders.after_step = die_after_confirming
    hold = runtime.inventory.place_hold(clerk, standing.id, 1)
    with pytest.raises(Crash):
        runtime.orders.checkout(clerk, hold.id, tender=Tender.CASH, tendered=4500)
    runtime.clock.advance(timedelta(seconds=11))
    deliver(runtime)
    [order] = runtime.orders.list(clerk)
    assert order.status is OrderStatus.COMPLETED and left(runtime, standing.id) == 99


def test_cancelling_follows_the_events_policy(runtime):
    _, _event_id, standing, clerk = setup(runtime, days=5)  # 50% between 7 and 2 days
    order = runtime.orders.buy(clerk, standing.id, 2, tender=Tender.CASH, tendered=9000)
    cancelled = runtime.orders.cancel(clerk, order.number)
    assert (cancelled.status, cancelled.refunded_amount) == (OrderStatus.CANCELLED, 4500)
    assert left(runtime, standing.id) == 100
    [announced] = messages(runtime, "OrderCancelled")
    assert announced.refund_amount == 4500
    late = runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, tendered=4500)
    runtime.clock.advance(timedelta(days=4))  # a day before the start
    with pytest.raises(RuleViolation, match="too late to cancel: the policy refunds 100% up "
                                            "to 7 days before, 50% up to 2 days before"):
        runtime.orders.cancel(clerk, late.number)
    with pytest.raises(NotFound):  # another organizer's order does not exist for them
        runtime.orders.cancel(organizer(runtime, "org2@example.com"), late.id)


def test_a_cancelled_event_refunds_every_order_in_full(runtime):
    owner, event_id, standing, clerk = setup(runtime)
    orders = [runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, tendered=4500)
              for _ in range(3)]
    runtime.catalog.cancel(owner, event_id, "storm")
    deliver(runtime)
    for order in orders:
        refunded = runtime.orders.show(clerk, order.id)
        assert (refunded.status, refunded.refunded_amount) == (OrderStatus.CANCELLED, 4500)
    deliver(runtime)  # nothing twice
    assert published(runtime, "OrderCancelled") == 3


def test_people_see_only_the_orders_that_concern_them(runtime):
    owner, _, standing, clerk = setup(runtime)
    order = runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, tendered=4500)
    stranger = logged_in(runtime)
    with pytest.raises(NotFound):
        runtime.orders.show(stranger, order.number)
    assert runtime.orders.list(stranger) == []
    assert [o.id for o in runtime.orders.list(owner)] == [order.id]  # their event's
    rival = organizer(runtime, "rival@example.com")
    assert runtime.orders.list(rival) == []


def test_a_hundred_buyers_race_to_buy_the_last_ten(runtime, make_runtime, database):
    from concurrent.futures import ThreadPoolExecutor

    _owner, event_id, _, clerk = setup(runtime)
    seated = runtime.catalog.show(event_id).ticket_types[1]  # 20 at 65.50, no limit
    runtime.orders.buy(clerk, seated.id, 10, tender=Tender.CASH, tendered=65500)
    clerks = [logged_in(runtime, f"c{n}@example.com", role=Role.CLERK) for n in range(100)]
    processes = [make_runtime(database) for _ in range(4)]

    on_every_team(runtime, *clerks)
    def try_buy(n: int) -> str:
        try:
            processes[n % 4].orders.buy(clerks[n], seated.id, 1, tender=Tender.CASH,
                                        tendered=6550)
            return "sold"
        except RuleViolation:
            return "refused"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(try_buy, range(100)))
    assert outcomes.count("sold") == 10 and outcomes.count("refused") == 90
    assert left(runtime, seated.id) == 0
    with runtime.uow(readonly=True) as uow:
        sold = uow.orders.sold_per_type([seated.id])[seated.id]
    assert sold == (20, 20 * 6550)
    assert published(runtime, "PaymentCompleted") == 11


def test_an_order_number_already_taken_is_drawn_again(runtime, monkeypatch):
    _, _, standing, clerk = setup(runtime)
    first = runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, tendered=4500)
    available = left(runtime, standing.id)
    import tix.core.orders.checkout as service

    numbers = iter([first.number, "TIX-NEW0-01"])
    monkeypatch.setattr(service, "new_order_number", lambda: next(numbers))
    second = runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, tendered=4500)
    assert second.number == "TIX-NEW0-01" and second.status is OrderStatus.COMPLETED
    assert runtime.orders.show(clerk, "TIX-NEW0-01").id == second.id
    # the attempt that collided left nothing behind: one ticket taken, one message
    assert left(runtime, standing.id) == available - 1
    assert published(runtime, "PaymentCompleted") == 2


def test_a_hold_checked_out_twice_at_once_is_sold_once(runtime, make_runtime, database):
    """A double click, or the same clerk at two windows: one order, the other refused."""
    from concurrent.futures import ThreadPoolExecutor

    _, _, standing, clerk = setup(runtime)
    windows = [make_runtime(database) for _ in range(4)]
    for _ in range(5):
        hold = runtime.inventory.place_hold(clerk, standing.id, 2)

        def pay(window, hold_id=hold.id):
            try:
                return window.orders.checkout(clerk, hold_id, tender=Tender.CASH,
                                              tendered=9000).number
            except RuleViolation as refusal:
                return refusal.code

        with ThreadPoolExecutor(4) as pool:
            outcomes = list(pool.map(pay, windows))
        sold = [o for o in outcomes if o.startswith("TIX-")]
        assert len(sold) == 1 and outcomes.count("hold_expired") == 3, outcomes
    assert left(runtime, standing.id) == 90  # five holds of two, each sold once
    assert published(runtime, "PaymentCompleted") == 5


def test_an_order_number_taken_at_checkout_is_drawn_again(runtime, monkeypatch):
    import tix.core.orders.checkout as service

    _, _, standing, clerk = setup(runtime)
    first = runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, tendered=4500)
    hold = runtime.inventory.place_hold(clerk, standing.id, 2)
    numbers = iter([first.number, "TIX-NEW0-02"])
    monkeypatch.setattr(service, "new_order_number", lambda: next(numbers))
    order = runtime.orders.checkout(clerk, hold.id, tender=Tender.CASH, tendered=9000)
    assert order.number == "TIX-NEW0-02" and order.quantity == 2
    assert runtime.inventory.get_hold(clerk, hold.id).status is HoldStatus.CONVERTED
    assert left(runtime, standing.id) == 97 and published(runtime, "PaymentCompleted") == 2


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_a_pool_with_no_connection_free_in_time_is_busy_not_a_crash(runtime, database):
    """Many threads in one process (a load test, a daemon with workers) can hold every
    pooled connection: the one left waiting gets a clear Busy, as for a lock timeout."""
    from sqlalchemy import create_engine

    from tix.adapters.db.engine import make_session_factory
    from tix.adapters.db.uow import SqlUnitOfWork
    from tix.core.errors import Busy

    engine = create_engine(database, pool_size=1, max_overflow=0, pool_timeout=0.2)
    sessions = make_session_factory(engine)
    held = engine.connect()  # the only connection, in use elsewhere
    try:
        with pytest.raises(Busy, match="no connection came free"), \
                SqlUnitOfWork(sessions, runtime.clock, runtime.cipher) as uow:
            uow.catalog.ticket_type("missing")
    finally:
        held.close()
        engine.dispose()


def test_a_runtimes_units_of_work_take_turns_as_many_at_once_as_the_pool_size(
        make_runtime, database):
    """Every buyer's transaction at the server at once queued them on the hot rows' locks
    and starved some for seconds (bench/purchase.py): a process lets in as many units of
    work as its pool's size, the others wait their turn in the order they came."""
    runtime = make_runtime(database, database_pool_size=1)
    let_in: list[str] = []
    first_inside, first_may_leave = threading.Event(), threading.Event()

    def first() -> None:
        with runtime.uow(readonly=True) as uow:
            uow.catalog.ticket_type("missing")
            let_in.append("first")
            first_inside.set()
            first_may_leave.wait(5)

    def second() -> None:
        with runtime.uow() as uow:
            uow.catalog.ticket_type("missing")
            let_in.append("second")

    one, two = threading.Thread(target=first), threading.Thread(target=second)
    one.start()
    assert first_inside.wait(5)
    two.start()
    two.join(timeout=0.3)
    assert two.is_alive() and let_in == ["first"]  # waiting its turn, not at the server
    first_may_leave.set()
    one.join(timeout=5)
    two.join(timeout=5)
    assert let_in == ["first", "second"]
    with runtime.uow() as uow:  # one inside another (a nested piece of work) still passes
        with runtime.uow(readonly=True) as inner:
            assert inner.catalog.ticket_type("missing") is None
        uow.catalog.ticket_type("missing")
