"""Check-in at the door: what admitting a ticket costs now that it reads its order (locked).

  p50/p95 of `TicketService.check_in` over 300 scans, on PostgreSQL and SQLite
  (target p95 < 5 ms, as bench/tickets.py)

With `--baseline DIR` (a checkout of an older commit, e.g. `git worktree add /tmp/base
7314a68`), rounds of this code and of that one alternate, each in a fresh process and
database, and the medians of both are printed with their ratio.

Run: .venv/bin/python bench/checkin.py [--baseline DIR] [--rounds N] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_round(database: str, scans: int) -> list[float]:
    """In this process, on the tix importable from sys.path: sell and issue `scans`
    tickets, then scan each once; milliseconds per scan."""
    from bench.startup import with_pg_database
    from bench.tickets import runtime_for, setup
    from tix.core.orders.model import Tender
    from tix.daemon import Daemon

    samples: list[float] = []

    def run(url: str) -> None:
        runtime = runtime_for(url)
        clerk, ticket_type_id = setup(runtime, scans + 10)
        for _ in range(scans // 10):
            runtime.orders.buy(clerk, ticket_type_id, 10, tender=Tender.CASH, tendered=10_000)
        Daemon(runtime).run_once()
        payloads = [t.qr_payload for t in runtime.tickets.mine(clerk, limit=scans)]
        runtime.tickets.check_in(clerk, payloads.pop())  # warm: connections, statements
        for payload in payloads:
            started = time.perf_counter()
            runtime.tickets.check_in(clerk, payload)
            samples.append((time.perf_counter() - started) * 1000)
        runtime.close()

    if database == "postgres":
        with_pg_database(run)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/tix.db")
    return samples


def _round_in(checkout: Path, database: str, scans: int) -> list[float]:
    """One round in a fresh process importing tix from `checkout` (and this bench)."""
    code = ("import json, runpy, sys; sys.path[:0] = [sys.argv[1]]; "
            "bench = runpy.run_path(sys.argv[2]); "
            "print(json.dumps(bench['one_round'](sys.argv[3], int(sys.argv[4]))))")
    env = {**os.environ, "PYTHONPATH": ""}
    out = subprocess.run([sys.executable, "-c", code, str(checkout), __file__, database,
                          str(scans)], capture_output=True, text=True, env=env, check=True,
                         cwd=tempfile.gettempdir())
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[int(len(ordered) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="2 rounds of 100 scans")
    options = parser.parse_args()
    if options.quick:
        options.rounds, options.scans = 2, 100
    load = os.getloadavg()[0]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {load:.2f}")
    trees = {"this code": ROOT}
    if options.baseline:
        # the baseline's own bench/tickets.py and bench/startup.py helpers are used too
        trees["baseline"] = options.baseline.resolve()
    for database in ("postgres", "sqlite"):
        medians: dict[str, list[float]] = {name: [] for name in trees}
        p95s: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(options.rounds):
            for name, tree in trees.items():  # interleaved: the machine's drift hits both
                samples = _round_in(tree, database, options.scans)
                medians[name].append(statistics.median(samples))
                p95s[name].append(_p95(samples))
        for name in trees:
            p50, p95 = statistics.median(medians[name]), statistics.median(p95s[name])
            print(f"{database:8} {name:9}  check-in p50 {p50:5.2f} ms  p95 {p95:5.2f} ms  "
                  f"target p95 < 5 ms  {'ok' if p95 < 5 else 'MISSED'}")
        if options.baseline:
            ratio = statistics.median(medians["this code"]) / statistics.median(
                medians["baseline"])
            print(f"{database:8} p50 this code / baseline = {ratio:.2f}")


if __name__ == "__main__":
    main()
