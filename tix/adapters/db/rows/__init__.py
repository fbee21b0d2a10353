"""ORM rows, one file per core module; importing this package registers every table."""

from tix.adapters.db.rows import (
    accounts,
    catalog,
    inventory,
    messaging,
    notifications,
    ratelimit,
)
from tix.adapters.db.rows.base import Base

__all__ = ["Base", "accounts", "catalog", "inventory", "messaging", "notifications",
           "ratelimit"]
