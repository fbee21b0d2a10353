"""The attendee list of a big event: `tix event attendees E --format csv -o FILE` on
PostgreSQL, 10,000 and 100,000 attendees (target: 100,000 in under 10 s, with memory that
does not grow with the size).

The attendees are written straight into the tables with COPY (buyers, orders of two
tickets with their lines, tickets, an answer per ticket, a scan for every tenth ticket;
personal data encrypted as tix stores it), so the setup takes seconds rather than the
hour that 50,000 sales through the service would. The export then runs as the command
runs it — the tickets service's streamed rows written by the CLI's writer — once timed,
once under tracemalloc for its peak (tracemalloc slows Python, so apart).

Run: .venv/bin/python bench/export.py [--sizes 10000,100000] [--format csv|json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TICKETS_PER_ORDER = 2


def seed(runtime: Any, owner: Any, attendees: int) -> str:
    """An event of `attendees` tickets, inserted with COPY; returns its number (E12)."""
    start = runtime.clock.now() + timedelta(days=30)
    event_id = runtime.catalog.create(owner, {
        "name": f"Bench night of {attendees}", "venue": "Hall", "city": "Berlin",
        "timezone": "UTC", "currency": "EUR", "starts": start.strftime("%Y-%m-%dT%H:%M"),
        "ends": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "questions": [{"key": "diet", "text": "Dietary needs?", "kind": "choice",
                       "choices": ["none", "vegan"]}],
        "ticket_types": [{"name": "GA", "price": "10", "quantity": attendees}]})
    details = runtime.catalog.show(event_id)
    number, type_id = details.summary.number, details.ticket_types[0].id
    seal, index = runtime.cipher.encrypt, runtime.cipher.blind_index
    now = datetime.now(UTC)
    users, orders, lines, tickets, answers, scans = [], [], [], [], [], []
    for o in range(attendees // TICKETS_PER_ORDER):
        user_id, order_id = str(uuid.uuid4()), str(uuid.uuid4())
        email = f"buyer{o}.e{number}@bench.tix"
        users.append((user_id, seal(email), index(email), seal(f"Buyer {o}"), "!",
                      "customer", now, 0))
        holders = [f"Holder {o}-{seat}" for seat in range(TICKETS_PER_ORDER)]
        orders.append((order_id, f"B{number}-{o:08d}", user_id, event_id, TICKETS_PER_ORDER,
                       "EUR", "cash", seal(json.dumps(holders)), "COMPLETED", now, now, 0,
                       False))
        lines.append((order_id, 0, type_id, TICKETS_PER_ORDER, 1000))
        for seat, holder in enumerate(holders):
            sequence = o * TICKETS_PER_ORDER + seat + 1
            ticket_id = str(uuid.uuid4())
            used = sequence % 10 == 0
            tickets.append((ticket_id, f"E{number}-{sequence:06d}", sequence, event_id,
                            order_id, seat, user_id, type_id, seal(holder),
                            f"bench-{ticket_id}", "USED" if used else "VALID", now,
                            now if used else None))
            answers.append((str(uuid.uuid4()), order_id, seat, seat, "diet", "Dietary needs?",
                            seal("vegan" if sequence % 3 else "none")))
            if used:
                scans.append((str(uuid.uuid4()), event_id, ticket_id, "ADMIT", now, "gate",
                              "main", "bench", "", "", "", now))
    copies = [
        ("users (id, email, email_key, name, password_hash, role, created_at, "
         "failed_logins)", users),
        ("orders (id, number, user_id, event_id, quantity, currency, tender, holders, "
         "status, created_at, completed_at, refunded_amount, test)", orders),
        ("order_lines (order_id, position, ticket_type_id, quantity, unit_price)", lines),
        ("tickets (id, number, sequence, event_id, order_id, seat, user_id, ticket_type_id, "
         "holder, qr_payload, status, created_at, checked_in_at)", tickets),
        ("order_answers (id, order_id, position, seat, question, text, value)", answers),
        ("door_scans (id, event_id, ticket_id, kind, at, device, list_name, clerk, reason, "
         "code, undoes, recorded_at)", scans)]
    raw = runtime.engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            for target, rows in copies:
                with cursor.copy(f"COPY {target} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
    return f"E{number}"


def export(runtime: Any, owner: Any, event: str, fmt: str, target: Path) -> tuple[int, float]:
    """The command's work: the streamed rows written to a file; (rows, seconds)."""
    from tix.export_files import write_rows
    from tix.export_tables import ATTENDEE_COLUMNS
    from tix.json_shapes import attendee_json

    started = time.perf_counter()
    listing = runtime.tickets.attendee_lists.attendees(owner, event, purpose=fmt)
    keys = list(listing.columns)
    count = write_rows(
        listing.rows, fmt=fmt, output=target, total=listing.total,
        header=ATTENDEE_COLUMNS + keys,
        csv_row=lambda a: [a.ticket, a.ticket_type, a.status, a.holder, a.buyer_email,
                           a.order, a.checked_in_at, a.first_scan_at,
                           *(a.answers.get(k, "") for k in keys)],
        json_row=attendee_json, label=event)
    return count, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--format", default="csv", choices=["csv", "json"])
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]

    from bench.startup import with_pg_database
    from bench.tickets import runtime_for
    from tix.core.principal import Principal, Role

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, PostgreSQL, "
          f"--format {options.format}")

    def run(url: str) -> None:
        runtime = runtime_for(url)
        owner_id = runtime.accounts.register(
            email="olga@bench.tix", password="Bench-pass-1!", name="Olga",
            date_of_birth=date(1990, 1, 1), role=Role.ORGANIZER, verified=True)
        owner = Principal(owner_id, "olga@bench.tix", "Olga", Role.ORGANIZER, "bench")
        with tempfile.TemporaryDirectory() as tmp:
            for size in sizes:
                began = time.perf_counter()
                event = seed(runtime, owner, size)
                setup = time.perf_counter() - began
                target = Path(tmp) / f"{event}.{options.format}"
                rows, seconds = export(runtime, owner, event, options.format, target)
                tracemalloc.start()
                export(runtime, owner, event, options.format, target)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                print(f"{rows:>7} attendees: export {seconds:5.2f} s "
                      f"({rows / seconds:,.0f} rows/s), peak Python memory "
                      f"{peak / 2**20:5.1f} MiB, file {target.stat().st_size / 2**20:5.1f} "
                      f"MiB (setup {setup:.1f} s)")
        runtime.close()

    with_pg_database(run)


if __name__ == "__main__":
    main()
