"""Tickets: generation with QR and PDF, check-in verification, payment to mail.

  tickets generated per second, each with its signed payload and its PDF rendered, for an
  order of 10 and for 10,000 tickets (target >= 200/s)
  check-in: signature check and admission, p50/p95 (target p95 < 5 ms)
  payment to mail: a cash sale until its tickets mail is in the Maildir, with a daemon
  running (target p95 < 2 s)

Run: .venv/bin/python bench/tickets.py [--quick]   (on PostgreSQL, its own database)
"""

from __future__ import annotations

import argparse
import mailbox
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.startup import with_pg_database  # noqa: E402


def runtime_for(url: str) -> Any:
    from tix.bootstrap import bootstrap, upgrade_database
    from tix.config import Settings

    home = Path(tempfile.mkdtemp())
    settings = Settings(data_dir=home, config_dir=home, database_url=url, secret_key="x" * 40,
                        bcrypt_rounds=4)
    upgrade_database(settings)
    return bootstrap(settings)


def setup(runtime: Any, quantity: int) -> tuple[Any, str]:
    from tix.core.accounts.model import Role
    from tix.core.accounts.service import Principal

    ids = {role: runtime.accounts.register(
        email=f"{role.value}{time.monotonic_ns()}@bench.tix", password="Bench-pass-1!",
        name=f"Bench {role.value}", date_of_birth=date(1990, 1, 1), role=role, verified=True)
        for role in (Role.ORGANIZER, Role.CLERK)}
    owner = Principal(ids[Role.ORGANIZER], "o@bench", "Org", Role.ORGANIZER, "b")
    clerk = Principal(ids[Role.CLERK], "c@bench", "Clerk", Role.CLERK, "b")
    start = runtime.clock.now() + timedelta(days=30)
    event_id = runtime.catalog.create(owner, {
        "name": "Bench night", "venue": "Hall", "city": "Berlin", "timezone": "UTC",
        "currency": "EUR", "starts": start.strftime("%Y-%m-%dT%H:%M"),
        "ends": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "ticket_types": [{"name": "GA", "price": "10", "quantity": quantity}]})
    return clerk, runtime.catalog.show(event_id).ticket_types[0].id


def generation(runtime: Any, clerk: Any, ticket_type_id: str, tickets: int) -> None:
    """Orders of up to 100 seats; the daemon makes the tickets, each PDF is rendered."""
    from tix.core.orders.model import Tender
    from tix.daemon import Daemon

    for left in range(tickets, 0, -100):
        runtime.orders.buy(clerk, ticket_type_id, min(100, left), tender=Tender.CASH,
                           tendered=100_000)
    daemon = Daemon(runtime)
    started = time.perf_counter()
    while daemon.deliver_batch():
        pass
    made = runtime.tickets.mine(clerk, limit=tickets)
    for ticket in made:
        runtime.ticket_file(ticket.id, "pdf")
    elapsed = time.perf_counter() - started
    rate = len(made) / elapsed
    print(f"generation, {tickets:>6} tickets: {len(made)} in {elapsed:6.2f} s = {rate:5.0f}/s "
          f"(signed payload + PDF)   target >= 200/s   {'ok' if rate >= 200 else 'MISSED'}")


def check_ins(runtime: Any, clerk: Any, count: int) -> None:
    payloads = [t.qr_payload for t in runtime.tickets.mine(clerk, limit=count)][:count]
    samples = []
    for payload in payloads:
        started = time.perf_counter()
        runtime.tickets.check_in(clerk, payload)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"check-in, {len(samples)} scans: p50 {statistics.median(samples):5.2f} ms   "
          f"p95 {p95:5.2f} ms   target p95 < 5 ms   {'ok' if p95 < 5 else 'MISSED'}")


def payment_to_mail(runtime: Any, clerk: Any, ticket_type_id: str, sales: int) -> None:
    from tix.core.orders.model import Tender
    from tix.daemon import Daemon

    daemon = Daemon(runtime, idle_sleep=0.02)
    worker = threading.Thread(target=daemon.run_forever)
    worker.start()
    box = mailbox.Maildir(runtime.settings.mail_dir, create=True)
    samples = []
    try:
        for _ in range(sales):
            before = sum(1 for m in box if m["Subject"].startswith("Your tickets"))
            started = time.perf_counter()
            runtime.orders.buy(clerk, ticket_type_id, 1, tender=Tender.CASH, tendered=1000)
            while sum(1 for m in box if m["Subject"].startswith("Your tickets")) == before:
                if time.perf_counter() - started > 30:
                    raise SystemExit("no tickets mail within 30 s")
                time.sleep(0.01)
            samples.append(time.perf_counter() - started)
    finally:
        daemon.stopping.set()
        worker.join()
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"payment to mail, {sales} sales: p50 {statistics.median(samples):5.2f} s   "
          f"p95 {p95:5.2f} s   target p95 < 2 s   {'ok' if p95 < 2 else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 instead of 10,000 tickets")
    options = parser.parse_args()
    big = 1_000 if options.quick else 10_000

    def run(url: str) -> None:
        runtime = runtime_for(url)
        for tickets in (10, big):
            clerk, ticket_type_id = setup(runtime, tickets + 100)
            generation(runtime, clerk, ticket_type_id, tickets)
        check_ins(runtime, clerk, 500)
        clerk, ticket_type_id = setup(runtime, 100)
        payment_to_mail(runtime, clerk, ticket_type_id, 20 if options.quick else 40)
        runtime.close()

    with_pg_database(run)


if __name__ == "__main__":
    main()
