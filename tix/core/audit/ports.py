"""What the audit module needs from storage."""

from __future__ import annotations

from typing import Protocol

from tix.core.audit.model import AuditEntry


class AuditLog(Protocol):
    def add(self, entry: AuditEntry) -> None: ...

    def unsealed(self, limit: int) -> list[AuditEntry]:
        """The oldest entries not yet chained, locked for the one sealer."""
        ...

    def last_sealed(self) -> tuple[int, str]:
        """(position, hash) of the end of the chain; (0, GENESIS) when empty."""
        ...

    def save_seal(self, entry: AuditEntry) -> None: ...

    def sealed(self) -> list[AuditEntry]:
        """Every sealed entry in chain order."""
        ...

    def count_unsealed(self) -> int: ...

    def about(self, user_id: str) -> list[AuditEntry]:
        """Entries by or about a user (for their GDPR export)."""
        ...

    def newest(self, limit: int) -> list[AuditEntry]: ...
