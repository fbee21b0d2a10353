"""The purchase path under concurrency on PostgreSQL, against the raw ceiling.

For 1, 8, 32 and 100 concurrent buyers (threads in two worker processes), buyers
run the full path — hold → order → offline payment (cash) → confirm → outbox — on one
ticket type of 20,000 for a fixed time; then, in the same run, with baskets of three
ticket types and a voucher code (one ticket of each and the code per order; table
"basket"). Printed: orders/s, p50/p95/p99 latency and the slowest sale's (a buyer kept
waiting while others buy), oversold (must be 0), and the raw ceiling: the same
single-row conditional decrement through psycopg alone at the same concurrency, with the
ratio.
Targets (issue 4): at 32 buyers at least 800 orders/s and a third of the raw ceiling,
p99 under 100 ms. Issue 18: baskets at least 80% of the single-line orders/s.

Run: .venv/bin/python bench/purchase.py [--seconds 8] [--quick]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.startup import sell_for, with_pg_database  # noqa: E402

QUANTITY = 20_000
VOUCHER = "BENCH10"
LEVELS = (1, 8, 32, 100)


def settings_for(url: str) -> Any:
    from tix.config import Settings

    home = Path(tempfile.mkdtemp())
    return Settings(data_dir=home, config_dir=home, database_url=url, secret_key="x" * 40,
                    bcrypt_rounds=4)


def prepare(url: str, buyers: int) -> tuple[list[str], str]:
    """Clerk accounts (cash sales) and an organizer; returns (clerk ids, organizer id)."""
    from datetime import date

    from tix.bootstrap import bootstrap
    from tix.core.principal import Role
    from tix.operations import upgrade_database

    settings = settings_for(url)
    upgrade_database(settings)
    runtime = bootstrap(settings)
    clerks = [runtime.accounts.register(email=f"clerk{n}@bench.tix", password="Bench-pass-1!",
                                        name=f"Clerk {n}", date_of_birth=date(1990, 1, 1),
                                        role=Role.CLERK, verified=True)
              for n in range(buyers)]
    organizer = runtime.accounts.register(email="org@bench.tix", password="Bench-pass-1!",
                                          name="Org", date_of_birth=None,
                                          role=Role.ORGANIZER, verified=True)
    runtime.close()
    return clerks, organizer


def new_ticket_types(url: str, organizer_id: str, count: int,
                     clerk_ids: list[str]) -> list[str]:
    from datetime import timedelta

    from tix.bootstrap import bootstrap
    from tix.core.principal import Principal, Role

    runtime = bootstrap(settings_for(url))
    start = runtime.clock.now() + timedelta(days=30)
    organizer = Principal(organizer_id, "org@bench.tix", "Org", Role.ORGANIZER, "bench")
    event_id = runtime.catalog.create(
        organizer,
        {"name": f"Hot sale {uuid.uuid4().hex[:6]}", "venue": "Arena", "city": "Berlin",
         "starts": start.strftime("%Y-%m-%dT%H:%M"),
         "ends": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
         "timezone": "UTC", "currency": "EUR",
         "ticket_types": [{"name": f"GA {n + 1}", "price": "10", "quantity": QUANTITY}
                          for n in range(count)]})
    ticket_type_ids = [t.id for t in runtime.catalog.show(event_id).ticket_types]
    sell_for(runtime, event_id, clerk_ids)
    if count > 1:  # a basket's order redeems a code too: one more row every buyer wants
        from tix.core.vouchers.service import VoucherTerms

        runtime.vouchers.create(organizer, event_id, VOUCHER,
                                VoucherTerms(percent=10, max_uses=1_000_000))
    runtime.close()
    return ticket_type_ids


def buyer_process(url: str, ticket_type_ids: list[str], clerk_ids: list[str],
                  start_at: float, deadline: float, results: Any) -> None:
    from tix.bootstrap import bootstrap
    from tix.core.errors import RuleViolation
    from tix.core.orders.model import Tender
    from tix.core.principal import Principal, Role

    runtime = bootstrap(settings_for(url))
    _ = runtime.orders  # services built before the clock starts
    latencies: list[float] = []
    refused = 0
    lock = threading.Lock()

    def buy(clerk_id: str) -> None:
        nonlocal refused
        clerk = Principal(clerk_id, f"{clerk_id}@bench", "Clerk", Role.CLERK, "bench")
        time.sleep(max(0.0, start_at - time.time()))  # every buyer starts together
        while time.time() < deadline:
            started = time.perf_counter()
            try:
                if len(ticket_type_ids) == 1:
                    runtime.orders.buy(clerk, ticket_type_ids[0], 1, tender=Tender.CASH,
                                       tendered=1000)
                else:
                    runtime.orders.buy_basket(clerk, [(t, 1) for t in ticket_type_ids],
                                              tender=Tender.CASH, voucher=VOUCHER)
            except RuleViolation:
                with lock:
                    refused += 1
                return  # sold out
            with lock:
                latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=buy, args=(c,)) for c in clerk_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    runtime.close()
    results.put((latencies, refused))


def run_level(url: str, ticket_type_ids: list[str], clerks: list[str], buyers: int,
              seconds: float, processes: int) -> tuple[list[float], float]:
    processes = min(buyers, processes)
    groups = [clerks[i:buyers:processes] for i in range(processes)]
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 4  # time for every worker to start up before the clock runs
    deadline = start_at + seconds
    workers = [context.Process(target=buyer_process,
                               args=(url, ticket_type_ids, group, start_at, deadline,
                                     results))
               for group in groups]
    for worker in workers:
        worker.start()
    collected = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    latencies = [x for part, _ in collected for x in part]
    return latencies, seconds


def raw_ceiling(url: str, buyers: int, seconds: float) -> float:
    """The same single-row conditional decrement, psycopg alone, autocommit."""
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS raw_stock (id int PRIMARY KEY, "
                     "available int NOT NULL CHECK (available >= 0))")
        conn.execute("INSERT INTO raw_stock VALUES (1, 100000000) ON CONFLICT (id) DO UPDATE "
                     "SET available = 100000000")
    done = [0] * buyers
    stop = time.time() + seconds

    def decrement(slot: int) -> None:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            while time.time() < stop:
                conn.execute("UPDATE raw_stock SET available = available - 1 "
                             "WHERE id = 1 AND available > 0")
                done[slot] += 1

    threads = [threading.Thread(target=decrement, args=(i,)) for i in range(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def stock_ledger(conn: Any, ticket_type_id: str) -> tuple[int, int, int, int]:
    """(quantity, available, sold, held) of a ticket type, read with psycopg."""
    quantity, available = conn.execute(
        "SELECT quantity, available FROM stock WHERE ticket_type_id = %s",
        (ticket_type_id,)).fetchone()
    sold = conn.execute("SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o "
                        "ON o.id = l.order_id WHERE l.ticket_type_id = %s AND "
                        "o.status IN ('COMPLETED', 'PENDING')", (ticket_type_id,)).fetchone()[0]
    held = conn.execute("SELECT coalesce(sum(l.quantity), 0) FROM hold_lines l JOIN holds h "
                        "ON h.id = l.hold_id WHERE l.ticket_type_id = %s AND "
                        "h.status = 'ACTIVE'", (ticket_type_id,)).fetchone()[0]
    return quantity, available, sold, held


def oversold(url: str, ticket_type_ids: list[str]) -> int:
    """Tickets sold or held beyond the quantity (and a negative availability), of every
    ticket type."""
    import psycopg

    found = 0
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for ticket_type_id in ticket_type_ids:
            quantity, available, sold, held = stock_ledger(conn, ticket_type_id)
            found += max(0, sold + held + available - quantity) + max(0, -available)
    return found


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--quick", action="store_true", help="2 s per level")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)),
                        help="concurrent buyers per level, comma-separated")
    parser.add_argument("--processes", type=int, default=2,
                        help="worker processes the buyers are spread over (one per core)")
    parser.add_argument("--basket-lines", type=int, default=3,
                        help="ticket types per order in the basket table (0: no basket table)")
    options = parser.parse_args()
    levels = [int(level) for level in options.levels.split(",")]
    seconds = 2 if options.quick else options.seconds

    def run(url: str) -> None:
        clerks, organizer = prepare(url, max(levels))
        tables = [("buyers", 1)]
        if options.basket_lines > 1:
            tables.append(("basket", options.basket_lines))
        for title, lines in tables:
            print(f"{title:>6} {'orders/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
                  f"{'max ms':>7} {'oversold':>8} {'raw tx/s':>9} {'ratio':>6}")
            for buyers in levels:
                ticket_type_ids = new_ticket_types(url, organizer, lines, clerks)
                latencies, elapsed = run_level(url, ticket_type_ids, clerks, buyers, seconds,
                                               options.processes)
                ordered = sorted(latencies)
                rate = len(ordered) / elapsed
                # max_connections is 100 here: the ceiling uses at most 80 connections.
                ceiling = raw_ceiling(url, min(buyers, 80), min(seconds, 4))
                print(f"{buyers:>6} {rate:>9.0f} {statistics.median(ordered) * 1000:>7.1f} "
                      f"{percentile(ordered, 0.95):>7.1f} {percentile(ordered, 0.99):>7.1f} "
                      f"{ordered[-1] * 1000:>7.0f} {oversold(url, ticket_type_ids):>8} "
                      f"{ceiling:>9.0f} {rate / ceiling:>6.2f}", flush=True)

    with_pg_database(run)


if __name__ == "__main__":
    main()
