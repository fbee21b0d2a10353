"""The offline door: what a scan costs on a door device, and merging a night's logs.

  offline verify + log append: p50/p95 of DeviceDoor.scan (the code's Ed25519 signature
  checked against the pack, the verdict decided, the record chained and fsynced to the
  device's log), over 1,000 scans of a 10,000-ticket pack (target p95 < 2 ms)
  merge: 10 devices' logs of 10,000 scans each read from their files (every line's hash
  and every chain checked), unioned and replayed, conflicts found (target < 5 s)

Each figure is the median over --rounds runs (default 5; the merge 3).

Run: .venv/bin/python bench/door.py [--rounds N] [--quick]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from tix.adapters.door.keys import load_or_make_key  # noqa: E402
from tix.adapters.door.log_file import ScanLogFile, read_log  # noqa: E402
from tix.adapters.door.pack_file import public_key_of, write_pack  # noqa: E402
from tix.adapters.signing import Ed25519Signer  # noqa: E402
from tix.core.tickets.door import Scan, ScanKind  # noqa: E402
from tix.core.tickets.door_pack import PackTicketSource, make_pack  # noqa: E402
from tix.core.tickets.model import make_payload  # noqa: E402
from tix.core.tickets.offline import merge  # noqa: E402
from tix.core.tickets.scan_log import chained, flatten, to_line, union  # noqa: E402
from tix.door_device import DeviceDoor  # noqa: E402

EVENT = str(uuid.uuid4())
START = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
KEY = b"k" * 32  # the logs' key (a door key's log_key)


def a_pack(directory: Path, tickets: int) -> tuple[Path, Path, list[str], list[str]]:
    signer = Ed25519Signer(Ed25519PrivateKey.generate())
    key_path = directory / "door.key"
    key = load_or_make_key(key_path, public_key_of(signer))
    ids = [str(uuid.uuid4()) for _ in range(tickets)]
    pack = make_pack(event_id=EVENT, event_number=12, event_name="Bench night",
                     timezone="Europe/Berlin", made_at=START, lists=[],
                     ticket_types={"ga": "Standing"},
                     tickets=[PackTicketSource(t, f"E12-{i + 1:06d}", "ga", f"Holder {i}",
                                               None) for i, t in enumerate(ids)],
                     scans=[], seal=key.seal)
    write_pack(directory / "e12.door", pack, signer)
    return directory / "e12.door", key_path, ids, [make_payload(t, 12, signer) for t in ids]


def scan_round(scans: int, tickets: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        pack, key, _, payloads = a_pack(Path(tmp), tickets)
        times = []
        with DeviceDoor(pack, key, device="gate-a", list_name="main", clerk="bench") as door:
            for payload in payloads[:scans]:
                began = time.perf_counter()
                door.scan(payload)
                times.append((time.perf_counter() - began) * 1000)
        return times


def merge_round(devices: int, per_device: int, tickets: int) -> tuple[float, int, int]:
    rng = random.Random(devices * per_device)
    ids = [str(uuid.uuid4()) for _ in range(tickets)]
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for d in range(devices):
            path = Path(tmp) / f"gate-{d}.scans"
            log = ScanLogFile(path, device=f"gate-{d}", event_id=EVENT, key=KEY)
            records = []
            last = None
            for i in range(per_device):
                scan = Scan(id=str(uuid.uuid4()), event_id=EVENT, ticket_id=rng.choice(ids),
                            kind=ScanKind.ADMIT if rng.random() < 0.9 else ScanKind.EXIT,
                            at=START + timedelta(seconds=i * 0.5 + rng.random()),
                            device=f"gate-{d}")
                last = chained(last, scan, KEY)
                records.append(to_line(last))
            log.close()
            path.write_text("\n".join(records) + "\n")
            paths.append(path)
        began = time.perf_counter()
        logs = [read_log(path, KEY) for path in paths]
        chains = union(*logs)
        merged = merge([r.scan for r in flatten(chains)])
        elapsed = time.perf_counter() - began
        return elapsed, len(merged.scans), len(merged.conflicts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="smaller, for a smoke run")
    args = parser.parse_args()
    scans, tickets = (200, 1000) if args.quick else (1000, 10_000)
    p50s, p95s = [], []
    for _ in range(args.rounds):
        times = scan_round(scans, tickets)
        p50s.append(statistics.median(times))
        p95s.append(statistics.quantiles(times, n=20)[18])
    print(f"offline verify + log append ({scans} scans, {tickets:,}-ticket pack, "
          f"{args.rounds} rounds): p50 {statistics.median(p50s):.3f} ms, "
          f"p95 {statistics.median(p95s):.3f} ms (median of rounds; target p95 < 2 ms)")
    devices, per_device = (10, 1000) if args.quick else (10, 10_000)
    runs = [merge_round(devices, per_device, tickets) for _ in range(max(3, args.rounds // 2))]
    seconds = statistics.median(r[0] for r in runs)
    print(f"merge of {devices * per_device:,} scans from {devices} devices (read, every "
          f"chain checked, union, replay, conflicts): {seconds:.2f} s median of {len(runs)} "
          f"runs ({runs[0][1]:,} scans, {runs[0][2]:,} conflicts; target < 5 s)")


if __name__ == "__main__":
    main()
