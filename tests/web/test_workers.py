"""`tix serve --workers N` on Linux: each worker accepts on a socket of its own on the one
port (SO_REUSEPORT), so kept-alive connections spread over the workers instead of piling
onto whichever woke first; the port stays refused to a second server; a worker that dies
is replaced on its socket."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from tests.conftest import TEST_SECRET
from tests.web.served import ROOT, serving


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def sockets_on(port: int, state: str) -> set[str]:
    """The inodes of TCP sockets on local `port` in `state` (01 established, 0A listening)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == state:
            inodes.add(fields[9])
    return inodes


def connections_per_process(port: int, pids: set[int]) -> Counter[int]:
    """Established TCP connections on `port` (the server's side) held by each process."""
    inodes = sockets_on(port, "01")
    held: Counter[int] = Counter()
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd) if fd.is_symlink() else ""
            if target.startswith("socket:[") and target[8:-1] in inodes:
                held[pid] += 1
    return held


def server_pid(port: int) -> int:
    """The supervisor's pid: the process whose command line names the port."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in words and str(port).encode() in words:
            return int(cmdline.parent.name)
    raise AssertionError(f"no tix serve on port {port}")


def workers_of(port: int, count: int) -> set[int]:
    """The supervisor's workers (its children but the resource tracker), once `count` of
    them listen (the kernel sends connections to listening sockets only)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = {pid for pid in children(server_pid(port))
                if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()}
        if len(pids) == count and len(sockets_on(port, "0A")) == count:
            return pids
        time.sleep(0.2)
    raise AssertionError(f"tix serve on {port} never had {count} workers")


def test_a_burst_of_kept_alive_connections_spreads_over_the_workers(tmp_path):
    """32 connections opened at once, as 32 buyers' apps do: on one shared socket the
    first worker awake accepted them all (the other idle for as long as they lived)."""
    database = f"sqlite:///{tmp_path / 'tix.db'}"
    with serving(tmp_path, database, workers=2) as (base,):
        port = int(base.rsplit(":", 1)[1])
        workers = workers_of(port, 2)
        burst = [socket.create_connection(("127.0.0.1", port), timeout=10)
                 for _ in range(32)]  # all waiting in the kernel before any is accepted
        try:
            for sock in burst:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: tix\r\n\r\n")
            for sock in burst:
                assert sock.recv(4096).startswith(b"HTTP/1.1 200")
            held = connections_per_process(port, workers)
            assert sum(held.values()) == 32
            # by the kernel's hash of each connection: fewer than 6 of 32 on a worker
            # of two is a chance of 1 in 20,000
            assert min(held.get(pid, 0) for pid in workers) >= 6, held
        finally:
            for sock in burst:
                sock.close()


def test_the_port_stays_refused_to_a_second_server_and_a_dead_worker_is_replaced(
        tmp_path):
    database = f"sqlite:///{tmp_path / 'tix.db'}"
    with serving(tmp_path, database, workers=2) as (base,):
        port = int(base.rsplit(":", 1)[1])
        other = tmp_path / "other"
        second = subprocess.run(
            [sys.executable, "-m", "tix", "serve", "--port", str(port), "--workers", "2"],
            env={**os.environ, "TIX_DATA_DIR": str(other), "TIX_CONFIG_DIR": str(other),
                 "TIX_SECRET_KEY": TEST_SECRET, "PYTHONPATH": str(ROOT)},
            capture_output=True, text=True, timeout=60)
        assert second.returncode == 6, second.stderr
        said = second.stderr.strip().splitlines()[-1]
        assert said == f"tix: cannot listen on 127.0.0.1:{port}: Address already in use"
        workers = workers_of(port, 2)
        dead = min(workers)
        os.kill(dead, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while dead in (now := workers_of(port, 2)) or len(now) != 2:
            assert time.monotonic() < deadline, "the dead worker was never replaced"
            time.sleep(0.2)
        for _ in range(20):  # new connections, on either socket, are served
            with httpx.Client(base_url=base, timeout=10) as client:
                assert client.get("/healthz").status_code == 200
