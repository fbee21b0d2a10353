"""Recording, sealing and verifying the audit trail."""

from __future__ import annotations

from tix.core.audit.model import AuditEntry, ChainReport, verify_chain
from tix.core.clock import Clock
from tix.core.ids import new_id
from tix.core.ports import UnitOfWork, UnitOfWorkFactory

SEAL_BATCH = 500


class AuditService:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, origin: str) -> None:
        self._uow = uow
        self._clock = clock
        self._origin = origin

    def record(self, uow: UnitOfWork, action: str, *, subject: str,
               actor_id: str | None = None, actor: str = "system",
               details: dict[str, str] | None = None) -> None:
        """Write an entry in the caller's transaction: it exists exactly if the change does."""
        uow.audit.add(AuditEntry(id=new_id(), at=self._clock.now(), action=action,
                                 actor_id=actor_id, actor=actor, subject=subject,
                                 origin=self._origin, details=dict(details or {})))

    def seal(self) -> int:
        """Chain the entries written since the last seal; returns how many."""
        with self._uow() as uow:
            entries = uow.audit.unsealed(SEAL_BATCH)
            if not entries:
                return 0
            position, previous = uow.audit.last_sealed()
            for entry in entries:
                position += 1
                entry.seal(position, previous)
                uow.audit.save_seal(entry)
                previous = entry.hash or ""
            uow.commit()
        return len(entries)

    def verify(self) -> ChainReport:
        with self._uow(readonly=True) as uow:
            return verify_chain(uow.audit.sealed(), uow.audit.count_unsealed())

    def newest(self, limit: int = 50) -> list[AuditEntry]:
        with self._uow(readonly=True) as uow:
            return uow.audit.newest(limit)
