"""`tix serve` under load on PostgreSQL with Redis, over real sockets, loaders on the same
machine (say so when quoting: on 2 cores they share the CPU with the server and PostgreSQL).

(1) saturation: the shop's event page (GET /events/<id>, HTML), the API's event
    (GET /api/events/{id}), the API's search (GET /api/events?q=…) and the shop's
    (GET /search?q=…), each by 200 closed-loop clients without think time: requests/s,
    p50/p95. This measures throughput, not latency (Little's law: p95 under 30 ms at 200
    clients would need ~7,000 req/s). Loader: wrk when installed (apt-get install wrk),
    else tix's own raw asyncio HTTP/1.1 client (bench/http_load.py).
(2) readers: the same pages by 200 clients each asking once a second (open arrivals at
    200/s spread evenly, like people reading pages): p50/p95/p99 — the latency figure.
(3) orders: free tickets through POST /api/orders by 32 closed-loop clients (Bearer
    sessions, as scripts and apps call the API; --buyers 1-4 shows what one order costs
    apart from queueing), each order for the next of ACCOUNTS people (1,000: each buys
    about four, as at a real on-sale; every order checks the type's per-person limit
    against what that person holds and bought; --accounts 32 makes each client one person
    who buys over a hundred times, the per-person count then growing with every order)
    until a type of QUANTITY is sold out:
    orders/s, p50/p95/p99, oversold from the database (must be 0: sold = QUANTITY, stock 0),
    as a row keyed by the clients: bench/versus.py gives the medians of two trees, e.g.
    .venv/bin/python bench/versus.py /tmp/tix-base web.py --rounds 5 -- --only orders
Each line also gives the server's CPU per request (its processes, from /proc), the
loader's CPU share of one core and the load average.

Targets (issue 19): at least 300 orders/s with p95 under 100 ms; page p95 under 30 ms
cached. The yardstick: pretix's REST API placed 19.9 orders/s at 32 clients.

Run: .venv/bin/python bench/web.py [--workers 2] [--seconds 10] [--quantity 4000]
                                   [--buyers 32] [--accounts 1000]
                                   [--only pages|orders] [--no-wrk]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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
ACCOUNTS = 1000
READERS = 200


def settings_for(url: str, home: Path) -> Any:
    from tix.config import Settings

    return Settings(data_dir=home, config_dir=home, database_url=url, secret_key=SECRET,
                    bcrypt_rounds=4, redis_url=REDIS_URL)


def prepare(url: str, home: Path, quantity: int, accounts: int
            ) -> tuple[str, str, list[str]]:
    """Events to search, one on sale; returns (its id, the free type's id, a session token
    of each of `accounts` buyers)."""
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
                              # checked with every order; one buyer may buy them all
                              "limit": quantity},
                             {"name": "Seated", "price": "30.00", "quantity": 100}]})
    free_type = runtime.catalog.show(event_id).ticket_types[0].id
    tokens = []
    for n in range(accounts):
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
           # after this tree: what the caller adds (e.g. uvloop, httptools, orjson)
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
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
    said = process.stderr.read().decode() if process.stderr else ""  # piped: always there
    raise SystemExit(f"tix serve did not start: {said[-2000:]}")


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


WRK_SCRIPT = """
paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("TIX %%d %%d %%f %%f %%f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, latency:percentile(50),
    latency:percentile(95), latency:percentile(99)))
end
"""


def wrk_closed(base: str, paths: list[str], clients: int, seconds: float
               ) -> tuple[float, float, float, str, float]:
    """wrk's closed loops: (req/s, p50 s, p95 s, errors as wrk tells them, wrk's CPU share
    of one core). Its timeout is 2 s: an answer later than that counts as an error."""
    import resource

    script = Path(tempfile.mkdtemp()) / "paths.lua"
    script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds:.0f}s", "-s",
                          str(script), base], capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(x for x in out.stdout.splitlines() if x.startswith("TIX "))
    _, errors, p50, p95, _ = (float(v) for v in line.split()[1:])
    said = [x.strip() for x in out.stdout.splitlines()
            if x.strip().startswith(("Socket errors", "Non-2xx"))]
    rate = float(next(x for x in out.stdout.splitlines()
                      if x.startswith("Requests/sec")).split()[1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    shown = f"{errors:.0f}" + (f" ({'; '.join(said)})" if said else "")
    return rate, p50 / 1e6, p95 / 1e6, shown, cpu / seconds  # wrk: microseconds


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by `tix serve` (its supervisor and workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        pids += [int(c) for c in children]
    return total


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def run(url: str, options: argparse.Namespace) -> None:
    from bench import http_load
    from tests.smtp_server import free_port

    home = Path(tempfile.mkdtemp())
    event_id, free_type, tokens = prepare(url, home, options.quantity,
                                          max(options.accounts, options.buyers))
    port = free_port()
    process = serve(url, home, port, options.workers)
    base = f"http://127.0.0.1:{port}"
    host = "127.0.0.1"
    use_wrk = shutil.which("wrk") is not None and not options.no_wrk
    try:
        api_searches = [f"/api/events?q={w}" for w in ("jazz", "piano", "rock+night",
                                                          "opera")] + [
            f"/api/events?city={c}&sort=date" for c in ("Berlin", "Zurich", "Vienna")]
        shop_searches = [f"/search?q={w}" for w in ("jazz", "piano", "rock+night", "opera")]
        targets = (("event page (shop HTML)", [f"/events/{event_id}"]),
                   ("event (API JSON)", [f"/api/events/{event_id}"]),
                   ("search (API JSON)", api_searches),
                   ("search (shop HTML)", shop_searches))
        closed_loader = "wrk -t2" if use_wrk else f"python {http_load.loop_name()} raw HTTP"
        print(f"tix serve --workers {options.workers}, {os.cpu_count()} cores, PostgreSQL + "
              f"Redis, loaders on the same machine; {load()} at start")
        print(f"\n(1) saturation: {READERS} closed-loop clients, no think time "
              f"({options.seconds:.0f} s each; loader: {closed_loader})")
        for name, paths in targets if options.only != "orders" else ():
            http_load.run(http_load.closed(host, port, paths, READERS, 1))  # warm
            cpu = server_cpu(process.pid)
            if use_wrk:
                rate, p50, p95, errors, share = wrk_closed(base, paths, READERS,
                                                           options.seconds)
            else:
                tally = http_load.run(http_load.closed(host, port, paths, READERS,
                                                       options.seconds))
                rate, errors, share = tally.rate, str(tally.errors()), tally.cpu_share
                p50, p95 = http_load.ms(tally.latencies, .5) / 1000, http_load.ms(
                    tally.latencies, .95) / 1000
            served = (server_cpu(process.pid) - cpu) / (rate * options.seconds)
            print(f"  {name:<22} {rate:7.0f} req/s  p50 {1000 * p50:7.1f} ms  p95 "
                  f"{1000 * p95:7.1f} ms  errors {errors}  server CPU {1000 * served:4.1f} "
                  f"ms/req  loader CPU {share:4.0%}  {load()}")
        print(f"\n(2) readers: {READERS} clients each asking once a second (open arrivals, "
              f"{READERS}/s spread evenly; loader: python {http_load.loop_name()} raw HTTP)")
        for name, paths in targets if options.only != "orders" else ():
            tally = http_load.run(http_load.open_arrivals(host, port, paths, READERS,
                                                          READERS, options.seconds))
            print(f"  {name:<22} {tally.rate:7.0f} req/s  p50 "
                  f"{http_load.ms(tally.latencies, .5):7.1f} ms  p95 "
                  f"{http_load.ms(tally.latencies, .95):7.1f} ms  p99 "
                  f"{http_load.ms(tally.latencies, .99):7.1f} ms  errors {tally.errors()}  "
                  f"loader CPU {tally.cpu_share:4.0%}  {load()}")

        def sold_out(status: int, answer: bytes) -> bool:
            return status == 409 and json.loads(answer).get("code") in (
                "sold_out", "not_enough", "over_limit")  # over_limit: one buyer bought all

        body = {"items": [{"ticket_type": free_type, "quantity": 1}], "tender": "free"}
        if options.only == "pages":
            return
        cpu = server_cpu(process.pid)
        people = [tokens[n::options.buyers] for n in range(options.buyers)]  # per client
        tally = http_load.run(http_load.buyers(host, port, people, body, sold_out))
        served = (server_cpu(process.pid) - cpu) / max(1, len(tally.latencies))
        left, stored = counted(url, free_type)
        oversold = max(0, stored - options.quantity)
        sold = len(tally.latencies)
        print(f"\n(3) orders: {options.buyers} closed-loop clients (Bearer) ordering for "
              f"{len(tokens)} people in turn, free tickets until the type of "
              f"{options.quantity} is sold out (loader: python {http_load.loop_name()} "
              "raw HTTP)")
        # a row keyed by the clients, as bench/versus.py reads it (medians of two trees)
        print(f"  {'clients':>7} {'orders/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
              f"{'oversold':>8} {'server_cpu_ms/order':>19}")
        print(f"  {options.buyers:>7} {tally.rate:>8.0f} "
              f"{http_load.ms(tally.latencies, .5):>7.1f} "
              f"{http_load.ms(tally.latencies, .95):>7.1f} "
              f"{http_load.ms(tally.latencies, .99):>7.1f} {oversold:>8} {1000 * served:>19.2f}")
        print(f"  sold {sold} (stored {stored}) of {options.quantity}, left {left}, other "
              f"answers {tally.errors(201)}; loader CPU {tally.cpu_share:.0%}; {load()}")
    finally:
        process.terminate()
        process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--quantity", type=int, default=4000)
    parser.add_argument("--buyers", type=int, default=BUYERS,
                        help="closed-loop clients in (3); 1 shows an order's own cost")
    parser.add_argument("--accounts", type=int, default=ACCOUNTS,
                        help="people the clients order for in turn in (3) (at least one "
                             "a client)")
    parser.add_argument("--only", choices=("pages", "orders"), help="one part only")
    parser.add_argument("--no-wrk", action="store_true",
                        help="closed loops on the Python loader even when wrk is installed")
    options = parser.parse_args()
    with_pg_database(lambda url: run(url, options))


if __name__ == "__main__":
    main()
