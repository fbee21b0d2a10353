"""What other core modules may ask of notifications: plain functions on the caller's unit
of work, so they run in the caller's transaction. The mail log is this module's table;
nothing outside it touches `uow.notifications` (tests/unit/test_module_ownership.py)."""

from __future__ import annotations

from tix.core.notifications.model import Notification
from tix.core.ports import UnitOfWork

__all__ = ["erase_mails_of", "mails_to"]


def mails_to(uow: UnitOfWork, user_id: str) -> list[Notification]:
    """Every mail to a user: their GDPR export lists them."""
    return uow.notifications.for_user(user_id)


def erase_mails_of(uow: UnitOfWork, user_id: str, address: str) -> int:
    """Wipe the recipient and bodies of a user's mails, in the transaction that erases the
    account; returns how many."""
    return uow.notifications.erase_for_user(user_id, address)
