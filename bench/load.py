"""Load and faults: 1,000 simulated box-office users against a hot sale, then the same
while things break. Not part of the test run; prints a report.

Setup: PostgreSQL (its own database), Redis (db 14, flushed), an SMTP server (aiosmtpd,
in this process), a daemon (`tix daemon`, a separate process). Users are threads in
worker processes, each a clerk at a box office: search 35%, view an event 25%, hold then
pay cash 25%, buy in one step 5%, buy by card 5% (Stripe's API: localstripe), cancel one
of their orders 5%. The hot sale: one event, 5,000 tickets in two types.

Think time between actions, by --profile:
  people  (default) as TPC-W's emulated browsers: exponential, mean 7 s, at most 70 s,
          and the same pause between holding and paying (the customer hands over cash);
          1,000 users then offer about 140 operations/s.
  stress  0.2-1.0 s and no pause before paying (last session's profile): 1,000 users
          offer about 1,600 operations/s, several times what this machine completes —
          it measures capacity and queueing, not a sale's latency.

One machine stands in for several: the daemon, the SMTP server and the payment service
(which would have hosts of their own) run at a lower priority (--nice, 10), the users'
processes and the databases at the normal one. The report shows where the CPU went.

Phase 1 runs clean. Phase 2 injects: the daemon killed (SIGKILL) and restarted, Redis
paused for 30 s (CLIENT PAUSE: every call waits), SMTP down for 60 s, and the payment
endpoint failing 20% of calls throughout (half refused, half carried out with the reply
lost). Afterwards the daemon drains and the invariants are checked: nothing oversold
(sold + held + available = quantity, never negative); every completed order has exactly
its tickets, and every ticket mail arrived exactly once; every card order is settled, paid
exactly once when completed, and not charged (or refunded) when it failed or was
cancelled. Targets (issue 9): at 1,000 users hold p95 < 50 ms and
buy p95 < 300 ms; zero invariant violations.

Run: .venv/bin/python bench/load.py [--users 1000] [--seconds 60] [--profile people|stress]
        [--processes 8] [--quick]
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
from bench.startup import sell_for, with_pg_database  # noqa: E402

REDIS = "redis://127.0.0.1:6379/14"
OPERATIONS = [("search", 35), ("view", 25), ("hold+pay", 25), ("buy", 5), ("card", 5),
              ("cancel", 5)]


def think_people(rng: random.Random) -> float:
    """TPC-W's think time (clause 5.3.2.1): exponential, mean 7 s, truncated at 70 s."""
    return min(rng.expovariate(1 / 7), 70.0)


def think_stress(rng: random.Random) -> float:
    return rng.uniform(0.2, 1.0)


# profile -> (think time between actions, pause between holding and paying)
PROFILES = {"people": (think_people, think_people),
            "stress": (think_stress, lambda rng: 0.0)}


def settings_for(url: str, home: Path, smtp: str, payments: str, pool_size: int) -> Any:
    from tix.config import Settings

    return Settings(data_dir=home, config_dir=home, database_url=url, redis_url=REDIS,
                    smtp_url=smtp, secret_key="x" * 40, bcrypt_rounds=4,
                    holds_per_minute=1000, stripe_api_key=API_KEY, stripe_api_base=payments,
                    # processes x (pool + 2 x pool at peaks) + the daemon: < 100 connections
                    database_pool_size=pool_size)


def prepare(settings: Any, users: int) -> tuple[list[str], str, list[str]]:
    from datetime import date, timedelta

    from tix.bootstrap import bootstrap
    from tix.core.principal import Principal, Role
    from tix.operations import upgrade_database

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
    sell_for(runtime, event_id, clerks)
    runtime.close()
    return clerks, event_id, types


def user_process(settings: Any, clerks: list[str], event_id: str, types: list[str],
                 deadline: float, profile: str, results: Any) -> None:
    from tix.bootstrap import bootstrap
    from tix.core.catalog.search import SearchQuery
    from tix.core.errors import TixError
    from tix.core.orders.model import Tender
    from tix.core.principal import Principal, Role
    from tix.heap import settle

    if os.getpriority(os.PRIO_PROCESS, 0) != 0:
        os.setpriority(os.PRIO_PROCESS, 0, 0)  # the box offices run at normal priority
    runtime = bootstrap(settings)
    settle()  # as `tix box-office` does once started
    samples: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    words = ["hot", "sale", "arena", "berlin", "standing"]

    def user(clerk_id: str, seed: int) -> None:
        rng = random.Random(seed)
        me = Principal(clerk_id, f"{clerk_id}@load", "Clerk", Role.CLERK, "load")
        mine: list[str] = []
        think, pause_before_paying = PROFILES[profile]
        while True:
            time.sleep(max(0.0, min(think(rng), deadline - time.time())))
            if time.time() >= deadline:
                break
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
                    time.sleep(pause_before_paying(rng))
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

    cpu = time.process_time()
    threads = [threading.Thread(target=user, args=(c, n)) for n, c in enumerate(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    runtime.close()
    results.put((dict(samples), dict(errors), time.process_time() - cpu))


WITH_CHILDREN = ("machine", "PostgreSQL", "Redis")


def cpu_seconds() -> dict[tuple[str, int], float]:
    """CPU used so far (user + system, seconds) by role and process: the machine's busy
    time, PostgreSQL's and Redis's processes (with their exited children: PostgreSQL's
    finished backends), the daemon, localstripe, and this process (the SMTP server and
    the payment proxy)."""
    tick = os.sysconf("SC_CLK_TCK")
    with open("/proc/stat") as stat:
        # user nice system idle iowait irq softirq steal (guest time is within user)
        fields = [int(v) for v in stat.readline().split()[1:9]]
    used = {("machine", 0): (sum(fields) - fields[3] - fields[4]) / tick}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # gone meanwhile
        name, rest = raw[raw.index("(") + 1:raw.rindex(")")], raw[raw.rindex(")") + 2:].split()
        if int(entry.name) == os.getpid():
            role = "SMTP server and payment proxy"
        elif b"daemon" in command and b"tix" in command:
            role = "daemon"
        elif any(b"localstripe" in part for part in command):
            role = "localstripe"
        else:
            role = {"postgres": "PostgreSQL", "redis-server": "Redis"}.get(name, "")
        if role:  # utime, stime and, for the servers, cutime, cstime
            own = rest[11:15] if role in WITH_CHILDREN else rest[11:13]
            used[role, int(entry.name)] = sum(int(v) for v in own) / tick
    return used


def cpu_used(before: dict[tuple[str, int], float],
             after: dict[tuple[str, int], float]) -> dict[str, float]:
    """Per role, between two readings. The servers' exited processes are counted in their
    parents, so their totals are compared; elsewhere each process's own difference (a
    daemon killed meanwhile loses its last share)."""
    used: dict[str, float] = defaultdict(float)
    for (role, pid), seconds in after.items():
        if role in WITH_CHILDREN:
            used[role] += seconds
        else:
            used[role] += seconds - before.get((role, pid), 0.0)
    for (role, _), seconds in before.items():
        if role in WITH_CHILDREN:
            used[role] -= seconds
    return used


def run_phase(settings: Any, clerks: list[str], event_id: str, types: list[str],
              seconds: float, profile: str, processes: int, faults: Any = None) -> None:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    cpu_before = cpu_seconds()
    began = time.time()
    deadline = began + seconds
    workers = [context.Process(target=user_process, args=(
        settings, clerks[i::processes], event_id, types, deadline, profile, results))
        for i in range(processes)]
    for worker in workers:
        worker.start()
    if faults is not None:
        faults()
    collected = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    cpu_after = cpu_seconds()
    seconds = time.time() - began  # the last operations end a little after the deadline
    samples: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    box_offices = 0.0
    for part, failed, cpu in collected:
        for operation, values in part.items():
            samples[operation] += values
        errors.update(failed)
        box_offices += cpu
    total = sum(len(v) for v in samples.values())
    print(f"  {total / seconds:,.0f} operations/s over {seconds:.0f} s")
    used = cpu_used(cpu_before, cpu_after)
    busy = used.pop("machine")
    shares = {"box offices (the users)": box_offices, **used}
    print(f"  CPU: {busy / seconds:.2f} of {os.cpu_count()} cores busy; of that "
          + ", ".join(f"{role} {cpu / busy:.0%}" for role, cpu in shares.items())
          + f", the rest (system, processes that died) {1 - sum(shares.values()) / busy:.0%}")
    shown = ("search", "view", "hold", "pay", "buy", "card", "cancel")
    for operation in [*shown, *sorted(set(samples) - set(shown))]:
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
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="people")
    parser.add_argument("--processes", type=int, default=8,
                        help="worker processes the users are spread over (default 8)")
    parser.add_argument("--nice", type=int, default=10, help=(
        "niceness of the daemon, the SMTP and payment servers (default 10; 0: the same "
        "priority as the users and the databases)"))
    parser.add_argument("--quick", action="store_true", help="200 users, 15 s phases")
    options = parser.parse_args()
    users = 200 if options.quick else options.users
    seconds = 15 if options.quick else options.seconds
    profile, processes = options.profile, options.processes
    pool_size = max(1, 80 // (3 * processes))

    def run(url: str) -> None:
        import redis
        from aiosmtpd.controller import Controller

        from tests.smtp_server import Answers, free_port

        redis.Redis.from_url(REDIS).flushdb()
        # This machine stands in for several: the daemon and the mail and payment services
        # would run on hosts of their own. Niced, they get what the box offices and the
        # databases leave (their work is all checked after the drain); the users' processes
        # set their priority back to normal.
        os.nice(options.nice)
        answers, port = Answers(), free_port()
        smtp = Controller(answers, hostname="127.0.0.1", port=port)
        smtp.start()
        home = Path(tempfile.mkdtemp())
        payments = PaymentService(failure_share=0.2)
        settings = settings_for(url, home, f"smtp://127.0.0.1:{port}", payments.base,
                                pool_size)
        clerks, event_id, types = prepare(settings, users)
        daemon = daemon_process(settings)
        print(f"profile {profile}: {users} users in {processes} processes (pool "
              f"{pool_size} each); daemon, SMTP and payment servers at nice {options.nice}")
        print(f"phase 1: {users} users, {seconds:.0f} s, nothing broken")
        run_phase(settings, clerks, event_id, types, seconds, profile, processes)
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
        run_phase(settings, clerks, event_id, types, phase2, profile, processes, faults)
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
