"""ORM rows, one file per core module.

Import only the row modules a command needs (a module imports those its foreign keys
name); `metadata()` loads every table, for migrations, tests and erasing.
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from tix.adapters.db.rows.base import Base

# Every row module: add yours here.
ROW_MODULES = (
    "accounts",
    "answers",
    "audit",
    "catalog",
    "inventory",
    "messaging",
    "notifications",
    "orders",
    "ratelimit",
    "tickets",
    "vouchers",
)


def metadata() -> MetaData:
    for name in ROW_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    return Base.metadata


__all__ = ["ROW_MODULES", "Base", "metadata"]
