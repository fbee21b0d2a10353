"""What other core modules may ask of accounts: plain functions on the caller's unit of
work, so they read in the caller's transaction. Users, tokens and sessions are this
module's tables; nothing outside it touches them (tests/unit/test_module_ownership.py)."""

from __future__ import annotations

from tix.core.accounts.model import User
from tix.core.ports import UnitOfWork
from tix.core.principal import Role

__all__ = ["admin_emails", "user", "user_by_email"]


def user(uow: UnitOfWork, user_id: str) -> User | None:
    """A user by id, erased ones included (`is_erased` says so): whom to mail, whose
    name to show."""
    return uow.users.get(user_id)


def user_by_email(uow: UnitOfWork, email: str) -> User | None:
    """A user by their address (any case), erased ones excluded: whom someone names."""
    found = uow.users.by_email(email.strip())
    return None if found is None or found.is_erased else found


def admin_emails(uow: UnitOfWork) -> list[str]:
    """Where alerts for the operators go."""
    return uow.users.emails_of_role(Role.ADMIN.value)
