"""A lean HTTP/1.1 keep-alive load generator for bench/web.py: raw asyncio streams (uvloop
when installed), no HTTP library, so that on a 2-core machine the loader takes as little
as it can of the CPU the server and PostgreSQL need. Closed loops (N clients, no think
time: saturation) and open arrivals (a fixed rate spread evenly: latency as readers see it).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0
    cpu: float = 0.0  # the loader's own CPU seconds

    def count(self, status: int, latency: float) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.latencies.append(latency)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    @property
    def cpu_share(self) -> float:
        """Of one core, over the run."""
        return self.cpu / self.elapsed if self.elapsed else 0.0

    def errors(self, ok: int = 200) -> int:
        return sum(n for s, n in self.statuses.items() if s != ok)


def ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"",
                      headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        closes = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                closes = True
            elif name == b"transfer-encoding":
                raise RuntimeError("chunked answers are not read by this loader")
        payload = await self.reader.readexactly(length) if length else b""
        if closes:
            self.close()
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


async def closed(host: str, port: int, paths: list[str], clients: int,
                 seconds: float) -> Tally:
    """`clients` connections, each asking for `paths` in turn without pause for `seconds`."""
    tally = Tally()
    stop = time.perf_counter() + seconds

    async def loop(n: int) -> None:
        connection = Connection(host, port)
        i = n
        try:
            while time.perf_counter() < stop:
                began = time.perf_counter()
                status, _ = await connection.request("GET", paths[i % len(paths)])
                tally.count(status, time.perf_counter() - began)
                i += 1
        finally:
            connection.close()

    cpu, began = _cpu(), time.perf_counter()
    await asyncio.gather(*(loop(n) for n in range(clients)))
    tally.elapsed, tally.cpu = time.perf_counter() - began, _cpu() - cpu
    return tally


async def open_arrivals(host: str, port: int, paths: list[str], clients: int,
                        rate: float, seconds: float) -> Tally:
    """`clients` readers, each asking once every clients/rate seconds, their starts spread
    evenly (an open arrival rate of `rate`/s). A reader whose answer is late asks again at
    once: the rate holds unless the server falls behind by a whole period."""
    tally = Tally()
    period = clients / rate
    began = time.perf_counter()
    stop = began + seconds

    async def reader(n: int) -> None:
        connection = Connection(host, port)
        due = began + period * n / clients
        i = n
        try:
            while due < stop:
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                sent = time.perf_counter()
                status, _ = await connection.request("GET", paths[i % len(paths)])
                tally.count(status, time.perf_counter() - sent)
                due += period
                i += 1
        finally:
            connection.close()

    cpu = _cpu()
    await asyncio.gather(*(reader(n) for n in range(clients)))
    tally.elapsed, tally.cpu = time.perf_counter() - began, _cpu() - cpu
    return tally


async def buyers(host: str, port: int, people: list[list[str]], body: dict[str, Any],
                 done: Callable[[int, bytes], bool]) -> Tally:
    """One closed loop per list of session tokens, POSTing `body` to /api/orders for each
    of its people in turn until `done(status, body)` says the sale is over; the tally
    holds every answer that placed an order (201)."""
    tally = Tally()
    payload = json.dumps(body).encode()
    others: list[tuple[int, bytes]] = []

    async def buyer(tokens: list[str]) -> None:
        connection = Connection(host, port)
        turns = [{"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
                 for token in tokens]
        try:
            for turn in itertools.count():
                headers = turns[turn % len(turns)]
                began = time.perf_counter()
                status, answer = await connection.request("POST", "/api/orders", payload,
                                                          headers)
                if status == 201:
                    tally.count(status, time.perf_counter() - began)
                elif done(status, answer):
                    return
                else:
                    tally.statuses[status] = tally.statuses.get(status, 0) + 1
                    others.append((status, answer))
                    if len(others) > 1000:
                        raise SystemExit(f"orders refused: {status} {answer[:300]!r}")
        finally:
            connection.close()

    cpu, began = _cpu(), time.perf_counter()
    await asyncio.gather(*(buyer(tokens) for tokens in people))
    tally.elapsed, tally.cpu = time.perf_counter() - began, _cpu() - cpu
    return tally


def run(coroutine: Any) -> Any:
    """asyncio.run on uvloop when it is installed (a cheaper loader)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def loop_name() -> str:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"
