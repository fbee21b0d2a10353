"""`tix serve` under load on PostgreSQL with Redis, over real sockets.

- the event (GET /api/events/{id}) and search (GET /api/events?q=…) at 200 concurrent
  clients: requests/s, p50/p95 (cached as search is);
- free-ticket orders through POST /api/orders at 32 concurrent buyers (Bearer sessions,
  as scripts and apps call the API) until a ticket type of QUANTITY is sold out:
  orders/s, p50/p95, and oversold (must be 0: sold = QUANTITY, stock 0).

Targets (issue 19): at least 300 orders/s with p95 under 100 ms; page p95 under 30 ms
cached. The yardstick: pretix's REST API placed 19.9 orders/s at 32 clients.

Run: .venv/bin/python bench/web.py [--workers 2] [--seconds 10] [--quantity 4000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.startup import with_pg_database  # noqa: E402

REDIS_URL = os.environ.get("TIX_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SECRET = "bench-secret-key-that-is-long-enough-for-hs256!"
PASSWORD = "Bench-pass-1!"
BUYERS = 32
READERS = 200


def settings_for(url: str, home: Path) -> Any:
    from tix.config import Settings

    return Settings(data_dir=home, config_dir=home, database_url=url, secret_key=SECRET,
                    bcrypt_rounds=4, redis_url=REDIS_URL)


def prepare(url: str, home: Path, quantity: int) -> tuple[str, str, list[str]]:
    """Events to search, one on sale; returns (its id, the free type's id, buyer tokens)."""
    import redis

    from tix.bootstrap import bootstrap
    from tix.core.principal import Role
    from tix.operations import upgrade_database

    redis.Redis.from_url(REDIS_URL).flushdb()
    settings = settings_for(url, home)
    upgrade_database(settings)
    runtime = bootstrap(settings)
    runtime.accounts.register(email="org@bench.tix", password=PASSWORD, name="Org",
                              date_of_birth=None, role=Role.ORGANIZER, verified=True)
    organizer = runtime.accounts.login(email="org@bench.tix", password=PASSWORD).principal
    start = runtime.clock.now() + timedelta(days=30)
    cities = ["Berlin", "Hamburg", "Munich", "Zürich", "Vienna"]
    event_id = ""
    for n in range(60):
        moment = start + timedelta(days=n)
        event_id = runtime.catalog.create(organizer, {
            "name": f"{['Jazz', 'Piano', 'Rock', 'Opera'][n % 4]} night {n}", "venue": "Hall",
            "city": cities[n % len(cities)], "category": "music", "currency": "EUR",
            "starts": moment.strftime("%Y-%m-%dT%H:%M"),
            "ends": (moment + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "timezone": "Europe/Berlin",
            "ticket_types": [{"name": "Free entry", "price": "0.00", "quantity": quantity,
                              "limit": quantity},
                             {"name": "Seated", "price": "30.00", "quantity": 100}]})
    free_type = runtime.catalog.show(event_id).ticket_types[0].id
    tokens = []
    for n in range(BUYERS):
        email = f"buyer{n}@bench.tix"
        runtime.accounts.register(email=email, password=PASSWORD, name=f"Buyer {n}",
                                  date_of_birth=date(1990, 1, 1), verified=True)
        tokens.append(runtime.accounts.login(email=email, password=PASSWORD,
                                             remember_me=True).token)
    runtime.close()
    return event_id, free_type, tokens


def serve(url: str, home: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TIX_DATA_DIR": str(home), "TIX_CONFIG_DIR": str(home),
           "TIX_DATABASE_URL": url, "TIX_SECRET_KEY": SECRET, "TIX_REDIS_URL": REDIS_URL,
           "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "tix", "serve", "--port", str(port),
                                "--workers", str(workers)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                time.sleep(1)  # every worker up
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"tix serve did not start: {process.stderr.read().decode()[-2000:]}")


async def reads(base: str, paths: list[str], clients: int, seconds: float
                ) -> tuple[float, list[float], int]:
    """`clients` loops reading `paths` in turn for `seconds`: (requests/s, latencies, errors)."""
    import httpx

    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def loop(n: int) -> None:
            nonlocal errors
            i = n
            while time.monotonic() < stop:
                began = time.perf_counter()
                answer = await client.get(paths[i % len(paths)])
                latencies.append(time.perf_counter() - began)
                errors += answer.status_code != 200
                i += 1

        began = time.monotonic()
        await asyncio.gather(*(loop(n) for n in range(clients)))
        elapsed = time.monotonic() - began
    return len(latencies) / elapsed, latencies, errors


async def orders(base: str, tokens: list[str], ticket_type: str
                 ) -> tuple[float, list[float], int, int]:
    """Each buyer orders one free ticket after another until it is sold out:
    (orders/s, latencies of the orders placed, sold, other answers)."""
    import httpx

    latencies: list[float] = []
    sold = others = 0
    body = {"items": [{"ticket_type": ticket_type, "quantity": 1}], "tender": "free"}
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def buyer(token: str) -> None:
            nonlocal sold, others
            headers = {"Authorization": f"Bearer {token}"}
            while True:
                began = time.perf_counter()
                answer = await client.post("/api/orders", json=body, headers=headers)
                if answer.status_code == 201:
                    latencies.append(time.perf_counter() - began)
                    sold += 1
                elif answer.status_code == 409 and answer.json()["code"] in (
                        "sold_out", "not_enough"):
                    return
                else:
                    others += 1
                    if others > 1000:
                        raise SystemExit(f"orders refused: {answer.status_code} {answer.text}")

        began = time.monotonic()
        await asyncio.gather(*(buyer(t) for t in tokens))
        elapsed = time.monotonic() - began
    return sold / elapsed, latencies, sold, others


def counted(url: str, ticket_type: str) -> tuple[int, int]:
    """(tickets left in stock, tickets in completed orders) of the type, from the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        left = conn.execute(text("SELECT available FROM stock WHERE ticket_type_id = :t"),
                            {"t": ticket_type}).scalar_one()
        stored = conn.execute(text(
            "SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o "
            "ON o.id = l.order_id WHERE l.ticket_type_id = :t AND o.status = 'COMPLETED'"),
            {"t": ticket_type}).scalar_one()
    engine.dispose()
    return int(left), int(stored)


def ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(url: str, options: argparse.Namespace) -> None:
    from tests.smtp_server import free_port

    home = Path(tempfile.mkdtemp())
    event_id, free_type, tokens = prepare(url, home, options.quantity)
    port = free_port()
    process = serve(url, home, port, options.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        searches = [f"/api/events?q={w}" for w in ("jazz", "piano", "rock night", "opera")] + [
            f"/api/events?city={c}&sort=date" for c in ("Berlin", "Zurich", "Vienna")]
        print(f"tix serve --workers {options.workers}, {os.cpu_count()} cores, PostgreSQL + "
              f"Redis; clients in one asyncio process on the same machine")
        for name, paths in (("event page", [f"/api/events/{event_id}"]),
                            ("search", searches)):
            asyncio.run(reads(base, paths, READERS, 2))  # warm: caches, connections
            rate, latencies, errors = asyncio.run(reads(base, paths, READERS,
                                                        options.seconds))
            print(f"{name:<11} {READERS} clients: {rate:7.0f} req/s  p50 "
                  f"{ms(latencies, .5):6.1f} ms  p95 {ms(latencies, .95):6.1f} ms  "
                  f"errors {errors}")
        rate, latencies, sold, others = asyncio.run(orders(base, tokens, free_type))
        left, stored = counted(url, free_type)
        oversold = max(0, stored - options.quantity)
        print(f"orders      {BUYERS} buyers:  {rate:7.0f} orders/s  p50 "
              f"{ms(latencies, .5):6.1f} ms  p95 {ms(latencies, .95):6.1f} ms  "
              f"sold {sold} (stored {stored}) of {options.quantity}, left {left}, "
              f"oversold {oversold}, other answers {others}")
    finally:
        process.terminate()
        process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--quantity", type=int, default=4000)
    options = parser.parse_args()
    with_pg_database(lambda url: run(url, options))


if __name__ == "__main__":
    main()
