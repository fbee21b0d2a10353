"""Which message becomes which mail."""

from __future__ import annotations

from tix.core.accounts import public as accounts
from tix.core.accounts.events import (
    AccountLocked,
    PasswordChanged,
    PasswordResetRequested,
    VerificationRequested,
)
from tix.core.messages import MessageDeadLettered
from tix.core.notifications.events import NotificationFailed
from tix.core.notifications.service import NotificationService
from tix.core.ports import UnitOfWork

AccountMessage = VerificationRequested | PasswordResetRequested | PasswordChanged | AccountLocked


class AccountMails:
    def __init__(self, notifications: NotificationService) -> None:
        self._notifications = notifications

    def mail_verification(self, msg: VerificationRequested, uow: UnitOfWork) -> None:
        self._mail_token(uow, msg, "email_verification", "tix account verify", "verify")

    def mail_reset(self, msg: PasswordResetRequested, uow: UnitOfWork) -> None:
        self._mail_token(uow, msg, "password_reset", "tix account reset-password", "reset")

    def _mail_token(self, uow: UnitOfWork, msg: VerificationRequested | PasswordResetRequested,
                    template: str, command: str, path: str) -> None:
        """A mail that carries a one-time token: as a command to paste and as a link."""
        base = self._notifications.public_url
        self._mail_owner(uow, msg, template, {"token": msg.token,
                                              "command": f"{command} {msg.token}",
                                              "link": f"{base}/{path}?token={msg.token}",
                                              "expires_at": msg.expires_at})

    def mail_password_changed(self, msg: PasswordChanged, uow: UnitOfWork) -> None:
        self._mail_owner(uow, msg, "password_changed", {})

    def mail_account_locked(self, msg: AccountLocked, uow: UnitOfWork) -> None:
        self._mail_owner(uow, msg, "account_locked", {})

    def _mail_owner(self, uow: UnitOfWork, msg: AccountMessage, template: str,
                    context: dict[str, object]) -> None:
        """Mail the account's owner, at the address the message carries — unless the
        account was erased while the message was on its way: then it is no one's."""
        owner = accounts.user(uow, msg.user_id)
        if owner is None or owner.is_erased:
            return
        self._notifications.queue(uow, to=msg.email, template=template, user_id=msg.user_id,
                                  context={"name": msg.name, **context})

    def alert_admins(self, msg: NotificationFailed, uow: UnitOfWork) -> None:
        if msg.template == "admin_alert":
            return  # an alert about a failed alert would loop
        for admin in accounts.admin_emails(uow):
            self._notifications.queue(uow, to=admin, template="admin_alert", context={
                "recipient": msg.recipient, "template": msg.template,
                "reason": msg.reason, "notification_id": msg.notification_id})

    def alert_admins_of_dead_letters(self, msg: MessageDeadLettered, uow: UnitOfWork) -> None:
        for admin in accounts.admin_emails(uow):
            self._notifications.queue(uow, to=admin, template="dead_letters", context={
                "message_id": msg.message_id, "message_name": msg.message_name,
                "reason": msg.reason})
