"""What other core modules may ask of accounts: plain functions on the caller's unit of
work, so they read in the caller's transaction. Users, tokens and sessions are this
module's tables; nothing outside it touches them (tests/unit/test_module_ownership.py)."""

from __future__ import annotations

from tix.core.accounts.model import Contact, User
from tix.core.ports import UnitOfWork
from tix.core.principal import Role, is_undeliverable

__all__ = ["admin_emails", "contacts", "user", "user_by_email"]


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


def contacts(uow: UnitOfWork, user_ids: list[str]) -> dict[str, Contact]:
    """Address and name of each of these users, by id (erased ones say so; the address
    is "" for those who gave none): an export's or a mass mail's batch of buyers in one
    read."""
    found = uow.users.contacts(sorted(set(user_ids))) if user_ids else {}
    return {user_id: Contact(c.user_id, "", c.name, c.erased) if is_undeliverable(c.email)
            else c for user_id, c in found.items()}  # a walk-in without email has none
