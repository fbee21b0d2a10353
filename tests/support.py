"""Helpers that read like the steps of a scenario."""

from __future__ import annotations

from datetime import date

from tix.bootstrap import Runtime
from tix.core.accounts.model import Role
from tix.core.accounts.service import Principal
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
