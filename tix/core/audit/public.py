"""What other core modules may read of the audit trail: plain functions on the caller's
unit of work. Writing goes through `AuditService.record`, which every module may use;
nothing outside this module touches `uow.audit` (tests/unit/test_module_ownership.py)."""

from __future__ import annotations

from tix.core.audit.model import AuditEntry
from tix.core.ports import UnitOfWork

__all__ = ["entries_about"]


def entries_about(uow: UnitOfWork, user_id: str) -> list[AuditEntry]:
    """Entries by or about a user, for their GDPR export."""
    return uow.audit.about(user_id)
