"""ORM rows, one file per core module; importing this package registers every table."""

from tix.adapters.db.rows import accounts, messaging, notifications, ratelimit
from tix.adapters.db.rows.base import Base

__all__ = ["Base", "accounts", "messaging", "notifications", "ratelimit"]
