"""Load and faults: 1,000 simulated box-office users against a hot sale, then the same
while things break. Not part of the test run; prints a report.

Setup: PostgreSQL (its own database), Redis (db 14, flushed), an SMTP server (aiosmtpd,
in this process), a daemon (`tix daemon`, a separate process). Users are threads in
four worker processes, each a clerk at a box office with think time between actions
(0.2-1.0 s): search 35%, view an event 25%, hold then pay cash 25%, buy in one step 5%,
buy by card 5% (Stripe's API: localstripe), cancel one of their orders 5%. The hot sale: one
event, 5,000 tickets in two types.

Phase 1 runs clean. Phase 2 injects: the daemon killed (SIGKILL) and restarted, Redis
paused for 30 s (CLIENT PAUSE: every call waits), SMTP down for 60 s, and the payment
endpoint failing 20% of calls throughout (half refused, half carried out with the reply
lost). Afterwards the daemon drains and the invariants are checked: nothing oversold
(sold + held + available = quantity, never negative); every completed order has exactly
its tickets, and every ticket mail arrived exactly once; every card order is settled, paid
exactly once when completed, and not charged (or refunded) when it failed or was
cancelled. Targets (issue 9): at 1,000 users hold p95 < 50 ms and
buy p95 < 300 ms; zero invariant violations.

Run: .venv/bin/python bench/load.py [--users 1000] [--seconds 40] [--quick]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.payment_faults import API_KEY, PaymentService  # noqa: E402
from bench.purchase import stock_ledger  # noqa: E402
from bench.startup import with_pg_database  # noqa: E402

REDIS = "redis://127.0.0.1:6379/14"
PROCESSES = 4
OPERATIONS = [("search", 35), ("view", 25), ("hold+pay", 25), ("buy", 5), ("card", 5),
              ("cancel", 5)]


def settings_for(url: str, home: Path, smtp: str, payments: str) -> Any:
    from tix.config import Settings

    return Settings(data_dir=home, config_dir=home, database_url=url, redis_url=REDIS,
                    smtp_url=smtp, secret_key="x" * 40, bcrypt_rounds=4,
                    holds_per_minute=1000, stripe_api_key=API_KEY, stripe_api_base=payments,
                    # 4 processes x (6 + 12 at peaks) + the daemon stay under 100 connections
                    database_pool_size=6)


def prepare(settings: Any, users: int) -> tuple[list[str], str, list[str]]:
    from datetime import date, timedelta

    from tix.bootstrap import bootstrap, upgrade_database
    from tix.core.accounts.model import Role
    from tix.core.accounts.service import Principal

    upgrade_database(settings)
    runtime = bootstrap(settings)
    clerks = [runtime.accounts.register(email=f"clerk{n}@load.tix", password="Load-pass-2026!",
                                        name=f"Clerk {n}", date_of_birth=date(1990, 1, 1),
                                        role=Role.CLERK, verified=True) for n in range(users)]
    organizer = runtime.accounts.register(email="org@load.tix", password="Load-pass-2026!",
                                          name="Org", date_of_birth=None,
                                          role=Role.ORGANIZER, verified=True)
    owner = Principal(organizer, "org@load.tix", "Org", Role.ORGANIZER, "load")
    start = runtime.clock.now() + timedelta(days=30)
    event_id = runtime.catalog.create(owner, {
        "name": "Hot sale", "venue": "Arena", "city": "Berlin", "timezone": "UTC",
        "currency": "EUR", "starts": start.strftime("%Y-%m-%dT%H:%M"),
        "ends": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "cancellation_policy": [{"before_hours": 0, "percent": 100}],
        "ticket_types": [{"name": "Standing", "price": "40", "quantity": 4000, "limit": 4},
                         {"name": "Seated", "price": "80", "quantity": 1000, "limit": 4}]})
    types = [t.id for t in runtime.catalog.show(event_id).ticket_types]
    runtime.close()
    return clerks, event_id, types


def user_process(settings: Any, clerks: list[str], event_id: str, types: list[str],
                 deadline: float, results: Any) -> None:
    from tix.bootstrap import bootstrap
    from tix.core.accounts.model import Role
    from tix.core.accounts.service import Principal
    from tix.core.catalog.search import SearchQuery
    from tix.core.errors import TixError
    from tix.core.orders.model import Tender

    runtime = bootstrap(settings)
    samples: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    words = ["hot", "sale", "arena", "berlin", "standing"]

    def user(clerk_id: str, seed: int) -> None:
        rng = random.Random(seed)
        me = Principal(clerk_id, f"{clerk_id}@load", "Clerk", Role.CLERK, "load")
        mine: list[str] = []
        while time.time() < deadline:
            time.sleep(rng.uniform(0.2, 1.0))
            operation = rng.choices([o for o, _ in OPERATIONS], [w for _, w in OPERATIONS])[0]
            started = time.perf_counter()
            try:
                if operation == "search":
                    runtime.catalog.search(SearchQuery(text=rng.choice(words)))
                elif operation == "view":
                    runtime.catalog.show(event_id)
                elif operation == "hold+pay":
                    hold = runtime.inventory.place_hold(me, rng.choice(types), rng.randint(1, 2))
                    record("hold", time.perf_counter() - started)
                    paid = time.perf_counter()
                    order = runtime.orders.checkout(me, hold.id, tender=Tender.CASH,
                                                    tendered=100_000)
                    record("pay", time.perf_counter() - paid)
                    mine.append(order.number)
                    continue
                elif operation == "buy":
                    order = runtime.orders.buy(me, rng.choice(types), 1, tender=Tender.CASH,
                                               tendered=100_000)
                    mine.append(order.number)
                elif operation == "card":
                    order = runtime.orders.buy(me, rng.choice(types), 1, tender=Tender.CARD,
                                               payment_method="pm_card_visa")
                    mine.append(order.number)
                elif operation == "cancel" and mine:
                    runtime.orders.cancel(me, mine.pop(0))
                else:
                    continue
            except TixError as error:
                why = getattr(error, "code", "") or type(error).__name__
                with lock:
                    errors[f"{operation}: {why}"] += 1
                continue
            record(operation, time.perf_counter() - started)

    def record(operation: str, seconds: float) -> None:
        with lock:
            samples[operation].append(seconds)

    threads = [threading.Thread(target=user, args=(c, n)) for n, c in enumerate(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    runtime.close()
    results.put((dict(samples), dict(errors)))


def run_phase(settings: Any, clerks: list[str], event_id: str, types: list[str],
              seconds: float, faults: Any = None) -> None:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    deadline = time.time() + seconds
    workers = [context.Process(target=user_process, args=(
        settings, clerks[i::PROCESSES], event_id, types, deadline, results))
        for i in range(PROCESSES)]
    for worker in workers:
        worker.start()
    if faults is not None:
        faults()
    collected = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    samples: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    for part, failed in collected:
        for operation, values in part.items():
            samples[operation] += values
        errors.update(failed)
    total = sum(len(v) for v in samples.values())
    print(f"  {total / seconds:,.0f} operations/s over {seconds:.0f} s")
    for operation in ("search", "view", "hold", "pay", "buy", "card", "cancel"):
        ordered = sorted(samples.get(operation, []))
        if not ordered:
            continue
        p = [ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000
             for q in (0.5, 0.95, 0.99)]
        target = {"hold": 50, "buy": 300, "pay": 300, "card": 300}.get(operation)
        verdict = f"   target p95 < {target} ms: {'ok' if p[1] < target else 'MISSED'}" \
            if target else ""
        print(f"  {operation:<7} {len(ordered):>7,} done  p50 {p[0]:7.1f}  p95 {p[1]:7.1f}  "
              f"p99 {p[2]:7.1f} ms{verdict}")
    print("  errors: " + (", ".join(f"{k} {v}" for k, v in errors.most_common()) or "none"))


def daemon_process(settings: Any) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TIX_DATABASE_URL": settings.database_url, "TIX_REDIS_URL": REDIS,
           "TIX_SMTP_URL": settings.smtp_url, "TIX_SECRET_KEY": settings.secret_key,
           "TIX_DATA_DIR": str(settings.data_dir), "TIX_CONFIG_DIR": str(settings.config_dir),
           "TIX_STRIPE_API_KEY": API_KEY, "TIX_STRIPE_API_BASE": settings.stripe_api_base,
           # retries that outlast a minute of SMTP down (three of them, then it gives up)
           "TIX_MAIL_RETRY_DELAYS": "20,40,80"}
    return subprocess.Popen([sys.executable, "-m", "tix", "daemon", "--workers", "2",
                             "--idle", "0.2"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def check_invariants(settings: Any, event_id: str, received: list[Any]) -> int:
    import psycopg

    conninfo = settings.database_url.replace("postgresql+psycopg://", "postgresql://")
    problems = 0
    with psycopg.connect(conninfo) as conn:
        for (type_id,) in conn.execute("SELECT id FROM ticket_types WHERE event_id = %s",
                                       (event_id,)).fetchall():
            quantity, available, sold, held = stock_ledger(conn, type_id)
            if available < 0 or sold + held + available != quantity:
                print(f"  OVERSOLD or lost stock: {type_id}: sold {sold} + held {held} + "
                      f"available {available} != {quantity}")
                problems += 1
        wrong = conn.execute(
            "SELECT o.number, o.quantity, count(t.id) FROM orders o LEFT JOIN tickets t ON "
            "t.order_id = o.id WHERE o.status = 'COMPLETED' AND o.event_id = %s "
            "GROUP BY o.number, o.quantity HAVING count(t.id) <> o.quantity",
            (event_id,)).fetchall()
        completed = [row[0] for row in conn.execute(
            "SELECT number FROM orders WHERE event_id = %s AND status IN "
            "('COMPLETED', 'CANCELLED')", (event_id,)).fetchall()]
    if wrong:
        print(f"  {len(wrong)} completed order(s) without exactly their tickets, e.g. "
              f"{wrong[0]}")
        problems += len(wrong)
    mails = Counter(m["Subject"].rsplit("(order ", 1)[-1].rstrip(")") for m in received
                    if m["Subject"].startswith("Your tickets"))
    lost = [n for n in completed if mails[n] == 0]
    twice = [n for n, count in mails.items() if count > 1]
    print(f"  orders with tickets mailed: {len(completed) - len(lost):,} of {len(completed):,};"
          f" lost mails {len(lost)}, duplicated {len(twice)}; orders without exactly their "
          f"tickets {len(wrong)}")
    return problems + len(lost) + len(twice)


def check_payments(settings: Any, event_id: str, payments: Any) -> int:
    """Card orders against the payment service's own records of payments and refunds."""
    import psycopg

    conninfo = settings.database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        orders = conn.execute(
            "SELECT id, status, quantity * unit_price FROM orders "
            "WHERE event_id = %s AND tender = 'card'", (event_id,)).fetchall()
    paid: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for intent in payments.intents():
        if intent["status"] == "succeeded":
            paid[(intent.get("metadata") or {}).get("order_id", "")].append(intent)
    refunded: Counter[str] = Counter()
    for refund in payments.refunds():
        refunded[refund["payment_intent"]] += refund["amount"]
    problems: Counter[str] = Counter()
    if not orders:
        problems["no card orders to check"] += 1  # the run or this check went wrong
    for order_id, status, amount in orders:
        taken = paid.get(order_id, [])
        kept = sum(intent["amount"] - refunded[intent["id"]] for intent in taken)
        if len(taken) > 1:
            problems["charged twice"] += 1
        if status == "PENDING":
            problems["left unsettled"] += 1
        elif status == "COMPLETED" and kept != amount:
            problems["completed, but the money kept is not its amount"] += 1
        elif status in ("FAILED", "CANCELLED") and kept:
            problems[f"{status.lower()}, but money kept"] += 1
        else:
            continue
        if sum(problems.values()) <= 3:  # a few examples, to start looking from
            print(f"    e.g. order {order_id} {status} {amount}: payments "
                  f"{[(i['id'], i['amount'], refunded[i['id']]) for i in taken]}")
    statuses = Counter(status for _, status, _ in orders)
    print(f"  card orders: {dict(statuses)}; payment problems: "
          + (", ".join(f"{k} {v}" for k, v in problems.items()) or "none"))
    return sum(problems.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--quick", action="store_true", help="200 users, 15 s phases")
    options = parser.parse_args()
    users = 200 if options.quick else options.users
    seconds = 15 if options.quick else options.seconds

    def run(url: str) -> None:
        import redis
        from aiosmtpd.controller import Controller

        from tests.smtp_server import Answers, free_port

        redis.Redis.from_url(REDIS).flushdb()
        answers, port = Answers(), free_port()
        smtp = Controller(answers, hostname="127.0.0.1", port=port)
        smtp.start()
        home = Path(tempfile.mkdtemp())
        payments = PaymentService(failure_share=0.2)
        settings = settings_for(url, home, f"smtp://127.0.0.1:{port}", payments.base)
        clerks, event_id, types = prepare(settings, users)
        daemon = daemon_process(settings)
        print(f"phase 1: {users} users, {seconds:.0f} s, nothing broken")
        run_phase(settings, clerks, event_id, types, seconds)
        state = {"daemon": daemon, "smtp": smtp}

        def faults() -> None:
            payments.failing = True  # 20% of payment calls fail, the whole phase

            def inject() -> None:
                time.sleep(2)
                state["daemon"].send_signal(signal.SIGKILL)  # a daemon dies mid-work
                time.sleep(3)
                state["daemon"] = daemon_process(settings)
                redis.Redis.from_url(REDIS).execute_command("CLIENT", "PAUSE", 30_000)
                state["smtp"].stop()  # SMTP down...
                time.sleep(min(60, seconds))
                state["smtp"] = restarted(answers, port)  # ...and back
            threading.Thread(target=inject, daemon=True).start()

        phase2 = max(seconds, 70)
        print(f"phase 2: {users} users, {phase2:.0f} s: daemon killed and restarted, Redis "
              "paused 30 s, SMTP down for a minute, 20% of payment calls failing")
        run_phase(settings, clerks, event_id, types, phase2, faults)
        payments.failing = False
        print(f"  payment calls: {dict(payments.calls)}")
        print("draining: the daemon finishes tickets and mail (retries included)")
        deadline = time.time() + 600
        from tix.bootstrap import bootstrap

        probe = bootstrap(settings)
        while time.time() < deadline and (probe.outbox.pending_count() or _mail_pending(probe)):
            time.sleep(2)
        probe.close()
        state["daemon"].send_signal(signal.SIGTERM)
        state["daemon"].wait(30)
        problems = check_invariants(settings, event_id, answers.received)
        problems += check_payments(settings, event_id, payments)
        payments.close()
        print(f"invariant violations: {problems}   target 0   {'ok' if not problems else 'MISSED'}")
        state["smtp"].stop()

    with_pg_database(run)


def restarted(answers: Any, port: int) -> Any:
    """The SMTP server again, on its port (the old socket may linger a moment)."""
    from aiosmtpd.controller import Controller

    for _ in range(50):
        server = Controller(answers, hostname="127.0.0.1", port=port)
        try:
            server.start()
            return server
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"cannot restart the SMTP server on port {port}")


def _mail_pending(runtime: Any) -> int:
    from sqlalchemy import func, select

    from tix.adapters.db.rows.notifications import NotificationRow

    with runtime.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(NotificationRow).where(
            NotificationRow.status.in_(["PENDING", "FAILED"]))) or 0)


if __name__ == "__main__":
    main()
