"""Helpers that read like the steps of a scenario."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from tix.bootstrap import Runtime
from tix.core.principal import Principal, Role
from tix.daemon import Daemon

PASSWORD = "Correct-horse-9!"


def user(runtime: Runtime, email: str = "ann@example.com", *, role: Role = Role.CUSTOMER,
         name: str = "Ann Example", verified: bool = True) -> str:
    return runtime.accounts.register(email=email, password=PASSWORD, name=name,
                                     date_of_birth=date(1990, 1, 2), role=role,
                                     verified=verified)


def logged_in(runtime: Runtime, email: str = "ann@example.com", *,
              role: Role = Role.CUSTOMER, name: str = "Ann Example") -> Principal:
    user(runtime, email, role=role, name=name)
    return runtime.accounts.login(email=email, password=PASSWORD).principal


def deliver(runtime: Runtime) -> int:
    """What `tix daemon --once` does."""
    return Daemon(runtime).run_once()


def database_bytes(database: str) -> bytes:
    """The database as a copy would take it: SQLite's files as they are (with the WAL,
    if open), PostgreSQL's pg_dump of the data."""
    if database.startswith("sqlite"):
        path = Path(database.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    url = database.replace("+psycopg", "")
    return subprocess.run(["pg_dump", "--data-only", url], check=True,
                          capture_output=True).stdout
