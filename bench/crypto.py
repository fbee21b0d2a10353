"""The cost of encrypting personal data on the hot paths, as a ratio to running without it.

Registration and login (bcrypt at cost 4 here, so the cipher's share is not hidden behind
the hash) and a purchase at the counter (hold, order with a holder name, payment and the
outbox message, all encrypted where personal) on SQLite and PostgreSQL, with the real
AES-256-GCM cipher and with an identity stand-in. Target: under 10% on purchase.

Run: .venv/bin/python bench/crypto.py [--rounds 200] [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.startup import sell_for, with_pg_database  # noqa: E402

PASSWORD = "Bench-pass-2026!"


class IdentityCipher:
    """Stores values as they are: the baseline the real cipher is compared with."""

    current_key_id = "plain"

    def encrypt(self, plain: str) -> str:
        return plain

    def decrypt(self, stored: str) -> str:
        return stored

    def blind_index(self, value: str) -> str:
        return value.strip().lower()

    def blind_indexes(self, value: str) -> list[str]:
        return [self.blind_index(value)]


def runtime_for(url: str, home: Path, plain: bool):  # type: ignore[no-untyped-def]
    from tix.bootstrap import bootstrap
    from tix.config import Settings
    from tix.operations import upgrade_database

    settings = Settings(data_dir=home, config_dir=home, database_url=url,
                        secret_key="x" * 40, bcrypt_rounds=4)
    upgrade_database(settings)
    runtime = bootstrap(settings)
    if plain:
        runtime.__dict__["cipher"] = IdentityCipher()
    return runtime


def timed(action: Callable[[int], object], rounds: int) -> float:
    samples = []
    for n in range(rounds):
        started = time.perf_counter()
        action(n)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def one_mode(make_url: Callable[[Path, str], str], mode: str, rounds: int
             ) -> dict[str, float]:
    home = Path(tempfile.mkdtemp())
    runtime = runtime_for(make_url(home, mode), home, plain=mode == "plain")
    run = uuid.uuid4().hex[:6]

    def register(n: int) -> None:
        runtime.accounts.register(email=f"u{n}-{run}@example.com", password=PASSWORD,
                                  name=f"User Number {n}", date_of_birth=date(1990, 1, 1),
                                  verified=True)

    def login(n: int) -> None:
        runtime.accounts.login(email=f"u{n}-{run}@example.com", password=PASSWORD)

    figures = {"register": timed(register, rounds), "login": timed(login, rounds)}
    clerk, ticket_type_id = _counter(runtime, run, rounds * 5)

    def purchase(n: int) -> None:
        from tix.core.orders.model import Tender

        runtime.orders.buy(clerk, ticket_type_id, 1, tender=Tender.CASH, tendered=1000,
                           holders=[f"Holder Number {n}"])

    figures["purchase"] = timed(purchase, rounds * 5)  # a fast path: more samples
    runtime.close()
    return figures


def _counter(runtime, run: str, tickets: int):  # type: ignore[no-untyped-def]
    """A clerk and a ticket type with enough tickets for every purchase."""
    from datetime import timedelta

    from tix.core.principal import Principal, Role

    ids = {role: runtime.accounts.register(
        email=f"{role.value}-{run}@example.com", password=PASSWORD, name="Staff",
        date_of_birth=None, role=role, verified=True) for role in (Role.ORGANIZER, Role.CLERK)}
    start = runtime.clock.now() + timedelta(days=30)
    event_id = runtime.catalog.create(
        Principal(ids[Role.ORGANIZER], "o@bench", "Org", Role.ORGANIZER, "bench"),
        {"name": "Bench", "venue": "Hall", "city": "Berlin", "timezone": "UTC",
         "currency": "EUR", "starts": start.strftime("%Y-%m-%dT%H:%M"),
         "ends": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
         "ticket_types": [{"name": "GA", "price": "10", "quantity": tickets}]})
    clerk = Principal(ids[Role.CLERK], "c@bench", "Clerk", Role.CLERK, "bench")
    sell_for(runtime, event_id, [clerk.user_id])
    return clerk, runtime.catalog.show(event_id).ticket_types[0].id


def measure(label: str, make_url: Callable[[Path, str], str], rounds: int) -> None:
    results = {mode: one_mode(make_url, mode, rounds) for mode in ("plain", "encrypted")}
    for path in ("register", "login", "purchase"):
        plain, sealed = results["plain"][path], results["encrypted"][path]
        print(f"{label:<10} {path:<9} plain {plain * 1000:6.2f} ms   encrypted "
              f"{sealed * 1000:6.2f} ms   ratio {sealed / plain:5.2f}  "
              f"(+{(sealed / plain - 1) * 100:4.1f}%)"
              + ("   target < +10%: " + ("ok" if sealed / plain < 1.10 else "MISSED")
                 if path == "purchase" else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    rounds = 20 if options.quick else options.rounds
    print(f"medians of {rounds} calls each, bcrypt cost 4")
    measure("SQLite", lambda home, mode: f"sqlite:///{home / f'{mode}.db'}", rounds)

    # One database for both modes: each run registers its own addresses.
    with_pg_database(lambda url: measure("PostgreSQL", lambda home, mode: url, rounds))


if __name__ == "__main__":
    main()
