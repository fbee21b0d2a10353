"""GDPR: everything held about a user, as data; and erasure that cannot be undone.

Other modules add their part of an export (orders, tickets) as contributors, and act on
AccountErased for theirs (holder names, future tickets). The mail log and the audit trail
are read through their modules' public functions, in this module's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tix.core.accounts.events import AccountErased
from tix.core.accounts.model import TokenPurpose
from tix.core.audit import public as audit
from tix.core.audit.service import AuditService
from tix.core.clock import Clock
from tix.core.errors import NotFound, RuleViolation
from tix.core.notifications import public as notifications
from tix.core.ports import Cache, UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal

# (section name, reads the user's data in a unit of work)
ExportContributor = tuple[str, Callable[[UnitOfWork, str], Any]]


class PrivacyService:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, audit: AuditService,
                 cache: Cache) -> None:
        self._uow = uow
        self._clock = clock
        self._audit = audit
        self._cache = cache
        self.contributors: list[ExportContributor] = []

    def export(self, user_id: str, *, by: Principal | None = None) -> dict[str, Any]:
        with self._uow() as uow:
            user = uow.users.get(user_id)
            if user is None:
                raise NotFound("user", user_id)
            data: dict[str, Any] = {
                "profile": {"id": user.id, "email": user.email, "name": user.name,
                            "date_of_birth": user.date_of_birth, "role": user.role.value,
                            "created_at": user.created_at, "verified_at": user.verified_at,
                            "locked_at": user.locked_at, "erased_at": user.erased_at},
                "sessions": [{"id": s.id, "created_at": s.created_at,
                              "expires_at": s.expires_at, "revoked_at": s.revoked_at,
                              "host": s.host} for s in uow.sessions.of_user(user_id)],
                "notifications": [{"id": n.id, "template": n.template, "subject": n.subject,
                                   "status": n.status.value, "created_at": n.created_at,
                                   "sent_at": n.sent_at}
                                  for n in notifications.mails_to(uow, user_id)],
            }
            for section, read in self.contributors:
                data[section] = read(uow, user_id)
            data["audit"] = [{"at": e.at, "action": e.action, "actor": e.actor,
                              "subject": e.subject, "origin": e.origin, "details": e.details}
                             for e in audit.entries_about(uow, user_id)]
            self._audit.record(uow, "account.exported", subject=f"user:{user_id}",
                               **_actor(by, user.id, user.email))
            uow.commit()
        return data

    def erase(self, user_id: str, *, by: Principal | None = None) -> None:
        now = self._clock.now()
        with self._uow() as uow:
            user = uow.users.get(user_id, lock=True)
            if user is None:
                raise NotFound("user", user_id)
            if user.is_erased:
                raise RuleViolation("this account was already erased", code="already_erased")
            actor = _actor(by, user.id, "(the user)")
            user.erase(now)
            uow.users.save(user)
            revoked = uow.sessions.revoke_all(user_id, now)
            for purpose in TokenPurpose:
                uow.account_tokens.retire_all(user_id, purpose, now)
            notifications.erase_mails_of(uow, user_id, user.email)
            uow.publish(AccountErased(user_id=user_id))
            self._audit.record(uow, "account.erased", subject=f"user:{user_id}", **actor)
            uow.commit()
        self._cache.delete(*(f"session:{s}" for s in revoked))


def _actor(by: Principal | None, user_id: str, email: str) -> dict[str, Any]:
    if by is None:
        return {"actor_id": user_id, "actor": email}
    return {"actor_id": by.user_id, "actor": by.email}
