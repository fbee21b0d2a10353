"""`tix serve` as real processes on free loopback ports, for tests over real sockets."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import TEST_SECRET
from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def serving(home: Path, database_url: str, *, count: int = 1, workers: int = 1,
            **settings: str) -> Iterator[list[str]]:
    """`count` servers (`tix serve --workers N`) on one database; yields their base
    addresses."""
    env = {**os.environ, "TIX_DATA_DIR": str(home / "data"),
           "TIX_CONFIG_DIR": str(home / "config"), "TIX_DATABASE_URL": database_url,
           "TIX_SECRET_KEY": TEST_SECRET, "TIX_BCRYPT_ROUNDS": "4",
           "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
           **{f"TIX_{k.upper()}": v for k, v in settings.items()}}
    ports = [free_port() for _ in range(count)]
    processes = [subprocess.Popen([sys.executable, "-m", "tix", "serve", "--port", str(p),
                                   "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True) for p in ports]
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for process, base in zip(processes, bases, strict=True):
            _wait_until_up(process, base)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)


def _wait_until_up(process: subprocess.Popen[str], base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"tix serve exited: {process.stderr.read()[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"tix serve at {base} did not answer within 30 s")
